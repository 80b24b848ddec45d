"""Which xlwings runtime hosts the Excel layer, and the budget each call is about.

- **xlwings Lite / xlwings Server** (Office.js): functions see only their arguments, so
  the budget range is passed as the first argument; scripts get the book as a payload.
- **Classic add-in** (COM, Windows): ``=PDZ_TOTAL()`` with no budget reads the calling
  workbook through xlwings' reserved ``caller`` argument; buttons use ``xw.Book.caller()``.

The parsed budget comes from :data:`udfs.cache.budgets`, keyed on the content.
"""

from __future__ import annotations

import inspect
from typing import Any, Optional

import xlwings as xw

from pdz_xl.query import BudgetQuery, QueryError

from .book_grid import com_book_content, grid_from_com_content, grid_from_range_values
from .cache import budgets

SERVER = xw.func.__module__.endswith("udfs_officejs")
"""True under xlwings Lite / Server (Office.js custom functions)."""

CLASSIC = xw.func.__module__ == "xlwings.udfs"
"""True in the classic COM add-in (Windows)."""

NEED_BUDGET = ("passare l'intervallo del budget come primo argomento, per esempio "
               "=PDZ_TOTAL(Budget!A1:L300; \"AREA POVERTA'\"): in xlwings Lite le funzioni "
               "vedono solo i loro argomenti.")


def with_caller(f):
    """Hide the reserved ``caller`` argument from Excel in every runtime.

    Classic xlwings fills a parameter named ``caller`` with the calling range and keeps
    it out of the worksheet signature; under Office.js the same is done by annotating it
    with xlwings' injectable ``Caller`` type. Apply below ``@xw.func``/``@xw.arg``.
    """
    if SERVER and "caller" in inspect.signature(f).parameters:
        from xlwings.server import Caller

        f.__annotations__["caller"] = Optional[Caller]  # noqa: UP045 (xlwings resolves it)
    return f


def _rows(budget: Any) -> list | tuple:
    """A range argument as rows (a single row or column arrives one-dimensional)."""
    if isinstance(budget, (list, tuple)):
        if budget and not isinstance(budget[0], (list, tuple)):
            return [list(budget)]
        return budget
    raise QueryError("il budget deve essere un intervallo di celle (la tabella delle righe "
                     "di costo con le intestazioni), non un valore singolo.")


def query_for(budget: Any, caller: Any = None) -> BudgetQuery:
    """The parsed budget: the range passed, else (classic add-in) the calling workbook."""
    if budget is not None:
        rows = _rows(budget)
        return budgets.get(rows, lambda: BudgetQuery.from_grid(grid_from_range_values(rows)))
    book = _calling_book(caller)
    if book is None:
        raise QueryError(NEED_BUDGET)
    content = com_book_content(book)  # read once: the cache key and, on a miss, the grid
    return budgets.get(content, lambda: BudgetQuery.from_grid(grid_from_com_content(content)))


def _calling_book(caller: Any):
    """The workbook of the calling cell (classic add-in only)."""
    if caller is None or SERVER:
        return None
    sheet = getattr(caller, "sheet", None)
    return getattr(sheet, "book", None)

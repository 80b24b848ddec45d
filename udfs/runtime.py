"""Which xlwings runtime hosts the Excel layer, and the budget each call is about.

- **xlwings Lite / xlwings Server** (Office.js): functions see only their arguments, so
  the budget range is passed as the first argument; scripts get the book as a payload.
- **Classic add-in** (COM, Windows): ``=PDZ_TOTAL()`` with no budget reads the calling
  workbook through xlwings' reserved ``caller`` argument; buttons use ``xw.Book.caller()``.

The parsed budget comes from :data:`udfs.cache.budgets`, keyed on the content, or from a
handle of ``=PDZ_BUDGET(...)`` (:mod:`udfs.handles`).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from typing import Any, Optional

import xlwings as xw

from pdz_xl.query import BudgetQuery, QueryError

from .book_grid import com_book_content, grid_from_com_content, grid_from_range_values
from .cache import budgets
from .handles import content_digest, handle_text, handles, is_handle

SERVER = xw.func.__module__.endswith("udfs_officejs")
"""True under xlwings Lite / Server (Office.js custom functions)."""

CLASSIC = xw.func.__module__ == "xlwings.udfs"
"""True in the classic COM add-in (Windows)."""

NEED_BUDGET = ("passare come primo argomento la cella di =PDZ_BUDGET(Budget!A1:L300) o "
               "l'intervallo del budget, per esempio =PDZ_TOTAL($B$1; \"AREA POVERTA'\") o "
               "=PDZ_TOTAL(Budget!A1:L300; \"AREA POVERTA'\"): in xlwings Lite le funzioni "
               "vedono solo i loro argomenti.")


def skip_missing_pyodide(skip: bool = True) -> bool:
    """Make ``import pyodide.ffi`` fail at once where Pyodide is absent (CPython, xlwings
    Server); ``skip=False`` undoes it. Returns whether the shortcut is in place.

    xlwings' dispatch calls ``js_to_none`` on every argument of every call, which tries
    ``from pyodide.ffi import JsNull`` and, on CPython, fails only after searching the
    whole ``sys.path`` (~0.12 ms per argument, half a millisecond a cell). ``None`` in
    ``sys.modules`` is Python's own mark for a module that is not there: the import then
    raises ``ImportError`` straight away, which is what xlwings expects and handles. Never
    done under Pyodide or where a ``pyodide`` package really exists."""
    if not skip:
        for name in _PYODIDE:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
        return False
    if all(name in sys.modules and sys.modules[name] is None for name in _PYODIDE):
        return True
    if sys.platform == "emscripten" or any(name in sys.modules for name in _PYODIDE):
        return False
    if importlib.util.find_spec("pyodide") is not None:
        return False
    for name in _PYODIDE:
        sys.modules[name] = None  # type: ignore[assignment]
    return True


_PYODIDE = ("pyodide", "pyodide.ffi")


if SERVER:
    skip_missing_pyodide()


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
                     "di costo con le intestazioni) o la cella di =PDZ_BUDGET(intervallo), "
                     "non un valore singolo.")


def query_for(budget: Any, caller: Any = None) -> BudgetQuery:
    """The parsed budget: a handle of PDZ_BUDGET, the range passed, else (classic add-in)
    the calling workbook."""
    if is_handle(budget):
        return handles.resolve(budget)
    return _query_and_content(budget, caller)[0]


def _query_and_content(budget: Any, caller: Any) -> tuple[BudgetQuery, Any]:
    if budget is not None:
        rows = _rows(budget)
        return budgets.get(rows, lambda: BudgetQuery.from_grid(
            grid_from_range_values(rows))), rows
    book = _calling_book(caller)
    if book is None:
        raise QueryError(NEED_BUDGET)
    content = com_book_content(book)  # read once: the cache key and, on a miss, the grid
    return budgets.get(content, lambda: BudgetQuery.from_grid(
        grid_from_com_content(content))), content


def handle_for(budget: Any, caller: Any = None) -> str:
    """The handle text of a budget range (or, classic add-in, of the calling workbook):
    the same for the same values, a new one when any value changes."""
    if is_handle(budget):  # =PDZ_BUDGET(B1) over a handle cell: that same handle
        key, query = handles.lookup(budget)
        return handle_text(key, query)
    query, content = _query_and_content(budget, caller)  # the exact content check
    key = handles.key_of(query)  # the same values as a budget already given a handle
    if key is None:
        key = handles.register(content_digest(content), query)
    return handle_text(key, query)


def _calling_book(caller: Any):
    """The workbook of the calling cell (classic add-in only)."""
    if caller is None or SERVER:
        return None
    sheet = getattr(caller, "sheet", None)
    return getattr(sheet, "book", None)

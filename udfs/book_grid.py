"""An open workbook (``xw.Book``) or a range passed to a function, as the core's grid.

Two runtimes, one grid: xlwings Lite / Server hand the book over as the JSON payload the
Office.js client sends (values only, anchored at A1); the classic COM add-in reads each
sheet's used range, values and formulas. Either way the core sees a
:class:`~pdz_xl.grid.WorkbookGrid`, exactly as it sees a file read from disk.
"""

from __future__ import annotations

import sys
from typing import Any

from pdz_xl.grid import WorkbookGrid, sheet_from_values

RANGE_SHEET = "Budget"
"""Sheet name given to a range passed as an argument (Lite sees no sheet name)."""

FORMULAS_KEY = "formulas"
"""Where a sheet's formulas go in the payload once fetched (:func:`load_formulas`)."""

_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}


def is_remote_book(book: Any) -> bool:
    """True for a book of xlwings Lite / Server (a JSON payload, actions sent back)."""
    return type(book.impl).__module__.endswith("_xlremote")


def grid_from_payload(payload: dict, source: str | None = None) -> WorkbookGrid:
    """The grid of an Office.js book payload (``{"book", "sheets", "names"}``)."""
    grid = WorkbookGrid(source=source or payload.get("book", {}).get("name", "cartella"))
    sheets = payload.get("sheets", [])
    for sheet in sheets:
        state = _VISIBILITY.get(sheet.get("visibility", "Visible"), "visible")
        grid.sheets.append(sheet_from_values(sheet["name"], sheet.get("values") or [],
                                             formulas=sheet.get(FORMULAS_KEY), state=state))
    for name in payload.get("names", []):
        index = name.get("sheet_index")
        address = name.get("address")
        if index is None or address is None or not name.get("book_scope", True):
            continue
        sheet_name = sheets[index]["name"].replace("'", "''")
        grid.defined_names[name["name"]] = f"'{sheet_name}'!{_absolute(address)}"
    return grid


async def load_formulas(book: Any) -> bool:
    """Fetch each sheet's formulas into the payload (xlwings Lite only: the Office.js
    payload carries values, and Lite can read formulas on demand). Knowing which totals
    are formulas lets the core make the same choices it makes on a file. Returns False
    where the runtime cannot (xlwings Server): the grid then has values only."""
    if not is_remote_book(book) or sys.platform != "emscripten":
        return False
    for sheet in book.sheets:
        formulas = await sheet.range((1, 1), _extent(sheet.api)).get_formula()
        sheet.api[FORMULAS_KEY] = _matrix(formulas)
    return True


def _matrix(value: Any) -> list | tuple:
    """A range's formulas as rows, whatever shape the engine returns (one cell: a
    scalar; one row: a flat list)."""
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if value and not isinstance(value[0], (list, tuple)):
        return [value]
    return value


def _extent(sheet_api: dict) -> tuple[int, int]:
    values = sheet_api.get("values") or [[]]
    return max(len(values), 1), max((len(r) for r in values), default=1) or 1


def _absolute(address: str) -> str:
    parts = []
    for ref in address.replace("$", "").split(":"):
        letters = "".join(ch for ch in ref if ch.isalpha())
        digits = ref[len(letters):]
        parts.append(f"${letters}${digits}")
    return ":".join(parts)


def com_book_content(book: Any) -> tuple[str, list[tuple], dict[str, str]]:
    """What the classic add-in reads of an open workbook, in one pass: its name, per sheet
    (name, first row, first column, values, formulas, state) of the used range, and its
    defined names. It is also the cache key of the worksheet functions."""
    sheets = []
    for sheet in book.sheets:
        used = sheet.used_range
        visible = sheet.api.Visible if hasattr(sheet.api, "Visible") else -1
        state = {0: "hidden", 2: "veryHidden"}.get(int(visible), "visible")
        sheets.append((sheet.name, used.row, used.column, used.options(ndim=2).value,
                       _matrix(used.formula), state))
    names = {}
    for name in book.names:
        refers = str(name.refers_to or "")
        if refers.startswith("=") and "!" in refers:
            names[name.name] = refers[1:]
    return book.fullname, sheets, names


def grid_from_com_content(content: tuple[str, list[tuple], dict[str, str]]) -> WorkbookGrid:
    """The grid of what :func:`com_book_content` read."""
    source, sheets, names = content
    grid = WorkbookGrid(source=source, defined_names=dict(names))
    for name, row, col, values, formulas, state in sheets:
        grid.sheets.append(sheet_from_values(name, values, first_row=row, first_col=col,
                                             formulas=formulas, state=state))
    return grid


def grid_from_com_book(book: Any) -> WorkbookGrid:
    """The grid of a workbook open in desktop Excel (classic add-in)."""
    return grid_from_com_content(com_book_content(book))


def grid_from_book(book: Any) -> WorkbookGrid:
    """The grid of an open workbook, whichever runtime hands it over."""
    if is_remote_book(book):
        return grid_from_payload(book.api, book.name)
    return grid_from_com_book(book)


def grid_from_range_values(values: list[list[object]], source: str = "intervallo"
                           ) -> WorkbookGrid:
    """The grid of a range passed to a function: one sheet, the range's top-left at A1."""
    return WorkbookGrid(source=source, sheets=[sheet_from_values(RANGE_SHEET, values)])

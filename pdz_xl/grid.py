"""The grid: what a reader gives the layout detection, whatever the source.

A source (xlsx file, an open Excel book through xlwings, a range passed to a UDF)
becomes sheets of cells with value, formula, number format and boldness, plus the
hidden rows and columns and the merged ranges. The xlsx reader also gives the signals
offices use to show hierarchy and tables: the indent, italic font and fill of a cell's
style, the outline (group) levels of rows and columns, and the Excel Tables
(ListObjects) of a sheet. Sources that do not know them (an open book read through
xlwings, a range passed to a UDF) leave the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple


class ErrorValue(str):
    """A spreadsheet error value such as ``#REF!`` or ``#DIV/0!``."""

    __slots__ = ()


class TemporalNumber(float):
    """A number whose cell format shows a date, a time or a duration (the Excel serial
    number: days since 1899-12-30). It is a float for formulas, never an amount: the
    amount reader reports it (PDZ001)."""

    __slots__ = ()


ERROR_VALUES = frozenset(
    ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"]
)


class ReadStyle(NamedTuple):
    """What a cell's style tells the reading; one object for the cells of one style."""

    number_format: str | None = None
    bold: bool = False
    indent: int = 0  # alignment indent level of the cell's style (0 = none)
    italic: bool = False
    fill: bool = False  # the style has a pattern fill (not none / gray125) or a gradient


PLAIN_STYLE = ReadStyle()
_STYLES: dict[ReadStyle, ReadStyle] = {PLAIN_STYLE: PLAIN_STYLE}


def cell_style(number_format: str | None = None, bold: bool = False, indent: int = 0,
               italic: bool = False, fill: bool = False) -> ReadStyle:
    """The shared style object of these fields (a cell keeps a reference, not a copy)."""
    style = ReadStyle(number_format, bold, indent, italic, fill)
    shared = _STYLES.get(style)
    if shared is None:
        if len(_STYLES) >= 8192:  # (a workbook has a few hundred styles at most)
            return style
        shared = _STYLES[style] = style
    return shared


class Cell:
    """One non-empty cell: its value, its formula (with leading «=»), its style.

    The style fields read as the cell's own (``cell.bold``); the cells of one style share
    its :class:`ReadStyle`: three slots a cell instead of seven (about 200 bytes less for
    each cost line of a sheet).
    """

    __slots__ = ("formula", "style", "value")

    def __init__(self, value: object = None, formula: str | None = None,
                 number_format: str | None = None, bold: bool = False, indent: int = 0,
                 italic: bool = False, fill: bool = False, *,
                 style: ReadStyle | None = None) -> None:
        self.value = value  # str | float | int | bool | ErrorValue | None
        self.formula = formula
        if style is None:
            style = PLAIN_STYLE if number_format is None and not (
                bold or indent or italic or fill) else cell_style(
                number_format, bold, indent, italic, fill)
        self.style = style

    number_format = property(attrgetter("style.number_format"))
    bold = property(attrgetter("style.bold"))
    indent = property(attrgetter("style.indent"))
    italic = property(attrgetter("style.italic"))
    fill = property(attrgetter("style.fill"))

    def replace(self, **changes: object) -> Cell:
        """A copy with ``value``, ``formula`` or ``style`` changed."""
        return Cell(changes.get("value", self.value),
                    changes.get("formula", self.formula),  # type: ignore[arg-type]
                    style=changes.get("style", self.style))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if type(other) is not Cell:
            return NotImplemented
        return (self.value == other.value and self.formula == other.formula
                and self.style == other.style)

    __hash__ = None  # type: ignore[assignment]  (mutable, as the dataclass it was)

    def __repr__(self) -> str:
        return (f"Cell(value={self.value!r}, formula={self.formula!r}, "
                + ", ".join(f"{k}={v!r}" for k, v in self.style._asdict().items()) + ")")


@dataclass
class ExcelTable:
    """An Excel Table (ListObject) of a sheet.

    ``ref`` spans the whole table: header rows, data rows and totals rows.
    ``totals_functions`` maps a sheet column (1-based, as in ``ref``) to the
    totalsRowFunction of that column's totals cell ("sum", "average", "custom", ...);
    columns without one (or with "none") are absent.
    """

    name: str  # displayName (the name formulas use)
    ref: tuple[int, int, int, int]  # r1, c1, r2, c2 (1-based)
    header_rows: int = 1  # headerRowCount
    totals_rows: int = 0  # totalsRowCount (totalsRowShown="1" alone: no totals row in ref)
    columns: list[str] = field(default_factory=list)  # tableColumn names, left to right
    totals_functions: dict[int, str] = field(default_factory=dict)

    @property
    def data_rows(self) -> tuple[int, int]:
        """First and last data row (last < first when the table has no data rows)."""
        r1, _c1, r2, _c2 = self.ref
        return r1 + self.header_rows, r2 - self.totals_rows


@dataclass
class SheetGrid:
    """The cells of one sheet, by row then column (1-based)."""

    name: str
    rows: dict[int, dict[int, Cell]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    state: str = "visible"  # visible | hidden | veryHidden
    outline_rows: dict[int, int] = field(default_factory=dict)  # row -> outlineLevel (> 0)
    collapsed_rows: set[int] = field(default_factory=set)  # rows with collapsed="1"
    outline_cols: dict[int, int] = field(default_factory=dict)  # column -> outlineLevel (> 0)
    collapsed_cols: set[int] = field(default_factory=set)  # columns with collapsed="1"
    tables: list[ExcelTable] = field(default_factory=list)  # in the sheet's tableParts order
    cents_per_unit: int = 100  # 100_000 when its amounts are thousands of euro («_pdz»)

    def get(self, row: int, col: int) -> Cell | None:
        """The cell at (row, col), or None when empty."""
        r = self.rows.get(row)
        return r.get(col) if r else None

    def value(self, row: int, col: int) -> object:
        """The value at (row, col), or None."""
        c = self.get(row, col)
        return c.value if c else None

    def set(self, row: int, col: int, cell: Cell) -> None:
        """Put a cell (used by readers and by tests building grids)."""
        self.rows.setdefault(row, {})[col] = cell

    def iter_rows(self) -> Iterator[tuple[int, dict[int, Cell]]]:
        """Rows in order, each with its cells by column."""
        for r in sorted(self.rows):
            yield r, self.rows[r]

    @property
    def max_row(self) -> int:
        return max(self.rows, default=0)

    @property
    def max_col(self) -> int:
        return max((max(r) for r in self.rows.values() if r), default=0)

    def merged_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range containing (row, col), if any."""
        for rng in self.merged:
            r1, c1, r2, c2 = rng
            if r1 <= row <= r2 and c1 <= col <= c2:
                return rng
        return None


@dataclass
class WorkbookGrid:
    """All sheets of a workbook, in tab order, plus its defined names."""

    source: str
    sheets: list[SheetGrid] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)  # name -> "Sheet!$A$1:$B$2"

    def sheet(self, name: str) -> SheetGrid | None:
        """The sheet with this name (case-insensitive), or None."""
        low = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == low), None)

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def _cell_value(value: object) -> object:
    """A value as a spreadsheet client hands it over, as the grid keeps it."""
    if isinstance(value, str):
        if value == "":
            return None
        if value in ERROR_VALUES:
            return ErrorValue(value)
    return value


def sheet_from_values(name: str, values: list[list[object]] | tuple, *, first_row: int = 1,
                      first_col: int = 1, formulas: list[list[object]] | tuple | None = None,
                      state: str = "visible") -> SheetGrid:
    """A sheet from a 2D block of values (an open workbook's used range, or a range
    passed to a worksheet function) whose top-left cell is (``first_row``, ``first_col``).

    Empty strings are blank cells and ``#REF!``-like strings error values, as Office.js
    and COM deliver them; ``formulas`` (same shape, when the client gives them) keeps the
    text of the cells that start with «=».
    """
    sheet = SheetGrid(name=name, state=state)
    for i, row in enumerate(values or ()):
        frow = formulas[i] if formulas is not None and i < len(formulas) else None
        if frow is None:  # values only (Office.js ranges): one pass, no formula checks
            cells = {first_col + j: Cell(ErrorValue(raw) if isinstance(raw, str)
                                         and raw in ERROR_VALUES else raw)
                     for j, raw in enumerate(row or ()) if raw is not None and raw != ""}
            if cells:
                sheet.rows[first_row + i] = cells
            continue
        for j, raw in enumerate(row or ()):
            value = _cell_value(raw)
            formula = frow[j] if frow is not None and j < len(frow) else None
            if not (isinstance(formula, str) and formula.startswith("=")):
                formula = None
            if value is None and formula is None:
                continue
            sheet.rows.setdefault(first_row + i, {})[first_col + j] = Cell(value, formula)
    return sheet

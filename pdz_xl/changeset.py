"""Changeset: the cell writes an analysis wants, independent of how they are applied.

The same Changeset is applied by the xlsx patcher (CLI, batch) and by the xlwings
Book writer (Excel buttons), so both produce the same cells.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

CellValue = str | int | float | Decimal | bool | None


class CellStyle(BaseModel):
    """Formatting of a written cell; fields left None keep the cell's own style."""

    model_config = {"frozen": True}

    bold: bool | None = None
    italic: bool | None = None
    number_format: str | None = None
    fill: str | None = None  # RGB hex, e.g. "FFC7CE"
    font_color: str | None = None  # RGB hex
    align: Literal["left", "center", "right"] | None = None
    wrap: bool | None = None
    font_size: float | None = None


class CellWrite(BaseModel):
    """Write one cell. For a formula, ``value`` is its cached result."""

    cell: str  # A1
    value: CellValue = None
    formula: str | None = None  # with the leading "=", English function names
    style: CellStyle | None = None
    hyperlink: str | None = None  # internal target, e.g. "'Area 1'!C12"
    note: str | None = None  # a comment (note) on the cell
    style_from: str | None = None  # A1 on the same sheet: take that cell's whole style
    # (font, fill, borders, alignment, format), then ``style`` on top


class ChartSeries(BaseModel):
    """One series of a chart: references in A1 form on an owned sheet."""

    name: str
    values: str  # e.g. "'Triennale PDZ'!$C$5:$C$19"
    name_ref: str | None = None


class ChartSpec(BaseModel):
    """A native chart placed on an owned sheet."""

    kind: Literal["column", "bar", "pie", "line"]
    title: str
    categories: str  # A1 range of the category labels
    series: list[ChartSeries]
    anchor: str  # top-left cell
    width_cols: int = 8
    height_rows: int = 16
    stacked: bool = False
    data_labels: Literal["value", "percent"] | None = None  # on every point
    label_format: str | None = None  # number format of value labels, e.g. "#,##0"
    legend: Literal["r", "b", "t", "l"] | None = "r"  # None: no legend
    value_axis: bool = True  # False: hidden (the data labels carry the values)


class PageSetup(BaseModel):
    """How an owned sheet prints. Header and footer use Excel's codes (``&P`` page,
    ``&N`` pages, ``&D`` date, ``&L``/``&C``/``&R`` sections; a literal «&» is «&&»)."""

    orientation: Literal["portrait", "landscape"] = "portrait"
    paper: int = 9  # 9 = A4
    fit_width: int | None = None  # pages wide (with fit_height: fit to pages)
    fit_height: int | None = None  # pages tall; 0 = as many as needed
    print_titles: str | None = None  # rows repeated on every page, e.g. "1:3"
    print_area: str | None = None  # e.g. "A1:I60"
    header: str | None = None
    footer: str | None = None
    row_breaks: list[int] = Field(default_factory=list)  # a page starts after these rows
    center_horizontally: bool = False


class ListValidation(BaseModel):
    """A drop-down list on cells (data validation of type list)."""

    cells: str  # e.g. "C4:C40"
    options: list[str]  # shown in this order; no commas inside an option
    prompt: str | None = None  # Italian, shown when the cell is selected
    error: str | None = None  # Italian, shown for a value not in the list


class OwnedSheet(BaseModel):
    """A sheet the product owns: created, or replaced whole, on every write."""

    name: str
    cells: list[CellWrite]
    column_widths: dict[str, float] = Field(default_factory=dict)  # "A" -> width
    merged: list[str] = Field(default_factory=list)  # "A1:F1"
    freeze: str | None = None  # top-left cell of the scrolling pane, e.g. "A5"
    charts: list[ChartSpec] = Field(default_factory=list)
    tab_color: str | None = None
    hidden: bool = False
    after: str | None = None  # place after this sheet when created (default: last)
    hidden_columns: list[str] = Field(default_factory=list)  # "I"
    validations: list[ListValidation] = Field(default_factory=list)
    page: PageSetup | None = None
    row_heights: dict[int, float] = Field(default_factory=dict)  # row -> points
    autofilter: str | None = None  # e.g. "A6:J40": filter buttons on its first row


class Mark(BaseModel):
    """A mark on a cell of a user sheet: a fill and a note. Replaced on every run."""

    sheet: str
    cell: str
    note: str
    severity: Literal["errore", "avviso"] = "errore"


class Changeset(BaseModel):
    """Everything one command writes into a workbook."""

    sheets: list[OwnedSheet] = Field(default_factory=list)
    cells: dict[str, list[CellWrite]] = Field(default_factory=dict)  # sheet -> writes
    column_widths: dict[str, dict[str, float]] = Field(default_factory=dict)  # user sheet
    # -> column letters -> width (characters)
    marks: list[Mark] | None = None  # None: leave marks alone; []: clear all our marks
    remove_sheets: list[str] = Field(default_factory=list)
    summary: list[str] = Field(default_factory=list)  # Italian lines for the user

    def is_empty(self) -> bool:
        """True when applying it would change nothing."""
        return not (self.sheets or self.cells or self.marks is not None or self.remove_sheets
                    or self.column_widths)

    def merge(self, other: Changeset) -> Changeset:
        """Combine two changesets (``other`` wins on the same owned sheet name)."""
        sheets = {s.name: s for s in self.sheets}
        sheets.update({s.name: s for s in other.sheets})
        cells = {k: list(v) for k, v in self.cells.items()}
        for k, v in other.cells.items():
            cells.setdefault(k, []).extend(v)
        marks = other.marks if other.marks is not None else self.marks
        widths = {k: dict(v) for k, v in self.column_widths.items()}
        for k, v in other.column_widths.items():
            widths.setdefault(k, {}).update(v)
        return Changeset(
            sheets=list(sheets.values()),
            cells=cells,
            column_widths=widths,
            marks=marks,
            remove_sheets=sorted(set(self.remove_sheets) | set(other.remove_sheets)),
            summary=self.summary + other.summary,
        )

NO_FILL = "none"
"""``CellStyle.fill`` value that removes a cell's fill."""

MARK_FILLS = {"errore": "FFC7CE", "avviso": "FFEB9C"}
"""Fill colours of marks: Excel's own light red and light yellow."""


def marks_by_cell(marks: list[Mark]) -> dict[str, dict[str, tuple[str, str]]]:
    """sheet -> cell -> (severity, note): several findings on one cell make one mark, as
    severe as the worst of them, with their notes one per line."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for m in marks:
        cells = out.setdefault(m.sheet, {})
        ref = m.cell.replace("$", "").upper()
        if ref in cells:
            severity, note = cells[ref]
            worst = "errore" if "errore" in (severity, m.severity) else "avviso"
            cells[ref] = (worst, note + "\n" + m.note)
        else:
            cells[ref] = (m.severity, m.note)
    return out

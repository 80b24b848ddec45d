"""One pass over a cost table's body: each row's labels, amounts, formulas and style.

Amount cells are read once here (text amounts and error values become reader notes
once); inference decides on these records and execution builds the Plan from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Cell, SheetGrid
from .amounts import AmountReader
from .model import COL_CHANNEL_NAME, COL_CODE, COL_GROUP, COL_VOCE, COL_YEAR_NAME, ColumnRole

_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class RowData:
    """A body row as inference sees it."""

    row: int
    voce: str = ""
    voce_cell: Cell | None = None
    groups: dict[int, str] = field(default_factory=dict)  # group column -> text
    code: str = ""
    channel_name: str = ""  # long tables: the channel named on the row
    year_name: int | None = None  # long tables: the year named on the row
    values: dict[int, int | None] = field(default_factory=dict)  # value column -> cents
    formulas: dict[int, str] = field(default_factory=dict)
    bold: bool = False
    indent: int = 0
    outline: int = 0
    hidden: bool = False
    caps: bool = False
    fill: bool = False
    italic: bool = False

    @property
    def has_values(self) -> bool:
        return any(v is not None for v in self.values.values())

    @property
    def label(self) -> str:
        """The row's own label: the voce, else the innermost group text."""
        if self.voce:
            return self.voce
        for c in sorted(self.groups, reverse=True):
            if self.groups[c]:
                return self.groups[c]
        return ""

    @property
    def blank(self) -> bool:
        return not self.voce and not any(self.groups.values()) and not self.has_values \
            and not self.code


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else str(v)
    return str(v).strip()


def is_caps(text: str) -> bool:
    """All letters upper case, with at least four of them («AREA X», not «SAD»)."""
    letters = _LETTERS.findall(text)
    return len(letters) >= 4 and text.upper() == text and any(ch.isalpha() for ch in letters)


def read_rows(sheet: SheetGrid, rows: list[int], roles: dict[int, ColumnRole],
              amounts: AmountReader) -> list[RowData]:
    """The records of ``rows`` (blank rows included as blank records)."""
    voce_cols = [c for c, r in roles.items() if r.role == COL_VOCE]
    voce_col = voce_cols[0] if voce_cols else None
    group_cols = [c for c, r in sorted(roles.items()) if r.role == COL_GROUP]
    code_col = next((c for c, r in roles.items() if r.role == COL_CODE), None)
    chan_col = next((c for c, r in roles.items() if r.role == COL_CHANNEL_NAME), None)
    year_col = next((c for c, r in roles.items() if r.role == COL_YEAR_NAME), None)
    value_cols = [c for c, r in sorted(roles.items()) if r.is_value]
    hidden_rows = sheet.hidden_rows
    outline = getattr(sheet, "outline_rows", {}) or {}
    out: list[RowData] = []
    for r in rows:
        cells = sheet.rows.get(r)
        rd = RowData(row=r)
        out.append(rd)
        if not cells:
            continue
        vc = cells.get(voce_col) if voce_col else None
        if vc is not None:
            rd.voce = _text(vc)
            rd.voce_cell = vc
            if rd.voce:
                rd.bold = vc.bold
                raw = vc.value if isinstance(vc.value, str) else ""
                rd.indent = getattr(vc, "indent", 0) or (len(raw) - len(raw.lstrip(" "))) // 2
                rd.caps = is_caps(rd.voce)
                rd.fill = getattr(vc, "fill", False)
                rd.italic = getattr(vc, "italic", False)
        for c in group_cols:
            gc = cells.get(c)
            t = _text(gc)
            rd.groups[c] = t
            if t and not rd.voce and gc is not None:
                rd.bold = rd.bold or gc.bold
                rd.caps = is_caps(t)
        if code_col is not None:
            rd.code = _text(cells.get(code_col))
        if chan_col is not None:
            rd.channel_name = _text(cells.get(chan_col))
        if year_col is not None:
            v = cells.get(year_col)
            if v is not None and isinstance(v.value, (int, float)) and not isinstance(
                    v.value, bool) and float(v.value).is_integer():
                rd.year_name = int(v.value)
            elif v is not None and isinstance(v.value, str) and v.value.strip().isdigit():
                rd.year_name = int(v.value.strip())
        for c in value_cols:
            cell = cells.get(c)
            if cell is None:
                continue
            v = cell.value
            if type(v) is float:
                scaled = v * 100
                nearest = round(scaled)
                if abs(scaled - nearest) < 1e-6 and abs(scaled) < 1e13:
                    rd.values[c] = int(nearest)
                    if cell.formula:
                        rd.formulas[c] = cell.formula
                    continue
            rd.values[c] = amounts.read(sheet, r, c)
            if cell.formula:
                rd.formulas[c] = cell.formula
        if not rd.voce and not any(rd.groups.values()):
            first = next((cells[c] for c in sorted(cells)
                          if isinstance(cells[c].value, str) and cells[c].value.strip()), None)
            if first is not None:
                rd.bold = first.bold
        rd.hidden = r in hidden_rows
        rd.outline = outline.get(r, 0)
    return out

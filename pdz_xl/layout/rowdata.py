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
    has_values: bool = False  # any amount cell holds a number (zero included)

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


_EMPTY: dict = {}  # the formulas and groups of the many rows without any (never written to)

_LEVEL_CODE = re.compile(r"^(ob|obiettivo|obb|area|az|azione|serv|servizio)\.?\s*\d+"
                         r"(\.\d+)*\.?$", re.IGNORECASE)


def _year_of(cell: Cell | None) -> int | None:
    """A year written in a long table's «Anno» column."""
    if cell is None:
        return None
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else str(v)
    return str(v).strip()


def is_caps(text: str) -> bool:
    """All letters upper case, with at least four of them («AREA X», not «SAD»)."""
    if not text.isupper():
        return False
    return len(_LETTERS.findall(text)) >= 4


def read_rows(sheet: SheetGrid, rows: list[int], roles: dict[int, ColumnRole],
              amounts: AmountReader) -> list[RowData]:
    """The records of ``rows`` (blank rows included as blank records)."""
    voce_cols = [c for c, r in roles.items() if r.role == COL_VOCE]
    voce_col = voce_cols[0] if voce_cols else None
    group_cols = [c for c, r in sorted(roles.items()) if r.role == COL_GROUP]
    code_cols = [c for c, r in sorted(roles.items()) if r.role == COL_CODE]
    chan_col = next((c for c, r in roles.items() if r.role == COL_CHANNEL_NAME), None)
    year_col = next((c for c, r in roles.items() if r.role == COL_YEAR_NAME), None)
    value_cols = [c for c, r in sorted(roles.items()) if r.is_value]
    hidden_rows = sheet.hidden_rows
    outline = getattr(sheet, "outline_rows", {}) or {}
    out: list[RowData] = []
    rows_of = sheet.rows
    read = amounts.read
    unit = float(sheet.cents_per_unit)  # cents per unit written: 100 (euro), 100_000 (thousands)
    for r in rows:
        cells = rows_of.get(r)
        if not cells:
            out.append(RowData(r))
            continue
        values: dict[int, int | None] = {}
        formulas: dict[int, str] = {}
        has_values = False
        get = cells.get
        for c in value_cols:
            cell = get(c)
            if cell is None:
                continue
            v = cell.value
            if type(v) is float:
                scaled = v * unit
                if -1e13 < scaled < 1e13:  # (False for NaN and the infinities: read)
                    nearest = round(scaled)
                    if -1e-6 < scaled - nearest < 1e-6:
                        values[c] = nearest
                        has_values = True
                        if cell.formula:
                            formulas[c] = cell.formula
                        continue
            got = values[c] = read(sheet, r, c)
            if got is not None:
                has_values = True
            if cell.formula:
                formulas[c] = cell.formula
        voce = ""
        voce_cell = None
        bold = caps = fill = italic = False
        indent = 0
        vc = get(voce_col) if voce_col else None
        if vc is not None:
            voce_cell = vc
            raw = vc.value
            voce = raw.strip() if type(raw) is str else _text(vc)
            if voce:
                _, bold, indent, italic, fill = vc.style
                if not indent and voce is not raw and isinstance(raw, str):
                    indent = (len(raw) - len(raw.lstrip(" "))) // 2
                caps = voce.isupper() and is_caps(voce)
        groups: dict[int, str] = {}
        grouped = False  # any group text
        for c in group_cols:
            gc = get(c)
            t = _text(gc)
            groups[c] = t
            if t:
                grouped = True
                if not voce and gc is not None:
                    bold = bold or gc.bold
                    caps = is_caps(t)
        code = ""
        for c in code_cols:
            code = _text(get(c))
            if code:
                if voce and not has_values and _LEVEL_CODE.match(code):
                    voce = f"{code} {voce}"  # «OB.2» beside its title: the heading
                break
        channel_name = _text(get(chan_col)) if chan_col is not None else ""
        year_name = _year_of(get(year_col)) if year_col is not None else None
        if not voce and not grouped:
            first = next((cells[c] for c in sorted(cells)
                          if isinstance(cells[c].value, str) and cells[c].value.strip()), None)
            if first is not None:
                bold = first.bold
        # (the fields in their order: one record per row, built once)
        out.append(RowData(r, voce, voce_cell, groups or _EMPTY, code, channel_name,
                           year_name, values, formulas or _EMPTY, bold, indent,
                           outline.get(r, 0) if outline else 0, r in hidden_rows, caps, fill,
                           italic, has_values))
    return out

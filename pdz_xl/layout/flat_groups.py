"""The groups of a flat list's rows, read from its group columns."""

from __future__ import annotations

from ..cells import sheet_ref
from .labels import heading_of, numbering_of, strip_numbering
from .model import LEVELS, ROW_LINE, GroupRef, TableLayout
from .rowdata import RowData
from .state import ReadState


class FlatGroups:
    """The groups of a flat list's rows, from its group columns. A column that repeats
    its value on consecutive rows is complete: a blank there means no group. A column
    written only where the group changes (a pivot export, a staircase) carries its value
    down until an outer column changes."""

    def __init__(self, table: TableLayout, data: list[RowData], cols: list[int]) -> None:
        self.cols = cols
        self.sheet = table.sheet
        self.level = {c: table.columns[c].level or "azione" for c in cols}
        self.rank = {c: LEVELS.index(self.level[c]) for c in cols}
        self.open: dict[int, GroupRef] = {}
        self.sparse = {c: not _repeats(data, c) for c in cols}

    def path(self, rd: RowData, commit: bool = True) -> tuple[GroupRef, ...]:
        open_ = self.open if commit else dict(self.open)
        out: list[GroupRef] = []
        changed = False
        for c in self.cols:
            text = rd.groups.get(c, "")
            if not text:
                if self.sparse[c] and not changed and c in open_:
                    out.append(open_[c])
                    continue
                open_.pop(c, None)
                continue
            cur = open_.get(c)
            if cur is None or changed or cur.text != text:
                cur = _flat_group(text, self.level[c], self.rank[c],
                                  sheet_ref(self.sheet, rd.row, c))
                open_[c] = cur
                changed = True
            out.append(cur)
        return tuple(out)


def _repeats(data: list[RowData], col: int) -> bool:
    """True when the column holds the same text on two consecutive rows with a voce."""
    last = None
    for rd in data:
        if not rd.voce:
            continue
        t = rd.groups.get(col, "")
        if t and t == last:
            return True
        last = t
    return False


def _flat_group(text: str, level: str, rank: int, cell: str) -> GroupRef:
    h = heading_of(text, bold=True)
    number = h.number if h and h.level == level else None
    label = strip_numbering(text) if level == "obiettivo" else text
    if number is None and level == "obiettivo":
        num = numbering_of(text)
        number = num.parts[-1] if num else None
    return GroupRef(level=level, label=label, text=text, number=number, cell=cell, rank=rank)


def numbers_from_codes(st: ReadState, table: TableLayout, data: list[RowData]) -> None:
    """A code column constant within a group numbers that group (``N.`` = obiettivo n)."""
    codes = {rd.row: rd.code for rd in data if rd.code}
    if not codes:
        return
    per_group: dict[int, tuple[GroupRef, set[str]]] = {}
    for role in table.rows:
        if role.role != ROW_LINE or role.row not in codes:
            continue
        for g in role.path:
            per_group.setdefault(id(g), (g, set()))[1].add(codes[role.row])
    for g, values in per_group.values():
        if g.number is None and len(values) == 1:
            v = next(iter(values)).rstrip(".")
            if v.isdigit():
                g.number = int(v)

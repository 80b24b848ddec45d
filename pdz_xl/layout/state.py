"""What inference keeps while it walks a workbook: the lines so far, group membership,
the groups open on the current sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

from .model import GroupRef, TableLayout


@dataclass(slots=True)
class LineRec:
    """A cost line as inference knows it; ``seq`` is its id in the Plan."""

    seq: int
    table: TableLayout
    row: int
    by_year: dict[int, int]  # year key (0: the plan year, not yet known) -> cents


@dataclass(slots=True)
class ReadState:
    """Workbook-wide: every line read so far and the lines of every group."""

    lines: list[LineRec] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # id(GroupRef) -> seqs
    total_lines: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # read totals
    sheet_rows: dict[str, dict[int, int]] = field(default_factory=dict)  # sheet: row -> seq
    tolerance: int = 5

    def add_line(self, table: TableLayout, row: int, by_year: dict[int, int],
                 path: tuple[GroupRef, ...]) -> int:
        seq = len(self.lines)
        self.lines.append(LineRec(seq, table, row, by_year))
        rows = self.sheet_rows.get(table.sheet)
        if rows is None:
            rows = self.sheet_rows[table.sheet] = {}
        rows.setdefault(row, seq)
        members = self.members
        for g in path:
            key = id(g)
            lst = members.get(key)
            if lst is None:
                members[key] = [seq]
            else:
                lst.append(seq)
        return seq

    def add_lines(self, table: TableLayout, rows: list[int], by_years: list[dict[int, int]],
                  path: tuple[GroupRef, ...]) -> range:
        """``add_line`` for consecutive lines of one table under one path, at once."""
        start = len(self.lines)
        seqs = range(start, start + len(rows))
        self.lines.extend(map(LineRec, seqs, repeat(table), rows, by_years))
        sheet_rows = self.sheet_rows.get(table.sheet)
        if sheet_rows is None:
            sheet_rows = self.sheet_rows[table.sheet] = {}
        setdefault = sheet_rows.setdefault
        for row, seq in zip(rows, seqs, strict=True):
            setdefault(row, seq)
        members = self.members
        for g in path:
            lst = members.get(id(g))
            if lst is None:
                members[id(g)] = list(seqs)
            else:
                lst.extend(seqs)
        return seqs

    def group_lines(self, group: GroupRef) -> list[int]:
        return self.members.get(id(group), [])

    def sums(self, seqs, years) -> dict[int, int]:
        """Sum of the lines' amounts for each year key."""
        out = dict.fromkeys(years, 0)
        lines = self.lines
        for s in seqs:
            by = lines[s].by_year
            for y in years:
                v = by.get(y)
                if v:
                    out[y] += v
        return out


@dataclass(slots=True)
class SheetState:
    """The groups open on a sheet, outermost first, and where each was opened."""

    stack: list[GroupRef] = field(default_factory=list)
    opened_in: dict[int, int] = field(default_factory=dict)  # id(group) -> table index

    def open(self, group: GroupRef, table_index: int = 0) -> None:
        while self.stack and self.stack[-1].rank >= group.rank:
            self.stack.pop()
        self.stack.append(group)
        self.opened_in[id(group)] = table_index

    def close_table(self, table_index: int, keep_after_row: int) -> None:
        """At a new table: groups opened inside the previous table's body end, unless
        they were opened after its last line (a title for the next table)."""
        self.stack = [g for g in self.stack
                      if self.opened_in.get(id(g), 0) != table_index
                      or _opened_row(g) > keep_after_row]


def _opened_row(group: GroupRef) -> int:
    """The row of the cell a group was read from (0 when not from a cell)."""
    if not group.cell:
        return 0
    digits = "".join(ch for ch in group.cell.rsplit("!", 1)[-1] if ch.isdigit())
    return int(digits) if digits else 0

"""Long tables: one row per line *and* channel (or year), pivoted into lines.

``Area | Azione | Voce | Budget 2021 | Fonte di finanziamento | Importo``: the rows of one
line share its groups, code and voce (its key). Within one year (the whole table when it
has no «Anno» column) consecutive rows with the same key are one line, each row one part
of its split; a channel met twice starts a new line — two lines may share a voce — and so
does a change in a column that holds one value per line (the budget repeated on every row
of the line, which is taken once, never summed).

Across years the rows of a line are paired by key wherever they stand (an export sorted by
year, then voce, has a line's 2018 row and its 2019 row 149 rows apart): the n-th line of
a key in one year is the n-th line of that key in every other year. Two rows of one key and
one year are two lines (a repeated row stays a finding, PDZ105); two lines with the same voce
in different groups never meet (the groups are part of the key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cells import sheet_ref
from .flat_groups import FlatGroups
from .labels import is_total_label, total_level
from .model import (
    COL_AMOUNT,
    COL_GROUP,
    ROW_LINE,
    ROW_TOTAL,
    GroupRef,
    RowRole,
    TableLayout,
)
from .rowdata import RowData
from .state import ReadState, SheetState
from .totals_reading import TotalRow, resolve_totals


@dataclass(slots=True)
class LongLine:
    """A line pivoted from several rows: amounts by year key, channels by code."""

    rows: list[int]
    amounts: dict[int, int | None] = field(default_factory=dict)
    amount_cells: dict[int, str] = field(default_factory=dict)
    channels: dict[str, int | None] = field(default_factory=dict)
    channel_cells: dict[str, str] = field(default_factory=dict)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (name, cell)


@dataclass(slots=True)
class _Run:
    """Consecutive rows of one key within one year (or within the table)."""

    key: tuple
    path: tuple[GroupRef, ...]
    const: tuple
    rows: list[RowData] = field(default_factory=list)
    seen: set = field(default_factory=set)


def value_column(table: TableLayout, data: list[RowData]) -> int | None:
    """The column holding each row's part (``Importo``): the amount column without a year,
    else the one whose values vary within the rows of a line, else the rightmost."""
    amounts = [c for c, r in sorted(table.columns.items()) if r.role == COL_AMOUNT]
    if not amounts:
        return None
    plain = [c for c in amounts if table.columns[c].year is None]
    if plain:
        return plain[-1]
    return amounts[-1]


def _total_text(rd: RowData) -> str | None:
    return next((t for t in (rd.voce, *rd.groups.values(), rd.code)
                 if t and is_total_label(t)), None)


def _runs(table: TableLayout, data: list[RowData], const_cols: list[int],
          base: tuple[GroupRef, ...]) -> tuple[list[_Run], list[RowData]]:
    """The runs of the table's rows and its total rows. A run is kept per year named on
    the rows (``None``: no «Anno»), so the rows of other years between them do not break
    it; a total row ends the runs of every year."""
    flat = FlatGroups(table, data, [c for c, r in sorted(table.columns.items())
                                    if r.role == COL_GROUP])
    runs: list[_Run] = []
    totals: list[RowData] = []
    open_: dict[int | None, _Run] = {}
    for rd in data:
        if rd.blank and not rd.channel_name:
            continue
        if _total_text(rd):
            totals.append(rd)
            open_.clear()
            continue
        path = base + flat.path(rd)
        key = (tuple(g.text for g in path), rd.code, rd.voce)
        const = tuple(rd.values.get(c) for c in const_cols)
        dim = (rd.channel_name, rd.year_name)
        cur = open_.get(rd.year_name)
        if cur is None or key != cur.key or dim in cur.seen or (
                const != cur.const and any(v is not None for v in const)):
            cur = open_[rd.year_name] = _Run(key, path, const)
            runs.append(cur)
        cur.rows.append(rd)
        if rd.channel_name or rd.year_name:
            cur.seen.add(dim)
    return runs, totals


def _paired(runs: list[_Run]) -> list[_Run]:
    """The runs of one line across years joined (the n-th run of a key in each year is the
    same line), in the order of their first row."""
    year_of = {id(run): run.rows[0].year_name for run in runs}
    count: dict[tuple, int] = {}
    lines: dict[tuple, _Run] = {}
    for run in runs:
        k = (year_of[id(run)], run.key)
        n = count[k] = count.get(k, -1) + 1
        line = lines.get((run.key, n))
        if line is None:
            lines[(run.key, n)] = _Run(run.key, run.path, run.const, list(run.rows))
        else:
            line.rows.extend(run.rows)
    out = list(lines.values())
    for line in out:
        line.rows.sort(key=lambda rd: rd.row)
    return sorted(out, key=lambda line: line.rows[0].row)


def infer_long_rows(st: ReadState, sheet: SheetState, table: TableLayout,
                    data: list[RowData], resolve) -> dict[int, LongLine]:
    """Fill ``table.rows`` for a long table; returns the pivoted lines by first row."""
    part_col = value_column(table, data)
    ykeys = {c: (r.year or 0) for c, r in table.columns.items() if r.role == COL_AMOUNT}
    const_cols = [c for c in ykeys if c != part_col]
    part_year = ykeys.get(part_col, 0) if part_col else 0
    named = [rd.year_name for rd in data if rd.year_name]
    split_year = part_year or (max(named) if named else 0)  # the year whose split is read
    base = tuple(sheet.stack)
    runs, total_rows = _runs(table, data, const_cols, base)
    roles: list[RowRole] = []
    out: dict[int, LongLine] = {}
    totals: list[TotalRow] = []
    table_lines: list[int] = []
    cur_path: tuple[GroupRef, ...] = ()
    pending = iter(total_rows)
    next_total = next(pending, None)

    def close_totals(before: int | None) -> None:
        nonlocal next_total
        while next_total is not None and (before is None or next_total.row < before):
            rd = next_total
            label = _total_text(rd) or ""
            role = RowRole(rd.row, ROW_TOTAL, label=label)
            roles.append(role)
            totals.append(TotalRow(rd, label, total_level(label), None, None, None,
                                   cur_path or base, len(st.lines), len(table_lines), role))
            next_total = next(pending, None)

    for run in _paired(runs):
        first = run.rows[0].row
        close_totals(first)
        ln = _pivot(table, run, const_cols, ykeys, part_col, part_year, split_year, resolve)
        by_year = {k: v for k, v in ln.amounts.items() if v is not None}
        cur_path = run.path
        table_lines.append(st.add_line(table, first, by_year, run.path))
        out[first] = ln
        roles.append(RowRole(first, ROW_LINE, label=run.rows[0].voce, path=run.path,
                             rows=tuple(ln.rows)))
    close_totals(None)
    table.rows = sorted(roles, key=lambda r: r.row)
    resolve_totals(st, table, totals, table_lines, ykeys, base)
    return out


def _pivot(table: TableLayout, run: _Run, const_cols: list[int], ykeys: dict[int, int],
           part_col: int | None, part_year: int, split_year: int, resolve) -> LongLine:
    """One line's amounts and split from its rows: a per-line budget column taken once
    (its first value), the parts added up by year, the split of ``split_year`` only."""
    ln = LongLine(rows=[rd.row for rd in run.rows])
    for c in const_cols:
        y = ykeys[c]
        rd = next((rd for rd in run.rows if rd.values.get(c) is not None), run.rows[0])
        ln.amounts[y] = rd.values.get(c)
        ln.amount_cells[y] = sheet_ref(table.sheet, rd.row, c)
    if part_col is None:
        return ln
    for rd in run.rows:
        part = rd.values.get(part_col)
        year = rd.year_name or part_year
        cell = sheet_ref(table.sheet, rd.row, part_col)
        if rd.channel_name and (rd.year_name is None or year == split_year):
            code, _ = resolve(rd.channel_name)
            if code is None:
                ln.unresolved.append((rd.channel_name, cell))
                code = "?" + rd.channel_name.strip().upper()
            prev = ln.channels.get(code)
            ln.channels[code] = part if prev is None else prev + (part or 0)
            ln.channel_cells.setdefault(code, cell)
        if const_cols and not rd.year_name:
            continue  # the line's own budget columns hold its amounts; rows split them
        prev = ln.amounts.get(year)
        ln.amounts[year] = part if prev is None else prev + (part or 0)
        ln.amount_cells.setdefault(year, cell)
    return ln

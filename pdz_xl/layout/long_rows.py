"""Long tables: one row per line *and* channel (or year), pivoted into lines.

``Area | Azione | Voce | Budget 2021 | Fonte di finanziamento | Importo``: consecutive
rows with the same groups, code and voce are one line, each row one part of its split.
A channel (or year) met twice starts a new line — two lines may share a voce — and so
does a change in a column that holds one value per line (the budget repeated on every
row of the line, which is taken once, never summed).
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


def infer_long_rows(st: ReadState, sheet: SheetState, table: TableLayout,
                    data: list[RowData], resolve) -> dict[int, LongLine]:
    """Fill ``table.rows`` for a long table; returns the pivoted lines by first row."""
    part_col = value_column(table, data)
    ykeys = {c: (r.year or 0) for c, r in table.columns.items() if r.role == COL_AMOUNT}
    const_cols = [c for c in ykeys if c != part_col]
    part_year = ykeys.get(part_col, 0) if part_col else 0
    flat_cols = [c for c, r in sorted(table.columns.items()) if r.role == COL_GROUP]
    flat = FlatGroups(table, data, flat_cols)
    base = tuple(sheet.stack)
    roles: list[RowRole] = []
    out: dict[int, LongLine] = {}
    totals: list[TotalRow] = []
    table_lines: list[int] = []
    cur: LongLine | None = None
    cur_key: tuple | None = None
    cur_const: tuple = ()
    seen: set = set()
    cur_path: tuple[GroupRef, ...] = ()
    by_row = {rd.row: rd for rd in data}

    def flush() -> None:
        nonlocal cur
        if cur is None:
            return
        by_year = {k: v for k, v in cur.amounts.items() if v is not None}
        seq = st.add_line(table, cur.rows[0], by_year, cur_path)
        table_lines.append(seq)
        out[cur.rows[0]] = cur
        roles.append(RowRole(cur.rows[0], ROW_LINE, label=by_row[cur.rows[0]].voce,
                             path=cur_path, rows=tuple(cur.rows)))
        cur = None

    for rd in data:
        if rd.blank and not rd.channel_name:
            continue
        texts = [rd.voce, *rd.groups.values(), rd.code]
        if any(t and is_total_label(t) for t in texts):
            flush()
            label = next(t for t in texts if t and is_total_label(t))
            role = RowRole(rd.row, ROW_TOTAL, label=label)
            roles.append(role)
            totals.append(TotalRow(rd, label, total_level(label), None, None, None,
                                 cur_path or base, len(st.lines), len(table_lines),
                                 role))
            continue
        path = base + flat.path(rd)
        key = (tuple(g.text for g in path), rd.code, rd.voce)
        const = tuple(rd.values.get(c) for c in const_cols)
        dim = (rd.channel_name, rd.year_name)
        if cur is None or key != cur_key or dim in seen or (
                const != cur_const and any(v is not None for v in const)):
            flush()
            cur = LongLine(rows=[])
            cur_key, cur_const, seen, cur_path = key, const, set(), path
            for c in const_cols:
                y = ykeys[c]
                cur.amounts[y] = rd.values.get(c)
                cur.amount_cells[y] = sheet_ref(table.sheet, rd.row, c)
        cur.rows.append(rd.row)
        if rd.channel_name or rd.year_name:
            seen.add(dim)
        if part_col is None:
            continue
        part = rd.values.get(part_col)
        year = rd.year_name or part_year
        cell = sheet_ref(table.sheet, rd.row, part_col)
        if rd.channel_name and (rd.year_name is None or year == part_year or not part_year):
            code, _ = resolve(rd.channel_name)
            if code is None:
                cur.unresolved.append((rd.channel_name, sheet_ref(table.sheet, rd.row,
                                                                  part_col)))
                code = "?" + rd.channel_name.strip().upper()
            prev = cur.channels.get(code)
            cur.channels[code] = part if prev is None else prev + (part or 0)
            cur.channel_cells.setdefault(code, cell)
        if const_cols and not rd.year_name:
            continue  # the line's own budget columns hold its amounts; rows split them
        prev = cur.amounts.get(year)
        cur.amounts[year] = part if prev is None else prev + (part or 0)
        cur.amount_cells.setdefault(year, cell)
    flush()
    table.rows = sorted(roles, key=lambda r: r.row)
    resolve_totals(st, table, totals, table_lines, ykeys, base)
    return out


def cur_const_years(const_cols: list[int], ykeys: dict[int, int]) -> set[int]:
    return {ykeys[c] for c in const_cols}

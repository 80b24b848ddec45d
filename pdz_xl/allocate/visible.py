"""What makes an allocation visible in the cost table: per-channel ``SUM`` formulas on the
TOTALE rows (with their cached values, exact to the cent) and new channel columns wide
enough for their content.

A total gets a formula in each new channel column where its cell is empty: the sum of the totals
it contains (the largest ones, when they are written too) and of its own remaining lines,
as contiguous ranges — the way offices write grand totals. Cached values are computed
from the cells written, never recomputed in floating point.
"""

from __future__ import annotations

from decimal import Decimal

from ..cells import col_letters, parse_a1, split_sheet_ref
from ..changeset import CellWrite
from ..grid import WorkbookGrid
from ..money import format_eur, to_decimal
from ..plan import Plan, StatedTotal
from .writes import MONEY

_MIN_WIDTH = 10.0


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _empty(grid: WorkbookGrid | None, ref: str | None) -> bool:
    """True when the cell states nothing (no value, no formula)."""
    if ref is None or grid is None:
        return True
    sheet_name, cell = split_sheet_ref(ref)
    sheet = grid.sheet(sheet_name)
    if sheet is None:
        return True
    row, col = parse_a1(cell)
    c = sheet.rows.get(row, {}).get(col)
    return c is None or (c.value in (None, "") and not c.formula)


def total_sums(plan: Plan, grid: WorkbookGrid | None, columns: dict[int, dict[str, int]]
               ) -> tuple[dict[str, list[CellWrite]], Plan]:
    """SUM formulas for the totals' empty cells in the channel columns the allocation adds
    (``columns``: table index -> channel -> column), and the Plan with those totals
    reading them. Columns the workbook already had keep their totals as written."""
    lines = {ln.id: ln for ln in plan.lines}
    writes: dict[str, list[CellWrite]] = {}
    updated: dict[int, StatedTotal] = {}
    tables = {t.index: t for t in plan.tables}
    # smaller totals first: a larger one may sum them
    order = sorted((t for t in plan.totals if t.table in tables and t.line_ids),
                   key=lambda t: (len(t.line_ids), t.row))
    for code_col in sorted((index, code, col) for index, cols in columns.items()
                           for code, col in cols.items()):
        index, code, col = code_col
        letters = col_letters(col)
        done: dict[int, tuple[frozenset[int], int, int]] = {}  # total id -> lines, row, c
        for tot in order:
            if tot.table != index:
                continue
            sheet = tables[index].sheet
            ref = tot.channel_cells.get(code)
            if tot.sheet != sheet or not _empty(grid, ref or f"{sheet}!{letters}{tot.row}"):
                continue
            own = frozenset(tot.line_ids)
            parts: list[str] = []
            cents = 0
            left = set(own)
            for _other, (other_lines, other_row, other_cents) in sorted(
                    done.items(), key=lambda kv: -len(kv[1][0])):
                if other_lines < own and other_lines <= left:
                    parts.append(f"{letters}{other_row}")
                    cents += other_cents
                    left -= other_lines
            rows = []
            for i in left:
                ln = lines.get(i)
                if ln is None or ln.channel_cells.get(code) != f"{sheet}!{letters}{ln.row}":
                    break
                rows.append(ln.row)
                cents += ln.channels.get(code) or 0
            else:
                parts += [f"{letters}{a}" if a == b else f"{letters}{a}:{letters}{b}"
                          for a, b in _runs(rows)]
                if not parts or len(parts) > 250:
                    continue
                parts.sort(key=lambda p: parse_a1(p.split(":")[0])[0])
                cell = f"{letters}{tot.row}"
                writes.setdefault(sheet, []).append(CellWrite(
                    cell=cell, formula=f"=SUM({','.join(parts)})", value=to_decimal(cents),
                    style=MONEY, style_from=_amount_cell(tot)))
                done[tot.id] = (own, tot.row, cents)
                base = updated.get(tot.id, tot)
                updated[tot.id] = base.model_copy(update={
                    "channels": {**base.channels, code: cents},
                    "channel_cells": {**base.channel_cells, code: f"{sheet}!{cell}"}})
    totals = [updated.get(t.id, t) for t in plan.totals]
    return writes, plan.model_copy(update={"totals": totals})


def _amount_cell(tot: StatedTotal) -> str | None:
    """The total's own amount cell (its style is the row's: bold, borders, fill)."""
    for ref in tot.amount_cells.values():
        return split_sheet_ref(ref)[1]
    return None


def column_widths(plan: Plan, columns: dict[int, dict[str, int]],
                  writes: dict[str, list[CellWrite]]) -> dict[str, dict[str, float]]:
    """Widths of new channel columns: their header and their widest amount as shown
    (``€ 1.234.567,89``), in characters, with a margin."""
    tables = {t.index: t for t in plan.tables}
    out: dict[str, dict[str, float]] = {}
    for index, cols in columns.items():
        t = tables[index]
        letters = {col_letters(c): code for code, c in cols.items()}
        widest = {x: 0 for x in letters}
        for w in writes.get(t.sheet, []):
            col = "".join(ch for ch in w.cell if ch.isalpha())
            if col in widest:
                text = (format_eur(int(w.value * 100)) if isinstance(w.value, Decimal)
                        else str(w.value or ""))
                widest[col] = max(widest[col], len(text))
        out.setdefault(t.sheet, {}).update(
            {x: max(_MIN_WIDTH, round(n * 1.15 + 3, 1)) for x, n in widest.items()})
    return out


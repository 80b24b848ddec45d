"""Sheets that repeat others: a cost table whose lines are lines of another sheet (a
pivot of an export, a copy per voce) or whose rows are the groups of another sheet with
their sums (a «Riepilogo» typed by hand) is a summary, never more cost lines.

Found after a first reading; the workbook is then read again with those tables as
summaries, so no amount counts twice.
"""

from __future__ import annotations

import re
from collections import Counter

from ..channels.catalog import normalise_label
from .infer import Runtime
from .labels import strip_numbering
from .model import KIND_COST, ROW_LINE, TableLayout, WorkbookLayout

_SUMMARY_NAME = re.compile(r"riepilog|sintesi|quadro|prospetto|pivot|totali|riassunt|sommario",
                           re.I)


def summary_tables(layout: WorkbookLayout, rt: Runtime) -> dict[tuple[str, int, int], str]:
    """Cost tables that repeat other sheets: (sheet casefolded, header row, first column)
    -> why, in Italian."""
    cost = [t for t in layout.tables() if t.kind == KIND_COST]
    if len({t.sheet for t in cost}) < 2:
        return {}
    year = layout.plan_year
    roles = {id(t): {r.row: r for r in t.rows if r.role == ROW_LINE} for t in cost}
    lines: dict[int, list[tuple[str, int]]] = {id(t): [] for t in cost}
    for rec in rt.state.lines:
        role = roles.get(id(rec.table), {}).get(rec.row)
        if role is not None:
            amount = rec.by_year.get(year, rec.by_year.get(0, 0))
            lines[id(rec.table)].append((normalise_label(role.label), amount))
    out: dict[tuple[str, int, int], str] = {}
    groups: dict[tuple[str, str], int] | None = None
    for t in cost:
        mine = lines[id(t)]
        if len(mine) < 2:
            continue
        others = [o for o in cost if o.sheet != t.sheet]
        pool = Counter(x for o in others for x in lines[id(o)])
        if sum((Counter(mine) & pool).values()) >= 0.8 * len(mine):
            source = next(o for o in others if set(lines[id(o)]) & set(mine))
            if _detail_first(t, source, layout):
                out[(t.sheet.casefold(), t.header_row, t.first_col)] = (
                    f"ripete le voci del foglio «{source.sheet}» con gli stessi importi")
            continue
        if len(mine) > 60 or any(r.role == "titolo" for r in t.rows):
            continue  # a summary of groups is short and has no headings of its own
        if groups is None:
            groups = _group_sums(rt, roles, year)
        own = {(normalise_label(g), v) for (sheet, g), v in groups.items() if sheet != t.sheet}
        if sum(1 for x in mine if x in own) >= 0.75 * len(mine):  # slips stay slips
            out[(t.sheet.casefold(), t.header_row, t.first_col)] = (
                "le sue righe sono i gruppi di altri fogli con i loro totali")
    return out


def _detail_first(t: TableLayout, other: TableLayout, layout: WorkbookLayout) -> bool:
    """True when ``t`` (not ``other``) is the copy: a summary-like sheet name, else the one
    that comes later in the workbook."""
    t_named, o_named = bool(_SUMMARY_NAME.search(t.sheet)), bool(_SUMMARY_NAME.search(
        other.sheet))
    if t_named != o_named:
        return t_named
    order = [s.name for s in layout.sheets]
    return order.index(t.sheet) > order.index(other.sheet)


def _group_sums(rt: Runtime, roles: dict, year: int) -> dict[tuple[str, str], int]:
    """(sheet, group label or text) -> the sum of its lines' plan-year amounts."""
    sums: Counter = Counter()
    for rec in rt.state.lines:
        role = roles.get(id(rec.table), {}).get(rec.row)
        if role is None:
            continue
        amount = rec.by_year.get(year, rec.by_year.get(0, 0))
        for g in role.path:
            for name in {g.text, g.label, strip_numbering(g.text)}:
                sums[(rec.table.sheet, name)] += amount
    return dict(sums)

"""Years 2 and 3 as the workbook already states them: its triennial tables.

Any table of the Plan whose columns are the plan's later years seeds the projections:

- summary tables (a «Preventivo triennale», a «Budget pluriennale», any table with a
  column for the second or third year), row by row, matched to the cost groups (by the
  group key the reader gave the row, else by label) or to the revenue channels;
- multi-year revenue tables (revenue items with amounts for the later years), per
  channel, deductions subtracted;
- cost lines with amounts for the later years, per group (the detail itself).

In ``dichiarati`` mode the tables come before the lines, in ``righe`` mode the lines come
first. Each seed keeps the cells it adds up, so the projections table links to them.
The plan-year column of the same tables states year 1 (:class:`~.groups.Statement`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..money import Cents
from ..plan import Plan, SummaryTable
from .groups import Channel, CostGroup, Statement, detail_source
from .model import Per, Ref, Year1Mode
from .projections import Resolver

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class Seed:
    """Later-year figures of one cost group or channel, with the cells they add up."""

    kind: Literal["costo", "ricavo"]
    key: str
    refs: dict[int, list[Ref]]  # year -> signed cells
    origin: str  # where: «Budget pluriennale», «righe del dettaglio»

    def amount(self, year: int) -> Cents | None:
        """The seeded figure of ``year`` (None when the table has no such column)."""
        refs = self.refs.get(year)
        return None if refs is None else sum(c for _cell, _sign, c in refs)


@dataclass
class Seeds:
    """Everything the workbook states for the later years."""

    costs: dict[str, Seed] = field(default_factory=dict)
    revenues: dict[str, Seed] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)  # group key -> year 1
    tables: list[str] = field(default_factory=list)  # where the seeds used come from
    notes: list[str] = field(default_factory=list)  # Italian


def column_years(table: SummaryTable) -> dict[int, str]:
    """Year -> the first column key of that year (``2022``, ``budget_2022``)."""
    out: dict[int, str] = {}
    for key in table.columns:
        m = _YEAR.search(key)
        if m and "triennio" not in key:
            out.setdefault(int(m.group(1)), key)
    return out


def table_name(table: SummaryTable) -> str:
    """How the sheet and the summary names a table: its sheet (and title when distinct)."""
    title = (table.title or "").strip()
    return f"{table.sheet} – {title}" if title and title.casefold() != \
        table.sheet.casefold() else table.sheet


def _summary_seeds(plan: Plan, later: list[int], groups: set[str], channels: set[str],
                   resolve: Resolver, seeds: Seeds) -> tuple[dict, dict]:
    costs: dict[str, Seed] = {}
    revenues: dict[str, Seed] = {}
    y1 = plan.plan_year
    for table in plan.summaries:
        years = column_years(table)
        if not any(y in years for y in later):
            continue
        name = table_name(table)
        for row in table.rows:
            if row.is_total:
                continue
            kind, key = _match(row.group_key, row.label, groups, channels, resolve)
            if key is None:
                seeds.notes.append(f"tabella «{name}», riga «{row.label}»: non corrisponde a "
                                   "un gruppo di costo né a un canale; non usata")
                continue
            refs = {y: [(row.value_cells[years[y]], 1, row.values[years[y]])]
                    for y in later if y in years and row.values.get(years[y]) is not None}
            target = costs if kind == "costo" else revenues
            if not refs or key in target:
                continue
            target[key] = Seed(kind=kind, key=key, refs=refs, origin=name)
            first = row.values.get(years[y1]) if y1 in years else None
            if kind == "costo" and first is not None:
                seeds.statements.setdefault(key, Statement(
                    first, row.value_cells[years[y1]], name))
    return costs, revenues


def _match(group_key: str | None, label: str, groups: set[str], channels: set[str],
           resolve: Resolver) -> tuple[str, str | None]:
    if group_key in groups:
        return "costo", group_key
    if group_key and group_key.startswith("channel:") and group_key[8:] in channels:
        return "ricavo", group_key[8:]
    key = resolve("costo", label, "")
    if key is not None:
        return "costo", key
    return "ricavo", resolve("ricavo", label, "")


def _revenue_seeds(plan: Plan, later: list[int], channels: set[str]) -> dict[str, Seed]:
    out: dict[str, Seed] = {}
    sheets: list[str] = []
    for r in plan.revenues:
        if r.channel not in channels or r.kind not in ("item", "deduction"):
            continue
        sign = 1 if r.kind == "item" else -1
        for y in later:
            if r.amounts.get(y) is None or y not in r.amount_cells:
                continue
            seed = out.setdefault(r.channel, Seed("ricavo", r.channel, {}, ""))
            seed.refs.setdefault(y, []).append((r.amount_cells[y], sign, sign * r.amounts[y]))
            if r.sheet not in sheets:
                sheets.append(r.sheet)
    origin = ", ".join(sheets)
    for seed in out.values():
        seed.origin = origin
    return out


def _line_seeds(plan: Plan, later: list[int], groups: list[CostGroup], per: Per,
                mode: Year1Mode) -> dict[str, Seed]:
    out: dict[str, Seed] = {}
    for g in groups:
        refs = {}
        for y in later:
            if any(ln.amounts.get(y) is not None for ln in g.lines):
                refs[y] = detail_source(g, plan, per, mode, y)[1].refs
        if refs:
            out[g.key] = Seed("costo", g.key, refs, "righe del dettaglio")
    return out


def find_seeds(plan: Plan, per: Per, mode: Year1Mode, groups: list[CostGroup],
               channels: list[Channel], resolve: Resolver) -> Seeds:
    """The later-year figures the workbook states, per cost group and per channel."""
    later = [plan.plan_year + 1, plan.plan_year + 2]
    seeds = Seeds()
    group_keys, channel_codes = {g.key for g in groups}, {c.code for c in channels}
    table_costs, table_revenues = _summary_seeds(plan, later, group_keys, channel_codes,
                                                 resolve, seeds)
    line_costs = _line_seeds(plan, later, groups, per, mode)
    order = [table_costs, line_costs] if mode == "dichiarati" else [line_costs, table_costs]
    for source in order:
        for key, seed in source.items():
            seeds.costs.setdefault(key, seed)
    item_revenues = _revenue_seeds(plan, later, channel_codes)
    for source in (item_revenues, table_revenues):
        for key, seed in source.items():
            seeds.revenues.setdefault(key, seed)
    for seed in [*seeds.costs.values(), *seeds.revenues.values()]:
        if seed.origin not in seeds.tables:
            seeds.tables.append(seed.origin)
    return seeds

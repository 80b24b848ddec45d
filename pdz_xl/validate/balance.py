"""Family «canali»: costs against revenues (PDZ401) and each channel against what it holds
(PDZ402 over-used, PDZ403 left unused).

A channel holds what the revenue table gives it: the items that feed its column (several
items can feed one column: FONDI ATS, ALTRI FONDI PROGETTUALI) minus the deductions that
name it (quote vincolate non applicate). Its use is the sum of the lines' cells in its
column. Per-channel checks run only once lines carry a split (before allocation there is
nothing to compare).
"""

from __future__ import annotations

from collections import defaultdict

from ..channels.catalog import default_catalog
from ..channels.display import channel_label
from ..money import format_eur
from ..plan import Plan
from .engine import Checker, signed_eur
from .revenue import (
    available_by_channel,
    bottom_line,
    computed,
    revenue_amount,
    revenue_cell,
    revenue_tables,
)

__all__ = ["allocated_by_channel", "available_by_channel", "check"]


def allocated_by_channel(plan: Plan) -> dict[str, int]:
    """What the lines' channel cells assign to each channel."""
    out: dict[str, int] = defaultdict(int)
    for ln in plan.lines:
        for code, v in ln.channels.items():
            out[code] += v or 0
    return dict(out)


def check(ck: Checker) -> None:
    """PDZ401-PDZ403."""
    _costs_revenues(ck)
    _channels(ck)


def _costs_revenues(ck: Checker) -> None:
    plan = ck.plan
    year = plan.plan_year
    primary, _ = revenue_tables(plan)
    if not primary or not plan.lines:
        return
    costs = ck.facts.total(year)
    rows = {r.id: r for r in plan.revenues}
    bottom = bottom_line(plan)
    if bottom is None:  # no total row: the items minus the deductions
        amount = sum(revenue_amount(r, year) * (1 if r.kind == "item" else -1)
                     for r in primary if r.kind in ("item", "deduction"))
        cell, label = revenue_cell(primary[0], year), "entrate"
    else:
        cell, label = revenue_cell(bottom, year), bottom.label
        amount = revenue_amount(bottom, year)
        if cell in ck.reported:
            # the bottom line is itself wrong (PDZ305/306): balance on what it should say
            amount = computed(rows, bottom, year)
            if amount == costs:
                return
            ck.add("PDZ401", cell,
                   f"le entrate {year} («{label}», ricalcolate dalle voci) sono "
                   f"{format_eur(amount)}, ma i costi delle righe sono {format_eur(costs)} "
                   f"(differenza {signed_eur(amount - costs)}).", path=[label],
                   difference=amount - costs, expected=costs, found=amount,
                   severity="avviso" if ck.is_rounding(amount - costs) else None,
                   category="arrotondamento" if ck.is_rounding(amount - costs) else None)
            return
    ck.compare("PDZ401", cell, amount, costs, f"le entrate {year} («{label}») sono",
               path=[label], against="i costi delle righe sommano")


def _channels(ck: Checker) -> None:
    plan = ck.plan
    if not plan.revenues or not any(ln.has_split() for ln in plan.lines):
        return
    available = available_by_channel(plan)
    catalog = ck.config.catalog or default_catalog()
    for code in dict.fromkeys([*plan.channel_codes, *available]):
        have, used = available.get(code, 0), ck.facts.allocated(code)
        diff = used - have
        if diff == 0:
            continue
        rounding = ck.is_rounding(diff)
        name = channel_label(plan, code, catalog)
        holds = f"il canale «{name}» dispone di {format_eur(have)}{_origin(plan, code)}"
        if used > have:
            ck.add("PDZ402", _first_cell(plan, code),
                   f"{holds} ma le righe gliene assegnano {format_eur(used)}: oltre di "
                   f"{format_eur(diff)}.", path=[code], difference=diff, expected=have,
                   found=used, severity="avviso" if rounding else None,
                   category="arrotondamento" if rounding else None)
        else:
            ck.add("PDZ403", _first_cell(plan, code),
                   f"{holds} ma le righe ne usano {format_eur(used)}: restano "
                   f"{format_eur(-diff)} non assegnati.", path=[code], difference=-diff,
                   expected=used, found=have,
                   category="arrotondamento" if rounding else None)


def _origin(plan: Plan, code: str) -> str:
    """`` (voci € X meno quote non applicate € Y)`` when deductions reduce the channel."""
    primary, _ = revenue_tables(plan)
    year = plan.plan_year
    items = [r for r in primary if r.channel == code and r.kind == "item"]
    less = [r for r in primary if r.channel == code and r.kind == "deduction"]
    if not less:
        return f" ({len(items)} voci di entrata)" if len(items) > 1 else ""
    gross = sum(revenue_amount(r, year) for r in items)
    names = ", ".join(f"«{r.label}» {format_eur(revenue_amount(r, year))}" for r in less)
    return f" (voci di entrata {format_eur(gross)} meno quote non applicate: {names})"


def _first_cell(plan: Plan, code: str) -> str | None:
    """Where to point for a channel: its first revenue item, else its first used cell."""
    primary, _ = revenue_tables(plan)
    for r in primary:
        if r.channel and r.channel == code and r.kind == "item":
            return revenue_cell(r, plan.plan_year)
    for ln in plan.lines:
        if ln.channels.get(code):
            return ln.channel_cells[code]
    return None

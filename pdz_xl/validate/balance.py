"""Family «canali»: costs against revenues, and each channel against what it holds."""

from __future__ import annotations

from collections import defaultdict

from ..money import format_eur
from ..plan import Plan, RevenueItem
from .engine import Checker
from .groups import lines_total


def revenue_amount(r: RevenueItem, year: int) -> int:
    """A revenue row's amount for ``year`` (single-column tables: its only amount)."""
    if r.amounts:
        return r.amounts.get(year) or 0
    return r.amount or 0


def available_by_channel(plan: Plan) -> dict[str, int]:
    """What each channel holds: its revenue items minus its deductions (quote vincolate)."""
    out: dict[str, int] = defaultdict(int)
    for r in plan.revenues:
        if r.channel is None:
            continue
        if r.kind == "item":
            out[r.channel] += revenue_amount(r, plan.plan_year)
        elif r.kind == "deduction":
            out[r.channel] -= revenue_amount(r, plan.plan_year)
    return dict(out)


def allocated_by_channel(plan: Plan) -> dict[str, int]:
    """What the lines' channel cells assign to each channel."""
    out: dict[str, int] = defaultdict(int)
    for ln in plan.lines:
        for code, v in ln.channels.items():
            out[code] += v or 0
    return dict(out)


def revenue_total(plan: Plan) -> tuple[int, str | None, str] | None:
    """(amount, cell, label) of the revenue side's bottom line, or None without revenues."""
    year = plan.plan_year
    for kind in ("net_total", "total"):
        rows = [r for r in plan.revenues if r.kind == kind]
        if rows:
            r = rows[-1]
            cell = r.amount_cells.get(year, r.amount_cell) if r.amounts else r.amount_cell
            return revenue_amount(r, year), cell, r.label
    items = [r for r in plan.revenues if r.kind in ("item", "deduction")]
    if not items:
        return None
    amount = sum(revenue_amount(r, year) * (1 if r.kind == "item" else -1) for r in items)
    return amount, items[0].amount_cell, "entrate"


def check(ck: Checker) -> None:
    plan = ck.plan
    costs = lines_total(plan, plan.plan_year)
    side = revenue_total(plan)
    if side is not None:
        amount, cell, label = side
        ck.compare("PDZ401", cell, amount, costs,
                   f"le entrate {plan.plan_year} («{label}») sono", path=[label],
                   against="i costi delle righe sono")
    check_purposes(ck)
    if not plan.revenues or not any(ln.has_split() for ln in plan.lines):
        return  # no revenue table or no allocation yet: nothing to check per channel
    available = available_by_channel(plan)
    allocated = allocated_by_channel(plan)
    first_cell = _first_cells(plan)
    for code in list(dict.fromkeys([*plan.channel_codes, *available])):
        have, used = available.get(code, 0), allocated.get(code, 0)
        if have == used:
            continue
        cell = first_cell.get(code)
        diff = used - have
        rounding = abs(diff) <= ck.config.tolerance_cents
        if used > have:
            ck.add("PDZ402", cell,
                   f"il canale {code} dispone di {format_eur(have)} ma le righe gliene "
                   f"assegnano {format_eur(used)} (oltre di {format_eur(diff)}).",
                   path=[code], difference=diff, expected=have, found=used,
                   severity="avviso" if rounding else None,
                   category="arrotondamento" if rounding else None)
        else:
            ck.add("PDZ403", cell,
                   f"il canale {code} dispone di {format_eur(have)} ma le righe ne usano "
                   f"{format_eur(used)}: restano {format_eur(-diff)} non assegnati.",
                   path=[code], difference=diff, expected=have, found=used,
                   category="arrotondamento" if rounding else "canale")


def check_purposes(ck: Checker) -> None:
    """Restricted funds only on the purposes the workbook's rules give them."""
    rules = ck.rules
    if rules is None or not rules.states_purposes():
        return
    from ..channels.catalog import default_catalog

    catalog = default_catalog()
    for ln in ck.plan.lines:
        for code, v in ln.channels.items():
            if not v or not catalog.is_restricted(code):
                continue
            decision = rules.decide(ln, code, catalog)
            if not decision.allowed:
                ck.add("PDZ404", ln.channel_cells[code],
                       f"il fondo vincolato {code} paga {format_eur(v)} della riga «{ln.voce}», "
                       "ma nessuna regola del foglio «Regole PDZ» lo ammette per questa voce.",
                       path=ln.path, found=v)


def _first_cells(plan: Plan) -> dict[str, str]:
    """Where to point for a channel: its first revenue row, else its first used cell."""
    out: dict[str, str] = {}
    for r in plan.revenues:
        if r.channel and r.kind == "item" and r.channel not in out:
            out[r.channel] = r.amount_cell
    for ln in plan.lines:
        for code, v in ln.channels.items():
            if v and code not in out:
                out[code] = ln.channel_cells[code]
    return out

"""The three-year plan from a Plan and its projections, exact to the cent, and the
Changeset that writes it ("Triennale PDZ", plus "Proiezioni PDZ" when missing).

Year 1: costs per group from the detail (see :data:`~.model.Year1Mode`), revenues per
channel from the plan's revenue table for the plan year; a typed «Anno 1» in the
projections table wins. Years 2 and 3 follow each row's rule; the balancing channel takes
costs − other revenues in years 2 and 3 (year 1 is the plan's own: its gap, if any, shows
in the balance row and in the summary).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from ..changeset import Changeset
from ..grid import WorkbookGrid
from ..money import Cents, format_eur
from ..plan import Plan
from .groups import (
    Channel,
    CostGroup,
    cost_groups,
    natural_per,
    resolver,
    revenue_channels,
    year1_source,
)
from .model import TRIENNIAL_SHEET, Per, Row, Source, Triennial, Year1Mode
from .projections import PROJECTIONS_SHEET, Projection, parse_projections, projections_sheet

__all__ = ["TRIENNIAL_SHEET", "build_triennial", "default_projections", "grow",
           "triennial_changeset"]

_BALANCING = ("ALTRI_FONDI", "ALTRI_FONDI_PROGETTUALI")


def grow(amount: Cents, rate: Decimal) -> Cents:
    """``ROUND(x * (1 + rate/100), 2)`` exactly, half away from zero as Excel rounds."""
    value = Decimal(amount) * (1 + rate / 100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _years(first: Cents, p: Projection) -> list[Cents]:
    if p.rule == "crescita" and p.growth is not None:
        second = grow(first, p.growth)
        return [first, second, grow(second, p.growth)]
    if p.rule == "importi":
        return [first, first if p.year2 is None else p.year2,
                first if p.year3 is None else p.year3]
    return [first, first, first]


def default_projections(plan: Plan, per: Per, *, groups: list[CostGroup] | None = None,
                        channels: list[Channel] | None = None) -> list[Projection]:
    """Every row «come anno 1»; ALTRI FONDI (or ALTRI FONDI PROGETTUALI, or the last
    channel) balances. ``groups``/``channels``: already computed for this plan and ``per``."""
    groups = cost_groups(plan, per) if groups is None else groups
    channels = revenue_channels(plan) if channels is None else channels
    rows = [Projection(kind="costo", key=g.key, label=g.label) for g in groups]
    codes = [c.code for c in channels]
    balancing = next((c for c in _BALANCING if c in codes), codes[-1] if codes else None)
    rows += [Projection(kind="ricavo", key=c.code, label=c.label,
                        rule="bilancia" if c.code == balancing else "uguale")
             for c in channels]
    return rows


def build_triennial(plan: Plan, projections: list[Projection], per: Per = "area",
                    year1: Year1Mode = "dichiarati", *, groups: list[CostGroup] | None = None,
                    channels: list[Channel] | None = None) -> Triennial:
    """The three years of costs and revenues, computed exactly (integer cents)."""
    groups = cost_groups(plan, per) if groups is None else groups
    channels = revenue_channels(plan) if channels is None else channels
    y1 = plan.plan_year
    data = Triennial(years=[y1, y1 + 1, y1 + 2], per=per, year1=year1, costs=[], revenues=[])
    by_key = {(p.kind, p.key): p for p in projections}
    for g in groups:
        p = by_key.get(("costo", g.key)) or Projection(kind="costo", key=g.key, label=g.label)
        value, source = year1_source(g, plan, per, year1)
        if p.year1 is not None:
            value, source = p.year1, _typed(value, p)
        data.costs.append(Row(g.key, g.label, _years(value, p), source, p))
    for c in channels:
        p = by_key.get(("ricavo", c.code)) or Projection(kind="ricavo", key=c.code,
                                                        label=c.label)
        value, source = c.amount, Source(kind="ricavi", refs=c.refs)
        if p.year1 is not None:
            value, source = p.year1, _typed(value, p)
        data.revenues.append(Row(c.code, c.label, _years(value, p), source, p))
    _rule_warnings(data)
    _balance(data)
    _check(data)
    return data


def _rule_warnings(data: Triennial) -> None:
    for r in data.costs + data.revenues:
        p = r.projection
        if p.rule == "crescita" and p.growth is None:
            data.warnings.append(f"«{r.label}»: «crescita» senza tasso in Crescita %; "
                                 "uso «come anno 1»")
        if p.kind == "costo" and p.rule == "bilancia":
            data.warnings.append(f"«{r.label}»: «bilanciamento» vale solo per i ricavi; "
                                 "uso «come anno 1»")


def _typed(read: Cents, p: Projection) -> Source:
    note = None if read == p.year1 else (f"anno 1 scritto in {PROJECTIONS_SHEET}; "
                                         f"il dettaglio dà {format_eur(read)}")
    return Source(kind="proiezioni", note=note)


def _balance(data: Triennial) -> None:
    balancing = [r for r in data.revenues if r.projection.rule == "bilancia"]
    if len(balancing) > 1:
        data.warnings.append("più di un canale di bilanciamento: bilancia solo «"
                             f"{balancing[0].label}»")
    if not balancing:
        return
    row = balancing[0]
    row.balancing = True
    for k in (1, 2):
        others = sum(r.years[k] for r in data.revenues if r is not row)
        row.years[k] = data.total(data.costs, k) - others


def _check(data: Triennial) -> None:
    if not data.revenues:
        data.warnings.append("nessuna tabella dei ricavi: il saldo è uguale ai costi")
    for k, gap in enumerate(data.balance()):
        if gap:
            data.warnings.append(f"anno {data.years[k]}: costi − ricavi = {format_eur(gap)}")
    if data.revenues and not any(r.balancing for r in data.revenues):
        data.warnings.append("nessun canale di bilanciamento: gli anni 2 e 3 possono non "
                             "pareggiare")


def triennial_changeset(grid: WorkbookGrid | None, plan: Plan, *, per: Per | None = None,
                        year1: Year1Mode = "dichiarati", generated_on: str | None = None,
                        ambito: str | None = None) -> tuple[Changeset, Triennial]:
    """The owned "Triennale PDZ" sheet, and "Proiezioni PDZ" with defaults when the
    workbook has none (an existing one is read, never rewritten)."""
    from .sheet import triennial_sheet

    per = per or natural_per(plan)
    groups, channels = cost_groups(plan, per), revenue_channels(plan)
    sheet = grid.sheet(PROJECTIONS_SHEET) if grid is not None else None
    projections, problems = parse_projections(sheet, resolver(groups, channels))
    sheets = []
    if sheet is None:
        projections = default_projections(plan, per, groups=groups, channels=channels)
        sheets.append(projections_sheet(projections, [plan.plan_year + k for k in range(3)]))
    data = build_triennial(plan, projections, per, year1, groups=groups, channels=channels)
    data.warnings[:0] = problems
    if sheet is not None:
        known = {(p.kind, p.key) for p in projections}
        data.warnings += [f"«{r.label}» non è in {PROJECTIONS_SHEET}: come anno 1"
                          for kind, rows in (("costo", data.costs), ("ricavo", data.revenues))
                          for r in rows if (kind, r.key) not in known]
    owned = triennial_sheet(data, ambito or PurePath(plan.source).stem, generated_on)
    summary = [f"{TRIENNIAL_SHEET}: {len(data.costs)} gruppi di costo ({per}), "
               f"{len(data.revenues)} canali, anni {data.years[0]}-{data.years[2]}, "
               f"anno 1 {'dai totali dichiarati' if year1 == 'dichiarati' else 'dalle righe'}"]
    return Changeset(sheets=[owned, *sheets], summary=summary + data.warnings), data

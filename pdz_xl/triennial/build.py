"""The three-year plan from a Plan and its projections, exact to the cent, and the
Changeset that writes it («Triennale PDZ», «Confronto PDZ», and «Proiezioni PDZ» when
missing).

Year 1: costs per group from the workbook (see :data:`~.model.Year1Mode`), revenues per
channel from the plan's revenue table for the plan year; a typed year 1 in the
projections table wins. Years 2 and 3 follow each row's rule; where nothing is written
they come from the workbook's own triennial tables (:mod:`.seeds`), surplus channels
(avanzo) count in year 1 only, and a balancing channel takes costs − other revenues in
years 2 and 3 — what it absorbs beyond year 1 is shown, and said when it is more than
:data:`BALANCING_WARNING` of the year's costs. Year 1 is the plan's own: a gap there shows
in the balance row and in the summary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..changeset import Changeset
from ..channels.catalog import Catalog, default_catalog
from ..grid import WorkbookGrid
from ..money import Cents, format_eur
from ..plan import Plan
from ..plurals import plural
from .ente import ente_name
from .groups import (
    DEFAULT_TOLERANCE,
    Channel,
    CostGroup,
    cost_groups,
    detail_source,
    flag_text,
    natural_per,
    resolver,
    revenue_channels,
    year1_source,
)
from .model import TRIENNIAL_SHEET, Per, Row, Source, Triennial, Year1Mode
from .projections import PROJECTIONS_SHEET, Projection, parse_projections, projections_sheet
from .seeds import Seed, Seeds, find_seeds

__all__ = ["BALANCING_WARNING", "TRIENNIAL_SHEET", "build_triennial", "default_projections",
           "grow", "triennial_changeset"]

_BALANCING = ("ALTRI_FONDI", "ALTRI_FONDI_PROGETTUALI")
BALANCING_WARNING = Decimal("0.01")
"""A balancing channel absorbing more than this share of a year's costs is reported."""


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
    if p.rule == "solo_anno1":
        return [first, 0, 0]
    return [first, first, first]


def _catalog(grid: WorkbookGrid | None) -> Catalog:
    catalog = default_catalog()
    if grid is not None:
        from ..channels.workbook import extend_from_workbook

        catalog = catalog.copy()
        extend_from_workbook(catalog, grid)
    return catalog


def is_surplus(code: str, catalog: Catalog | None = None) -> bool:
    """True for channels of kind avanzo (the surplus of the year before)."""
    info = (catalog or default_catalog()).get(code)
    return info is not None and info.kind == "surplus"


def _origin(seed: Seed, years: list[int]) -> str:
    cells = [cell.split("!")[-1] for y in years[1:] for cell, _s, _c in seed.refs.get(y, [])]
    shown = ", ".join(cells[:4]) + (f" e altre {len(cells) - 4}" if len(cells) > 4 else "")
    return f"«{seed.origin}»: {shown}" if cells else f"«{seed.origin}»"


def _seeded(kind: str, key: str, label: str, seed: Seed, years: list[int]) -> Projection:
    y2, y3 = years[1], years[2]
    return Projection(kind=kind, key=key, label=label, rule="importi",  # type: ignore[arg-type]
                      year2=seed.amount(y2), year3=seed.amount(y3),
                      refs={name: seed.refs[y] for name, y in (("year2", y2), ("year3", y3))
                            if y in seed.refs},
                      origin=_origin(seed, years))


def default_projections(plan: Plan, per: Per, *, groups: list[CostGroup] | None = None,
                        channels: list[Channel] | None = None, seeds: Seeds | None = None,
                        catalog: Catalog | None = None) -> list[Projection]:
    """The projections when nothing is written: the workbook's own later-year figures
    (``seeds``) as «importi», surplus channels «solo anno 1», the rest «come anno 1»; when
    some revenue is not seeded, ALTRI FONDI (or ALTRI FONDI PROGETTUALI, or the last
    channel that is neither seeded nor surplus) balances."""
    groups = cost_groups(plan, per) if groups is None else groups
    channels = revenue_channels(plan) if channels is None else channels
    seeds = seeds or Seeds()
    years = [plan.plan_year + k for k in range(3)]
    rows = [_seeded("costo", g.key, g.label, seeds.costs[g.key], years)
            if g.key in seeds.costs else Projection(kind="costo", key=g.key, label=g.label)
            for g in groups]
    free = [c.code for c in channels if c.code not in seeds.revenues
            and not is_surplus(c.code, catalog)]
    balancing = next((c for c in _BALANCING if c in free), free[-1] if free else None)
    for c in channels:
        if c.code in seeds.revenues:
            rows.append(_seeded("ricavo", c.code, c.label, seeds.revenues[c.code], years))
        elif is_surplus(c.code, catalog):
            rows.append(Projection(kind="ricavo", key=c.code, label=c.label, rule="solo_anno1",
                                   origin=f"avanzo: solo nel {years[0]}"))
        elif c.code == balancing:
            rows.append(Projection(kind="ricavo", key=c.code, label=c.label, rule="bilancia",
                                   origin="pareggia costi e ricavi"))
        else:
            rows.append(Projection(kind="ricavo", key=c.code, label=c.label))
    return rows


def build_triennial(plan: Plan, projections: list[Projection], per: Per = "area",
                    year1: Year1Mode = "dichiarati", *, groups: list[CostGroup] | None = None,
                    channels: list[Channel] | None = None, seeds: Seeds | None = None,
                    tolerance: Cents | None = None, catalog: Catalog | None = None
                    ) -> Triennial:
    """The three years of costs and revenues, computed exactly (integer cents)."""
    groups = cost_groups(plan, per) if groups is None else groups
    channels = revenue_channels(plan) if channels is None else channels
    seeds = seeds or Seeds()
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    y1 = plan.plan_year
    data = Triennial(years=[y1, y1 + 1, y1 + 2], per=per, year1=year1, costs=[], revenues=[],
                     comparison_year=plan.comparison_year, seeded_from=list(seeds.tables))
    by_key = {(p.kind, p.key): p for p in projections}
    for g in groups:
        p = by_key.get(("costo", g.key)) or Projection(kind="costo", key=g.key, label=g.label)
        value, source = year1_source(g, plan, per, year1, seeds.statements.get(g.key), tol)
        if p.year1 is not None:
            value, source = p.year1, _typed(value, p)
        row = Row(g.key, g.label, _years(value, p), source, p)
        _comparison(row, g, plan, per, year1, tol)
        data.costs.append(row)
    previous = ({c.code: c for c in revenue_channels(plan, plan.comparison_year)}
                if plan.comparison_year else {})
    for c in channels:
        p = by_key.get(("ricavo", c.code)) or Projection(kind="ricavo", key=c.code,
                                                        label=c.label)
        value, source = c.amount, Source(kind="ricavi", refs=c.refs)
        if p.year1 is not None:
            value, source = p.year1, _typed(value, p)
        row = Row(c.code, c.label, _years(value, p), source, p)
        before = previous.get(c.code)
        if before is not None and before.refs:
            row.comparison = before.amount
            row.comparison_source = Source(kind="ricavi", refs=before.refs)
        data.revenues.append(row)
    _rule_warnings(data)
    _flag_warnings(data)
    _balance(data, catalog)
    _check(data)
    return data


def _comparison(row: Row, g: CostGroup, plan: Plan, per: Per, mode: Year1Mode,
                tol: Cents) -> None:
    year = plan.comparison_year
    if year is None or not any(ln.amounts.get(year) is not None for ln in g.lines):
        return
    row.comparison, row.comparison_source = detail_source(g, plan, per, mode, year, tol)


def _rule_warnings(data: Triennial) -> None:
    for r in data.costs + data.revenues:
        p = r.projection
        if p.rule == "crescita" and p.growth is None:
            data.warnings.append(f"«{r.label}»: «crescita» senza tasso in Crescita %; "
                                 "uso «come anno 1»")
        if p.kind == "costo" and p.rule == "bilancia":
            data.warnings.append(f"«{r.label}»: «bilanciamento» vale solo per i ricavi; "
                                 "uso «come anno 1»")


def _flag_warnings(data: Triennial) -> None:
    for r in data.costs:
        for year, source in ((data.years[0], r.source),
                             (data.comparison_year, r.comparison_source)):
            flag = source.flag if source else None
            if flag is not None and flag.severity == "errore":
                data.warnings.append(f"«{r.label}» {year}: {flag_text(flag)}")


def _typed(read: Cents, p: Projection) -> Source:
    note = None if read == p.year1 else (f"anno 1 scritto in «{PROJECTIONS_SHEET}»; "
                                         f"il dettaglio dà {format_eur(read)}")
    return Source(kind="proiezioni", note=note)


def _balance(data: Triennial, catalog: Catalog | None) -> None:
    balancing = [r for r in data.revenues if r.projection.rule == "bilancia"]
    if len(balancing) > 1:
        data.warnings.append("più di un canale di bilanciamento: bilancia solo «"
                             f"{balancing[0].label}»")
    if not balancing:
        return
    row = balancing[0]
    row.balancing = True
    base = 0 if is_surplus(row.key, catalog) else row.years[0]
    for k in (1, 2):
        others = sum(r.years[k] for r in data.revenues if r is not row)
        row.years[k] = data.total(data.costs, k) - others
    row.absorbed = [row.years[k] - base for k in (1, 2)]
    costs = data.cost_totals()
    for k in (1, 2):
        if abs(row.absorbed[k - 1]) > BALANCING_WARNING * costs[k]:
            data.warnings.append(balancing_text(data, row, k))


def balancing_text(data: Triennial, row: Row, k: int) -> str:
    """Why the balancing channel holds what it holds in year index ``k`` (Italian)."""
    costs = data.cost_totals()
    others = [sum(r.years[i] for r in data.revenues if r is not row) for i in range(3)]
    d_costs, d_others = costs[k] - costs[0], others[k] - others[0]
    gap = costs[0] - others[0] - row.years[0]
    absorbed = row.absorbed[k - 1]
    verb = "assorbe" if absorbed >= 0 else "cede"
    why = [f"costi {_signed(d_costs)} rispetto al {data.years[0]}",
           f"altri ricavi {_signed(d_others)}"]
    ended = [r.label for r in data.revenues if r.projection.rule == "solo_anno1"
             and r.years[0]]
    if ended:
        why[-1] += f" ({', '.join(ended)} solo nel {data.years[0]})"
    if gap:
        why.append(f"saldo {data.years[0]} {_signed(gap)}")
    return (f"«{row.label}» pareggia il {data.years[k]}: {verb} {format_eur(abs(absorbed))} "
            f"oltre il {data.years[0]} ({'; '.join(why)}): fondi da confermare")


def _signed(cents: Cents) -> str:
    return ("+" if cents > 0 else "−" if cents < 0 else "") + format_eur(abs(cents))


def _check(data: Triennial) -> None:
    if not data.revenues:
        data.warnings.append("nessuna tabella dei ricavi: il saldo è uguale ai costi")
    for k, gap in enumerate(data.balance()):
        if gap:
            data.warnings.append(f"anno {data.years[k]}: costi − ricavi = {format_eur(gap)}")


def triennial_changeset(grid: WorkbookGrid | None, plan: Plan, *, per: Per | None = None,
                        year1: Year1Mode = "dichiarati", generated_on: str | None = None,
                        ente: str | None = None, ambito: str | None = None,
                        tolerance: Cents | None = None) -> tuple[Changeset, Triennial]:
    """The owned «Triennale PDZ» and «Confronto PDZ» sheets, and «Proiezioni PDZ» seeded
    from the workbook when it has none (an existing one is read, never rewritten).

    ``ente`` (``ambito`` is its older name) names the ente in headers; else the «_pdz»
    key ``ente``, else the file name."""
    from .confronto import confronto_sheet
    from .sheet import triennial_sheet

    per = per or natural_per(plan)
    catalog = _catalog(grid)
    tol = tolerance if tolerance is not None else (
        plan.tolerance_cents if plan.tolerance_cents is not None else DEFAULT_TOLERANCE)
    groups, channels = cost_groups(plan, per), revenue_channels(plan)
    resolve = resolver(groups, channels)
    seeds = find_seeds(plan, per, year1, groups, channels, resolve)
    years = [plan.plan_year + k for k in range(3)]
    name = ente_name(grid, plan, ente or ambito)
    sheet = grid.sheet(PROJECTIONS_SHEET) if grid is not None else None
    projections, problems = parse_projections(sheet, resolve, years)
    defaults = default_projections(plan, per, groups=groups, channels=channels, seeds=seeds,
                                   catalog=catalog)
    sheets = []
    missing: list[Projection] = []
    if sheet is None:
        projections = defaults
        sheets.append(projections_sheet(projections, years, name))
    else:
        known = {(p.kind, p.key) for p in projections}
        missing = [p for p in defaults if (p.kind, p.key) not in known]
        projections = projections + missing
    data = build_triennial(plan, projections, per, year1, groups=groups, channels=channels,
                           seeds=seeds, tolerance=tol, catalog=catalog)
    data.ente = name
    data.warnings[:0] = problems + seeds.notes
    data.warnings += [f"«{p.label}» non è in «{PROJECTIONS_SHEET}»: "
                      f"{_default_words(p)}" for p in missing]
    owned = [triennial_sheet(data, generated_on)]
    if data.has_comparison():
        owned.append(confronto_sheet(data, generated_on))
    source = {"dichiarati": "dai totali dichiarati", "righe": "dalle righe"}[year1]
    summary = [f"{TRIENNIAL_SHEET}: {plural(len(data.costs), 'gruppo', 'gruppi')} di costo "
               f"({per}), {plural(len(data.revenues), 'canale', 'canali')}, "
               f"anni {years[0]}-{years[2]}, anno 1 {source}"
               + (f", anni {years[1]} e {years[2]} da «{'», «'.join(data.seeded_from)}»"
                  if data.seeded_from else "")]
    return Changeset(sheets=[*owned, *sheets], summary=summary + data.warnings), data


def _default_words(p: Projection) -> str:
    if p.rule == "importi":
        return f"importi da {p.origin}"
    return {"solo_anno1": "solo anno 1 (avanzo)", "bilancia": "bilanciamento"}.get(
        p.rule, "come anno 1")

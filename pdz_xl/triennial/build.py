"""The three-year sheet ("Triennale PDZ"): costs per group and revenues per channel for the
plan year and the two that follow, with their total and the balance, as live formulas that
point back to the detail and to "Proiezioni PDZ", each with its cached value (exact cents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..cells import quote_sheet, split_sheet_ref
from ..changeset import CellStyle, CellWrite, Changeset, ChartSeries, ChartSpec, OwnedSheet
from ..channels.catalog import default_catalog, normalise_label
from ..formula_refs import sum_formula
from ..grid import WorkbookGrid
from ..money import EUR_FORMAT, Cents, to_decimal
from ..plan import Line, Plan
from .projections import PROJECTIONS_SHEET, Projection, parse_projections, projections_sheet

TRIENNIAL_SHEET = "Triennale PDZ"
_P = quote_sheet(PROJECTIONS_SHEET)
_BALANCING = ("ALTRI_FONDI", "ALTRI_FONDI_PROGETTUALI")


@dataclass
class Row:
    """One row of a table of the sheet: label, the three years, and how each is computed."""

    key: str
    label: str
    years: list[Cents]
    formulas: list[str] = field(default_factory=list)


@dataclass
class Triennial:
    """The numbers of the sheet (for tests, the data package and the UDFs)."""

    years: list[int]
    costs: list[Row]
    revenues: list[Row]

    def total(self, rows: list[Row], k: int) -> Cents:
        return sum(r.years[k] for r in rows)


def _grow(amount: Cents, rate: Decimal) -> Cents:
    """Excel's ROUND(x*(1+r/100), 2), half away from zero, in cents."""
    value = Decimal(amount) * (1 + rate / 100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cost_groups(plan: Plan, per: str) -> list[tuple[str, str, list[Line]]]:
    """(key, label, lines) per area or per obiettivo, in the order of the workbook."""
    groups: dict[str, tuple[str, list[Line]]] = {}
    for ln in plan.lines:
        g = next((g for g in ln.groups if g.level == per), None)
        if g is None:
            key, label = f"{per}:-", f"(senza {per})"
        elif per == "obiettivo" and g.number is not None:
            key, label = f"obiettivo:{g.number}", f"{g.number}: {g.label}"
        else:
            key, label = f"{per}:{normalise_label(g.text or g.label)}", g.text or g.label
        groups.setdefault(key, (label, []))[1].append(ln)
    return [(k, label, lines) for k, (label, lines) in groups.items()]


def revenue_channels(plan: Plan) -> list[tuple[str, str, list[tuple[str, int]], Cents]]:
    """(code, label, [(cell, +1|-1)], amount) per channel of the revenue table."""
    year = plan.plan_year
    out: dict[str, tuple[list, list, int]] = {}
    for r in plan.revenues:
        if r.channel is None or r.kind not in ("item", "deduction"):
            continue
        sign = 1 if r.kind == "item" else -1
        cell = r.amount_cells.get(year, r.amount_cell) if r.amounts else r.amount_cell
        amount = (r.amounts.get(year) if r.amounts else r.amount) or 0
        labels, cells, total = out.get(r.channel, ([], [], 0))
        if r.kind == "item":
            labels.append(r.label)
        cells.append((cell, sign))
        out[r.channel] = (labels, cells, total + sign * amount)
    result = []
    for code, (labels, cells, total) in out.items():
        label = labels[0] if len(labels) == 1 else code.replace("_", " ")
        result.append((code, label, cells, total))
    return result


def default_projections(plan: Plan, per: str) -> list[Projection]:
    """Everything «uguale»; the "other funds" channel (or the last one) balances."""
    rows = [Projection(kind="costo", key=k, label=label) for k, label, _ in
            cost_groups(plan, per)]
    channels = revenue_channels(plan)
    codes = [c for c, *_ in channels]
    balancing = next((c for c in _BALANCING if c in codes), codes[-1] if codes else None)
    rows += [Projection(kind="ricavo", key=c, label=label,
                        rule="bilancia" if c == balancing else "uguale")
             for c, label, _cells, _t in channels]
    return rows


def _resolver(plan: Plan, per: str):
    groups = {normalise_label(label): k for k, label, _ in cost_groups(plan, per)}
    groups.update({normalise_label(k.split(":", 1)[1]): k for k, _l, _ in
                   cost_groups(plan, per)})
    channels = {normalise_label(label): c for c, label, _cells, _t in revenue_channels(plan)}
    catalog = default_catalog()

    def resolve(kind: str, label: str) -> str | None:
        n = normalise_label(label)
        if kind == "costo":
            return groups.get(n)
        if n in channels:
            return channels[n]
        code, _ = catalog.resolve(label)
        return code

    return resolve


def build_triennial(plan: Plan, projections: list[Projection], per: str) -> Triennial:
    """The three years of costs and revenues, computed exactly."""
    y1 = plan.plan_year
    by_key = {(p.kind, p.key): p for p in projections}
    costs = []
    for key, label, lines in cost_groups(plan, per):
        p = by_key.get(("costo", key)) or Projection(kind="costo", key=key, label=label)
        first = p.year1 if p.year1 is not None else sum(ln.amount(y1) for ln in lines)
        costs.append(Row(key, label, _years(first, p)))
    revenues = []
    balancing: Row | None = None
    for code, label, _cells, amount in revenue_channels(plan):
        p = by_key.get(("ricavo", code)) or Projection(kind="ricavo", key=code, label=label)
        first = p.year1 if p.year1 is not None else amount
        row = Row(code, label, _years(first, p))
        if p.rule == "bilancia" and balancing is None:
            balancing = row
        revenues.append(row)
    if balancing is not None:
        for k in (1, 2):
            others = sum(r.years[k] for r in revenues if r is not balancing)
            balancing.years[k] = sum(r.years[k] for r in costs) - others
    return Triennial([y1, y1 + 1, y1 + 2], costs, revenues)


def _years(first: Cents, p: Projection) -> list[Cents]:
    if p.rule == "crescita" and p.growth is not None:
        second = _grow(first, p.growth)
        return [first, second, _grow(second, p.growth)]
    if p.rule == "importi":
        return [first, p.year2 if p.year2 is not None else first,
                p.year3 if p.year3 is not None else first]
    return [first, first, first]


def triennial_changeset(grid: WorkbookGrid | None, plan: Plan, *, per: str = "area",
                        generated_on: str | None = None) -> tuple[Changeset, Triennial]:
    """The owned sheet (and the default projections table when missing)."""
    sheet = grid.sheet(PROJECTIONS_SHEET) if grid is not None else None
    projections = parse_projections(sheet, _resolver(plan, per)) if sheet is not None else []
    new_table = None
    if not projections:
        projections = default_projections(plan, per)
        new_table = projections_sheet(projections)
    data = build_triennial(plan, projections, per)
    owned = _sheet(plan, data, projections, per, generated_on)
    cs = Changeset(sheets=[owned] + ([new_table] if new_table else []),
                   summary=[f"{TRIENNIAL_SHEET}: {len(data.costs)} gruppi di costo, "
                            f"{len(data.revenues)} canali, anni {data.years[0]}-"
                            f"{data.years[2]}"])
    return cs, data


_TITLE = CellStyle(bold=True, font_size=13)
_HEAD = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
_MONEY = CellStyle(number_format=EUR_FORMAT)
_MONEY_BOLD = CellStyle(number_format=EUR_FORMAT, bold=True)
_COLS = "BCDE"


def _sheet(plan: Plan, data: Triennial, projections: list[Projection], per: str,
           generated_on: str | None) -> OwnedSheet:
    y = data.years
    by_key = {(p.kind, p.key): p for p in projections}
    lines_of = {k: lines for k, _l, lines in cost_groups(plan, per)}
    channel_cells = {c: cells for c, _l, cells, _t in revenue_channels(plan)}
    from pathlib import PurePath

    cells = [CellWrite(cell="A1", value=f"PIANO ECONOMICO – PREVENTIVO TRIENNALE {y[0]}-{y[2]}",
                       style=_TITLE),
             CellWrite(cell="A2", value=f"Ambito: {PurePath(plan.source).name}"
                       + (f" – generato il {generated_on}" if generated_on else ""))]
    row = 4
    group_word = "AREA" if per == "area" else "OBIETTIVO"
    cells += _header(row, f"COSTI PER {group_word}", y)
    first_cost = row + 1
    for r in data.costs:
        row += 1
        p = by_key.get(("costo", r.key))
        f1 = (f"={_P}!E{p.row}" if p is not None and p.year1 is not None and p.row
              else _lines_formula(lines_of.get(r.key, []), plan.plan_year))
        cells += _row(row, r, [f1, *_next_years(row, p)])
    row += 1
    cost_total = row
    cells += _total_row(row, "TOTALE COSTI", first_cost, row - 1,
                        [data.total(data.costs, k) for k in range(3)])
    row += 2
    cells += _header(row, "RICAVI PER CANALE", y)
    first_rev = row + 1
    rev_rows: dict[str, int] = {}
    for r in data.revenues:
        row += 1
        rev_rows[r.key] = row
    last_rev = row
    for r in data.revenues:
        rr = rev_rows[r.key]
        p = by_key.get(("ricavo", r.key))
        f1 = (f"={_P}!E{p.row}" if p is not None and p.year1 is not None and p.row
              else _revenue_formula(channel_cells.get(r.key, [])))
        if p is not None and p.rule == "bilancia":
            others = [rev_rows[o.key] for o in data.revenues if o.key != r.key]
            later = [f"={c}{cost_total}" + "".join(f"-{c}{o}" for o in others)
                     for c in "CD"]
            cells += _row(rr, r, [f1, *later])
        else:
            cells += _row(rr, r, [f1, *_next_years(rr, p)])
    row += 1
    rev_total = row
    cells += _total_row(row, "TOTALE RICAVI", first_rev, last_rev,
                        [data.total(data.revenues, k) for k in range(3)])
    row += 2
    saldo = [data.total(data.costs, k) - data.total(data.revenues, k) for k in range(3)]
    cells.append(CellWrite(cell=f"A{row}", value="SALDO (costi − ricavi)",
                           style=CellStyle(bold=True)))
    for k, c in enumerate("BCD"):
        cells.append(CellWrite(cell=f"{c}{row}", value=to_decimal(saldo[k]),
                               formula=f"={c}{cost_total}-{c}{rev_total}", style=_MONEY_BOLD))
    cells.append(CellWrite(cell=f"E{row}", value=to_decimal(sum(saldo)),
                           formula=f"=SUM(B{row}:D{row})", style=_MONEY_BOLD))
    me = quote_sheet(TRIENNIAL_SHEET)
    charts = [
        ChartSpec(kind="column", title=f"Costi per {per}",
                  categories=f"{me}!$A${first_cost}:$A${cost_total - 1}",
                  series=[ChartSeries(name=str(y[k]),
                                      values=f"{me}!${c}${first_cost}:${c}${cost_total - 1}")
                          for k, c in enumerate("BCD")], anchor=f"G{4}"),
        ChartSpec(kind="pie", title=f"Canali di finanziamento {y[0]}",
                  categories=f"{me}!$A${first_rev}:$A${last_rev}",
                  series=[ChartSeries(name=str(y[0]),
                                      values=f"{me}!$B${first_rev}:$B${last_rev}")],
                  anchor="G22"),
    ]
    return OwnedSheet(name=TRIENNIAL_SHEET, cells=cells, freeze="B5", charts=charts,
                      column_widths={"A": 46, "B": 18, "C": 18, "D": 18, "E": 20})


def _header(row: int, title: str, years: list[int]) -> list[CellWrite]:
    texts = [title, *(f"ANNO {yy}" for yy in years), "TRIENNIO"]
    return [CellWrite(cell=f"{c}{row}", value=t, style=_HEAD) for c, t in zip("ABCDE", texts,
                                                                              strict=True)]


def _row(row: int, r: Row, formulas: list[str]) -> list[CellWrite]:
    out = [CellWrite(cell=f"A{row}", value=r.label)]
    for k, c in enumerate("BCD"):
        out.append(CellWrite(cell=f"{c}{row}", value=to_decimal(r.years[k]),
                             formula=formulas[k], style=_MONEY))
    out.append(CellWrite(cell=f"E{row}", value=to_decimal(sum(r.years)),
                         formula=f"=SUM(B{row}:D{row})", style=_MONEY_BOLD))
    return out


def _total_row(row: int, label: str, first: int, last: int, totals: list[Cents]
               ) -> list[CellWrite]:
    out = [CellWrite(cell=f"A{row}", value=label, style=CellStyle(bold=True))]
    for k, c in enumerate("BCD"):
        out.append(CellWrite(cell=f"{c}{row}", value=to_decimal(totals[k]),
                             formula=f"=SUM({c}{first}:{c}{last})", style=_MONEY_BOLD))
    out.append(CellWrite(cell=f"E{row}", value=to_decimal(sum(totals)),
                         formula=f"=SUM(E{first}:E{last})", style=_MONEY_BOLD))
    return out


def _next_years(row: int, p: Projection | None) -> list[str]:
    if p is not None and p.rule == "crescita" and p.growth is not None and p.row:
        return [f"=ROUND(B{row}*(1+{_P}!D{p.row}/100),2)",
                f"=ROUND(C{row}*(1+{_P}!D{p.row}/100),2)"]
    if p is not None and p.rule == "importi" and p.row:
        return [f"={_P}!F{p.row}" if p.year2 is not None else f"=B{row}",
                f"={_P}!G{p.row}" if p.year3 is not None else f"=B{row}"]
    return [f"=B{row}", f"=B{row}"]


def _lines_formula(lines: list[Line], year: int) -> str:
    refs = [ln.amount_cells[year] for ln in lines
            if year in ln.amount_cells and ln.amounts.get(year) is not None]
    return sum_formula(refs, TRIENNIAL_SHEET) if refs else "=0"


def _revenue_formula(cells: list[tuple[str, int]]) -> str:
    if not cells:
        return "=0"
    parts = []
    for ref, sign in cells:
        sheet, cell = split_sheet_ref(ref)
        parts.append(("-" if sign < 0 else "+") + f"{quote_sheet(sheet)}!{cell}")
    text = "".join(parts)
    return "=" + (text[1:] if text.startswith("+") else text)

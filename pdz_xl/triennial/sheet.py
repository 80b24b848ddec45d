"""The "Triennale PDZ" sheet: header, costs table, revenues table, balance row, charts.

Every number is a live formula with its cached value: year 1 adds up the detail cells (or
the stated totals standing for them, or the «Anno 1» typed in "Proiezioni PDZ"), years 2
and 3 follow the projections table, the three-year total and the totals are SUMs.
"""

from __future__ import annotations

from decimal import Decimal

from ..cells import quote_sheet
from ..changeset import CellStyle, CellWrite, ChartSeries, ChartSpec, OwnedSheet
from ..money import EUR_FORMAT, Cents, to_decimal
from .formulas import Part, chunks, fits, parts, sum_of
from .model import TRIENNIAL_SHEET, Row, Triennial
from .projections import PROJECTIONS_SHEET, RULE_TEXT

_P = quote_sheet(PROJECTIONS_SHEET)
_ME = quote_sheet(TRIENNIAL_SHEET)
_TITLE = CellStyle(bold=True, font_size=13)
_HEAD = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
_MONEY = CellStyle(number_format=EUR_FORMAT)
_MONEY_BOLD = CellStyle(number_format=EUR_FORMAT, bold=True)
_BOLD = CellStyle(bold=True)
_NOTE = CellStyle(italic=True, font_color="595959")
_YEARS = "BCD"


class _Writer:
    """Collects the cells row by row; partial sums go to a support block at the end,
    whose first row (``support_row``) is known from the table sizes."""

    def __init__(self, support_row: int) -> None:
        self.cells: list[CellWrite] = []
        self.support: list[tuple[str, list[Part]]] = []
        self.support_row = support_row

    def put(self, cell: str, value: object, formula: str | None = None,
            style: CellStyle | None = None) -> None:
        self.cells.append(CellWrite(cell=cell, value=value, formula=formula, style=style))

    def money(self, cell: str, cents: Cents, formula: str | None, bold: bool = False) -> None:
        self.put(cell, to_decimal(cents), formula, _MONEY_BOLD if bold else _MONEY)


def triennial_sheet(data: Triennial, ambito: str, generated_on: str | None) -> OwnedSheet:
    """The owned sheet for ``data`` (deterministic: same input, same cells)."""
    y = data.years
    n, m = len(data.costs), len(data.revenues)
    cost_total = 5 + n + 1  # costs header on row 5, then the groups
    rev_total = cost_total + 2 + m + 1  # a blank row, the revenues header, the channels
    saldo = rev_total + 2
    w = _Writer(support_row=saldo + 3)  # a blank row and the support block's title
    w.put("A1", f"PIANO ECONOMICO – PREVENTIVO TRIENNALE {y[0]}-{y[2]}", style=_TITLE)
    w.put("A2", f"Ambito: {ambito}")
    source = "dai totali dichiarati" if data.year1 == "dichiarati" else "dalla somma delle righe"
    w.put("A3", f"Costi per {data.per}; anno 1 {source}, anni 2 e 3 da «{PROJECTIONS_SHEET}»"
          + (f"; generato il {generated_on}" if generated_on else ""), style=_NOTE)
    row = 5
    _header(w, row, f"COSTI PER {data.per.upper()}", y)
    first_cost = row + 1
    for r in data.costs:
        row += 1
        _row(w, row, r, _later(r, row))
    _total(w, cost_total, "TOTALE COSTI", first_cost, cost_total - 1,
           data.cost_totals())
    row = cost_total + 2
    _header(w, row, "RICAVI PER CANALE", y)
    first_rev = row + 1
    last_rev = row + len(data.revenues)
    for r in data.revenues:
        row += 1
        later = (_balancing(row, first_rev, last_rev, cost_total) if r.balancing
                 else _later(r, row))
        _row(w, row, r, later)
    _total(w, rev_total, "TOTALE RICAVI", first_rev, last_rev, data.revenue_totals())
    w.put(f"A{saldo}", "SALDO (costi − ricavi)", style=_BOLD)
    for k, c in enumerate(_YEARS):
        w.money(f"{c}{saldo}", data.balance()[k], f"={c}{cost_total}-{c}{rev_total}", True)
    w.money(f"E{saldo}", sum(data.balance()), f"=SUM(B{saldo}:D{saldo})", True)
    _support(w, saldo + 2)
    charts = _charts(data, first_cost, cost_total - 1, first_rev, last_rev)
    return OwnedSheet(name=TRIENNIAL_SHEET, cells=w.cells, freeze="B6", charts=charts,
                      column_widths={"A": 46, "B": 18, "C": 18, "D": 18, "E": 20, "F": 48})


def _header(w: _Writer, row: int, title: str, years: list[int]) -> None:
    texts = [title, *(f"ANNO {yy}" for yy in years), "TRIENNIO", "NOTE"]
    for c, t in zip("ABCDEF", texts, strict=True):
        w.put(f"{c}{row}", t, style=_HEAD)


def _row(w: _Writer, row: int, r: Row, later: list[str | None]) -> None:
    w.put(f"A{row}", r.label)
    w.money(f"B{row}", r.years[0], _first(w, row, r))
    for k, formula in enumerate(later, start=1):
        w.money(f"{_YEARS[k]}{row}", r.years[k], formula)
    w.money(f"E{row}", r.total, f"=SUM(B{row}:D{row})", True)
    note = _note(r)
    if note:
        w.put(f"F{row}", note, style=_NOTE)


def _first(w: _Writer, row: int, r: Row) -> str | None:
    """Year 1: the typed «Anno 1», or the detail cells (partial sums when too many)."""
    if r.source.kind == "proiezioni":
        cell = r.projection.cell("year1")
        return f"=ROUND({_P}!{cell},2)" if cell else None
    items = parts(r.source.refs)
    if not items:
        return None
    if fits(items):
        return sum_of(items)
    first = w.support_row + len(w.support)
    w.support += [(r.label, chunk) for chunk in chunks(items)]
    return f"=SUM(B{first}:B{w.support_row + len(w.support) - 1})"


def _later(r: Row, row: int) -> list[str | None]:
    """Years 2 and 3 by the row's rule, pointing at the projections table."""
    p = r.projection
    if p.rule == "crescita" and p.growth is not None:
        cell = p.cell("growth")
        rate = (f"{_P}!{cell}" if p.growth_is_fraction else f"{_P}!{cell}/100") if cell \
            else f"{_decimal(p.growth)}/100"
        return [f"=ROUND({prev}{row}*(1+{rate}),2)" for prev in "BC"]
    if p.rule == "importi":
        out: list[str | None] = []
        for name in ("year2", "year3"):
            cell = p.cell(name)
            out.append(f"=ROUND({_P}!{cell},2)" if cell
                       else (None if getattr(p, name) is not None else f"=B{row}"))
        return out
    return [f"=B{row}", f"=B{row}"]


def _balancing(row: int, first: int, last: int, cost_total: int) -> list[str | None]:
    """Costs − the other channels, for years 2 and 3."""
    out: list[str | None] = []
    for c in "CD":
        others = [f"SUM({c}{a}:{c}{b})" for a, b in ((first, row - 1), (row + 1, last))
                  if a <= b]
        out.append(f"={c}{cost_total}" + "".join(f"-{o}" for o in others))
    return out


def _total(w: _Writer, row: int, label: str, first: int, last: int,
           totals: list[Cents]) -> None:
    w.put(f"A{row}", label, style=_BOLD)
    for k, c in enumerate(_YEARS):
        w.money(f"{c}{row}", totals[k], f"=SUM({c}{first}:{c}{last})" if first <= last
                else None, True)
    w.money(f"E{row}", sum(totals), f"=SUM(E{first}:E{last})" if first <= last else None,
            True)


def _support(w: _Writer, start: int) -> None:
    """Partial sums of long year-1 formulas (the rows' year 1 adds them up)."""
    if not w.support:
        return
    w.put(f"A{start}", "CALCOLI DI SUPPORTO: somme parziali del dettaglio (anno 1)",
          style=_BOLD)
    for i, (label, chunk) in enumerate(w.support):
        row = w.support_row + i
        w.put(f"A{row}", f"{label} – parte {i + 1}", style=_NOTE)
        w.money(f"B{row}", sum(p.cents for p in chunk), sum_of(chunk))


def _note(r: Row) -> str | None:
    notes = [r.source.note] if r.source.note else []
    p = r.projection
    if r.balancing:
        notes.append("canale di bilanciamento: pareggia gli anni 2 e 3")
    elif p.rule == "crescita" and p.growth is not None:
        notes.append(f"crescita {_decimal(p.growth).replace('.', ',')}% annua")
    elif p.rule == "importi":
        notes.append(f"anni 2 e 3: {RULE_TEXT['importi']} da «{PROJECTIONS_SHEET}»")
    return "; ".join(notes) or None


def _decimal(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _charts(data: Triennial, first_cost: int, last_cost: int, first_rev: int,
            last_rev: int) -> list[ChartSpec]:
    charts = []
    if first_cost <= last_cost:
        charts.append(ChartSpec(
            kind="column", title=f"Costi per {data.per} e anno",
            categories=f"{_ME}!$A${first_cost}:$A${last_cost}",
            series=[ChartSeries(name=str(data.years[k]),
                                values=f"{_ME}!${c}${first_cost}:${c}${last_cost}")
                    for k, c in enumerate(_YEARS)], anchor="H5", width_cols=10))
    if first_rev <= last_rev:
        charts.append(ChartSpec(
            kind="pie", title=f"Canali di finanziamento {data.years[0]}",
            categories=f"{_ME}!$A${first_rev}:$A${last_rev}",
            series=[ChartSeries(name=str(data.years[0]),
                                values=f"{_ME}!$B${first_rev}:$B${last_rev}")],
            anchor="H23", width_cols=10))
    return charts

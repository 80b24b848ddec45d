"""The «Triennale PDZ» sheet: header, costs table, revenues table, balance row, charts,
print settings.

Every number is a live formula with its cached value: year 1 adds up the detail cells (or
the stated totals standing for them, or the year-1 amount typed in «Proiezioni PDZ»),
years 2 and 3 follow the projections table, the comparison year adds up the detail of
that year; the three-year total, the variation, the shares and the totals are formulas on
the cells above. A year-1 figure taken as stated where it differs from its lines is
marked (red: an errore of validation, yellow: rounding) with a note saying by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..cells import quote_sheet
from ..changeset import CellStyle, CellWrite, OwnedSheet, PageSetup
from ..money import EUR_FORMAT, Cents, format_eur, to_decimal
from .build import BALANCING_WARNING, balancing_text
from .charts import chart_block, chart_height
from .columns import PCT_FORMAT, Columns, columns_for, headers, widths
from .formulas import Part, chunks, fits, parts, sum_of
from .groups import flag_text
from .model import TRIENNIAL_SHEET, Flag, Row, Source, Triennial
from .projections import PROJECTIONS_SHEET

_P = quote_sheet(PROJECTIONS_SHEET)
_TITLE = CellStyle(bold=True, font_size=13)
_HEAD = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
_MONEY = CellStyle(number_format=EUR_FORMAT)
_MONEY_BOLD = CellStyle(number_format=EUR_FORMAT, bold=True)
_PCT = CellStyle(number_format=PCT_FORMAT)
_PCT_BOLD = CellStyle(number_format=PCT_FORMAT, bold=True)
_BOLD = CellStyle(bold=True)
_NOTE = CellStyle(italic=True, font_color="595959")
_FILL = {"errore": "FFC7CE", "avviso": "FFEB9C"}  # as validation's marks


class _Writer:
    """Collects the cells row by row; partial sums go to a support block at the end,
    whose first row (``support_row``) is known from the table sizes."""

    def __init__(self, support_row: int) -> None:
        self.cells: list[CellWrite] = []
        self.support: list[tuple[str, list[Part]]] = []  # label, parts
        self.support_row = support_row

    def put(self, cell: str, value: object, formula: str | None = None,
            style: CellStyle | None = None, note: str | None = None) -> None:
        self.cells.append(CellWrite(cell=cell, value=value, formula=formula, style=style,
                                    note=note))

    def money(self, cell: str, cents: Cents | None, formula: str | None, bold: bool = False,
              flag: Flag | None = None, note: str | None = None,
              fill: str | None = None) -> None:
        style = _MONEY_BOLD if bold else _MONEY
        fill = _FILL[flag.severity] if flag else fill
        if fill:
            style = style.model_copy(update={"fill": fill})
        self.put(cell, None if cents is None else to_decimal(cents), formula, style,
                 note=flag_text(flag) if flag else note)


def _ratio(num: Cents, den: Cents) -> Decimal:
    return Decimal(num) / Decimal(den) if den else Decimal(0)


@dataclass(frozen=True)
class Rows:
    """Where the parts of «Triennale PDZ» are (the confronto sheet points there too)."""

    first_cost: int
    cost_total: int
    rev_header: int
    rev_total: int
    absorbed: int | None  # «di cui a pareggio», with a balancing channel
    saldo: int
    legend: int  # two rows
    chart_row: int
    chart_end: int
    data_row: int  # the charts' data block


def rows_for(data: Triennial) -> Rows:
    """The row of every part of the sheet, from the table sizes."""
    cost_total = 5 + len(data.costs) + 1  # costs header on row 5, then the groups
    rev_header = cost_total + 2
    rev_total = rev_header + len(data.revenues) + 1
    absorbed = rev_total + 1 if data.balancing_row() is not None else None
    saldo = (absorbed or rev_total) + 2
    chart_row = saldo + 5
    chart_end = chart_row + chart_height(data)
    return Rows(6, cost_total, rev_header, rev_total, absorbed, saldo, saldo + 2, chart_row,
                chart_end, chart_end + 2)


def triennial_sheet(data: Triennial, generated_on: str | None) -> OwnedSheet:
    """The owned sheet for ``data`` (deterministic: same input, same cells)."""
    y = data.years
    cols = columns_for(data)
    at = rows_for(data)
    cost_total, rev_header, rev_total = at.cost_total, at.rev_header, at.rev_total
    absorbed_row, saldo, chart_row, chart_end = at.absorbed, at.saldo, at.chart_row, \
        at.chart_end
    data_row = at.data_row
    m = len(data.revenues)
    bal = data.balancing_row()
    block = chart_block(data, cols, 6, rev_header + 1, chart_row, data_row)
    w = _Writer(support_row=data_row + block.rows + 3)
    w.put("A1", f"PIANO ECONOMICO – PREVENTIVO TRIENNALE {y[0]}-{y[2]}", style=_TITLE)
    w.put("A2", f"Ente: {data.ente}", style=_BOLD)
    w.put("A3", _description(data, generated_on), style=_NOTE)
    _header(w, 5, headers(data, cols, f"COSTI PER {data.per.upper()}"))
    row = 5
    for r in data.costs:
        row += 1
        _row(w, cols, row, r, _later(r, row, cols), cost_total, sum(data.cost_totals()), data)
    _total(w, cols, cost_total, "TOTALE COSTI", 6, cost_total - 1, data.cost_totals(),
           [r.comparison for r in data.costs])
    _header(w, rev_header, headers(data, cols, "RICAVI PER CANALE"))
    first_rev, last_rev = rev_header + 1, rev_header + m
    row = rev_header
    for r in data.revenues:
        row += 1
        later = (_balancing(row, first_rev, last_rev, cost_total, cols) if r.balancing
                 else _later(r, row, cols))
        _row(w, cols, row, r, later, rev_total, sum(data.revenue_totals()), data)
    _total(w, cols, rev_total, "TOTALE RICAVI", first_rev, last_rev, data.revenue_totals(),
           [r.comparison for r in data.revenues])
    if bal is not None and absorbed_row is not None:
        _absorbed(w, cols, data, bal, first_rev + data.revenues.index(bal), absorbed_row)
    _saldo(w, cols, data, saldo, cost_total, rev_total)
    _legend(w, cols, data, at.legend)
    w.cells += block.cells
    _support(w)
    return OwnedSheet(name=TRIENNIAL_SHEET, cells=w.cells, freeze="B6", charts=block.specs,
                      column_widths=widths(cols),
                      page=_page(data, cols, chart_row - 1, chart_end, generated_on))


def _description(data: Triennial, generated_on: str | None) -> str:
    y = data.years
    source = {"dichiarati": "dai totali dichiarati (o dalla tabella triennale della "
                            "cartella) dove ci sono, altrimenti dalle righe",
              "righe": "dalla somma delle righe"}[data.year1]
    later = (f"anni {y[1]} e {y[2]} da «{PROJECTIONS_SHEET}»"
             + (f" (importi da «{'», «'.join(data.seeded_from)}»)" if data.seeded_from else ""))
    return (f"Costi per {data.per}; anno {y[0]} {source}; {later}"
            + (f"; generato il {generated_on}" if generated_on else ""))


def _page(data: Triennial, cols: Columns, last_table_row: int, chart_end: int,
          generated_on: str | None) -> PageSetup:
    ente = data.ente.replace("&", "&&")
    y = data.years
    made = f"Generato da pdz-xl il {generated_on}" if generated_on else "Generato da pdz-xl"
    return PageSetup(
        orientation="landscape", fit_width=1, fit_height=0, print_titles="1:3",
        print_area=f"A1:{cols.last}{chart_end}", row_breaks=[last_table_row],
        center_horizontally=True,
        header=f"&L&B{ente}&B&RPiano triennale {y[0]}-{y[2]}",
        footer=f"&L{made}&CPagina &P di &N&RStampato il &D")


def _header(w: _Writer, row: int, texts: dict[str, str]) -> None:
    for c, t in texts.items():
        w.put(f"{c}{row}", t, style=_HEAD)


def _row(w: _Writer, cols: Columns, row: int, r: Row, later: list[str | None],
         total_row: int, table_total: Cents, data: Triennial) -> None:
    y1, y2, y3 = cols.years
    w.put(f"A{row}", r.label)
    if r.source.kind == "proiezioni":
        cell = r.projection.cell("year1")
        first = f"=ROUND({_P}!{cell},2)" if cell else None
    else:
        first = _sum(w, r.label, r.source)
    w.money(f"{y1}{row}", r.years[0], first, flag=r.source.flag)
    for k, formula in enumerate(later, start=1):
        fill = "FFEB9C" if r.balancing and _warn(r, k) else None
        w.money(f"{cols.years[k]}{row}", r.years[k], formula, fill=fill)
    w.money(f"{cols.total}{row}", r.total, f"=SUM({y1}{row},{y2}{row}:{y3}{row})"
            if cols.previous else f"=SUM({y1}{row}:{y3}{row})", True)
    if cols.previous:
        if r.comparison is not None and r.comparison_source is not None:
            w.money(f"{cols.previous}{row}", r.comparison,
                    _sum(w, r.label, r.comparison_source),
                    flag=r.comparison_source.flag)
        _variation(w, cols, row, r.comparison, r.years[0])
    w.put(f"{cols.share}{row}", _ratio(r.total, table_total),
          f"=IF(${cols.total}${total_row}=0,0,{cols.total}{row}/${cols.total}${total_row})",
          _PCT)
    note = _note(r, data)
    if note:
        w.put(f"{cols.note}{row}", note, style=_NOTE)


def _variation(w: _Writer, cols: Columns, row: int, before: Cents | None,
               now: Cents) -> None:
    if before is None or cols.variation is None:
        return
    if before == 0:
        w.put(f"{cols.variation}{row}", "—" if now == 0 else "nuovo",
              style=CellStyle(align="right"))
        return
    w.put(f"{cols.variation}{row}", _ratio(now, before) - 1,
          f"={cols.years[0]}{row}/{cols.previous}{row}-1", _PCT)


def _warn(r: Row, k: int) -> bool:
    return bool(r.absorbed) and r.absorbed[k - 1] != 0


def _sum(w: _Writer, label: str, source: Source) -> str | None:
    """A figure from the workbook's cells (partial sums when too many for one formula)."""
    items = parts(source.refs)
    if not items:
        return None
    if fits(items):
        return sum_of(items)
    first = w.support_row + len(w.support)
    w.support += [(label, chunk) for chunk in chunks(items)]
    return f"=SUM(B{first}:B{w.support_row + len(w.support) - 1})"


def _later(r: Row, row: int, cols: Columns) -> list[str | None]:
    """Years 2 and 3 by the row's rule, pointing at the projections table (or, for a
    seeded row missing from it, at the workbook's own cells)."""
    p = r.projection
    y1, y2, _y3 = cols.years
    if p.rule == "crescita" and p.growth is not None:
        cell = p.cell("growth")
        rate = (f"{_P}!{cell}" if p.growth_is_fraction else f"{_P}!{cell}/100") if cell \
            else f"{_decimal(p.growth)}/100"
        return [f"=ROUND({prev}{row}*(1+{rate}),2)" for prev in (y1, y2)]
    if p.rule == "importi":
        out: list[str | None] = []
        for name in ("year2", "year3"):
            cell = p.cell(name)
            refs = p.refs.get(name)
            if cell:
                out.append(f"=ROUND({_P}!{cell},2)")
            elif refs and fits(parts(refs)):
                out.append(sum_of(parts(refs)))
            else:
                out.append(None if getattr(p, name) is not None else f"={y1}{row}")
        return out
    if p.rule == "solo_anno1":
        return [None, None]
    return [f"={y1}{row}", f"={y1}{row}"]


def _balancing(row: int, first: int, last: int, cost_total: int,
               cols: Columns) -> list[str | None]:
    """Costs − the other channels, for years 2 and 3."""
    out: list[str | None] = []
    for c in cols.years[1:]:
        others = [f"SUM({c}{a}:{c}{b})" for a, b in ((first, row - 1), (row + 1, last))
                  if a <= b]
        out.append(f"={c}{cost_total}" + "".join(f"-{o}" for o in others))
    return out


def _total(w: _Writer, cols: Columns, row: int, label: str, first: int, last: int,
           totals: list[Cents], previous: list[Cents | None]) -> None:
    w.put(f"A{row}", label, style=_BOLD)
    filled = first <= last
    for k, c in enumerate(cols.years):
        w.money(f"{c}{row}", totals[k], f"=SUM({c}{first}:{c}{last})" if filled else None,
                True)
    w.money(f"{cols.total}{row}", sum(totals),
            f"=SUM({cols.total}{first}:{cols.total}{last})" if filled else None, True)
    w.put(f"{cols.share}{row}", Decimal(1) if sum(totals) else Decimal(0),
          f"=IF({cols.total}{row}=0,0,1)", _PCT_BOLD)
    known = [p for p in previous if p is not None]
    if cols.previous and known:
        w.money(f"{cols.previous}{row}", sum(known),
                f"=SUM({cols.previous}{first}:{cols.previous}{last})", True)
        if cols.variation and sum(known):
            w.put(f"{cols.variation}{row}", _ratio(totals[0], sum(known)) - 1,
                  f"={cols.years[0]}{row}/{cols.previous}{row}-1", _PCT_BOLD)


def _absorbed(w: _Writer, cols: Columns, data: Triennial, bal: Row, bal_row: int,
              row: int) -> None:
    """What the balancing channel takes beyond its year 1, years 2 and 3."""
    y1 = cols.years[0]
    base = "" if bal.years[1] - bal.absorbed[0] == 0 else f"-${y1}${bal_row}"
    w.put(f"A{row}", f"di cui a pareggio su «{bal.label}» (oltre il {data.years[0]})",
          style=_NOTE)
    costs = data.cost_totals()
    for k in (1, 2):
        c = cols.years[k]
        cents = bal.absorbed[k - 1]
        warn = abs(cents) > BALANCING_WARNING * costs[k]
        w.money(f"{c}{row}", cents, f"={c}{bal_row}{base}", fill="FFEB9C" if warn else None,
                note=balancing_text(data, bal, k) if warn else None)
    w.money(f"{cols.total}{row}", sum(bal.absorbed),
            f"=SUM({cols.years[1]}{row}:{cols.years[2]}{row})", True)
    w.put(f"{cols.note}{row}", "fondi che pareggiano costi e ricavi: da confermare",
          style=_NOTE)


def _saldo(w: _Writer, cols: Columns, data: Triennial, saldo: int, cost_total: int,
           rev_total: int) -> None:
    w.put(f"A{saldo}", "SALDO (costi − ricavi)", style=_BOLD)
    balance = data.balance()
    for k, c in enumerate(cols.years):
        w.money(f"{c}{saldo}", balance[k], f"={c}{cost_total}-{c}{rev_total}", True,
                fill=_FILL["errore"] if balance[k] else None)
    w.money(f"{cols.total}{saldo}", sum(balance),
            f"={cols.total}{cost_total}-{cols.total}{rev_total}", True)


def _legend(w: _Writer, cols: Columns, data: Triennial, row: int) -> None:
    """What the marks and the columns say, two lines under the table."""
    marks = []
    if any(r.source.flag or (r.comparison_source and r.comparison_source.flag)
           for r in data.costs):
        marks.append("rosso = dichiarato diverso dalle righe (errore), giallo = "
                     "arrotondamento")
    if data.balancing_row() is not None:
        marks.append("giallo negli anni dopo il primo = quanto assorbe il bilanciamento")
    words = [f"VAR. % = {data.years[0]} rispetto al {data.comparison_year}"] \
        if cols.variation else []
    words.append("QUOTA % = parte del triennio")
    if marks:
        w.put(f"A{row}", "Celle colorate: " + "; ".join(marks) + ". La nota sulla cella "
              "dice di quanto e perché.", style=_NOTE)
    w.put(f"A{row + 1}", "; ".join(words) + ".", style=_NOTE)


def _support(w: _Writer) -> None:
    """Partial sums of long formulas (the rows add them up)."""
    if not w.support:
        return
    w.put(f"A{w.support_row - 1}", "CALCOLI DI SUPPORTO: somme parziali del dettaglio",
          style=_BOLD)
    for i, (label, chunk) in enumerate(w.support):
        row = w.support_row + i
        w.put(f"A{row}", f"{label} – parte {i + 1}", style=_NOTE)
        w.money(f"B{row}", sum(p.cents for p in chunk), sum_of(chunk))


def _note(r: Row, data: Triennial) -> str | None:
    years = data.years
    notes = []
    flag = r.source.flag
    if flag is not None:
        kind = "errore" if flag.severity == "errore" else "arrotondamento"
        notes.append(f"righe {format_eur(flag.lines)}: {kind} {flag.code}")
    elif r.source.kind == "tabella":
        notes.append(f"da «{r.source.origin}»")
    elif r.source.kind == "proiezioni":
        notes.append(f"{years[0]} scritto in «{PROJECTIONS_SHEET}»")
    p = r.projection
    later = f"{years[1]}-{years[2]}"
    if r.balancing:
        notes.append(f"pareggio {later}")
    elif p.rule == "crescita" and p.growth is not None:
        notes.append(f"crescita {_decimal(p.growth).replace('.', ',')}% annua")
    elif p.rule == "importi":
        origin = (p.origin or "").split(":")[0].strip().strip("«»")
        if origin not in data.seeded_from:  # the common origin is in the description
            notes.append(f"{later} da «{origin or PROJECTIONS_SHEET}»")
    elif p.rule == "solo_anno1":
        notes.append(f"solo nel {years[0]} (avanzo)")
    return "; ".join(notes) or None


def _decimal(d: Decimal) -> str:
    return format(d.normalize(), "f")

"""Flat lists that Excel itself shapes: an Excel Table with its totals row, and the output
of Data ▸ Subtotals (Italian Excel: «<valore> Totale» rows, «Totale complessivo»)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from ..oracles import CHANNELS_2021, OracleLine
from .canvas import EUR, Canvas, a1, euros
from .dataset import load
from .expected import Expected, ExpectedTotal, Generated, LineCells, Manifest, TotalCell
from .extras import HEADER
from .texts import CHANNEL_HEADERS


def excel_table_2021(path: Path) -> Generated:
    """«Elenco voci»: a ListObject Area | Servizio | Azione | Voce | Budget 2020 | Budget 2021
    | 8 channels, its totals row «Totale» with SUBTOTAL(109,[column]) (cached values)."""
    ds = load("2021")
    canvas = Canvas()
    sheet = "Elenco voci"
    sc = canvas.sheet(sheet)
    m = Manifest("2021", lines=[LineCells() for _ in ds.lines])
    sc.text(0, 0, "PIANO PROGRAMMA 2021 – ELENCO DELLE VOCI DI COSTO", bold=True, font_size=13)
    header_row, first = 2, 3
    year_cols = {2020: 4, 2021: 5}
    chan_cols = {code: 6 + i for i, code in enumerate(CHANNELS_2021)}
    lines = []
    sums: dict[int, int] = {c: 0 for c in [*year_cols.values(), *chan_cols.values()]}
    for r, ln in enumerate(ds.lines, start=first):
        cells = m.lines[ln.index]
        groups = {g.level: g.name for g in ln.groups}
        for c, level in ((0, "area"), (1, "servizio"), (2, "azione")):
            if level in groups:
                sc.text(r, c, groups[level])
        cells.voce.append(sc.text(r, 3, ln.voce))
        for y, c in year_cols.items():
            cells.years[y] = [(sheet, r, c)]
            if ln.amount(y) is not None:
                sc.money(r, c, ln.amount(y))
                sums[c] += ln.amount(y)
        for code, c in chan_cols.items():
            cells.channels[code] = [(sheet, r, c)]
            v = ln.channel(code)
            if v is not None:
                sc.money(r, c, v)
                sums[c] += v
        lines.append(OracleLine(path=tuple(g.name for g in ln.groups), voce=ln.voce,
                                amounts=ln.amounts,
                                channels=tuple(sorted((c, ln.channel(c))
                                                      for c in CHANNELS_2021))))
    total_row = first + len(ds.lines)
    columns: list[dict] = [{"header": "Area", "total_string": "Totale"}, {"header": "Servizio"},
                           {"header": "Azione"}, {"header": "Voce"}]
    columns += [{"header": f"Budget {y}", "total_function": "sum",
                 "total_value": euros(sums[c])} for y, c in year_cols.items()]
    columns += [{"header": CHANNEL_HEADERS["documento"][code], "total_function": "sum",
                 "total_value": euros(sums[c])} for code, c in chan_cols.items()]
    sc.tables.append((header_row, 0, total_row, 5 + len(chan_cols),
                      {"name": "Budget2021", "columns": columns, "total_row": True,
                       "style": "Table Style Medium 2"}))
    sc.widths.update({0: 34, 1: 30, 2: 40, 3: 50, **{c: 16 for c in sums}})
    totals = []
    for y, c in year_cols.items():
        t = ExpectedTotal((), y, sums[c])
        totals.append(t)
        m.totals.append(TotalCell(t, (sheet, total_row, c), slip=False, formula=True))
    canvas.save(path)
    expected = Expected(plan_year=2021, comparison_year=2020, lines=lines, totals=totals,
                        findings=[], note_codes=set())
    return Generated(expected, m)


def excel_subtotals_2018(path: Path) -> Generated:
    """Obiettivo | Azione | Voce | Importo 2018 after Data ▸ Subtotals on «Obiettivo»:
    a «<obiettivo> Totale» row under each obiettivo, «Totale complessivo» at the end, both
    SUBTOTAL(9, …) (which skips the SUBTOTALs inside its range), outline levels 2/1."""
    ds = load("2018")
    canvas = Canvas()
    sheet = "Piano Operativo 2018"
    sc = canvas.sheet(sheet)
    m = Manifest("2018", lines=[LineCells() for _ in ds.lines])
    for c, h in enumerate(["Obiettivo", "Azione", "Voce", "Importo 2018"]):
        sc.text(0, c, h, **dict(HEADER))
    sc.widths.update({0: 44, 1: 44, 2: 60, 3: 16})
    lines, totals = [], []
    r = 1
    for top in ds.tree():
        first = r
        for ln in top.lines():
            ob, az = ln.groups
            sc.text(r, 0, ob.name)
            sc.text(r, 1, az.name)
            m.lines[ln.index].voce.append(sc.text(r, 2, ln.voce))
            m.lines[ln.index].years[2018] = [(sheet, r, 3)]
            if ln.amount(2018) is not None:
                sc.money(r, 3, ln.amount(2018))
            sc.row(r).level = 2
            m.outline[sheet, r] = 2
            lines.append(OracleLine(path=(ob.name, az.name), voce=ln.voce, amounts=ln.amounts,
                                    channels=()))
            r += 1
        value = ds.line_sum(top.group.key, 2018)
        sc.text(r, 0, f"{top.group.name} Totale", bold=True)
        sc.formula(r, 3, f"=SUBTOTAL(9,{a1(first, 3)}:{a1(r - 1, 3)})", Fraction(value, 100),
                   bold=True, num_format=EUR)
        sc.row(r).level = 1
        m.outline[sheet, r] = 1
        t = ExpectedTotal((top.group.name,), 2018, value)
        totals.append(t)
        m.totals.append(TotalCell(t, (sheet, r, 3), slip=False, formula=True))
        r += 1
    grand = ds.line_sum((), 2018)
    sc.text(r, 0, "Totale complessivo", bold=True)
    sc.formula(r, 3, f"=SUBTOTAL(9,{a1(1, 3)}:{a1(r - 1, 3)})", Fraction(grand, 100),
               bold=True, num_format=EUR)
    t = ExpectedTotal((), 2018, grand)
    totals.append(t)
    m.totals.append(TotalCell(t, (sheet, r, 3), slip=False, formula=True))
    canvas.save(path)
    expected = Expected(plan_year=2018, comparison_year=None, lines=lines, totals=totals,
                        findings=[], note_codes=set())
    return Generated(expected, m)

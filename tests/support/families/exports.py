"""Long exports: what an accounting or planning system gives when asked for the budget.

``long_2021`` — one row per line *and channel*: ID | Area | Servizio | Azione | Voce |
Budget 2020 | Budget 2021 | Fonte di finanziamento | Importo. The two budgets repeat on each
row of the line, as exports do; a line without a split is one row with Fonte and Importo
empty. Two consecutive lines can carry the same voce in the same azione (Equipe Tutela
Minori - Psicologi, Piano Azione Povertà ×3, FNA - Buono Sociale Assistenza ×4), so nothing
in the labels tells where one line ends and the next begins: the export carries an «ID»
column, the line's number, shared by all of its rows — what such exports carry for exactly
this reason, and the one signal a reader needs to pivot the rows back into lines. A second
sheet «Riepilogo» has one row per area whose Budget 2021 is
``SUMIF(area column, area, Importo column)`` (the split equals the budget on every line of
the document, so the funded amounts of an area are its budget) and a TOTALE: a summary of
the same figures, never more cost lines.

``long_2018`` — one row per line and year: Obiettivo | Azione | Voce | Anno | Importo. The
2018 document has one year, so every row says 2018 (no invented second year); the Anno
column's numbers are a year, not an amount. The obiettivo column says «1 - CARTELLA SOCIALE»
as code-and-name exports do.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from ..oracles import OracleLine
from .canvas import EUR, Canvas
from .dataset import load
from .expected import Expected, ExpectedTotal, Generated, LineCells, Manifest
from .extras import HEADER
from .texts import CHANNEL_HEADERS


def long_2021(path: Path) -> Generated:
    ds = load("2021")
    canvas = Canvas()
    sc = canvas.sheet("Estrazione")
    m = Manifest("2021", lines=[LineCells() for _ in ds.lines])
    header = ["ID", "Area", "Servizio", "Azione", "Voce", "Budget 2020", "Budget 2021",
              "Fonte di finanziamento", "Importo"]
    for c, h in enumerate(header):
        sc.text(0, c, h, **dict(HEADER))
    sc.widths.update({0: 6, 1: 30, 2: 30, 3: 40, 4: 50, 5: 16, 6: 16, 7: 28, 8: 16})
    names = CHANNEL_HEADERS["documento"]
    lines: list[OracleLine] = []
    funded: dict[str, int] = {}
    r = 1
    for ln in ds.lines:
        cells = m.lines[ln.index]
        groups = {g.level: g.name for g in ln.groups}
        split = [(code, v) for code, v in ln.channels if v is not None]
        for code, v in split or [(None, None)]:
            sc.number(r, 0, ln.index + 1)
            for c, level in ((1, "area"), (2, "servizio"), (3, "azione")):
                if level in groups:
                    sc.text(r, c, groups[level])
            cells.voce.append(sc.text(r, 4, ln.voce))
            for c, year in ((5, 2020), (6, 2021)):
                cells.years.setdefault(year, []).append(("Estrazione", r, c))
                v_year = ln.amount(year)
                if v_year is not None:
                    sc.money(r, c, v_year)
            if code is not None:
                assert v is not None
                sc.text(r, 7, names[code])
                sc.money(r, 8, v)
                cells.channels[code] = [("Estrazione", r, 8)]
                funded[groups["area"]] = funded.get(groups["area"], 0) + v
            r += 1
        lines.append(OracleLine(path=tuple(g.name for g in ln.groups), voce=ln.voce,
                                amounts=ln.amounts, channels=tuple(sorted(split))))
    last = r - 1
    rs = canvas.sheet("Riepilogo")
    rs.widths.update({0: 44, 1: 18})
    rs.text(0, 0, "Area", **dict(HEADER))
    rs.text(0, 1, "Budget 2021", **dict(HEADER))
    areas = list(dict.fromkeys(ln.groups[0].name for ln in ds.lines))
    for i, area in enumerate(areas, start=1):
        if funded[area] != ds.line_sum((area,), 2021):
            raise ValueError(f"{area}: the split does not add up to the budget")
        rs.text(i, 0, area)
        rs.formula(i, 1, f"=SUMIF(Estrazione!$B$2:$B${last + 1},A{i + 1},"
                         f"Estrazione!$I$2:$I${last + 1})", Fraction(funded[area], 100),
                   num_format=EUR)
    total_row = len(areas) + 1
    rs.text(total_row, 0, "TOTALE", bold=True)
    rs.formula(total_row, 1, f"=SUM(B2:B{total_row})", Fraction(sum(funded.values()), 100),
               bold=True, num_format=EUR)
    canvas.save(path)
    expected = Expected(plan_year=2021, comparison_year=2020, lines=lines, totals=[],
                        findings=[], note_codes={"PDZ003"}, channels_blank_omitted=True)
    return Generated(expected, m)


def long_2018(path: Path) -> Generated:
    ds = load("2018")
    canvas = Canvas()
    sc = canvas.sheet("Estrazione")
    m = Manifest("2018", lines=[LineCells() for _ in ds.lines])
    for c, h in enumerate(["Obiettivo", "Azione", "Voce", "Anno", "Importo"]):
        sc.text(0, c, h, **dict(HEADER))
    sc.widths.update({0: 44, 1: 44, 2: 60, 3: 8, 4: 16})
    lines: list[OracleLine] = []
    for r, ln in enumerate(ds.lines, start=1):
        ob, az = ln.groups
        sc.text(r, 0, f"{ob.number} - {ob.name}")
        sc.text(r, 1, az.name)
        m.lines[ln.index].voce.append(sc.text(r, 2, ln.voce))
        sc.number(r, 3, 2018)
        m.lines[ln.index].years[2018] = [("Estrazione", r, 4)]
        if ln.amount(2018) is not None:
            sc.money(r, 4, ln.amount(2018))
        lines.append(OracleLine(path=(ob.name, az.name), voce=ln.voce, amounts=ln.amounts,
                                channels=()))
    canvas.save(path)
    totals: list[ExpectedTotal] = []
    expected = Expected(plan_year=2018, comparison_year=None, lines=lines, totals=totals,
                        findings=[], note_codes=set())
    return Generated(expected, m)

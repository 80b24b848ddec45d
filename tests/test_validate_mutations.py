"""Mutation tests: change one cell of a clean workbook, exactly that rule fires there.

The clean book has a servizio table with channel split and formula totals, a second
table without totals, a revenue table that balances every channel, a pluriennale and a
triennial table. Mutations are applied to the grid (what the reader produced), as a
user editing one cell would; where a change necessarily moves the cost/revenue balance
too, the test names that consequence explicitly.
"""

import copy

import pytest
import xlsxwriter

from pdz_xl.grid import Cell
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import validate_plan


@pytest.fixture(scope="module")
def clean_grid(tmp_path_factory):
    path = tmp_path_factory.mktemp("mut") / "pulito.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Servizi")
    ws.write(0, 0, "AREA SERVIZI AZIENDALI")
    ws.write_row(2, 0, ["SERVIZIO TM", "BUDGET 2020", "BUDGET 2021", "FNPS 2021", "FSR 2021"])
    ws.write(3, 0, "Azione 1: Tutela")                                       # row 4
    ws.write_row(4, 0, ["Coordinamento", 100, 100, 60, 40])                  # row 5
    ws.write_row(5, 0, ["Equipe", 200, 200, 200])                            # row 6
    ws.write_row(6, 0, ["Supervisione", 50, 0])                              # row 7
    ws.write_row(7, 0, ["Formazione", 30, 30, None, 30])                     # row 8
    ws.write(8, 0, "TOTALE SERVIZIO TM")                                     # row 9
    ws.write_formula(8, 1, "=SUM(B5:B8)", None, 380)
    ws.write_formula(8, 2, "=SUM(C5:C8)", None, 330)
    ws.write_row(10, 0, ["SERVIZIO SIL", "BUDGET 2020", "BUDGET 2021", "FNPS 2021"])  # 11
    ws.write(11, 0, "Azione 1: Lavoro")                                      # row 12
    ws.write_row(12, 0, ["Tirocini", 10, 20, 20])                            # row 13
    ws.write_row(13, 0, ["Borse", 10, 20, 20])                               # row 14
    ws.write(14, 0, "TOTALE SERVIZIO SIL")                                   # row 15
    ws.write_formula(14, 1, "=SUM(B13:B14)", None, 20)
    ws.write_formula(14, 2, "=SUM(C13:C14)", None, 40)
    rev = wb.add_worksheet("Canali")
    rev.write_row(0, 0, ["ENTRATE 2021", "IMPORTO"])
    rev.write_row(1, 0, ["FNPS 2021", 300])
    rev.write_row(2, 0, ["FSR 2021", 70])
    rev.write(3, 0, "TOTALE BUDGET")
    rev.write_formula(3, 1, "=SUM(B2:B3)", None, 370)
    plu = wb.add_worksheet("Pluriennale")
    plu.write_row(0, 0, ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"])
    plu.write_row(1, 0, ["AREA SERVIZI AZIENDALI", 370, 380, 390])
    tri = wb.add_worksheet("Triennale")
    tri.write_row(0, 0, ["VOCI DI COSTO", "ANNO 2021", "ANNO 2022", "ANNO 2023", "TRIENNIO"])
    tri.write_row(1, 0, ["AREA SERVIZI AZIENDALI", 370, 380, 390])
    tri.write_formula(1, 4, "=SUM(B2:D2)", None, 1140)
    tri.write(2, 0, "TOTALE")
    for c, v in ((1, 370), (2, 380), (3, 390), (4, 1140)):
        col = "BCDE"[c - 1]
        tri.write_formula(2, c, f"=SUM({col}2:{col}2)", None, v)
    wb.close()
    return read_workbook(path)


def test_clean_book_is_clean(clean_grid):
    assert validate_plan(detect_plan(clean_grid)) == []


def _recalc_sums(grid) -> None:
    """Recalculate the SUM formulas of the grid, as Excel would after an edit."""
    from pdz_xl.formula_refs import sum_areas
    from pdz_xl.grid import ErrorValue

    for _ in range(3):  # totals of totals settle in a few passes
        for sheet in grid.sheets:
            for cells in sheet.rows.values():
                for cell in cells.values():
                    areas = sum_areas(cell.formula)
                    if not areas:
                        continue
                    total = 0.0
                    for a_sheet, r1, c1, r2, c2 in areas:
                        src = grid.sheet(a_sheet) if a_sheet else sheet
                        for r in range(r1, r2 + 1):
                            for c in range(c1, c2 + 1):
                                v = src.value(r, c)
                                if isinstance(v, ErrorValue):
                                    total = v
                                    break
                                if isinstance(v, (int, float)) and not isinstance(v, bool) \
                                        and not isinstance(total, ErrorValue):
                                    total += v
                    cell.value = total


def _mutate(grid, sheet, ref, value, formula=None):
    from pdz_xl.cells import parse_a1

    g = copy.deepcopy(grid)
    row, col = parse_a1(ref)
    s = g.sheet(sheet)
    old = s.get(row, col)
    if value is None and formula is None:
        s.rows.get(row, {}).pop(col, None)
    else:
        s.set(row, col, Cell(value, formula, old.number_format if old else None,
                             old.bold if old else False))
    _recalc_sums(g)
    return g


def _found(grid):
    return sorted((f.code, f.cell) for f in validate_plan(detect_plan(grid)))


MUTATIONS = [
    # (description, sheet, cell, value, formula, expected findings); where one edit
    # necessarily moves a channel or the bottom line, that consequence is listed too.
    ("split diverso dal budget", "Servizi", "D5", 65, None,
     [("PDZ101", "Servizi!C5"), ("PDZ402", "Canali!B2")]),
    ("budget senza ripartizione", "Servizi", "D6", None, None,
     [("PDZ102", "Servizi!C6"), ("PDZ403", "Canali!B2")]),
    ("ripartizione a zero senza budget", "Servizi", "D7", 0, None, []),
    ("importo negativo (anno di confronto)", "Servizi", "B5", -100, None,
     [("PDZ104", "Servizi!B5")]),
    ("totale digitato sbagliato", "Servizi", "B9", 999, None, [("PDZ201", "Servizi!B9")]),
    ("SOMMA che salta una riga", "Servizi", "B9", 330, "=SUM(B5:B7)",
     [("PDZ202", "Servizi!B9")]),
    ("SOMMA che include un totale", "Servizi", "B15", 400, "=SUM(B9:B14)",
     [("PDZ203", "Servizi!B15")]),
    ("totale digitato giusto tra formule", "Servizi", "B9", 380, None,
     [("PDZ204", "Servizi!B9")]),
    ("triennio sbagliato", "Triennale", "E2", 1150, None,
     [("PDZ303", "Triennale!E2"), ("PDZ303", "Triennale!E3")]),
    ("totale del riepilogo sbagliato", "Triennale", "C3", 381, None,
     [("PDZ302", "Triennale!C3"), ("PDZ303", "Triennale!E3")]),
    ("riga del pluriennale diversa dal dettaglio", "Pluriennale", "B2", 371, None,
     [("PDZ301", "Pluriennale!B2")]),
    ("totale delle entrate sbagliato", "Canali", "B4", 371, None,
     [("PDZ305", "Canali!B4"), ("PDZ401", "Canali!B4")]),
]


@pytest.mark.parametrize(("what", "sheet", "ref", "value", "formula", "expected"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_one_mutation_one_finding(clean_grid, what, sheet, ref, value, formula, expected):
    assert _found(_mutate(clean_grid, sheet, ref, value, formula)) == expected


def test_split_without_budget(clean_grid):
    g = _mutate(clean_grid, "Servizi", "D7", 5)
    # the extra 5 on FNPS also overspends that channel: the necessary consequence
    assert _found(g) == [("PDZ103", "Servizi!D7"), ("PDZ402", "Canali!B2")]


def test_negative_channel_amount(clean_grid):
    g = _mutate(clean_grid, "Servizi", "E8", -30)
    found = _found(g)
    assert ("PDZ104", "Servizi!E8") in found


def test_duplicate_line(clean_grid):
    g = _mutate(clean_grid, "Servizi", "A14", "Tirocini")
    assert _found(g) == [("PDZ105", "Servizi!A14")]


def test_channel_not_fully_used(clean_grid):
    g = _mutate(clean_grid, "Canali", "B3", 80, None)
    # FSR holds 10 more than the lines use; the recalculated bottom line moves with it
    assert _found(g) == [("PDZ401", "Canali!B4"), ("PDZ403", "Canali!B3")]


def test_channel_overspent(clean_grid):
    g = _mutate(clean_grid, "Canali", "B3", 60, None)
    assert _found(g) == [("PDZ401", "Canali!B4"), ("PDZ402", "Canali!B3")]


def test_costs_against_revenues(clean_grid):
    g = _mutate(clean_grid, "Servizi", "C7", 10, None)  # a budget with no split and no room
    assert ("PDZ401", "Canali!B4") in _found(g)


def test_reader_findings(clean_grid):
    from pdz_xl.grid import ErrorValue

    found = _found(_mutate(clean_grid, "Servizi", "C6", ErrorValue("#REF!")))
    assert ("PDZ002", "Servizi!C6") in found
    assert ("PDZ001", "Servizi!C7") in _found(_mutate(clean_grid, "Servizi", "C7", "boh"))


def test_restricted_fund_outside_its_purpose():
    from pdz_xl.pipeline import workbook_rules
    from tests.support.oracles import REPO

    grid = read_workbook(REPO / "workbooks" / "piano_programma_2021.xlsx")
    plan = detect_plan(grid)
    rules = workbook_rules(grid)
    assert not [f for f in validate_plan(plan, rules=rules) if f.code == "PDZ404"]
    # "Referente SSP" (Azione 1 of the SST table) is paid by FSOL; the rules give AVANZO
    # VINCOLATO no purpose in that azione: typing the amount there is the violation
    g = _mutate(grid, "Servizi aziendali", "D40", 10706.48)
    found = [(f.code, f.cell) for f in validate_plan(detect_plan(g), rules=rules)
             if f.code == "PDZ404"]
    assert found == [("PDZ404", "Servizi aziendali!D40")]

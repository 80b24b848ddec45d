"""Mutation tests: change one cell of a clean workbook, exactly that rule fires there.

The clean book (tests/support/validation_books.py) validates with no finding. Each
mutation is applied to the grid (what the reader produced) and the book's formulas are
recalculated as Excel would. Where one edit necessarily shows elsewhere too (a channel
overspent by a split that no longer matches, a total of totals that sums a wrong total),
the test names that consequence: each wrong cell is reported once, at itself.
"""

import pytest

from pdz_xl.grid import ErrorValue
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import RULES, config_for_grid, validate_plan
from tests.support.validation_books import clean_grid, mutate


@pytest.fixture(scope="module")
def grid():
    return clean_grid()


def _found(g, **kw):
    return sorted((f.code, f.cell) for f in validate_plan(detect_plan(g),
                                                           config_for_grid(g, **kw)))


def test_clean_book_is_clean(grid):
    assert _found(grid) == []


MUTATIONS = [
    # (description, sheet, cell, value, formula, expected findings)
    ("split diverso dal budget", "Servizi", "D5", 65, None,
     [("PDZ101", "Servizi!C5"), ("PDZ402", "Canali!B4")]),  # FNPS now overspent by 5
    ("budget senza ripartizione", "Servizi", "D6", None, None,
     [("PDZ102", "Servizi!C6"), ("PDZ403", "Canali!B4")]),  # 200 of FNPS left unused
    ("ripartizione senza budget", "Servizi", "D7", 5, None,
     [("PDZ103", "Servizi!D7"), ("PDZ402", "Canali!B4")]),
    ("ripartizione a zero senza budget", "Servizi", "D7", 0, None, []),
    ("importo negativo (anno di confronto)", "Servizi", "B5", -100, None,
     [("PDZ104", "Servizi!B5")]),
    ("importo negativo su un canale", "Servizi", "E8", -30, None,
     [("PDZ101", "Servizi!C8"), ("PDZ104", "Servizi!E8"), ("PDZ403", "Canali!B5")]),
    ("riga doppia", "Servizi", "A16", "Tirocini", None, [("PDZ105", "Servizi!A16")]),
    ("importi in migliaia non indicati", "Servizi", "A2", "Importi in migliaia di euro", None,
     [("PDZ015", "Servizi!A2")]),
    ("totale digitato sbagliato", "Servizi", "B19", 999, None, [("PDZ201", "Servizi!B19")]),
    ("totale sbagliato dentro un totale di totali", "Servizi", "B11", 999, None,
     [("PDZ201", "Servizi!B11"), ("PDZ201", "Servizi!B19")]),  # B19 sums it: wrong too
    ("totale di canale sbagliato", "Servizi", "D11", 261, None, [("PDZ201", "Servizi!D11")]),
    ("SOMMA che salta un totale del gruppo", "Servizi", "B19", 0, "=SUM(B11)",
     [("PDZ202", "Servizi!B19")]),
    ("SOMMA che salta una riga", "Servizi", "B17", 0, "=SUM(B15:B15)",
     [("PDZ201", "Servizi!B19"), ("PDZ202", "Servizi!B17")]),  # B19 = SUM(B11,B17)
    ("SOMMA che include totali e righe", "Servizi", "B19", 0, "=SUM(B5:B17)",
     [("PDZ203", "Servizi!B19")]),
    ("totale digitato giusto tra formule", "Servizi", "B11", 460, None,
     [("PDZ204", "Servizi!B11")]),
    ("riga del pluriennale diversa dal dettaglio", "Pluriennale", "B2", 461, None,
     [("PDZ301", "Pluriennale!B2"), ("PDZ304", "Pluriennale!B3")]),  # its total follows
    ("totale del riepilogo sbagliato", "Triennale", "C3", 471, None,
     [("PDZ302", "Triennale!C3")]),
    ("triennio sbagliato", "Triennale", "E2", 1411, None, [("PDZ303", "Triennale!E2")]),
    ("confronto: obiettivo cambiato, il totale non torna con il dettaglio", "Confronto",
     "D2", 421, None, [("PDZ304", "Confronto!D4")]),
    ("subtotale delle entrate sbagliato", "Canali", "B6", 371, None,
     [("PDZ305", "Canali!B6")]),
    ("totale netto delle entrate sbagliato", "Canali", "B9", 461, None,
     [("PDZ306", "Canali!B9")]),
    ("riepilogo triennale delle entrate diverso", "Triennale", "B7", 301, None,
     [("PDZ307", "Triennale!B7")]),
    ("riepilogo triennale con l'avanzo lordo", "Triennale", "B9", 120, None, []),
    ("entrate più dei costi", "Canali", "B5", 80, None,
     [("PDZ307", "Triennale!B8"), ("PDZ401", "Canali!B9"), ("PDZ403", "Canali!B5")]),
    ("canale sforato", "Canali", "B5", 60, None,
     [("PDZ307", "Triennale!B8"), ("PDZ401", "Canali!B9"), ("PDZ402", "Canali!B5")]),
    ("vincolato fuori finalità (la regola cambia)", "Regole PDZ", "D4", "Azione 1*", None,
     [("PDZ404", "Servizi!F10")]),
    ("testo in un importo", "Servizi", "B6", "boh", None, [("PDZ001", "Servizi!B6")]),
    ("valore di errore", "Servizi", "B6", ErrorValue("#REF!"), None,
     [("PDZ002", "Servizi!B11"), ("PDZ002", "Servizi!B19"), ("PDZ002", "Servizi!B6")]),
    ("frazioni di centesimo", "Servizi", "B5", 100.005, None,  # the totals carry them too
     [("PDZ006", "Servizi!B11"), ("PDZ006", "Servizi!B19"), ("PDZ006", "Servizi!B5")]),
    ("entrata senza canale", "Canali", "A5", "Contributo misterioso", None,
     [("PDZ007", "Canali!A5"), ("PDZ402", "Servizi!E5")]),  # FSR has no revenue left
    ("importo fuori da ogni tabella", "Servizi", "K30", 1234.5, None,
     [("PDZ011", "Servizi!K30")]),
    ("voce che riprende l'importo di un'altra voce", "Servizi", "B16", 10, "=B15",
     [("PDZ013", "Servizi!B16")]),
    # «di cui» under a line of 100 but holding 200: not counted (so every total that
    # counted it no longer returns), and the part larger than its whole is said
    ("riga «di cui» più grande della riga sopra", "Servizi", "A6", "di cui equipe", None,
     [("PDZ014", "Servizi!A6"), ("PDZ201", "Servizi!B11"), ("PDZ201", "Servizi!B19"),
      ("PDZ201", "Servizi!C11"), ("PDZ201", "Servizi!C19"), ("PDZ201", "Servizi!D11"),
      ("PDZ301", "Pluriennale!B2"), ("PDZ301", "Triennale!B2"), ("PDZ304", "Confronto!D4"),
      ("PDZ304", "Pluriennale!B3"), ("PDZ304", "Triennale!B3"), ("PDZ401", "Canali!B9"),
      ("PDZ403", "Canali!B4")]),
]


@pytest.mark.parametrize(("what", "sheet", "ref", "value", "formula", "expected"), MUTATIONS,
                         ids=[m[0] for m in MUTATIONS])
def test_one_mutation_one_finding(grid, what, sheet, ref, value, formula, expected):
    assert _found(mutate(grid, sheet, ref, value, formula)) == expected


def test_cost_line_added_shows_everywhere_the_total_is_stated(grid):
    # 10 more of budget on a line with no split: the line, then every cell that states
    # the plan's 2021 total (pluriennale row and total, triennial row and total, confronto
    # total) and the balance with the revenues. Each is a cell stating a wrong number.
    assert _found(mutate(grid, "Servizi", "C7", 10)) == [
        ("PDZ102", "Servizi!C7"), ("PDZ301", "Pluriennale!B2"), ("PDZ301", "Triennale!B2"),
        ("PDZ304", "Confronto!D4"), ("PDZ304", "Pluriennale!B3"), ("PDZ304", "Triennale!B3"),
        ("PDZ401", "Canali!B9")]


def test_rounding_is_an_avviso_apart_from_errors(grid):
    findings = validate_plan(detect_plan(mutate(grid, "Servizi", "B19", 480.03)))
    assert [(f.code, f.cell, f.severity, f.category, f.difference) for f in findings] == [
        ("PDZ201", "Servizi!B19", "avviso", "arrotondamento", 3)]
    assert "arrotondamento" in findings[0].message
    # the same difference beyond a tolerance of 2 cents is a real error
    g = mutate(grid, "Servizi", "B19", 480.03)
    strict = validate_plan(detect_plan(g), config_for_grid(g, tolerance_cents=2))
    assert [(f.severity, f.category) for f in strict] == [("errore", "errore")]


def test_hidden_row_with_amounts(grid):
    g = mutate(grid, "Servizi", "A6", "Equipe")
    g.sheet("Servizi").hidden_rows.add(6)
    assert _found(g) == [("PDZ005", "Servizi!A6")]


def test_merged_cells_in_a_table(grid):
    g = mutate(grid, "Servizi", "A6", "Equipe")
    g.sheet("Servizi").merged.append((7, 2, 7, 3))  # B7:C7 (Supervisione, both zero)
    assert _found(g) == [("PDZ004", "Servizi!B7")]


def test_unknown_column_with_amounts(grid):
    g = mutate(grid, "Servizi", "G13", "QUOTA XYZ 2021")  # a header of the SIL table ...
    g = mutate(g, "Servizi", "G15", 5)  # ... with an amount under it
    assert _found(g) == [("PDZ003", "Servizi!G13")]


def test_restricted_fund_without_stated_purpose_is_not_checked(grid):
    g = mutate(grid, "Regole PDZ", "A4", None)  # the rule row loses its channel
    assert _found(g) == []


def test_explicit_exclusion_of_any_channel(grid):
    g = mutate(grid, "Regole PDZ", "A5", "FNPS 2021")
    for col, v in zip("BCDEF", ["", "SERVIZIO SIL", "", "Borse", "no"], strict=True):
        g = mutate(g, "Regole PDZ", f"{col}5", v or None)
    found = validate_plan(detect_plan(g), config_for_grid(g))
    assert [(f.code, f.cell) for f in found] == [("PDZ404", "Servizi!D16")]
    assert "Regole PDZ!A5" in found[0].message


def test_every_rule_has_a_mutation():
    fired = {code for m in MUTATIONS for code, _ in m[5]}
    fired |= {"PDZ003", "PDZ004", "PDZ005"}  # the grid-level tests above
    # «Canali PDZ» rows: the catalog's own tests; «_pdz» rows and ambiguous readings: the
    # layout tests (they are about the workbook's layout, not one cell)
    assert set(RULES) - fired == {"PDZ009", "PDZ010", "PDZ012"}


def test_restricted_fund_outside_its_purpose_on_the_2021_sample():
    from pdz_xl.pipeline import workbook_rules
    from tests.support.oracles import REPO

    g = read_workbook(REPO / "workbooks" / "piano_programma_2021.xlsx")
    rules = workbook_rules(g)
    assert not [f for f in validate_plan(detect_plan(g), rules=rules) if f.code == "PDZ404"]
    # "Referente SSP" (Azione 1 of the SST table) is paid by FSOL; the rules give AVANZO
    # VINCOLATO no purpose in that azione: typing the amount there is the violation
    m = mutate(g, "Servizi aziendali", "D40", 10706.48)
    found = [(f.code, f.cell) for f in validate_plan(detect_plan(m), rules=rules)
             if f.code == "PDZ404"]
    assert found == [("PDZ404", "Servizi aziendali!D40")]


def test_tolerance_written_in_the_pdz_sheet(grid):
    from pdz_xl.grid import Cell, SheetGrid

    g = mutate(grid, "Servizi", "B19", 480.08)  # 8 cents: beyond the default 5
    assert [(f.severity, f.category) for f in validate_plan(detect_plan(g))] == [
        ("errore", "errore")]
    pdz = SheetGrid(name="_pdz")
    pdz.set(1, 1, Cell("tolleranza"))
    pdz.set(1, 2, Cell("0,10"))
    g.sheets.append(pdz)
    findings = validate_plan(detect_plan(g), config_for_grid(g))
    assert [(f.code, f.severity, f.category) for f in findings] == [
        ("PDZ201", "avviso", "arrotondamento")]
    # the caller's tolerance (--tolleranza) wins over the workbook's
    strict = validate_plan(detect_plan(g), config_for_grid(g, tolerance_cents=0))
    assert [f.category for f in strict] == ["errore"]

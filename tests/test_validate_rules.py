"""Rule-level tests on Plans built by hand (tests/support/plans.py): the catalog, and the
cases the sample workbooks do not show."""

import re

from pdz_xl.plan import ReadNote
from pdz_xl.validate import RULES, ValidationConfig, validate_plan
from pdz_xl.validate.config import DEFAULT_TOLERANCE_CENTS
from tests.support.plans import PlanBuilder


def _found(plan, **kw):
    return [(f.code, f.cell) for f in validate_plan(plan, ValidationConfig(**kw))]


def test_catalog_codes_are_stable_and_complete():
    family_of = {"0": "lettura", "1": "righe", "2": "totali", "3": "riepiloghi", "4": "canali"}
    names = set()
    for code, rule in RULES.items():
        assert re.fullmatch(r"PDZ\d{3}", code) and rule.code == code
        assert rule.family == family_of[code[3]], code
        assert rule.severity in ("errore", "avviso") and rule.title and rule.category
        assert rule.name not in names
        names.add(rule.name)
    assert {"PDZ101", "PDZ201", "PDZ305", "PDZ401", "PDZ403", "PDZ404"} <= set(RULES)


def test_reading_notes_become_findings_with_their_severity():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.notes += [ReadNote(code="PDZ001", severity="avviso", cell="Costi!C2",
                         message="importo scritto come testo"),
                ReadNote(code="PDZ002", severity="errore", cell="Costi!C3", message="#REF!"),
                ReadNote(code="PDZ001", severity="info", cell="Costi!C4", message="solo info")]
    found = validate_plan(b.build())
    assert [(f.code, f.cell, f.severity, f.category) for f in found] == [
        ("PDZ001", "Costi!C2", "avviso", "lettura"), ("PDZ002", "Costi!C3", "errore", "lettura")]


def test_lines_without_channel_columns_need_no_split():
    b = PlanBuilder()
    b.line("Voce", 100)
    assert _found(b.build()) == []


def test_split_rounding_is_an_avviso():
    b = PlanBuilder(channels=["FNPS", "FSR"])
    b.line("Voce", 10000, {"FNPS": 5000, "FSR": 5001})
    found = validate_plan(b.build())
    assert [(f.code, f.severity, f.category, f.difference) for f in found] == [
        ("PDZ101", "avviso", "arrotondamento", 1)]


def test_total_of_totals_counts_each_line_once():
    b = PlanBuilder()
    a, c = b.line("A", 100), b.line("B", 50)
    b.total("TOTALE SERVIZIO 1", 150, [a, c], "=SUM(C2:C3)")  # C4
    d = b.line("C", 20)  # C5
    b.total("TOTALE SERVIZIO 2", 20, [d], "=SUM(C5)")  # C6
    b.total("TOTALE AREA", 170, [a, c, d], "=SUM(C4,C6)")  # C7
    assert _found(b.build()) == []
    b.totals[-1].formulas[2021] = "=SUM(C2:C6)"  # lines and their totals: twice
    b.totals[-1].amounts[2021] = 340
    found = validate_plan(b.build())
    assert [(f.code, f.cell) for f in found] == [("PDZ203", "Costi!C7")]
    assert "€ 1,70" in found[0].message and found[0].difference == 170


def test_overlapping_ranges_count_twice():
    b = PlanBuilder()
    a, c = b.line("A", 100), b.line("B", 50)
    b.total("TOTALE", 200, [a, c], "=SUM(C2:C3,C3)")
    assert _found(b.build()) == [("PDZ203", "Costi!C4")]


def test_typed_total_among_formulas_and_alone():
    b = PlanBuilder()
    a = b.line("A", 100)
    b.total("TOTALE 1", 100, [a])
    assert _found(b.build()) == []  # no formula anywhere on the sheet: typing is the style
    c = b.line("B", 5)
    b.total("TOTALE 2", 5, [c], "=SUM(C4)")
    found = validate_plan(b.build())
    assert [(f.code, f.cell) for f in found] == [("PDZ204", "Costi!C3")]
    assert found[0].fix.formula == "=SUM(C2)"


def test_multi_year_revenue_total_checked_per_year():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.revenue("FNPS", "item", 60, "FNPS", amounts={2021: 60, 2022: 60, 2023: 60})
    b.revenue("FSR", "item", 40, "FSR", amounts={2021: 40, 2022: 45, 2023: 50})
    b.revenue("TOTALE", "total", 100, covers=[0, 1], amounts={2021: 100, 2022: 100,
                                                                 2023: 110})
    found = validate_plan(b.build())
    assert [(f.code, f.cell, f.difference) for f in found] == [("PDZ305", "Entrate!C4", -5)]
    assert "(2022)" in found[0].message


def test_bottom_line_wrong_and_costs_off_too():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.revenue("FNPS", "item", 80, "FNPS")
    b.revenue("TOTALE BUDGET", "total", 100, covers=[0])
    found = validate_plan(b.build())
    # the total is wrong against its item (80), and the real revenues miss 20 of the costs
    assert [(f.code, f.cell, f.difference) for f in found] == [
        ("PDZ305", "Entrate!B3", 20), ("PDZ401", "Entrate!B3", -20)]
    assert "ricalcolate" in found[1].message


def test_bottom_line_wrong_but_balanced():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.revenue("FNPS", "item", 100, "FNPS")
    b.revenue("TOTALE BUDGET", "total", 120, covers=[0])
    assert _found(b.build()) == [("PDZ305", "Entrate!B3")]


def test_net_total_with_deduction_on_its_channel():
    b = PlanBuilder(channels=["AVANZO_VINCOLATO"])
    b.line("Voce", 70, {"AVANZO_VINCOLATO": 70})
    b.revenue("Avanzo vincolato", "item", 100, "AVANZO_VINCOLATO")
    b.revenue("TOTALE BUDGET", "total", 100, covers=[0])
    b.revenue("Quota vincolata", "deduction", 30, "AVANZO_VINCOLATO")
    b.revenue("TOTALE PO", "net_total", 70, covers=[1], deducts=[2])
    assert _found(b.build()) == []
    b.revenues[3].amount = 75
    found = validate_plan(b.build())
    assert [(f.code, f.cell) for f in found] == [("PDZ306", "Entrate!B5")]
    assert found[0].fix.formula == "=B3-B4"


def test_channel_overspent_by_cents_is_rounding():
    b = PlanBuilder(channels=["FNPS"])
    b.line("Voce", 10002, {"FNPS": 10002})
    b.revenue("FNPS", "item", 10000, "FNPS")
    found = validate_plan(b.build())
    assert [(f.code, f.severity, f.category) for f in found] == [
        ("PDZ401", "avviso", "arrotondamento"), ("PDZ402", "avviso", "arrotondamento")]


def test_summary_sections_and_group_matching():
    b = PlanBuilder()
    b.line("Voce", 100)
    cols = ["2021", "2022"]
    b.summary("pluriennale", "Plur", cols, [
        ("AREA PROVA", [100, 100], "area:area prova"),
        ("TOTALE PARZIALE", [100, 100], None),
        ("AREA SENZA RIGHE", [0, 50], "area:area senza righe"),
        ("TOTALE PARZIALE", [0, 50], None),
        ("TOTALE BUDGET", [100, 150], None)])
    assert _found(b.build()) == []
    b.summaries[0].rows[2].values["2021"] = 30  # money for an area that has no lines
    assert _found(b.build()) == [("PDZ302", "Plur!B5"), ("PDZ302", "Plur!B6"),
                                 ("PDZ301", "Plur!B4")]


def test_summary_label_close_to_the_detail_is_matched():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.summary("pluriennale", "Plur", ["2021"], [("AREA PROVA SERVIZI", [101],
                                                 "area:area prova servizi")])
    assert _found(b.build()) == [("PDZ301", "Plur!B2")]


def test_text_in_a_summary_amount_is_not_an_error():
    b = PlanBuilder()
    b.line("Voce", 100)
    b.summary("confronto", "Conf", ["po_2020", "budget_2021"], [
        ("OBIETTIVO 1: Prova", [5, 100], "obiettivo:1"),
        ("OBIETTIVO 2: Altro", [0, None], "obiettivo:2"),
        ("TOTALE BUDGET", [5, 100], None)])
    b.summaries[0].rows[1].notes["budget_2021"] = "RISORSE COMUNE DI CREMA"
    assert _found(b.build()) == []


def test_tolerance_precedence():
    b = PlanBuilder()
    a = b.line("Voce", 100)
    b.total("TOTALE", 107, [a])
    plan = b.build()
    assert ValidationConfig().tolerance_for(plan) == DEFAULT_TOLERANCE_CENTS
    assert [f.category for f in validate_plan(plan)] == ["errore"]  # 7 > 5 cents
    from_book = b.build(tolerance_cents=10)
    assert [f.category for f in validate_plan(from_book)] == ["arrotondamento"]
    assert [f.category for f in validate_plan(from_book, ValidationConfig(
        tolerance_cents=0))] == ["errore"]


def test_docs_list_every_rule():
    from tests.support.oracles import REPO

    text = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| {rule.code} | {rule.family} | {rule.severity} |" in text, rule.code
        assert rule.title in text, rule.code

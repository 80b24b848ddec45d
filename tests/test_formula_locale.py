"""Formulas shown to the user in the Excel language (Italian by default), the Changeset
keeping the OOXML English form."""

from __future__ import annotations

import pytest

from pdz_xl.formula_locale import IT_FUNCTIONS, display_formula
from pdz_xl.money import to_decimal_str
from pdz_xl.validate.engine import value_fix


@pytest.mark.parametrize(("english", "italian"), [
    ("=SUM(B6,B8:B12)", "=SOMMA(B6;B8:B12)"),
    ("=SUBTOTAL(9,B2:B9)", "=SUBTOTALE(9;B2:B9)"),
    ("=ROUND('Proiezioni PDZ'!B5*(1+0.05),2)", "=ARROTONDA('Proiezioni PDZ'!B5*(1+0,05);2)"),
    ('=IF(A1="a, b. c",TRUE,FALSE)', '=SE(A1="a, b. c";VERO;FALSO)'),
    ("=_xlfn.IFS(A1>1.5,$B$12,1,2)", "=PIÙ.SE(A1>1,5;$B$12;1;2)"),
    ("=IFERROR(VLOOKUP(A2,'Canali, 2021'!A:B,2,FALSE),0)",
     "=SE.ERRORE(CERCA.VERT(A2;'Canali, 2021'!A:B;2;FALSO);0)"),
    ("=SUMIFS(C:C,A:A,\"FNPS\")+#REF!", "=SOMMA.PIÙ.SE(C:C;A:A;\"FNPS\")+#RIF!"),
    ("=B25-B26-B27", "=B25-B26-B27"),
    ("=sum(b1:b3)", "=SOMMA(b1:b3)"),
    ("=MYFUNC(1.5,2)", "=MYFUNC(1,5;2)"),
    ("=SUM({1,2,3})", "=SOMMA({1,2,3})"),  # array constants stay as written
    ("=Budget!B6+'It''s'!C$7*1E-3", "=Budget!B6+'It''s'!C$7*1E-3"),
])
def test_english_formulas_shown_in_italian(english, italian):
    assert display_formula(english) == italian
    assert display_formula(english, "en") == english


def test_english_excel_chosen_by_the_environment(monkeypatch):
    monkeypatch.setenv("PDZ_XL_EXCEL_LINGUA", "en")
    assert display_formula("=SUM(A1,A2)") == "=SUM(A1,A2)"


def test_the_table_maps_the_functions_the_product_suggests():
    for name in ("SUM", "SUBTOTAL", "ROUND", "IF"):
        assert IT_FUNCTIONS[name] != name


def test_fix_describes_in_italian_and_writes_the_ooxml_form():
    fix = value_fix("Progettazione!B31", 29113316, "=SUM(B6,B8:B12)")
    assert fix.formula == "=SUM(B6,B8:B12)"
    assert fix.value == to_decimal_str(29113316)
    assert fix.description.startswith("scrivere la formula =SOMMA(B6;B8:B12) (= € 291.133,16)")


def test_sample_findings_suggest_italian_formulas():
    from pdz_xl.io.load import load_plan
    from pdz_xl.validate import validate_plan
    from tests.support.oracles import REPO

    plan = load_plan(REPO / "workbooks" / "piano_programma_2021.xlsx")
    fixes = [f.fix for f in validate_plan(plan) if f.fix and f.fix.formula]
    assert fixes
    for fix in fixes:
        assert fix.formula.startswith("=SUM(")
        assert "=SOMMA(" in fix.description and "=SUM(" not in fix.description
    texts = " ".join(f.message for f in validate_plan(plan))
    assert "=SUM(" not in texts

"""The layout-family generator is right on its own: every workbook it writes, reopened with
openpyxl, holds the oracle figures where the generator says, the documents' slips typed,
and formulas whose cached values are what they reference (no reader involved)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.support.families import FAMILIES, Layout, WideBuilder, generate
from tests.support.families.canvas import EUR, Canvas
from tests.support.families.findings import SLIPS_2021
from tests.support.families.selfcheck import check_formulas, parse_text_amount, verify
from tests.support.families.strategies import layouts
from tests.support.families.texts import money_text


def _report(name: str, problems: list[str]) -> str:
    return f"{name}: {len(problems)} problems, first: " + "; ".join(problems[:5])


@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_workbook_holds_what_the_generator_says(tmp_path, family):
    path = tmp_path / f"{family}.xlsx"
    problems = verify(path, generate(family, path))
    assert problems == [], _report(family, problems)


def test_families_cover_both_documents_and_at_least_twenty_layouts():
    assert len(FAMILIES) >= 20
    assert {f.dataset for f in FAMILIES.values()} == {"2021", "2018"}
    assert all(f.summary for f in FAMILIES.values())


def test_the_document_slips_are_typed_and_announced(tmp_path):
    generated = generate("schede", tmp_path / "schede.xlsx")
    slips = [t for t in generated.manifest.totals if t.slip]
    assert sorted(t.total.cents for t in slips) == sorted(f.found for f in SLIPS_2021)
    assert all(not t.formula for t in slips)


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_random_layouts_hold_what_the_generator_says(layout):
    assert layout.problems() == []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.xlsx"
        problems = verify(path, WideBuilder(layout).build(path))
    assert problems == [], _report(repr(layout), problems)


@pytest.mark.parametrize("knobs", [
    dict(dataset="2018", hierarchy="colonne", totals="sotto"),
    dict(dataset="2021", text_amounts=True),  # SUM would skip the text amounts
    dict(dataset="2021", totals="sul-titolo"),  # a heading carries no TOTALE word
    dict(dataset="2018", header_rows=2),
    dict(dataset="2021", hierarchy="numerazione"),
    dict(dataset="2021", tables="per-tabella", totals="sopra"),
])
def test_nonsense_layouts_are_refused_not_adjusted(tmp_path, knobs):
    layout = Layout(**knobs)
    assert layout.problems()
    with pytest.raises(ValueError, match="layout senza senso"):
        WideBuilder(layout).build(tmp_path / "x.xlsx")


# --------------------------------------------------------- the self-check catches mistakes
def test_selfcheck_catches_a_wrong_expected_amount(tmp_path):
    path = tmp_path / "po.xlsx"
    g = generate("po-classico", path)
    line = g.expected.lines[3]
    g.expected.lines[3] = dataclasses.replace(line, amounts=((2018, 1),))
    assert any("line 3" in p for p in verify(path, g))


def test_selfcheck_catches_an_amount_at_the_wrong_cell(tmp_path):
    path = tmp_path / "lista.xlsx"
    g = generate("lista-piatta", path)
    g.manifest.lines[0].years[2021] = g.manifest.lines[1].years[2021]
    assert any("line 0" in p and "year 2021" in p for p in verify(path, g))


def test_selfcheck_catches_a_slip_that_is_not_announced(tmp_path):
    path = tmp_path / "schede.xlsx"
    g = generate("schede", path)
    g.expected.findings = [f for f in g.expected.findings if f.code != "PDZ201"]
    assert any("typed slips" in p for p in verify(path, g))


def test_selfcheck_catches_a_total_that_is_not_what_it_says(tmp_path):
    path = tmp_path / "schede.xlsx"
    g = generate("schede", path)
    cell = next(t for t in g.manifest.totals if t.formula)
    cell.total = dataclasses.replace(cell.total, cents=cell.total.cents + 1)
    assert any(f"at {cell.cell}" in p for p in verify(path, g))


def test_selfcheck_catches_a_wrong_cached_value(tmp_path):
    canvas = Canvas()
    sc = canvas.sheet("Foglio")
    sc.money(0, 1, 1050)
    sc.money(1, 1, 2025)
    sc.text(2, 1, money_text(99900))  # SUM skips text, as a spreadsheet does
    sc.formula(3, 1, "=SUM(B1:B3)", 30.75, num_format=EUR)
    sc.formula(4, 1, "=SUM(B1:B3)", 1029.75, num_format=EUR)
    path = tmp_path / "f.xlsx"
    canvas.save(path)
    problems = check_formulas(path)
    assert len(problems) == 1 and problems[0].startswith("Foglio!B5"), problems


def test_text_amounts_read_back():
    for cents in (0, 1, 99, 123456, 100000000, 12345678901):
        assert parse_text_amount(money_text(cents)) == cents
    assert money_text(123456) == "€ 1.234,56" and money_text(0) == "€ -"

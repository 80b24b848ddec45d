"""The triennial sheet on the sample workbooks: the documents' own tables reproduced to the
cent, live formulas whose cached values LibreOffice recalculates to the same numbers,
idempotent, nothing else touched, and the Fiscal Data Package valid."""

import json
import zipfile

import openpyxl
import pytest

from pdz_xl.changeset import Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.money import from_decimal_str
from pdz_xl.triennial.build import TRIENNIAL_SHEET, default_projections, triennial_changeset
from pdz_xl.triennial.fdp import export_fdp
from pdz_xl.triennial.projections import PROJECTIONS_SHEET, projections_sheet
from tests.support.libreoffice import assert_cached_equals_recalculated, formula_mismatches
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
DATE = "2026-11-22"
# The 2021 document's «Budget pluriennale» states AREA SERVIZI AZIENDALI at 1.689.127,45 for
# 2021: its lines add up to ,44 and its servizio totals to ,46, and the area has no TOTALE
# row, so no reading of the detail gives ,45: the projections table types it as «Anno 1».
SERVIZI_AZIENDALI_2021 = 168_912_745


def _with_projections(src, dest, projections, years):
    apply_changeset(src, Changeset(sheets=[projections_sheet(projections, years)]), dest)
    return dest


def _generate(src, dest, per, **kw):
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), per=per, generated_on=DATE, **kw)
    apply_changeset(src, cs, dest)
    return cs, data


def _table(path, title):
    ws = openpyxl.load_workbook(path, data_only=True)[TRIENNIAL_SHEET]
    out, inside = [], False
    for r in ws.iter_rows(values_only=True):
        if r[0] == title:
            inside = True
            continue
        if inside:
            if r[0] is None:
                break
            out.append((r[0], [from_decimal_str(repr(v)) for v in r[1:5]]))
    return out


def _oracle(name, label, keys):
    return [(r[label], [cents(r[k]) for k in keys]) for r in rows(name)]


@pytest.fixture(scope="module")
def triennial_2018(tmp_path_factory):
    """The 2018 sample with the projection the document implies: obiettivi 12, 13, 14
    raised in 2019-2020 (typed amounts), everything else as 2018, ALTRI FONDI balancing."""
    tmp = tmp_path_factory.mktemp("t18")
    plan = detect_plan(read_workbook(PO2018))
    projections = default_projections(plan, "obiettivo")
    raised = {"obiettivo:12": 1_500_000, "obiettivo:13": 3_000_000,
              "obiettivo:14": 15_011_823}
    for p in projections:
        if p.key in raised:
            p.rule, p.year2, p.year3 = "importi", raised[p.key], raised[p.key]
    assert [p.label for p in projections if p.rule == "bilancia"] == ["ALTRI FONDI"]
    src = _with_projections(PO2018, tmp / "p18.xlsx", projections, [2018, 2019, 2020])
    out = tmp / "t18.xlsx"
    cs, data = _generate(src, out, "obiettivo")
    return src, out, data, cs


def test_2018_costs_equal_the_document(triennial_2018):
    _src, out, _data, _cs = triennial_2018
    got = _table(out, "COSTI PER OBIETTIVO")
    want = _oracle("po2018_triennale_costi.csv", "voce",
                   ("anno_2018", "anno_2019", "anno_2020", "triennio"))
    assert [v for _, v in got] == [v for _, v in want]  # 15 obiettivi + TOTALE, to the cent
    assert [label.split(":")[0] for label, _ in got[:15]] == [str(n) for n in range(1, 16)]
    assert got[-1][0] == "TOTALE COSTI"


def test_2018_revenues_equal_the_document(triennial_2018):
    _src, out, data, _cs = triennial_2018
    got = _table(out, "RICAVI PER CANALE")
    want = _oracle("po2018_triennale_canali.csv", "voce",
                   ("anno_2018", "anno_2019", "anno_2020", "triennio"))
    assert [label for label, _ in got[:-1]] == [label for label, _ in want[:-1]]
    assert [v for _, v in got] == [v for _, v in want]
    assert data.balance() == [0, 0, 0]


def test_2018_balance_row_and_formulas(triennial_2018):
    _src, out, _data, _cs = triennial_2018
    ws = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    cached = openpyxl.load_workbook(out, data_only=True)[TRIENNIAL_SHEET]
    saldo = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "SALDO "
                 "(costi − ricavi)")
    assert [cached[f"{c}{saldo}"].value for c in "BCDE"] == [0, 0, 0, 0]
    # year 1 of obiettivo 1 points at its live TOTALE OBIETTIVO 1 (equal to its lines)
    assert ws["B6"].value == "='Piano Operativo 2018'!B14"
    # 2019 of obiettivo 12 points at the projections table; ALTRI FONDI balances
    row12 = next(r for r in range(6, 21) if str(ws[f"A{r}"].value).startswith("12:"))
    assert ws[f"C{row12}"].value.startswith(f"=ROUND('{PROJECTIONS_SHEET}'!F")
    altri = next(r for r in range(20, saldo) if ws[f"A{r}"].value == "ALTRI FONDI")
    assert ws[f"C{altri}"].value.startswith("=C21-SUM(C")
    assert ws["B5"].value == "ANNO 2018" and ws["E5"].value == "TRIENNIO"
    assert ws["B6"].number_format.startswith("_-[$€-410]")
    assert ws["A5"].font.b and ws["E6"].font.b


@pytest.mark.libreoffice
def test_2018_libreoffice_recalculates_to_our_cached_values(triennial_2018):
    _src, out, _data, _cs = triennial_2018
    assert_cached_equals_recalculated(out)  # every sheet, ours and the sample's


@pytest.mark.libreoffice
def test_a_wrong_cached_value_in_our_sheet_is_caught(triennial_2018, tmp_path):
    _src, out, _data, cs = triennial_2018
    owned = cs.sheets[0]
    bad = owned.model_copy(update={"cells": [
        c.model_copy(update={"value": c.value + 1}) if c.cell == "D19" else c
        for c in owned.cells]})
    assert any(c.cell == "D19" and c.formula for c in bad.cells)
    broken = tmp_path / "broken.xlsx"
    apply_changeset(out, Changeset(sheets=[bad]), broken)
    problems = formula_mismatches(broken, sheets=[TRIENNIAL_SHEET])
    assert len(problems) == 1 and problems[0].startswith(f"{TRIENNIAL_SHEET}!D19"), problems


def test_2021_costs_per_area_equal_the_pluriennale(tmp_path):
    plan = detect_plan(read_workbook(PP2021))
    oracle = {r["area"]: r for r in rows("pp2021_pluriennale.csv")}
    projections = default_projections(plan, "area")
    for p in projections:
        if p.kind == "costo":
            p.rule = "importi"
            p.year2 = cents(oracle[p.label]["budget_2022"])
            p.year3 = cents(oracle[p.label]["budget_2023"])
            if p.label == "AREA SERVIZI AZIENDALI":
                p.year1 = SERVIZI_AZIENDALI_2021
    src = _with_projections(PP2021, tmp_path / "p21.xlsx", projections, [2021, 2022, 2023])
    out = tmp_path / "t21.xlsx"
    cs, data = _generate(src, out, "area")
    got = _table(out, "COSTI PER AREA")
    want = _oracle("pp2021_pluriennale.csv", "area",
                   ("budget_2021", "budget_2022", "budget_2023"))
    assert [(label, v[:3]) for label, v in got[:-1]] == want[:-1]
    assert got[-1][1][:3] == want[-1][1]  # TOTALE BUDGET, to the cent
    # year 1 from the stated totals: AREA PROGETTAZIONE as the document states it
    progettazione = next(r for r in data.costs if r.label == "AREA PROGETTAZIONE")
    assert progettazione.source.kind == "dichiarato"
    assert "246.055,57" in progettazione.source.note
    assert any("246.055,57" in s for s in [c.value for c in cs.sheets[0].cells
                                          if isinstance(c.value, str)])
    assert_cached_equals_recalculated(out, sheets=[TRIENNIAL_SHEET])


def test_2021_year1_from_the_lines(tmp_path):
    _cs, data = _generate(PP2021, tmp_path / "r21.xlsx", "area", year1="righe")
    plan = detect_plan(read_workbook(PP2021))
    lines = {}
    for ln in plan.lines:
        lines[ln.groups[0].text] = lines.get(ln.groups[0].text, 0) + ln.amount(2021)
    assert {r.label: r.years[0] for r in data.costs} == lines
    assert next(r for r in data.costs if r.label == "AREA PROGETTAZIONE").years[0] == \
        24_605_557
    assert all(r.source.kind == "righe" for r in data.costs)


def test_generating_twice_gives_the_same_sheet_and_leaves_the_rest(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    a, b = (tmp_path / d / PO2018.name for d in ("a", "b"))
    first, _ = _generate(PO2018, a, "obiettivo")
    second, _ = _generate(a, b, "obiettivo")
    assert [s.name for s in first.sheets] == [TRIENNIAL_SHEET, PROJECTIONS_SHEET]
    assert [s.name for s in second.sheets] == [TRIENNIAL_SHEET]  # the table is the user's now
    assert first.sheets[0] == second.sheets[0]
    assert a.read_bytes() == b.read_bytes()
    before = openpyxl.load_workbook(PO2018)
    before_cached = openpyxl.load_workbook(PO2018, data_only=True)
    after = openpyxl.load_workbook(b)
    after_cached = openpyxl.load_workbook(b, data_only=True)
    assert after.sheetnames == [*before.sheetnames, TRIENNIAL_SHEET, PROJECTIONS_SHEET]
    for name in before.sheetnames:
        cells_before = [(c.coordinate, c.value, c.number_format) for row in
                        before[name].iter_rows() for c in row]
        cells_after = [(c.coordinate, c.value, c.number_format) for row in
                       after[name].iter_rows() for c in row]
        assert cells_before == cells_after, name
        assert [c.value for row in before_cached[name].iter_rows() for c in row] == \
            [c.value for row in after_cached[name].iter_rows() for c in row], name


def test_charts_are_native(tmp_path):
    out = tmp_path / "c.xlsx"
    _generate(PO2018, out, "obiettivo")
    names = zipfile.ZipFile(out).namelist()
    charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
    assert len(charts) == 2
    xml = [zipfile.ZipFile(out).read(n).decode() for n in charts]
    assert sum("<c:barChart>" in x for x in xml) == 1 and sum("<c:pieChart>" in x for x in xml) == 1
    assert all(f"'{TRIENNIAL_SHEET}'!$A$" in x for x in xml)


def test_fiscal_data_package_validates(tmp_path, triennial_2018):
    from frictionless import Package

    _src, _out, data, _cs = triennial_2018
    path = export_fdp(data, tmp_path / "fdp", "Piano triennale 2018-2020")
    report = Package(str(path)).validate()
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads(path.read_text())
    measures = descriptor["model"]["measures"]
    assert set(measures) == {f"{d}_{y}" for d in ("spesa", "entrata")
                             for y in (2018, 2019, 2020)}
    assert {m["currency"] for m in measures.values()} == {"EUR"}
    assert {m["phase"] for m in measures.values()} == {"proposed"}
    assert measures["spesa_2019"]["direction"] == "expenditure"
    assert measures["entrata_2020"]["direction"] == "revenue"
    assert measures["entrata_2020"]["fiscalPeriod"] == {"start": "2020-01-01",
                                                         "end": "2020-12-31"}
    assert descriptor["fiscalPeriod"] == {"start": "2018-01-01", "end": "2020-12-31"}
    table = Package(str(path)).get_resource("piano-triennale").read_rows()
    spesa = {r["codice"]: r["spesa_2019"] for r in table if r["direzione"] == "expenditure"}
    entrata = {r["codice"]: r["entrata_2019"] for r in table if r["direzione"] == "revenue"}
    assert str(spesa["obiettivo:13"]) == "30000.00"
    assert str(entrata["ALTRI_FONDI"]) == "726907.30"
    assert sum(spesa.values()) == sum(entrata.values())


def test_fiscal_data_package_with_a_wrong_amount_is_invalid(tmp_path, triennial_2018):
    from frictionless import Package

    _src, _out, data, _cs = triennial_2018
    path = export_fdp(data, tmp_path / "fdp", "Piano triennale 2018-2020")
    csv_path = tmp_path / "fdp" / "piano-triennale.csv"
    csv_path.write_text(csv_path.read_text().replace(",30000.00", ",30000.00 euro", 1))
    assert not Package(str(path)).validate().valid

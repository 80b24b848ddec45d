"""The triennial sheet: the documents' own tables reproduced to the cent, live formulas
with cached values that LibreOffice recalculates to the same numbers, nothing else touched."""

import json

import openpyxl
import pytest

from pdz_xl.changeset import Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.money import from_decimal_str
from pdz_xl.triennial.build import TRIENNIAL_SHEET, triennial_changeset
from pdz_xl.triennial.fdp import export_fdp
from pdz_xl.triennial.projections import Projection, projections_sheet
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


def _with_projections(src, dest, projections):
    apply_changeset(src, Changeset(sheets=[projections_sheet(projections)]), dest)
    return dest


def _generate(src, dest, per):
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), per=per, generated_on="2026-11-22")
    apply_changeset(src, cs, dest)
    return data


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


@pytest.fixture(scope="module")
def triennial_2018(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("t18")
    projections = [
        Projection(kind="costo", key="obiettivo:12", label="12: VIOLENZA DI GENERE",
                   rule="importi", year2=1_500_000, year3=1_500_000),
        Projection(kind="costo", key="obiettivo:13", label="13: PROTEZIONE GIURIDICA",
                   rule="importi", year2=3_000_000, year3=3_000_000),
        Projection(kind="costo", key="obiettivo:14", label="14: SERVIZI ABITATIVI",
                   rule="importi", year2=15_011_823, year3=15_011_823),
        Projection(kind="ricavo", key="ALTRI_FONDI", label="ALTRI FONDI", rule="bilancia"),
    ]
    src = _with_projections(PO2018, tmp / "p18.xlsx", projections)
    out = tmp / "t18.xlsx"
    data = _generate(src, out, "obiettivo")
    return src, out, data


def test_2018_costs_equal_the_document(triennial_2018):
    _src, out, _data = triennial_2018
    got = _table(out, "COSTI PER OBIETTIVO")
    want = [(r["voce"], [cents(r[k]) for k in ("anno_2018", "anno_2019", "anno_2020",
                                                "triennio")])
            for r in rows("po2018_triennale_costi.csv")]
    assert [v for _, v in got] == [v for _, v in want]  # 15 obiettivi + TOTALE, to the cent
    assert [label.split(":")[0] for label, _ in got[:15]] == [str(n) for n in range(1, 16)]


def test_2018_revenues_equal_the_document(triennial_2018):
    _src, out, _data = triennial_2018
    got = _table(out, "RICAVI PER CANALE")
    want = [(r["voce"], [cents(r[k]) for k in ("anno_2018", "anno_2019", "anno_2020",
                                                "triennio")])
            for r in rows("po2018_triennale_canali.csv")]
    assert [label for label, _ in got[:-1]] == [label for label, _ in want[:-1]]
    assert [v for _, v in got] == [v for _, v in want]


def test_2018_libreoffice_recalculates_to_our_cached_values(triennial_2018):
    _src, out, _data = triennial_2018
    assert formula_mismatches(out, sheets=[TRIENNIAL_SHEET]) == []


def test_2021_costs_per_area_equal_the_pluriennale(tmp_path):
    plan = detect_plan(read_workbook(PP2021))
    lines = {}
    for ln in plan.lines:
        area = ln.groups[0].text
        lines[area] = lines.get(area, 0) + ln.amount(2021)
    projections = []
    for r in rows("pp2021_pluriennale.csv")[:-1]:
        stated = cents(r["budget_2021"])
        # year 1: the document's own figure where it differs from its lines (documented)
        projections.append(Projection(
            kind="costo", key="", label=r["area"], rule="importi",
            year1=stated if stated != lines[r["area"]] else None,
            year2=cents(r["budget_2022"]), year3=cents(r["budget_2023"])))
    src = _with_projections(PP2021, tmp_path / "p21.xlsx", projections)
    out = tmp_path / "t21.xlsx"
    _generate(src, out, "area")
    got = _table(out, "COSTI PER AREA")
    want = [(r["area"], [cents(r[k]) for k in ("budget_2021", "budget_2022", "budget_2023")])
            for r in rows("pp2021_pluriennale.csv")]
    assert [(label, v[:3]) for label, v in got[:-1]] == want[:-1]
    assert got[-1][1][:3] == want[-1][1]
    assert formula_mismatches(out, sheets=[TRIENNIAL_SHEET]) == []


def test_generating_twice_gives_the_same_sheet_and_leaves_the_rest(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    a, b = (tmp_path / d / PO2018.name for d in ("a", "b"))
    _generate(PO2018, a, "obiettivo")
    _generate(a, b, "obiettivo")
    assert a.read_bytes() == b.read_bytes()
    before = openpyxl.load_workbook(PO2018)
    after = openpyxl.load_workbook(b)
    assert after.sheetnames.count(TRIENNIAL_SHEET) == 1
    for name in before.sheetnames:
        for row_a, row_b in zip(before[name].iter_rows(), after[name].iter_rows(),
                                strict=True):
            assert [c.value for c in row_a] == [c.value for c in row_b], name


def test_chart_is_there(tmp_path):
    import zipfile

    out = tmp_path / "c.xlsx"
    _generate(PO2018, out, "obiettivo")
    names = zipfile.ZipFile(out).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 2
    assert openpyxl.load_workbook(out)[TRIENNIAL_SHEET]._charts is not None


def test_fiscal_data_package_validates(tmp_path, triennial_2018):
    from frictionless import Package

    _src, _out, data = triennial_2018
    path = export_fdp(data, tmp_path / "fdp", "Piano triennale 2018-2020")
    report = Package(str(path)).validate()
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads(path.read_text())
    assert descriptor["model"]["measures"]["importo"]["currency"] == "EUR"
    text = (tmp_path / "fdp" / "piano-triennale.csv").read_text()
    assert "expenditure" in text and "revenue" in text and "proposed" in text

"""The triennial sheet on the sample workbooks, with nothing typed: the documents' own
three-year tables reproduced to the cent (2018 costs and revenues per channel, 2021
pluriennale per area), year 1's source visible, sound defaults for what the workbook does
not say (avanzo in year 1 only, labels without years, the balancing channel shown), live
formulas LibreOffice recalculates to the same cents, byte-identical regeneration, and the
Fiscal Data Package valid."""

import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from pdz_xl.changeset import Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import TRIENNIAL_SHEET, triennial_changeset
from pdz_xl.triennial.confronto import CONFRONTO_SHEET
from pdz_xl.triennial.fdp import export_fdp
from pdz_xl.triennial.projections import PROJECTIONS_SHEET
from pdz_xl.validate import validate_plan
from pdz_xl.validate.config import config_for_grid
from tests.support.libreoffice import assert_cached_equals_recalculated, formula_mismatches
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
DATE = "2026-11-22"


def _generate(src, dest, per=None, **kw):
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), per=per, generated_on=DATE, **kw)
    apply_changeset(src, cs, dest)
    return cs, data


def _table(path, title, years):
    """The rows under the header ``title``: (label, [year..., TRIENNIO]) in cents."""
    ws = openpyxl.load_workbook(path, data_only=True)[TRIENNIAL_SHEET]
    out, header = [], None
    for r in ws.iter_rows(values_only=True):
        if r[0] == title:
            header = list(r)
            continue
        if header is not None:
            if r[0] is None:
                break
            idx = [header.index(f"ANNO {y}") for y in years] + [header.index("TRIENNIO")]
            out.append((r[0], [int(Decimal(repr(r[i])) * 100) for i in idx]))
    return out


def _oracle(name, label, keys):
    return [(r[label], [cents(r[k]) for k in keys]) for r in rows(name)]


@pytest.fixture(scope="module")
def out2018(tmp_path_factory):
    out = tmp_path_factory.mktemp("t18") / "t18.xlsx"
    cs, data = _generate(PO2018, out)
    return out, data, cs


@pytest.fixture(scope="module")
def out2021(tmp_path_factory):
    out = tmp_path_factory.mktemp("t21") / "t21.xlsx"
    cs, data = _generate(PP2021, out)
    return out, data, cs


def test_2018_reproduces_the_preventivo_triennale_with_nothing_typed(out2018):
    out, data, _cs = out2018
    keys = ("anno_2018", "anno_2019", "anno_2020", "triennio")
    costs = _table(out, "COSTI PER OBIETTIVO", [2018, 2019, 2020])
    revenues = _table(out, "RICAVI PER CANALE", [2018, 2019, 2020])
    want_costs = _oracle("po2018_triennale_costi.csv", "voce", keys)
    want_revenues = _oracle("po2018_triennale_canali.csv", "voce", keys)
    assert [v for _, v in costs] == [v for _, v in want_costs]  # 15 obiettivi + TOTALE
    assert [v for _, v in revenues] == [v for _, v in want_revenues]  # 9 channels + TOTALE
    assert [label for label, _ in revenues[:-1]] == [label for label, _ in want_revenues[:-1]]
    assert [label.split(":")[0] for label, _ in costs[:15]] == [str(n) for n in range(1, 16)]
    figures = [v for _, vs in want_costs + want_revenues for v in vs if v]
    assert len(figures) == 102 and len(set(figures)) == 51  # every non-zero figure
    assert data.balance() == [0, 0, 0]
    assert data.seeded_from == ["Preventivo triennale"]
    assert not any(r.balancing for r in data.revenues)  # the table says it all


def test_2021_reproduces_the_budget_pluriennale_with_nothing_typed(out2021):
    out, data, _cs = out2021
    got = _table(out, "COSTI PER AREA", [2021, 2022, 2023])
    want = _oracle("pp2021_pluriennale.csv", "area", ("budget_2021", "budget_2022",
                                                      "budget_2023"))
    assert [(label, v[:3]) for label, v in got[:-1]] == want[:-1]
    assert got[-1][0] == "TOTALE COSTI" and got[-1][1][:3] == want[-1][1]  # TOTALE BUDGET
    assert data.seeded_from == ["Budget pluriennale"]


def test_2021_year_1_says_where_it_comes_from_next_to_the_figure(out2021):
    out, data, cs = out2021
    by_label = {r.label: r for r in data.costs}
    progettazione = by_label["AREA PROGETTAZIONE"]
    assert progettazione.source.kind == "dichiarato"
    flag = progettazione.source.flag
    assert (flag.severity, flag.code, flag.cell) == ("errore", "PDZ201", "Progettazione!C31")
    assert (flag.stated, flag.lines) == (66_780_008, 24_605_557)
    aziendali = by_label["AREA SERVIZI AZIENDALI"]  # no TOTALE AREA: the pluriennale states it
    assert aziendali.source.kind == "tabella"
    assert aziendali.source.refs == [("Budget pluriennale!B4", 1, 168_912_745)]
    assert (aziendali.source.flag.severity, aziendali.source.flag.lines) == ("avviso",
                                                                          168_912_744)
    # validation reports each flagged cell with the same code
    grid = read_workbook(PP2021)
    plan = detect_plan(grid)
    findings = {(f.code, f.cell): f for f in validate_plan(plan, config_for_grid(grid))}
    for r in data.costs:
        for source in (r.source, r.comparison_source):
            if source and source.flag:
                f = findings[(source.flag.code, source.flag.cell)]
                assert (f.severity == "errore") == (source.flag.severity == "errore")
    # in the sheet: the cell is filled and carries the note; the row says it on the page
    ws = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    row = next(r for r in range(6, 12) if ws[f"A{r}"].value == "AREA PROGETTAZIONE")
    cell = ws[f"C{row}"]
    assert ws["C5"].value == "ANNO 2021" and cell.value == "=Progettazione!C31"
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "246.055,57" in cell.comment.text and "PDZ201" in cell.comment.text
    assert "errore PDZ201" in ws[f"I{row}"].value
    assert any("AREA PROGETTAZIONE" in s and "246.055,57" in s for s in cs.summary)


def test_2021_comparison_year_variation_and_share(out2021):
    out, data, _cs = out2021
    cached = openpyxl.load_workbook(out, data_only=True)[TRIENNIAL_SHEET]
    ws = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    assert [ws[f"{c}5"].value for c in "ABCDEFGHI"] == [
        "COSTI PER AREA", "ANNO 2020", "ANNO 2021", "VAR. %", "ANNO 2022", "ANNO 2023",
        "TRIENNIO", "QUOTA %", "FONTE E NOTE"]
    totals = {r["area"]: r for r in rows("pp2021_totals.csv") if not r["servizio"]}
    lines = rows("pp2021_lines.csv")
    for i, r in enumerate(data.costs, start=6):
        stated = totals.get(r.label)
        want = cents(stated["totale_dichiarato_2020"]) if stated else \
            sum(cents(x["budget_2020"]) or 0 for x in lines if x["area"] == r.label)
        assert r.comparison == want, r.label
        assert ws[f"D{i}"].value == f"=C{i}/B{i}-1"
        assert cached[f"D{i}"].value == pytest.approx(r.years[0] / want - 1, abs=1e-12)
        assert cached[f"H{i}"].value == pytest.approx(r.total / sum(sum(x.years)
                                                                    for x in data.costs))
        assert ws[f"D{i}"].number_format == "0.0%"


def test_2021_defaults_avanzo_only_in_year_1_and_labels_without_years(out2021):
    _out, data, _cs = out2021
    revenues = {r.key: r for r in data.revenues}
    for code in ("AVANZO_VINCOLATO", "AVANZO_NON_VINCOLATO"):
        assert revenues[code].years[0] > 0 and revenues[code].years[1:] == [0, 0]
        assert revenues[code].projection.rule == "solo_anno1"
    assert [r.label for r in data.revenues] == [
        "Avanzo gestionale vincolato", "Avanzo gestionale - non vincolato", "FNPS", "FSOL",
        "FSR", "Comuni", "ALTRI FONDI PROGETTUALI", "FONDI ATS"]  # the column header
    assert revenues["FNPS"].years == [45_500_000] * 3


def test_2021_balancing_channel_is_shown_with_what_it_absorbs_and_why(out2021):
    out, data, cs = out2021
    bal = data.balancing_row()
    assert bal.key == "ALTRI_FONDI_PROGETTUALI"
    avanzo = sum(r.years[0] for r in data.revenues if r.projection.rule == "solo_anno1")
    growth = [data.cost_totals()[k] - data.cost_totals()[0] for k in (1, 2)]
    assert bal.absorbed == [growth[0] + avanzo, growth[1] + avanzo]
    assert bal.absorbed == [206_193_081, 261_193_081]
    assert data.balance() == [0, 0, 0]
    said = [s for s in cs.summary if s.startswith("«ALTRI FONDI PROGETTUALI» pareggia")]
    assert len(said) == 2 and "2.061.930,81" in said[0] and "1.881.545,12" in said[0]
    ws = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    cached = openpyxl.load_workbook(out, data_only=True)[TRIENNIAL_SHEET]
    row = next(r for r in range(20, 40) if str(ws[f"A{r}"].value).startswith("di cui a "
                                                                            "pareggio"))
    bal_row = next(r for r in range(20, 40) if ws[f"A{r}"].value == bal.label)
    assert ws[f"E{row}"].value == f"=E{bal_row}-$C${bal_row}"
    assert cached[f"E{row}"].value == pytest.approx(2_061_930.81)
    assert "2.061.930,81" in ws[f"E{row}"].comment.text
    assert ws[f"E{row}"].fill.fgColor.rgb.endswith("FFEB9C")


def test_ente_comes_from_the_pdz_sheet_else_the_file_name(out2018, tmp_path):
    out, data, _cs = out2018
    assert data.ente == "piano_operativo_2018"
    ws = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    assert ws["A2"].value == "Ente: piano_operativo_2018"
    stated = tmp_path / "ente.xlsx"
    from pdz_xl.changeset import CellWrite, OwnedSheet

    apply_changeset(PO2018, Changeset(sheets=[OwnedSheet(name="_pdz", cells=[
        CellWrite(cell="A1", value="ente"), CellWrite(cell="B1", value="Ambito di Crema & C.")
    ])]), stated)
    grid = read_workbook(stated)
    plan = detect_plan(grid)
    assert not any(n.code == "PDZ010" for n in plan.notes)  # a known key
    cs, data = triennial_changeset(grid, plan)
    assert data.ente == "Ambito di Crema & C."
    page = cs.sheets[0].page
    assert page.header.startswith("&L&BAmbito di Crema && C.&B")  # «&» doubled for Excel
    assert "&P" in page.footer and "&N" in page.footer and "&D" in page.footer
    _cs, data = triennial_changeset(grid, plan, ente="Ente scritto")
    assert data.ente == "Ente scritto"


@pytest.mark.libreoffice
@pytest.mark.parametrize("fixture", ["out2018", "out2021"])
def test_libreoffice_recalculates_every_sheet_to_our_cached_values(fixture, request):
    out, _data, _cs = request.getfixturevalue(fixture)
    assert_cached_equals_recalculated(out)  # ours (3 sheets) and the sample's
    formulas = openpyxl.load_workbook(out)
    counted = sum(1 for name in (TRIENNIAL_SHEET, PROJECTIONS_SHEET, CONFRONTO_SHEET)
                  if name in formulas.sheetnames
                  for row in formulas[name].iter_rows() for c in row
                  if isinstance(c.value, str) and c.value.startswith("="))
    assert counted > 120


@pytest.mark.libreoffice
def test_a_wrong_cached_value_in_our_sheet_is_caught(out2021, tmp_path):
    out, _data, cs = out2021
    owned = cs.sheets[0]
    target = next(c for c in owned.cells if c.cell == "E8")  # AREA PROGETTAZIONE, 2022
    assert target.formula
    bad = owned.model_copy(update={"cells": [
        c.model_copy(update={"value": c.value + 1}) if c is target else c
        for c in owned.cells]})
    broken = tmp_path / "broken.xlsx"
    apply_changeset(out, Changeset(sheets=[bad]), broken)
    problems = formula_mismatches(broken, sheets=[TRIENNIAL_SHEET])
    assert len(problems) == 1 and problems[0].startswith(f"{TRIENNIAL_SHEET}!E8"), problems


@pytest.mark.parametrize("sample", [PO2018, PP2021], ids=["2018", "2021"])
def test_generating_twice_gives_the_same_bytes_and_leaves_the_rest(sample, tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    a, b = (tmp_path / d / sample.name for d in ("a", "b"))
    first, _ = _generate(sample, a)
    second, _ = _generate(a, b)
    names = [s.name for s in first.sheets]
    assert names[0] == TRIENNIAL_SHEET and names[-1] == PROJECTIONS_SHEET
    assert PROJECTIONS_SHEET not in [s.name for s in second.sheets]  # the user's now
    assert first.sheets[0] == second.sheets[0]
    assert a.read_bytes() == b.read_bytes()
    before = openpyxl.load_workbook(sample)
    before_cached = openpyxl.load_workbook(sample, data_only=True)
    after = openpyxl.load_workbook(b)
    after_cached = openpyxl.load_workbook(b, data_only=True)
    assert after.sheetnames[:len(before.sheetnames)] == before.sheetnames
    assert set(after.sheetnames) - set(before.sheetnames) == set(names)
    for name in before.sheetnames:
        cells_before = [(c.coordinate, c.value, c.number_format) for row in
                        before[name].iter_rows() for c in row]
        cells_after = [(c.coordinate, c.value, c.number_format) for row in
                       after[name].iter_rows() for c in row]
        assert cells_before == cells_after, name
        assert [c.value for row in before_cached[name].iter_rows() for c in row] == \
            [c.value for row in after_cached[name].iter_rows() for c in row], name


def test_year_1_from_the_lines_on_request(tmp_path):
    _cs, data = _generate(PP2021, tmp_path / "r21.xlsx", "area", year1="righe")
    plan = detect_plan(read_workbook(PP2021))
    lines = {}
    for ln in plan.lines:
        lines[ln.groups[0].text] = lines.get(ln.groups[0].text, 0) + ln.amount(2021)
    assert {r.label: r.years[0] for r in data.costs} == lines
    assert all(r.source.kind == "righe" and r.source.flag is None for r in data.costs)
    # the pluriennale still gives years 2 and 3
    assert [r.years[1] for r in data.costs] == [cents(r["budget_2022"]) for r in
                                                rows("pp2021_pluriennale.csv")[:-1]]


def test_charts_are_native_below_the_table(out2018):
    out, _data, _cs = out2018
    names = zipfile.ZipFile(out).namelist()
    charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
    assert len(charts) == 2
    xml = [zipfile.ZipFile(out).read(n).decode() for n in charts]
    assert sum("<c:barChart>" in x for x in xml) == 1 and sum("<c:pieChart>" in x for x in xml) == 1
    assert all(f"'{TRIENNIAL_SHEET}'!$A$" in x for x in xml)


def test_fiscal_data_package_validates(tmp_path, out2018):
    from frictionless import Package

    _out, data, _cs = out2018
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


def test_fiscal_data_package_with_a_wrong_amount_is_invalid(tmp_path, out2018):
    from frictionless import Package

    _out, data, _cs = out2018
    path = export_fdp(data, tmp_path / "fdp", "Piano triennale 2018-2020")
    csv_path = tmp_path / "fdp" / "piano-triennale.csv"
    csv_path.write_text(csv_path.read_text().replace(",30000.00", ",30000.00 euro", 1))
    assert not Package(str(path)).validate().valid

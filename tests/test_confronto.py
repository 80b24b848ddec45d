"""«Confronto PDZ»: the plan year against the comparison year per group and per channel,
difference and variation, from the same reading as «Triennale PDZ» (its formulas point
there), recalculated by LibreOffice to the same cents; no comparison year, no sheet."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import TRIENNIAL_SHEET, triennial_changeset
from pdz_xl.triennial.confronto import CONFRONTO_SHEET
from tests.support.libreoffice import assert_cached_equals_recalculated
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


@pytest.fixture(scope="module")
def confronto(tmp_path_factory):
    out = tmp_path_factory.mktemp("c") / "c21.xlsx"
    grid = read_workbook(PP2021)
    cs, data = triennial_changeset(grid, detect_plan(grid))
    apply_changeset(PP2021, cs, out)
    return out, cs, data


def _section(ws, title):
    out, inside = [], False
    for r in range(1, ws.max_row + 1):
        label = ws[f"A{r}"].value
        if label == title:
            inside = True
            continue
        if inside:
            out.append(r)
            if str(label).startswith("TOTALE"):
                break
    return out


def test_per_area_the_2020_and_2021_figures_difference_and_variation(confronto):
    out, _cs, data = confronto
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb[CONFRONTO_SHEET]
    assert ws["A1"].value == "CONFRONTO 2020-2021"
    assert [ws.cell(5, c).value for c in range(1, 7)] == [
        "COSTI PER AREA", "ANNO 2020", "ANNO 2021", "DIFFERENZA", "VAR. %", "QUOTA % 2021"]
    stated = {r["area"]: r for r in rows("pp2021_totals.csv") if not r["servizio"]}
    lines = rows("pp2021_lines.csv")
    section = _section(ws, "COSTI PER AREA")
    assert len(section) == len(data.costs) + 1
    for r in section[:-1]:
        area = ws[f"A{r}"].value
        total = stated.get(area)
        before = cents(total["totale_dichiarato_2020"]) if total else \
            sum(cents(x["budget_2020"]) or 0 for x in lines if x["area"] == area)
        now = cents(rows("pp2021_pluriennale.csv")[[x["area"] for x in rows(
            "pp2021_pluriennale.csv")].index(area)]["budget_2021"])
        assert round(ws[f"B{r}"].value * 100) == before, area
        assert round(ws[f"C{r}"].value * 100) == now, area
        assert round(ws[f"D{r}"].value * 100) == now - before
        assert ws[f"E{r}"].value == pytest.approx(float(Decimal(now) / before - 1))
    total_row = section[-1]
    assert ws[f"A{total_row}"].value == "TOTALE COSTI"
    assert round(ws[f"C{total_row}"].value * 100) == 1_244_791_848  # TOTALE BUDGET 2021
    assert round(ws[f"B{total_row}"].value * 100) == sum(r.comparison for r in data.costs)
    assert ws[f"F{total_row}"].value == 1


def test_formulas_point_at_the_triennial_sheet(confronto):
    out, _cs, _data = confronto
    ws = openpyxl.load_workbook(out)[CONFRONTO_SHEET]
    assert ws["A6"].value == f"='{TRIENNIAL_SHEET}'!A6"
    assert ws["B6"].value == f"='{TRIENNIAL_SHEET}'!B6"
    assert ws["C6"].value == f"='{TRIENNIAL_SHEET}'!C6"
    assert ws["D6"].value == "=C6-B6" and ws["E6"].value == "=C6/B6-1"
    assert ws["B6"].number_format.startswith("_-[$€-410]") and ws["E6"].number_format == \
        "0.0%"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$3"


def test_channels_without_a_2020_figure_say_so(confronto):
    out, _cs, data = confronto
    ws = openpyxl.load_workbook(out, data_only=True)[CONFRONTO_SHEET]
    section = _section(ws, "RICAVI PER CANALE")
    assert len(section) == len(data.revenues) + 1
    assert all(ws[f"B{r}"].value == "n.d." for r in section)
    assert round(ws[f"C{section[-1]}"].value * 100) == 1_244_791_848  # TOTALE PO 2021
    note = ws[f"A{section[-1] + 1}"].value
    assert note == "la cartella non ha importi del 2020 per canale"


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_comparison(confronto):
    out, _cs, _data = confronto
    assert_cached_equals_recalculated(out, sheets=[CONFRONTO_SHEET])


def test_no_comparison_year_no_sheet():
    grid = read_workbook(PO2018)
    plan = detect_plan(grid)
    assert plan.comparison_year is None
    cs, data = triennial_changeset(grid, plan)
    assert CONFRONTO_SHEET not in [s.name for s in cs.sheets]
    assert not data.has_comparison()


def test_a_channel_with_a_comparison_figure_is_compared():
    """A revenue table with the comparison year (2018's, read as if 2019 were the plan
    year and 2018 its comparison) gives per-channel differences."""
    grid = read_workbook(PO2018)
    plan = detect_plan(grid)
    moved = plan.model_copy(update={"plan_year": 2019, "comparison_year": 2018,
                                    "years": [2018, 2019]})
    _cs, data = triennial_changeset(grid, moved)
    altri = next(r for r in data.revenues if r.key == "ALTRI_FONDI")
    assert (altri.comparison, altri.years[0]) == (65_690_730, 72_690_730)
    from pdz_xl.triennial.confronto import confronto_sheet

    sheet = confronto_sheet(data)
    cells = {c.cell: c for c in sheet.cells}
    row = next(int(c.cell[1:]) for c in sheet.cells if c.cell.startswith("A")
               and c.value == "ALTRI FONDI")
    assert cells[f"D{row}"].value == Decimal("70000.00")

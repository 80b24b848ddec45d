"""The worksheet functions of the triennium through the real xlwings dispatch: PDZ_TOTAL
and PDZ_TRIENNIO say which year-1 source they use and offer the other (argument
``fonte``), and with the same source they give the same figure as «Triennale PDZ»."""

from __future__ import annotations

import pytest

from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.query import BudgetQuery, QueryError
from tests.support.oracles import REPO, cents, rows
from tests.test_excel_functions import call, stacked

pytestmark = pytest.mark.xlwings

PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"


@pytest.fixture(scope="module")
def budget2021() -> list[list[object]]:
    return stacked(PP2021)


@pytest.fixture(scope="module")
def core2021() -> BudgetQuery:
    return BudgetQuery.from_grid(read_workbook(PP2021))


def test_the_help_names_the_source_argument():
    from xlwings.server import custom_functions_meta

    import udfs.functions as functions

    meta = {f["name"]: f for f in custom_functions_meta(functions)["functions"]}
    for name in ("PDZ_TOTAL", "PDZ_TRIENNIO"):
        params = {p["name"]: p for p in meta[name]["parameters"]}
        assert "fonte" in params
        assert "righe" in params["fonte"]["description"]
        assert "dichiarati" in params["fonte"]["description"]
        assert "dichiarat" in meta[name]["description"]
    assert "Vuoto: «righe»" in {p["name"]: p for p in meta["PDZ_TOTAL"]["parameters"]}[
        "fonte"]["description"]


def test_total_and_triennio_agree_once_the_source_is_the_same(budget2021, core2021):
    lines = rows("pp2021_lines.csv")
    pluriennale = {r["area"]: r for r in rows("pp2021_pluriennale.csv")}
    for area in {r["area"] for r in lines}:
        summed = sum(cents(r["budget_2021"]) or 0 for r in lines if r["area"] == area)
        stated = cents(pluriennale[area]["budget_2021"])
        assert call("PDZ_TOTAL", budget2021, area) == summed / 100  # default: the lines
        assert call("PDZ_TOTAL", budget2021, area, None, None, "righe") == summed / 100
        assert call("PDZ_TOTAL", budget2021, area, None, None, "dichiarati") == stated / 100
        default = call("PDZ_TRIENNIO", budget2021, area)[0]
        assert default[0] == stated / 100  # default: as the sheet, the stated figure
        assert call("PDZ_TRIENNIO", budget2021, area, None, "righe")[0][0] == summed / 100
        assert default[1:3] == [cents(pluriennale[area]["budget_2022"]) / 100,
                                cents(pluriennale[area]["budget_2023"]) / 100]
        sheet = next(r for r in core2021.triennial.costs if r.label == area)
        assert default == [*(c / 100 for c in sheet.years), sheet.total / 100]
    # the one the issue names: AREA PROGETTAZIONE, 246.055,57 summed, 667.800,08 stated
    assert call("PDZ_TOTAL", budget2021, "AREA PROGETTAZIONE") == 246055.57
    assert call("PDZ_TOTAL", budget2021, "AREA PROGETTAZIONE", None, None, "dichiarati") == \
        667800.08


def test_stated_totals_below_the_area_and_in_other_years(budget2021):
    totals = {r["servizio"]: r for r in rows("pp2021_totals.csv") if r["servizio"]}
    lines = rows("pp2021_lines.csv")
    for servizio, t in totals.items():
        for year in ("2020", "2021"):
            stated = cents(t[f"totale_dichiarato_{year}"])
            summed = sum(cents(r[f"budget_{year}"]) or 0 for r in lines
                         if r["servizio"] == servizio)
            assert call("PDZ_TOTAL", budget2021, servizio, None, int(year)) == summed / 100
            assert call("PDZ_TOTAL", budget2021, servizio, None, int(year), "dichiarati") \
                == stated / 100, (servizio, year)
    # 2020 of an area: its TOTALE row (AREA PROGETTAZIONE 916.161,15, lines 291.133,16)
    assert call("PDZ_TOTAL", budget2021, "AREA PROGETTAZIONE", None, 2020, "dichiarati") == \
        916161.15
    # a group with nothing stated: the lines in both
    azione = "Azione 1: Progetti distrettuali"
    assert call("PDZ_TOTAL", budget2021, azione, None, None, "dichiarati") == \
        call("PDZ_TOTAL", budget2021, azione)


def test_a_bad_source_is_an_italian_error(core2021):
    with pytest.raises(QueryError, match="fonte «boh» non valida"):
        core2021.total("AREA PROGETTAZIONE", fonte="boh")
    with pytest.raises(QueryError, match="fonte «boh» non valida"):
        core2021.triennial_row("AREA PROGETTAZIONE", fonte="boh")
    assert core2021.total("AREA PROGETTAZIONE", fonte="Dichiarati") == 66_780_008
    assert core2021.total(fonte="dichiarati") == core2021.total()  # the whole budget: lines


def test_2018_years_two_and_three_come_from_the_workbook_table():
    budget = stacked(PO2018)
    for r in rows("po2018_triennale_costi.csv")[:-1]:
        number = r["voce"].split(":")[0]
        got = call("PDZ_TRIENNIO", budget, f"obiettivo {number}")[0]
        assert got == [cents(r[k]) / 100 for k in ("anno_2018", "anno_2019", "anno_2020",
                                                   "triennio")]

"""The worksheet functions through the real xlwings dispatch
(``xlwings.server.custom_functions_call``), with the request Office.js sends (args as 2D
lists, ``caller_address``, culture it-IT): their numbers equal the core's, the oracles'
and the CLI's on both samples."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pdz_xl.cli.app import app
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.query import BudgetQuery, QueryError
from tests.support.oracles import rows
from tests.support.variants import Variant, build
from tests.support.xlwings_payload import function_call, sheet_values

pytestmark = pytest.mark.xlwings

ROOT = Path(__file__).resolve().parents[1]
PO2018 = ROOT / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = ROOT / "workbooks" / "piano_programma_2021.xlsx"
FUNCTIONS = ["PDZ_BUDGET", "PDZ_TOTAL", "PDZ_DISPONIBILE", "PDZ_ALLOCATO", "PDZ_RESIDUO",
             "PDZ_QUOTA", "PDZ_CONTROLLI", "PDZ_RILIEVI", "PDZ_TRIENNIO"]


def call(func: str, *args: object, caller: str = "Analisi!B2") -> object:
    """One cell's call through xlwings' dispatch; a scalar result is unwrapped. Each call
    has its own event loop here: a server or Lite has one for all (the benchmark's way)."""
    from xlwings.server import Caller, caller_from_address, custom_functions_call

    import udfs.functions as functions

    declared = len(getattr(functions, func.lower()).__xlfunc__["args"])
    padded = list(args) + [None] * (declared - len(args))  # Office.js sends every param
    data = json.loads(json.dumps(function_call(func.lower(), padded, caller)))
    result = asyncio.run(custom_functions_call(
        data, functions,
        typehint_to_value={Caller: caller_from_address(data["caller_address"])}))
    if isinstance(result, list) and len(result) == 1 and len(result[0]) == 1:
        return result[0][0]
    return result


def stacked(path: Path, skip: tuple[str, ...] = ("Regole PDZ",)) -> list[list[object]]:
    """The visible sheets one under the other, as ``=VSTACK(...)`` (padded with "") hands
    them to a function."""
    wb = openpyxl.load_workbook(path, data_only=True)
    blocks = [sheet_values(ws) for ws in wb.worksheets
              if ws.sheet_state == "visible" and ws.title not in skip]
    width = max(len(r) for b in blocks for r in b)
    return [list(r) + [""] * (width - len(r)) for b in blocks for r in b]


def sheet_range(path: Path, name: str) -> list[list[object]]:
    return sheet_values(openpyxl.load_workbook(path, data_only=True)[name])


def euros(text: str) -> float:
    return float(Decimal(text))


@pytest.fixture(scope="module")
def budget2021() -> list[list[object]]:
    return stacked(PP2021)


@pytest.fixture(scope="module")
def budget2018() -> list[list[object]]:
    return stacked(PO2018)


@pytest.fixture(scope="module")
def core2021() -> BudgetQuery:
    return BudgetQuery.from_grid(read_workbook(PP2021))


def test_functions_are_registered_with_italian_help():
    from xlwings.server import custom_functions_meta

    import udfs.functions as functions

    meta = {f["name"]: f for f in custom_functions_meta(functions)["functions"]}
    assert sorted(meta) == sorted(FUNCTIONS)
    for f in meta.values():
        names = [p["name"] for p in f["parameters"]]
        assert names[0] == "budget" and "caller" not in names
        assert all(p.get("optional") for p in f["parameters"])
        assert "budget" in f["parameters"][0]["description"].lower()
        if f["name"] != "PDZ_BUDGET":
            assert "PDZ_BUDGET" in f["parameters"][0]["description"]
        assert f["description"] and not f["description"].startswith("Python function")
    assert [p["name"] for p in meta["PDZ_TOTAL"]["parameters"]] == \
        ["budget", "gruppo", "canale", "anno", "fonte"]


def test_total_2021_equals_the_oracle_lines(budget2021):
    lines = rows("pp2021_lines.csv")
    for year in ("2020", "2021"):
        expected = sum(Decimal(r[f"budget_{year}"] or 0) for r in lines)
        assert call("PDZ_TOTAL", budget2021, None, None, int(year)) == float(expected)
    assert call("PDZ_TOTAL", budget2021) == float(sum(Decimal(r["budget_2021"] or 0)
                                                      for r in lines))
    for area in {r["area"] for r in lines}:
        expected = sum(Decimal(r["budget_2021"] or 0) for r in lines if r["area"] == area)
        assert call("PDZ_TOTAL", budget2021, area) == float(expected), area
    for (servizio, channel) in {(r["servizio"], c) for r in lines if r["servizio"]
                                for c in ("FNPS", "FSR", "COMUNI")}:
        expected = sum(Decimal(r[channel] or 0) for r in lines if r["servizio"] == servizio)
        assert call("PDZ_TOTAL", budget2021, servizio, channel) == float(expected)


def test_total_2018_obiettivi_equal_the_documents_triennial_table(budget2018):
    """Year 1 as the document's triennial table; later years as «Genera triennale» makes
    them without a «Proiezioni PDZ» sheet (come anno 1) — the core's numbers."""
    core = BudgetQuery.from_grid(read_workbook(PO2018))
    for r in rows("po2018_triennale_costi.csv")[:-1]:
        number = r["voce"].split(":")[0]
        assert call("PDZ_TOTAL", budget2018, f"Obiettivo {number}") == euros(r["anno_2018"])
        row = call("PDZ_TRIENNIO", budget2018, f"obiettivo {number}")
        assert row[0][0] == euros(r["anno_2018"])
        assert row == [[c / 100 for c in core.triennial_row(f"obiettivo {number}")]]


def test_channel_functions_equal_the_core_on_2021(budget2021, core2021):
    for code in core2021.plan.channel_codes:
        assert call("PDZ_DISPONIBILE", budget2021, code) == core2021.available(code) / 100
        assert call("PDZ_ALLOCATO", budget2021, code) == core2021.allocated(code) / 100
        assert call("PDZ_RESIDUO", budget2021, code) == core2021.residual(code) / 100
        assert call("PDZ_QUOTA", budget2021, code, "SERVIZIO TM") == \
            float(core2021.share(code, "SERVIZIO TM"))
    # what validation reports as left unused (PDZ403) is what PDZ_RESIDUO says
    assert call("PDZ_RESIDUO", budget2021, "Avanzo 2020 vincolato") == 248386.40
    assert call("PDZ_RESIDUO", budget2021, "AVANZO NON VINCOLATO") == 23000.00
    assert call("PDZ_RESIDUO", budget2021, "altri fondi progettuali") == 150358.11
    assert call("PDZ_RESIDUO", budget2021, "F.N.P.S.") == 0


def test_triennio_2021_equals_the_core(budget2021, core2021):
    header, row = call("PDZ_TRIENNIO", budget2021, None, True)
    assert header == ["2021", "2022", "2023", "Triennio"]
    assert row == [c / 100 for c in core2021.triennial_row()]
    for r in core2021.triennial.costs + core2021.triennial.revenues:
        assert call("PDZ_TRIENNIO", budget2021, r.label) == [[*(c / 100 for c in r.years),
                                                              r.total / 100]]


def test_a_sheet_range_counts_the_lines_of_that_sheet(core2021):
    values = sheet_range(PP2021, "Progettazione")
    expected = sum(ln.amount(2021) for ln in core2021.plan.lines
                   if ln.sheet == "Progettazione")
    assert call("PDZ_TOTAL", values) == expected / 100
    assert call("PDZ_TOTAL", values, "AREA PROGETTAZIONE", None, 2020) == sum(
        ln.amount(2020) for ln in core2021.plan.lines if ln.sheet == "Progettazione") / 100


def test_checks_and_findings_equal_the_cli_on_a_one_sheet_budget(tmp_path: Path):
    path = build(tmp_path / "un-foglio.xlsx", Variant(one_sheet=True))
    values = sheet_range(path, "Budget 2021")
    result = CliRunner().invoke(app, ["valida", "--json", str(path)])
    report = json.loads(result.stdout)
    e, a = report["errori"], report["avvisi"]
    words = ([f"{e} {'errore' if e == 1 else 'errori'}"] if e else []) + \
        ([f"{a} {'avviso' if a == 1 else 'avvisi'}"] if a else [])
    assert call("PDZ_CONTROLLI", values) == (", ".join(words) or "OK")
    findings = call("PDZ_RILIEVI", values)
    findings = findings if isinstance(findings, list) else [[findings]]
    assert findings[0] == ["Gravità", "Codice", "Cella", "Rilievo"]
    assert sorted((r[1], r[3]) for r in findings[1:]) == sorted(
        (f["code"], f["message"]) for f in report["findings"])
    assert call("PDZ_TOTAL", values) == float(sum(
        Decimal(r["budget_2021"] or 0) for r in rows("pp2021_lines.csv")))


def test_checks_2021_count_the_errors_validation_finds(budget2021):
    checks = call("PDZ_CONTROLLI", budget2021)
    assert checks.startswith("7 errori, ")
    table = call("PDZ_RILIEVI", budget2021, "errori")
    assert len(table) == 1 + 7 and {r[0] for r in table[1:]} == {"errore"}
    assert table[1][1] == "PDZ201"


def test_no_budget_under_office_js_is_an_italian_error():
    with pytest.raises(QueryError, match="primo argomento"):
        call("PDZ_TOTAL")


@pytest.mark.parametrize(("args", "message"), [
    (("SERVIZO TM",), "non è nel budget. Forse: «SERVIZIO TM»"),
    ((None, "FONDO INESISTENTE"), "non è riconosciuto"),
    ((None, None, 2019), "non ha importi per il 2019"),
    (("SERVIZIO TM", "FNPS", 2020), "solo per il 2021"),
])
def test_questions_the_budget_cannot_answer(budget2021, args, message):
    with pytest.raises(QueryError, match=message):
        call("PDZ_TOTAL", budget2021, *args)


def test_a_single_cell_is_not_a_budget():
    with pytest.raises(QueryError, match="intervallo"):
        call("PDZ_TOTAL", "Budget")


def test_year_as_text_and_number_both_work(budget2021):
    assert call("PDZ_TOTAL", budget2021, None, None, "2020") == \
        call("PDZ_TOTAL", budget2021, None, None, 2020.0)


def test_the_budget_is_parsed_once_and_again_when_it_changes(budget2021):
    from udfs.cache import budgets

    budgets.clear()
    before = budgets.misses
    first = call("PDZ_TOTAL", budget2021)
    for servizio in ("SERVIZIO TM", "SERVIZIO SOCIALE DISTRETTUALE"):
        call("PDZ_TOTAL", budget2021, servizio)  # fresh lists each call (JSON round trip)
    assert budgets.misses == before + 1
    changed = [list(r) for r in budget2021]
    row = next(i for i, r in enumerate(changed) if r[0] == "Coordinamento TM")
    changed[row][2] = changed[row][2] + 1000  # BUDGET 2021 of the first line, +1.000 €
    assert call("PDZ_TOTAL", changed) == pytest.approx(first + 1000, abs=0.001)
    assert budgets.misses == before + 2


def test_total_over_ranges_of_groups_and_channels_spills_one_answer_per_cell(budget2021):
    """=PDZ_TOTAL(budget; A2:A4; B2:B4): one read of the budget, a column of answers."""
    groups = [["SERVIZIO TM"], ["SERVIZIO SOCIALE DISTRETTUALE"], ["AREA PROGETTAZIONE"]]
    channels = [["FNPS"], ["FSR"], [""]]
    spilled = call("PDZ_TOTAL", budget2021, groups, channels)
    singles = [[call("PDZ_TOTAL", budget2021, g[0], c[0] or None)]
               for g, c in zip(groups, channels, strict=True)]
    assert spilled == singles and len(spilled) == 3
    with pytest.raises(QueryError, match="stessa forma"):
        call("PDZ_TOTAL", budget2021, groups, [["FNPS"], ["FSR"]])


class _Used:
    def __init__(self, values, formulas):
        self.row, self.column = 1, 1
        self.value, self.formula = values, formulas

    def options(self, **_kw):
        return self


class _ComSheet:
    def __init__(self, ws_values, ws_formulas, state):
        self.name = ws_values.title
        self.used_range = _Used(sheet_values(ws_values), sheet_values(ws_formulas))
        self.api = type("Api", (), {"Visible": {"visible": -1, "hidden": 0,
                                               "veryHidden": 2}[state]})()


def test_classic_book_reads_to_the_same_plan_as_the_file():
    """What the classic add-in reads through COM (used range values and formulas, per
    sheet, duck-typed here) gives the plan the CLI reads from the file."""
    from udfs.book_grid import com_book_content, grid_from_com_content

    values = openpyxl.load_workbook(PP2021, data_only=True)
    formulas = openpyxl.load_workbook(PP2021)
    book = type("Book", (), {"fullname": str(PP2021), "names": [], "sheets": [
        _ComSheet(values[n], formulas[n], values[n].sheet_state) for n in values.sheetnames]})()
    content = com_book_content(book)
    classic = BudgetQuery.from_grid(grid_from_com_content(content))
    core = BudgetQuery.from_grid(read_workbook(PP2021))
    assert classic.plan.lines == core.plan.lines
    assert classic.checks() == core.checks() == "7 errori, 8 avvisi"
    assert classic.triennial_row() == core.triennial_row()

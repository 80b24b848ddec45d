"""Validation acceptance on the samples: 2018 clean; 2021 exactly the document's slips.

The expected 2021 findings are written from our reading of the document
(../shared/data/pp2021_*.csv), and a second test recomputes every amount from the CSVs
alone, so the expectations do not merely restate what the code says.

Policy (see pdz_xl/validate/engine.py): each wrong cell is reported once, at itself. The
AREA PROGETTAZIONE lines do not reach its stated total; the same total is repeated by the
pluriennale (row and total) and by the confronto total, and the revenues (TOTALE PO) are
sized on it: each of those cells states a number the lines do not support, so each is
reported. Columns without detail (PO 2020, pre-consuntivo, 2022, 2023) are checked only
internally.
"""

import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal

import pytest

from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.money import from_decimal_str as c
from pdz_xl.validate import ValidationConfig, config_for_grid, validate_plan
from tests.support.oracles import CHANNELS_2021, REPO, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"

# (code, cell, severity, category, difference = stated − expected)
EXPECTED_2021 = [
    # cent-level rounding in three subtotals
    ("PDZ201", "Servizi aziendali!C36", "avviso", "arrotondamento", c("0.01")),  # SSD
    ("PDZ201", "Servizi aziendali!C58", "avviso", "arrotondamento", c("0.01")),  # SST
    ("PDZ201", "Gestione associata!C101", "avviso", "arrotondamento", c("-0.01")),  # GA
    # AREA PROGETTAZIONE: its lines do not reach the stated total (both years)
    ("PDZ201", "Progettazione!B31", "errore", "errore", c("625027.99")),
    ("PDZ201", "Progettazione!C31", "errore", "errore", c("421744.51")),
    # the summary tables repeat the area totals as the document states them
    ("PDZ304", "Confronto 2020-2021!D19", "errore", "errore", c("421744.51")),
    ("PDZ301", "Budget pluriennale!B4", "avviso", "arrotondamento", c("0.01")),
    ("PDZ301", "Budget pluriennale!B5", "avviso", "arrotondamento", c("-0.01")),
    ("PDZ301", "Budget pluriennale!B6", "errore", "errore", c("421744.51")),
    ("PDZ304", "Budget pluriennale!B9", "errore", "errore", c("421744.51")),
    # the revenue subtotal off by 100,000 (TOTALE BUDGET is right against the items)
    ("PDZ305", "Canali 2021!B24", "errore", "errore", c("-100000.00")),
    # costs against revenues (TOTALE PO 2021)
    ("PDZ401", "Canali 2021!B28", "errore", "errore", c("421744.51")),
    # channels whose revenue the lines do not fully use
    ("PDZ403", "Canali 2021!B11", "avviso", "residuo", c("150358.11")),  # altri fondi
    ("PDZ403", "Canali 2021!B4", "avviso", "residuo", c("248386.40")),  # avanzo vinc.
    ("PDZ403", "Canali 2021!B5", "avviso", "residuo", c("23000.00")),  # avanzo non vinc.
]


def _validate(path, **kw):
    grid = read_workbook(path)
    return validate_plan(detect_plan(grid), config_for_grid(grid, **kw))


@pytest.fixture(scope="module")
def findings_2021():
    return _validate(PP2021)


def test_2018_has_no_findings():
    assert _validate(PO2018) == []


def test_2021_reports_exactly_the_document_inconsistencies(findings_2021):
    got = [(f.code, f.cell, f.severity, f.category, f.difference) for f in findings_2021]
    assert sorted(got) == sorted(EXPECTED_2021)


def _d(text: str) -> int:
    return c(text) if text.strip() and text.strip()[0].isdigit() else 0


def _oracle_differences() -> list[tuple[str, int]]:
    """(code, stated − expected) for every slip, computed from the CSVs alone."""
    lines = rows("pp2021_lines.csv")
    out: list[tuple[str, int]] = []
    by_group: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_area: dict[str, int] = defaultdict(int)
    for r in lines:
        key = (r["area"], r["servizio"] if r["area"] == "AREA SERVIZI AZIENDALI" else "")
        for y in ("2020", "2021"):
            by_group[key][y] += _d(r[f"budget_{y}"])
        by_area[r["area"]] += _d(r["budget_2021"])
    for t in rows("pp2021_totals.csv"):
        key = (t["area"], t["servizio"])
        for y in ("2020", "2021"):
            diff = _d(t[f"totale_dichiarato_{y}"]) - by_group[key][y]
            if diff:
                out.append(("PDZ201", diff))
    costs = sum(by_area.values())
    plu = rows("pp2021_pluriennale.csv")
    for r in plu[:-1]:
        if _d(r["budget_2021"]) != by_area[r["area"]]:
            out.append(("PDZ301", _d(r["budget_2021"]) - by_area[r["area"]]))
    out.append(("PDZ304", _d(plu[-1]["budget_2021"]) - costs))
    conf = rows("pp2021_confronto.csv")
    out.append(("PDZ304", _d(conf[-1]["budget_2021"]) - costs))
    canali = {r["voce"]: _d(r["importo_2021"]) for r in rows("pp2021_canali.csv")}
    labels = list(canali)
    items = labels[labels.index("Totale avanzo 2020") + 1:labels.index("Totale Entrate 2021")]
    out.append(("PDZ305", canali["Totale Entrate 2021"] - sum(canali[v] for v in items)))
    assert canali["TOTALE BUDGET"] == canali["Totale avanzo 2020"] + sum(canali[v]
                                                                         for v in items)
    out.append(("PDZ401", canali["TOTALE PO 2021"] - costs))
    feeds = {"AVANZO_VINCOLATO": ["Avanzo gestionale 2020 vincolato"],
             "AVANZO_NON_VINCOLATO": ["Avanzo gestionale 2020 - non vincolato"],
             "ALTRI_FONDI_PROGETTUALI": [v for v in items if v not in (
                 "FNPS 2021", "FSOL 2021", "FSR 2021", "Comuni 2021",
                 "ATS Fondo sanitario Misura 6 Minori", "Fondi ATS")]}
    less = {"AVANZO_VINCOLATO": "Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2021",
            "ALTRI_FONDI_PROGETTUALI": "Progetto Fami 2 - Quota vincolata 2021"}
    for code in CHANNELS_2021:
        if code not in feeds:
            continue
        have = sum(canali[v] for v in feeds[code]) - (canali[less[code]] if code in less else 0)
        used = sum(_d(r[code]) for r in lines)
        if used != have:
            out.append(("PDZ403", have - used))  # positive: what is left, as it reads
    return out


def test_2021_amounts_match_an_independent_reading_of_the_csvs(findings_2021):
    got = sorted((f.code, f.difference) for f in findings_2021)
    assert got == sorted(_oracle_differences())


def test_2021_channel_gaps_add_up_to_the_cost_revenue_gap(findings_2021):
    unused = sum(f.difference for f in findings_2021 if f.code == "PDZ403")
    gap = next(f.difference for f in findings_2021 if f.code == "PDZ401")
    assert unused == gap == c("421744.51")


def test_every_finding_is_complete(findings_2021):
    for f in findings_2021:
        assert f.cell and "!" in f.cell and f.message and f.path, f
        assert f.found - f.expected == f.difference, f
        assert "€ " in f.message, f.message


def test_messages_are_italian_with_amounts_and_fixes(findings_2021):
    entrate = next(f for f in findings_2021 if f.code == "PDZ305")
    assert "€ 10.498.164,61" in entrate.message and "€ 10.598.164,61" in entrate.message
    assert entrate.fix and entrate.fix.formula == "=SUM(B7:B23)"
    ssd = next(f for f in findings_2021 if f.cell == "Servizi aziendali!C36")
    assert "arrotondamento" in ssd.message
    assert ssd.fix and ssd.fix.formula == "=SUM(C32:C35)" and ssd.fix.value == "59121.15"
    assert ssd.path == ["AREA SERVIZI AZIENDALI", "SERVIZIO SOCIALE DISTRETTUALE"]
    avanzo = next(f for f in findings_2021 if f.cell == "Canali 2021!B4")
    assert "€ 2.045.903,52" in avanzo.message and "€ 245.334,60" in avanzo.message
    assert "€ 248.386,40" in avanzo.message
    po = next(f for f in findings_2021 if f.code == "PDZ401")
    assert "€ 12.447.918,48" in po.message and "€ 12.026.173,97" in po.message
    # a summary row that disagrees with the detail has no automatic fix: which is wrong?
    assert next(f for f in findings_2021 if f.cell == "Budget pluriennale!B6").fix is None


def test_tolerance_is_configurable(findings_2021):
    strict = _validate(PP2021, tolerance_cents=0)
    assert not [f for f in strict if f.category == "arrotondamento"]
    assert sorted(f.cell for f in strict) == sorted(f.cell for f in findings_2021)
    assert len([f for f in strict if f.severity == "errore"]) == 7 + 5


def test_tolerance_from_the_workbook_and_caller_precedence():
    plan = detect_plan(read_workbook(PP2021)).model_copy(update={"tolerance_cents": 0})
    assert not [f for f in validate_plan(plan) if f.category == "arrotondamento"]
    explicit = validate_plan(plan, ValidationConfig(tolerance_cents=5))
    assert len([f for f in explicit if f.category == "arrotondamento"]) == 5


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "valida", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO)


@pytest.mark.parametrize(("path", "code"), [(PO2018, 0), (PP2021, 1)])
def test_cli_exit_codes_and_json(path, code):
    proc = _cli(path, "--json")
    assert proc.returncode == code, proc.stderr
    data = json.loads(proc.stdout)
    assert {"file", "plan_year", "errori", "avvisi", "arrotondamenti", "findings"} <= set(data)
    for f in data["findings"]:
        assert {"code", "severity", "category", "cell", "message", "difference"} <= set(f)
        assert f["severity"] in ("errore", "avviso")
        if f["difference"] is not None:
            Decimal(f["difference"])  # a decimal string
    if code:
        assert (data["errori"], data["avvisi"], data["arrotondamenti"]) == (7, 8, 5)
        po = next(f for f in data["findings"] if f["code"] == "PDZ305")
        assert po["difference"] == "-100000.00" and po["cell"] == "Canali 2021!B24"


def test_cli_text_keeps_rounding_apart():
    proc = _cli(PP2021)
    assert proc.returncode == 1
    out = proc.stdout
    assert "7 errori, 8 avvisi (di cui 5 arrotondamenti)" in out.splitlines()[0]
    assert out.index("Errori:") < out.index("Avvisi:") < out.index("Arrotondamenti:")
    rounding = out[out.index("Arrotondamenti:"):]
    assert "Servizi aziendali!C36" in rounding and "Progettazione!C31" not in rounding


def test_cli_tolerance_option():
    proc = _cli(PP2021, "--json", "--tolleranza", "0")
    data = json.loads(proc.stdout)
    assert data["tolerance_cents"] == 0 and data["arrotondamenti"] == 0


def test_cli_several_files_and_an_unreadable_one(tmp_path):
    bad = tmp_path / "rotto.xlsx"
    bad.write_text("no")
    proc = _cli(PO2018, bad, PP2021, "--json")
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert [("findings" in f, "errore" in f) for f in data["files"]] == [
        (True, False), (False, True), (True, False)]


def test_cli_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "rotto.xlsx"
    bad.write_text("no")
    proc = _cli(bad)
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "non è una cartella di lavoro" in proc.stderr

"""Validation acceptance on the samples: 2018 clean; 2021 exactly the document's slips."""

import json
import subprocess
import sys

import pytest

from pdz_xl.io.load import load_plan
from pdz_xl.money import from_decimal_str as c
from pdz_xl.validate import validate_plan
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"

# From our reading of the 2021 document (pp2021_*.csv): (code, cell, severity, category,
# difference = stated − expected).
EXPECTED_2021 = [
    # cent-level rounding in three subtotals
    ("PDZ201", "Servizi aziendali!C36", "avviso", "arrotondamento", c("0.01")),  # SSD
    ("PDZ201", "Servizi aziendali!C58", "avviso", "arrotondamento", c("0.01")),  # SST
    ("PDZ201", "Gestione associata!C101", "avviso", "arrotondamento", c("-0.01")),
    # AREA PROGETTAZIONE: its lines do not reach the stated total (both years)
    ("PDZ201", "Progettazione!B31", "errore", "errore", c("625027.99")),
    ("PDZ201", "Progettazione!C31", "errore", "errore", c("421744.51")),
    # the summary tables state the area totals as the document states them
    ("PDZ304", "Confronto 2020-2021!D19", "errore", "errore", c("421744.51")),
    ("PDZ301", "Budget pluriennale!B4", "avviso", "arrotondamento", c("0.01")),
    ("PDZ301", "Budget pluriennale!B5", "avviso", "arrotondamento", c("-0.01")),
    ("PDZ301", "Budget pluriennale!B6", "errore", "errore", c("421744.51")),
    ("PDZ304", "Budget pluriennale!B9", "errore", "errore", c("421744.51")),
    # the revenue subtotal off by 100,000 (TOTALE BUDGET is right against the items)
    ("PDZ305", "Canali 2021!B24", "errore", "errore", c("-100000.00")),
    # costs against revenues
    ("PDZ401", "Canali 2021!B28", "errore", "errore", c("421744.51")),
    # channels whose revenue the lines do not fully use
    ("PDZ403", "Canali 2021!B11", "avviso", "canale", c("-150358.11")),  # altri fondi prog.
    ("PDZ403", "Canali 2021!B4", "avviso", "canale", c("-248386.40")),  # avanzo vincolato
    ("PDZ403", "Canali 2021!B5", "avviso", "canale", c("-23000.00")),  # avanzo non vinc.
]


def test_2018_has_no_findings():
    assert validate_plan(load_plan(PO2018)) == []


def test_2021_reports_exactly_the_document_inconsistencies():
    findings = validate_plan(load_plan(PP2021))
    got = [(f.code, f.cell, f.severity, f.category, f.difference) for f in findings]
    assert sorted(got) == sorted(EXPECTED_2021)


def test_2021_channel_gaps_add_up_to_the_cost_revenue_gap():
    findings = validate_plan(load_plan(PP2021))
    unused = -sum(f.difference for f in findings if f.code == "PDZ403")
    gap = next(f.difference for f in findings if f.code == "PDZ401")
    assert unused == gap == c("421744.51")


def test_messages_are_italian_with_amounts():
    findings = validate_plan(load_plan(PP2021))
    entrate = next(f for f in findings if f.code == "PDZ305")
    assert "€ 10.498.164,61" in entrate.message and "€ 10.598.164,61" in entrate.message
    ssd = next(f for f in findings if f.cell == "Servizi aziendali!C36")
    assert "arrotondamento" in ssd.message
    assert ssd.fix and ssd.fix.formula == "=SUM(C32:C35)" and ssd.fix.value == "59121.15"
    assert ssd.path == ["AREA SERVIZI AZIENDALI", "SERVIZIO SOCIALE DISTRETTUALE"]


def test_tolerance_is_configurable():
    from pdz_xl.validate import ValidationConfig

    findings = validate_plan(load_plan(PP2021), ValidationConfig(tolerance_cents=0))
    assert not [f for f in findings if f.category == "arrotondamento"]
    errori = [f for f in findings if f.code in ("PDZ201", "PDZ301") and f.severity == "errore"]
    assert len(errori) == 8


@pytest.mark.parametrize(("path", "code"), [(PO2018, 0), (PP2021, 1)])
def test_cli_exit_codes_and_json(path, code):
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "valida", str(path),
                           "--json"], capture_output=True, text=True)
    assert proc.returncode == code, proc.stderr
    data = json.loads(proc.stdout)
    for f in data["findings"]:
        assert {"code", "severity", "category", "cell", "message", "difference"} <= set(f)
        assert f["severity"] in ("errore", "avviso")


def test_cli_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "rotto.xlsx"
    bad.write_text("no")
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "valida", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "non è una cartella di lavoro" in proc.stderr

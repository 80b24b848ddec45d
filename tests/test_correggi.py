"""``valida --correggi`` and the «Correggi» step: the mechanical fixes applied (a total
gets the SUM of its lines, with its cached value), with a backup; the rest listed and
untouched (issue 15, part B)."""

import shutil
from decimal import Decimal

import openpyxl
from typer.testing import CliRunner

from pdz_xl.cli.app import app
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.pipeline import run_steps
from pdz_xl.validate import config_for_grid, validate_plan
from pdz_xl.validate.correct import corrections
from tests.support.oracles import REPO

PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
runner = CliRunner()


def _findings(path):
    grid = read_workbook(path)
    return validate_plan(detect_plan(grid), config_for_grid(grid))


def test_only_formula_fixes_are_applied():
    findings = _findings(PP2021)
    fixes = corrections(findings)
    applied = {f.fix.cell for f in fixes.applied}
    assert "Progettazione!C31" in applied and "Canali 2021!B24" in applied
    assert all(f.fix.formula.startswith("=SUM(") for f in fixes.applied)
    untouched = {f.code for f in fixes.left}
    assert {"PDZ301", "PDZ304", "PDZ401", "PDZ403"} <= untouched  # decisions, not fixes
    writes = {w.cell: w for w in fixes.changeset.cells["Progettazione"]}
    assert writes["C31"].value == Decimal("246055.57")  # the lines' sum, to the cent


def test_correggi_in_place_keeps_a_backup_and_reports_what_changed(tmp_path):
    src = tmp_path / "pp2021.xlsx"
    shutil.copy(PP2021, src)
    before = src.read_bytes()
    res = runner.invoke(app, ["valida", str(src), "--correggi"])
    assert "6 correzioni applicate:" in res.output
    assert "Progettazione!C31: =SOMMA(C6;C8:C12;C14:C15;C17;C19:C30) (PDZ201)" in res.output
    assert "rilievi da decidere, non toccati:" in res.output
    backups = [p for p in tmp_path.iterdir() if ".bak" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == before
    ws = openpyxl.load_workbook(src)["Progettazione"]
    assert ws["C31"].value == "=SUM(C6,C8:C12,C14:C15,C17,C19:C30)"
    cached = openpyxl.load_workbook(src, data_only=True)["Progettazione"]["C31"].value
    assert Decimal(str(cached)) == Decimal("246055.57")
    after = {(f.code, f.cell) for f in _findings(src)}
    assert ("PDZ201", "Progettazione!C31") not in after
    assert ("PDZ305", "Canali 2021!B24") not in after
    assert ("PDZ401", "Canali 2021!B28") in after  # a decision: still reported
    assert res.exit_code == 1  # errori are left (the summaries, the balance)
    again = runner.invoke(app, ["valida", str(src), "--correggi"])
    assert "0 correzioni applicate." in again.output


def test_correggi_step_of_the_button_writes_the_same_cells(tmp_path):
    grid = read_workbook(PP2021)
    outcome = run_steps(grid, detect_plan(grid), ["correggi"])
    cells = {(s, w.cell, w.formula) for s, ws in outcome.changeset.cells.items() for w in ws}
    assert ("Progettazione", "C31", "=SUM(C6,C8:C12,C14:C15,C17,C19:C30)") in cells
    assert outcome.summaries["correggi"].startswith("6 correzioni applicate")

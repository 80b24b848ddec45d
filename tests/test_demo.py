"""The README's main job: the demo on the bundled samples."""

import subprocess
import sys

import openpyxl

from tests.support.oracles import REPO


def test_demo_runs_the_job_on_copies(tmp_path):
    before = {p.name: p.read_bytes() for p in (REPO / "workbooks").glob("*.xlsx")}
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "demo", "--out",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Controlli PDZ: 0 errori, 0 avvisi" in proc.stdout
    assert "Controlli PDZ: 7 errori, 8 avvisi" in proc.stdout
    wb18 = openpyxl.load_workbook(tmp_path / "piano_operativo_2018.xlsx")
    assert "Controlli PDZ" in wb18.sheetnames
    assert wb18["Piano Operativo 2018"]["C2"].value == "RESIDUI"  # allocated columns
    assert {p.name: p.read_bytes() for p in (REPO / "workbooks").glob("*.xlsx")} == before

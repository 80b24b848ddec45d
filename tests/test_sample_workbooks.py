"""The sample workbooks are reproducible and carry the documents' own numbers."""

import subprocess
import sys

import openpyxl

from pdz_xl.cells import parse_range
from tests.support.oracles import REPO, cents, rows

SAMPLES = ["piano_operativo_2018.xlsx", "piano_programma_2021.xlsx"]


def test_builder_is_deterministic_and_matches_the_committed_files(tmp_path):
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run([sys.executable, str(REPO / "tools" / "build_samples.py"), "--out",
                        str(out)], check=True, capture_output=True)
    for name in SAMPLES:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes()
        assert a == (REPO / "workbooks" / name).read_bytes(), f"{name}: rigenerare i campioni"


def _cached_formulas(path):
    """(sheet, cell, formula, cached value) for every formula cell, read by openpyxl."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    yield ws.title, cell.coordinate, cell.value, values[ws.title][
                        cell.coordinate].value, values[ws.title]


def _eval_sum(ws, formula: str) -> int:
    total = 0
    for part in formula[len("=SUM("):-1].split(","):
        r1, c1, r2, c2 = parse_range(part)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                v = ws.cell(r, c).value
                if isinstance(v, (int, float)):
                    total += round(v * 100)
    return total


def test_every_cached_value_equals_its_formula():
    checked = 0
    for name in SAMPLES:
        for sheet, cell, formula, cached, ws in _cached_formulas(REPO / "workbooks" / name):
            if formula.startswith("=SUM("):
                assert round(cached * 100) == _eval_sum(ws, formula), (name, sheet, cell)
                checked += 1
    assert checked > 40


def test_typed_totals_are_exactly_the_document_slips():
    wb = openpyxl.load_workbook(REPO / "workbooks" / "piano_programma_2021.xlsx")
    typed = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            label = row[0].value
            if isinstance(label, str) and label.upper().startswith("TOTALE"):
                for cell in row[1:3]:
                    if isinstance(cell.value, (int, float)):
                        typed.append((ws.title, cell.coordinate, cents(str(cell.value))))
    assert typed == [
        ("Servizi aziendali", "C36", cents("59121.16")),
        ("Servizi aziendali", "C58", cents("1093183.97")),
        ("Gestione associata", "C101", cents("8331270.52")),
        ("Progettazione", "B31", cents("916161.15")),
        ("Progettazione", "C31", cents("667800.08")),
        ("Canali 2021", "B24", cents("10498164.61")),
    ]


def test_2018_detail_equals_the_oracle_amounts_with_openpyxl():
    wb = openpyxl.load_workbook(REPO / "workbooks" / "piano_operativo_2018.xlsx",
                                data_only=True)
    ws = wb["Piano Operativo 2018"]
    totals = {r["obiettivo_n"]: cents(r["totale_dichiarato_2018"])
              for r in rows("po2018_totals.csv")}
    seen = {}
    for row in ws.iter_rows(min_row=3):
        label, value = row[0].value, row[1].value
        if isinstance(label, str) and label.startswith("TOTALE OBIETTIVO"):
            seen[label.split()[-1]] = round(value * 100)
    assert seen == totals

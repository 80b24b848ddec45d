"""The findings in the workbook: report sheet with links, marks, read back by openpyxl and
recalculated by LibreOffice; a second run replaces, clearing removes."""

import openpyxl

from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.pipeline import run_steps
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO

PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


def _write(src, dest, steps=("valida",)):
    grid = read_workbook(src)
    outcome = run_steps(grid, detect_plan(grid), steps)
    apply_changeset(src, outcome.changeset, dest)
    return outcome


def test_report_sheet_and_marks(tmp_path):
    out = tmp_path / "controllato.xlsx"
    outcome = _write(PP2021, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["Controlli PDZ"]
    rows = [r for r in ws.iter_rows(min_row=1, values_only=True) if r[0] and
            str(r[0]).startswith("PDZ")]
    assert len(rows) == outcome.errori + outcome.avvisi == 15
    linked = [c for c in ws["D"] if c.hyperlink is not None]
    assert len(linked) == 15
    assert all("!" in c.hyperlink.location for c in linked)
    cell = wb["Progettazione"]["C31"]
    assert cell.fill.fgColor.rgb == "FFFFC7CE" and "PDZ201" in cell.comment.text
    assert wb["Servizi aziendali"]["C36"].fill.fgColor.rgb == "FFFFEB9C"  # rounding: avviso
    assert formula_mismatches(out) == []


def test_second_run_replaces_and_clear_removes(tmp_path):
    for d in ("0", "1", "2", "3"):
        (tmp_path / d).mkdir()
    src, once, twice, clean = (tmp_path / d / "budget.xlsx" for d in ("0", "1", "2", "3"))
    src.write_bytes(PP2021.read_bytes())  # same name: the report names its file
    _write(src, once)
    _write(once, twice)
    assert once.read_bytes() == twice.read_bytes()
    _write(twice, clean, steps=("pulisci",))
    wb = openpyxl.load_workbook(clean)
    assert "Controlli PDZ" not in wb.sheetnames and "_pdz_segni" not in wb.sheetnames
    original = openpyxl.load_workbook(PP2021)
    for sheet, ref in (("Progettazione", "C31"), ("Servizi aziendali", "C36")):
        assert wb[sheet][ref].style_id == original[sheet][ref].style_id
        assert wb[sheet][ref].comment is None

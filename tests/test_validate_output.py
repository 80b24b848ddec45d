"""The findings in the workbook: «Controlli PDZ» sheet, marks, clearing; read back with
openpyxl and opened (recalculated) by LibreOffice headless; the CLI write options."""

import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from pdz_xl.changeset import MARK_FILLS
from pdz_xl.channels.display import channel_labels
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.money import to_decimal
from pdz_xl.validate import config_for_grid, validate_plan
from pdz_xl.validate.report import ranked
from pdz_xl.validate.sheet import HEADER_ROW, REPORT_SHEET, clear_changeset, report_changeset
from tests.support.libreoffice import convert, formula_mismatches
from tests.support.oracles import REPO

PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"


def _validate(path):
    grid = read_workbook(path)
    plan = detect_plan(grid)
    return plan, validate_plan(plan, config_for_grid(grid))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The 2021 sample with its report and marks, written through the write path."""
    plan, findings = _validate(PP2021)
    out = tmp_path_factory.mktemp("scritto") / "pp2021.xlsx"
    apply_changeset(PP2021, report_changeset(plan, findings, file_label=PP2021.name), out)
    return out, findings


def _fill(cell) -> str | None:
    rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return rgb[-6:] if isinstance(rgb, str) else None


def test_report_sheet_has_one_linked_row_per_finding(written):
    out, findings = written
    ws = openpyxl.load_workbook(out)[REPORT_SHEET]
    assert ws["A1"].value == f"Controlli PDZ – {PP2021.name}"
    assert ws["A3"].value == "Anno del piano 2021: 7 errori, 8 avvisi (di cui 5 arrotondamenti)"
    assert [c.value for c in ws[HEADER_ROW]][:8] == [
        "Codice", "Gravità", "Categoria", "Cella", "Percorso", "Messaggio", "Differenza €",
        "Correzione proposta"]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=False))
    assert len(rows) == len(findings)
    names = channel_labels(load_plan(PP2021))  # channels by the workbook's names
    for row, f in zip(rows, ranked(findings), strict=True):
        code, severity, category, cell, path, message, diff = (c.value for c in row[:7])
        assert (code, severity, category, cell, message) == (
            f.code, f.severity, f.category, f.cell, f.message)
        assert path == " / ".join(names.get(p, p) for p in f.path)
        assert Decimal(str(diff)) == to_decimal(f.difference)
        sheet, ref = f.cell.split("!")
        link = row[3].hyperlink
        assert link is not None and link.location.replace("'", "") == f"{sheet}!{ref}"
    # errors first, rounding last
    groups = [("arrotondamento" if r[2].value == "arrotondamento" else r[1].value)
              for r in rows]
    assert groups == sorted(groups, key=["errore", "avviso", "arrotondamento"].index)


def test_marks_fill_and_note_on_each_offending_cell(written):
    out, findings = written
    wb = openpyxl.load_workbook(out)
    original = openpyxl.load_workbook(PP2021)
    marked = {f.cell for f in findings if f.category != "residuo"}  # a residual: not wrong
    for f in findings:
        if f.cell not in marked:
            continue
        sheet, ref = f.cell.split("!")
        cell = wb[sheet][ref]
        worst = "errore" if any(g.severity == "errore" for g in findings
                                if g.cell == f.cell and g.category != "residuo") else "avviso"
        assert _fill(cell) == MARK_FILLS[worst], f.cell
        assert cell.comment is not None and f.code in cell.comment.text
        assert cell.value == original[sheet][ref].value  # the value itself is untouched
    # a cell without finding keeps its look
    assert "Servizi aziendali!C35" not in marked
    assert wb["Servizi aziendali"]["C35"].style_id == \
        original["Servizi aziendali"]["C35"].style_id


def test_second_run_replaces_marks_and_report(written, tmp_path):
    out, findings = written
    plan, again = _validate(out)  # the report sheet and marks do not change the findings
    assert [(f.code, f.cell) for f in again] == [(f.code, f.cell) for f in findings]
    twice = tmp_path / "due.xlsx"
    apply_changeset(out, report_changeset(plan, again, file_label=PP2021.name), twice)
    assert twice.read_bytes() == out.read_bytes()
    wb = openpyxl.load_workbook(twice)
    assert wb.sheetnames.count(REPORT_SHEET) == 1
    assert wb["Servizi aziendali"]["C36"].comment.text.count("PDZ201") == 1


def test_clear_removes_report_and_marks(written, tmp_path):
    out, _ = written
    cleared = tmp_path / "pulito.xlsx"
    apply_changeset(out, clear_changeset(), cleared)
    wb, original = openpyxl.load_workbook(cleared), openpyxl.load_workbook(PP2021)
    assert REPORT_SHEET not in wb.sheetnames and "_pdz_segni" not in wb.sheetnames
    for sheet, ref in (("Servizi aziendali", "C36"), ("Canali 2021", "B24"),
                       ("Progettazione", "C31")):
        assert wb[sheet][ref].style_id == original[sheet][ref].style_id
        assert wb[sheet][ref].comment is None


def test_clean_workbook_report_says_so(tmp_path):
    plan, findings = _validate(PO2018)
    out = tmp_path / "po2018.xlsx"
    apply_changeset(PO2018, report_changeset(plan, findings, file_label=PO2018.name), out)
    ws = openpyxl.load_workbook(out)[REPORT_SHEET]
    assert ws["A3"].value == "Anno del piano 2018: 0 errori, 0 avvisi"
    assert ws[f"A{HEADER_ROW + 1}"].value == "Nessun rilievo: il budget è coerente."


def test_no_timestamp_unless_given():
    plan, findings = _validate(PO2018)
    sheet = report_changeset(plan, findings, generated_on="22/11/2026").sheets[0]
    assert "22/11/2026" in next(c.value for c in sheet.cells if c.cell == "A2")
    plain = report_changeset(plan, findings).sheets[0]
    assert not any("/20" in str(c.value) for c in plain.cells)


@pytest.mark.libreoffice
def test_libreoffice_opens_recalculates_and_finds_the_same(written, tmp_path):
    out, findings = written
    assert formula_mismatches(out) == []
    recalculated = convert(out, tmp_path / "lo")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    assert REPORT_SHEET in wb.sheetnames
    errors = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
              for c in row if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []
    assert wb[REPORT_SHEET].max_row == HEADER_ROW + len(findings)
    _, again = _validate(recalculated)
    assert sorted((f.code, f.cell, f.difference) for f in again) == \
        sorted((f.code, f.cell, f.difference) for f in findings)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "valida", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO)


def test_cli_scrivi_to_a_new_file_then_pulisci(tmp_path):
    out = tmp_path / "con_segni.xlsx"
    proc = _cli(PP2021, "--scrivi", "-o", out)
    assert proc.returncode == 1, proc.stderr
    assert f"scritto {out}" in proc.stderr
    assert REPORT_SHEET in openpyxl.load_workbook(out).sheetnames
    proc = _cli(out, "--pulisci")  # in place, with a backup copy
    assert proc.returncode == 1 and "copia di sicurezza" in proc.stderr
    assert REPORT_SHEET not in openpyxl.load_workbook(out).sheetnames
    assert len(list(tmp_path.glob("con_segni.*.bak.xlsx"))) == 1


def test_cli_scrivi_several_files_into_a_folder(tmp_path):
    folder = tmp_path / "controllati"
    proc = _cli(PO2018, PP2021, "--scrivi", "-o", folder)
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == [PO2018.name, PP2021.name]

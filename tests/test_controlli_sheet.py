"""«Controlli PDZ» you can work from (issue 15, part B): file and date at the top, a legend
in the marks' colours, rows tall enough for their wrapped text, one page wide landscape,
autofilter, signs that read with the words, no mark on a cell that is not wrong, notes
sized to their text, and «Visto» kept across runs (no longer counted)."""

import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pdz_xl.changeset import MARK_FILLS
from pdz_xl.cli.app import app
from pdz_xl.io.notes import note_lines
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import config_for_grid, counts, validate_plan
from pdz_xl.validate.sheet import HEADER_ROW, HEADERS, REPORT_SHEET
from pdz_xl.validate.visto import apply_visti, read_visti
from tests.support.libreoffice import convert
from tests.support.oracles import REPO

PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
runner = CliRunner()


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("controlli") / "v2021.xlsx"
    res = runner.invoke(app, ["valida", str(PP2021), "--scrivi", "-o", str(out)])
    assert res.exit_code == 1, res.output
    return out


def _rows(ws):
    return {ws.cell(r, 1).value + " " + ws.cell(r, 4).value: r
            for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}


def test_top_legend_columns_filter_and_printing(written):
    ws = openpyxl.load_workbook(written)[REPORT_SHEET]
    assert ws["A1"].value == "Controlli PDZ – v2021.xlsx" or "piano_programma" in ws["A1"].value
    today = date.today().strftime("%d/%m/%Y")
    assert ws["A2"].value.startswith("File controllato: ") and today in ws["A2"].value
    legend = {ws.cell(5, c).value: _fill(ws.cell(5, c)) for c in range(3, 7)}
    assert legend["errore"] == MARK_FILLS["errore"]
    assert legend["avviso"] == legend["arrotondamento (avviso)"] == MARK_FILLS["avviso"]
    assert [c.value for c in ws[HEADER_ROW]][:len(HEADERS)] == HEADERS
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:J{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_rows_fit_their_wrapped_text_and_rounding_is_yellow(written):
    ws = openpyxl.load_workbook(written)[REPORT_SHEET]
    width = ws.column_dimensions["F"].width
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        message = ws.cell(r, 6).value
        lines = -(-len(message) // int(width))  # at least this many lines at that width
        assert ws.row_dimensions[r].height >= 15 * lines, (r, message)
        assert ws.cell(r, 6).alignment.wrap_text
        if ws.cell(r, 3).value == "arrotondamento":
            assert _fill(ws.cell(r, 2)) == MARK_FILLS["avviso"]


def test_signs_read_with_the_words_and_residuals_are_not_marked(written):
    wb = openpyxl.load_workbook(written)
    ws = wb[REPORT_SHEET]
    rows = _rows(ws)
    r = rows["PDZ403 Canali 2021!B11"]
    assert "restano € 150.358,11" in ws.cell(r, 6).value
    assert ws.cell(r, 5).value == "ALTRI FONDI PROGETTUALI"  # the workbook's name, no code
    assert ws.cell(rows["PDZ403 Canali 2021!B4"], 5).value == "AVANZO 2020 VINCOLATO"
    assert ws.cell(r, 7).value == pytest.approx(150358.11)  # +, as «restano» reads
    canali = wb["Canali 2021"]
    assert canali["B11"].comment is None and _fill(canali["B11"]) != MARK_FILLS["avviso"]
    assert wb["Progettazione"]["C31"].comment is not None  # a wrong cell is marked


def test_notes_are_sized_to_their_text(written):
    import zipfile

    with zipfile.ZipFile(written) as z:
        vml = [z.read(n).decode() for n in z.namelist() if n.endswith(".vml")]
    heights = [int(h) for text in vml for h in __import__("re").findall(
        r"height:(\d+)pt", text)]
    assert heights and max(heights) > min(heights) >= 22
    assert note_lines("x" * 100) == 3 and note_lines("a\nb") == 2


def test_visto_is_kept_across_runs_and_no_longer_counted(written, tmp_path):
    seen = tmp_path / "visto.xlsx"
    wb = openpyxl.load_workbook(written)
    ws = wb[REPORT_SHEET]
    errori = [r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 2).value ==
              "errore"]
    for r in errori:
        ws.cell(r, 9).value = "sì"
        ws.cell(r, 10).value = "differenza nota, approvata in assemblea"
    wb.save(seen)  # openpyxl keeps no cached values: only the report is read back here
    visti = read_visti(read_workbook(seen), REPORT_SHEET)
    assert len(visti) == len(errori)
    grid = read_workbook(PP2021)
    findings = apply_visti(validate_plan(detect_plan(grid), config_for_grid(grid)), visti)
    assert counts(findings)[0] == 0 and len(findings) == 15
    assert all(f.visto == "differenza nota, approvata in assemblea" for f in findings
               if f.severity == "errore")
    # matched by code + cell + amount: a changed amount is a new finding
    key = next(iter(visti))
    assert counts(apply_visti(findings, {**visti, key: "x"}))[0] == 0
    changed = {(k[0], k[1], (k[2] or 0) + 1): v for k, v in visti.items()}
    fresh = apply_visti(validate_plan(detect_plan(grid), config_for_grid(grid)), changed)
    assert counts(fresh)[0] == len(errori)


def test_visto_through_the_cli_exit_code_and_sheet(written, tmp_path):
    """The report of a run is edited (Visto on every errore) and valida runs on it: exit 0,
    the rows are still there with their reason, greyed, and their cells unmarked."""
    from pdz_xl.changeset import CellWrite, Changeset
    from pdz_xl.io.xlsx_patch import apply_changeset

    ws = openpyxl.load_workbook(written)[REPORT_SHEET]
    writes = [w for r in range(HEADER_ROW + 1, ws.max_row + 1)
              if ws.cell(r, 2).value == "errore"
              for w in (CellWrite(cell=f"I{r}", value="sì"),
                        CellWrite(cell=f"J{r}", value="nota"))]
    edited = tmp_path / "edited.xlsx"
    apply_changeset(written, Changeset(cells={REPORT_SHEET: writes}), edited)
    res = runner.invoke(app, ["valida", str(edited), "--scrivi"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(edited)
    ws = wb[REPORT_SHEET]
    r = _rows(ws)["PDZ201 Progettazione!C31"]
    assert (ws.cell(r, 9).value, ws.cell(r, 10).value) == ("sì", "nota")
    assert "visti" in ws["A3"].value and "0 errori" in ws["A3"].value
    assert wb["Progettazione"]["C31"].comment is None


@pytest.mark.libreoffice
def test_libreoffice_prints_the_report_one_page_wide(written, tmp_path):
    pdf = convert(written, tmp_path, "pdf")
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-raw", str(pdf),
                             "-"], capture_output=True, text=True, check=True).stdout
             for p in range(1, pages + 1)]
    report = [t for t in texts if "Correzione proposta" in t or "Codice" in t]
    assert report, "the report sheet is printed"
    for t in report:  # every column of the report on the same page
        assert "Codice" in t and "Motivo" in t and "Messaggio" in t
    # rows are tall enough: every message line of a row is printed whole
    assert any("restano € 150.358,11" in " ".join(t.split()) for t in report)
    lo = openpyxl.load_workbook(convert(written, tmp_path / "x", "xlsx"))[REPORT_SHEET]
    ours = openpyxl.load_workbook(written)[REPORT_SHEET]
    for r in range(HEADER_ROW + 1, ours.max_row + 1):
        assert lo.row_dimensions[r].height == pytest.approx(ours.row_dimensions[r].height,
                                                            abs=1)

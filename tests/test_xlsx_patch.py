"""The write path: zero loss, atomic, idempotent, readable by openpyxl and LibreOffice."""

import os
import zipfile

import openpyxl
import pytest

from pdz_xl.changeset import CellStyle, CellWrite, Changeset, Mark, OwnedSheet
from pdz_xl.errors import WorkbookReadError, WorkbookWriteError
from pdz_xl.io import xlsx_patch
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.libreoffice import formula_mismatches
from tests.support.rich_books import build_rich

OWNED = OwnedSheet(name="Rapporto PDZ", cells=[
    CellWrite(cell="A1", value="Titolo", style=CellStyle(bold=True)),
    CellWrite(cell="A2", value="vai", hyperlink="Servizi!C8"),
    CellWrite(cell="B2", value=720, formula="=Servizi!C8*2"),
    CellWrite(cell="B3", value="testo & <simboli>"),
], column_widths={"A": 30}, freeze="A2")
PATCH = {"Servizi": [CellWrite(cell="E7", value=0), CellWrite(cell="C8", formula="=SUM(C5:C7)",
                                                             value=360)]}
MARKS = [Mark(sheet="Servizi", cell="C6", note="PDZ101 errore: prova"),
         Mark(sheet="Servizi", cell="A5", note="su una cella con nota dell'utente",
              severity="avviso")]


def _parts(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.fixture(params=["xlsx", "xlsm"])
def rich(tmp_path, request):
    return build_rich(tmp_path / f"ricco.{request.param}", macro=request.param == "xlsm")


def test_parts_not_owned_are_byte_identical(rich, tmp_path):
    out = tmp_path / ("out" + rich.suffix)
    result = apply_changeset(rich, Changeset(sheets=[OWNED], cells=PATCH, marks=MARKS), out)
    before, after = _parts(rich), _parts(out)
    owned = set(result.changed_parts)
    untouched = [n for n in before if n not in owned]
    assert untouched, "nothing left untouched?"
    for name in untouched:
        assert after[name] == before[name], name
    # what a careless writer loses is all still there
    for needle in ("xl/charts/chart1.xml", "xl/media/image1.png", "xl/tables/table1.xml",
                   "xl/drawings/drawing1.xml"):
        assert after[needle] == before[needle]
    if rich.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    # the user's own sheets other than the patched one are untouched
    assert not any(n.startswith("xl/worksheets/sheet2") for n in owned)


def test_written_content_reads_back_with_openpyxl(rich, tmp_path):
    out = tmp_path / ("out" + rich.suffix)
    apply_changeset(rich, Changeset(sheets=[OWNED], cells=PATCH, marks=MARKS), out)
    wb = openpyxl.load_workbook(out, keep_vba=rich.suffix == ".xlsm")
    ws = wb["Rapporto PDZ"]
    assert ws["A1"].value == "Titolo" and ws["A1"].font.b
    assert ws["A2"].hyperlink.location == "Servizi!C8"
    assert ws["B2"].value == "=Servizi!C8*2" and ws["B3"].value == "testo & <simboli>"
    assert ws.column_dimensions["A"].width == 30
    s = wb["Servizi"]
    assert s["E7"].value == 0 and s["C8"].value == "=SUM(C5:C7)"
    assert s["C6"].fill.fgColor.rgb == "FFFFC7CE" and "PDZ101" in s["C6"].comment.text
    assert s["A5"].comment.text.startswith("Nota dell'utente")  # theirs kept, ours not added
    assert s["A5"].fill.fgColor.rgb == "FFFFEB9C"
    assert "TotaleTM" in wb.defined_names
    assert s.data_validations.dataValidation and s.conditional_formatting
    values = openpyxl.load_workbook(out, data_only=True)
    assert values["Rapporto PDZ"]["B2"].value == 720


def test_libreoffice_opens_and_recalculates_to_our_cached_values(rich, tmp_path):
    out = tmp_path / ("out" + rich.suffix)
    apply_changeset(rich, Changeset(sheets=[OWNED], cells=PATCH, marks=MARKS), out)
    assert formula_mismatches(out) == []


def test_second_run_gives_the_same_bytes_and_marks_do_not_pile_up(rich, tmp_path):
    cs = Changeset(sheets=[OWNED], cells=PATCH, marks=MARKS)
    a, b = tmp_path / ("a" + rich.suffix), tmp_path / ("b" + rich.suffix)
    apply_changeset(rich, cs, a)
    apply_changeset(a, cs, b)
    assert a.read_bytes() == b.read_bytes()
    comments = openpyxl.load_workbook(b)["Servizi"]["C6"].comment.text
    assert comments.count("PDZ101") == 1


def test_clearing_marks_restores_original_styles(rich, tmp_path):
    marked, cleared = tmp_path / ("m" + rich.suffix), tmp_path / ("c" + rich.suffix)
    apply_changeset(rich, Changeset(marks=MARKS), marked)
    apply_changeset(marked, Changeset(marks=[]), cleared)
    original = openpyxl.load_workbook(rich)["Servizi"]
    back = openpyxl.load_workbook(cleared)
    assert "_pdz_segni" not in back.sheetnames
    for ref in ("C6", "A5"):
        assert back["Servizi"][ref].style_id == original[ref].style_id
    assert back["Servizi"]["C6"].comment is None
    assert back["Servizi"]["A5"].comment.text.startswith("Nota dell'utente")


def test_lock_file_is_refused_and_nothing_written(rich, tmp_path):
    (rich.parent / ("~$" + rich.name)).write_text("lock")
    out = tmp_path / ("out" + rich.suffix)
    with pytest.raises(WorkbookWriteError) as info:
        apply_changeset(rich, Changeset(sheets=[OWNED]), out)
    assert "aperta in Excel" in str(info.value) and not out.exists()


def test_corrupt_input_is_refused(tmp_path):
    bad = tmp_path / "rotto.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(WorkbookReadError):
        apply_changeset(bad, Changeset(sheets=[OWNED]), tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_read_only_folder_is_refused(rich, tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits: simulate with a folder that does not exist
        target = tmp_path / "manca" / "out.xlsx"
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = ro / "out.xlsx"
    with pytest.raises(WorkbookWriteError) as info:
        apply_changeset(rich, Changeset(sheets=[OWNED]), target)
    assert "non posso scrivere" in str(info.value)


def test_failure_mid_write_leaves_input_untouched_and_no_half_file(rich, tmp_path,
                                                                   monkeypatch):
    before = rich.read_bytes()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("interrotto a metà")

    monkeypatch.setattr(xlsx_patch.Package, "write", boom)
    with pytest.raises(KeyboardInterrupt):
        apply_changeset(rich, Changeset(sheets=[OWNED]), rich, in_place=True)
    assert rich.read_bytes() == before
    assert [p.name for p in rich.parent.iterdir() if p.name.startswith(".~pdz")] == []


def test_in_place_keeps_a_backup(rich):
    before = rich.read_bytes()
    result = apply_changeset(rich, Changeset(sheets=[OWNED]), in_place=True)
    assert result.backup is not None and result.backup.read_bytes() == before
    assert "Rapporto PDZ" in openpyxl.load_workbook(rich).sheetnames


def test_replacing_an_owned_sheet_never_duplicates_it(rich, tmp_path):
    a, b = tmp_path / ("a" + rich.suffix), tmp_path / ("b" + rich.suffix)
    apply_changeset(rich, Changeset(sheets=[OWNED]), a)
    smaller = OWNED.model_copy(update={"cells": OWNED.cells[:1]})
    apply_changeset(a, Changeset(sheets=[smaller]), b)
    wb = openpyxl.load_workbook(b)
    assert wb.sheetnames.count("Rapporto PDZ") == 1
    assert wb["Rapporto PDZ"]["B2"].value is None


def test_removing_an_owned_sheet(rich, tmp_path):
    a, b = tmp_path / ("a" + rich.suffix), tmp_path / ("b" + rich.suffix)
    apply_changeset(rich, Changeset(sheets=[OWNED]), a)
    apply_changeset(a, Changeset(remove_sheets=["Rapporto PDZ"]), b)
    assert openpyxl.load_workbook(b).sheetnames == openpyxl.load_workbook(rich).sheetnames

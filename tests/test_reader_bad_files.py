"""Bad files get a clear Italian message naming the file; nothing crashes."""

import io
import zipfile

import pytest
import xlsxwriter
from msoffcrypto.format.ooxml import OOXMLFile

from pdz_xl.errors import WorkbookReadError
from pdz_xl.io.xlsx_reader import read_workbook


def _good_xlsx() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    wb.add_worksheet("Foglio").write("A1", "BUDGET 2021")
    wb.close()
    return buf.getvalue()


def _expect(path, *fragments):
    with pytest.raises(WorkbookReadError) as info:
        read_workbook(path)
    text = str(info.value)
    assert str(path) in text
    for fragment in fragments:
        assert fragment in text, text


def test_missing_file(tmp_path):
    _expect(tmp_path / "manca.xlsx", "non esiste")


def test_empty_file(tmp_path):
    p = tmp_path / "vuoto.xlsx"
    p.write_bytes(b"")
    _expect(p, "vuoto")


def test_not_a_workbook(tmp_path):
    p = tmp_path / "testo.xlsx"
    p.write_text("non sono un foglio di calcolo")
    _expect(p, "non è una cartella di lavoro")


def test_truncated_zip(tmp_path):
    p = tmp_path / "troncato.xlsx"
    p.write_bytes(_good_xlsx()[:700])
    _expect(p, "danneggiato")


def test_corrupt_member(tmp_path):
    data = bytearray(_good_xlsx())
    src = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = src.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    p = tmp_path / "rotto.xlsx"
    p.write_bytes(bytes(data))
    _expect(p, "danneggiato")


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "archivio.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("leggimi.txt", "ciao")
    _expect(p, "manca xl/workbook.xml")


def test_legacy_xls(tmp_path):
    p = tmp_path / "vecchio.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    _expect(p, ".xls", "salvarlo come")


def test_password_protected(tmp_path):
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_good_xlsx())).encrypt("segreta", out)
    p = tmp_path / "protetto.xlsx"
    p.write_bytes(out.getvalue())
    _expect(p, "protetta da password")


def test_ods(tmp_path):
    p = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    _expect(p, "OpenDocument")


def test_good_file_reads(tmp_path):
    p = tmp_path / "buono.xlsx"
    p.write_bytes(_good_xlsx())
    grid = read_workbook(p)
    assert grid.sheets[0].value(1, 1) == "BUDGET 2021"


def test_both_reading_engines_give_the_same_grid():
    from tests.support.oracles import REPO

    for name in ("piano_operativo_2018.xlsx", "piano_programma_2021.xlsx"):
        fast = read_workbook(REPO / "workbooks" / name)
        pure = read_workbook(REPO / "workbooks" / name, engine="python")
        assert [s.name for s in fast.sheets] == [s.name for s in pure.sheets]
        for a, b in zip(fast.sheets, pure.sheets, strict=True):
            assert a.rows == b.rows, (name, a.name)
            assert (a.hidden_rows, a.merged) == (b.hidden_rows, b.merged)


def test_shared_formulas_with_sheet_references_are_shifted(tmp_path):
    import zipfile

    p = tmp_path / "condivise.xlsx"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">Dati!B2+B5</f><v>0</v></c>'
             '</row><row r="2"><c r="A2"><f t="shared" si="0"/><v>0</v></c></row>'
             '</sheetData></worksheet>')
    src = tmp_path / "base.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    wb.add_worksheet("S")
    wb.add_worksheet("Dati")
    wb.close()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
        for item in zin.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" \
                else zin.read(item)
            zout.writestr(item, data)
    for engine in ("auto", "python"):
        s = read_workbook(p, engine=engine).sheet("S")
        assert s.get(2, 1).formula == "=Dati!B3+B6", engine

"""The write path on real workbooks: zero loss, correct owned content, same bytes twice.

The input is built with XlsxWriter (chart, image, comment, data validation, conditional
format, defined names, table, VBA project in the .xlsm) plus what Excel writes (a shared
formula, calcChain.xml, custom XML); see tests/support/patch_books.py.
"""

from __future__ import annotations

import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pdz_xl.changeset import (
    CellStyle,
    CellWrite,
    Changeset,
    ChartSeries,
    ChartSpec,
    Mark,
    OwnedSheet,
)
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.money import EUR_PLAIN_FORMAT
from tests.support.patch_books import BUDGET, DATA, SUMMARY, TOTAL, build_book

REPORT = "Rapporto PDZ"
OWNED = OwnedSheet(
    name=REPORT, after=BUDGET, tab_color="C00000", freeze="A3", merged=["A1:D1"],
    column_widths={"A": 34, "C": 18.5},
    cells=[
        CellWrite(cell="A1", value="Controllo del budget", note="Scritto da pdz-xl",
                  style=CellStyle(bold=True, font_size=13)),
        CellWrite(cell="A3", value="Servizi!C6", hyperlink="Servizi!C6",
                  style=CellStyle(font_color="0563C1")),
        CellWrite(cell="A4", value="Tabella", hyperlink="'Dati'!A2"),
        CellWrite(cell="B3", value=Decimal("745.00"), formula=f"=Servizi!C{TOTAL}*2",
                  style=CellStyle(number_format=EUR_PLAIN_FORMAT, fill="E2EFDA",
                                  align="right")),
        CellWrite(cell="B4", value="ok", formula=f'=IF(Servizi!C{TOTAL}>0,"ok","no")'),
        CellWrite(cell="B5", value=True, formula=f"=Servizi!C{TOTAL}>0"),
        CellWrite(cell="B6", value="#DIV/0!", formula="=1/0"),
        CellWrite(cell="C3", value="testo & <simboli> «lunghi» da andare a capo",
                  style=CellStyle(wrap=True, italic=True)),
        CellWrite(cell="C4", value=0.1),
        CellWrite(cell="C5", value=-12),
        CellWrite(cell="A8", value="Canale"), CellWrite(cell="B8", value="Importo"),
        CellWrite(cell="A9", value="FNPS"), CellWrite(cell="B9", value=120),
        CellWrite(cell="A10", value="FSR"), CellWrite(cell="B10", value=252.01),
    ],
    charts=[ChartSpec(kind="column", title="Canali", categories=f"'{REPORT}'!$A$9:$A$10",
                      series=[ChartSeries(name="2021", values=f"'{REPORT}'!$B$9:$B$10")],
                      anchor="E3")],
)
HIDDEN = OwnedSheet(name="Regole nascoste", hidden=True,
                    cells=[CellWrite(cell="A1", value="regola")])
PATCH = {BUDGET: [
    CellWrite(cell="F5", value="ok"),  # a cell under the data validation
    CellWrite(cell="E6", value=0, style=CellStyle(number_format="0.00")),
    CellWrite(cell="E9", value=Decimal("52.01"), formula="=SUM(E5:E8)"),  # E6 changed
    CellWrite(cell="G5", value=200, formula="=B5*2"),  # the master of a shared formula
    CellWrite(cell="H5", value=Decimal("100.50"), formula="=B5+0.5",
              hyperlink=f"'{REPORT}'!A1", note="calcolata da pdz-xl"),
]}
MARKS = [Mark(sheet=BUDGET, cell="C6", note="PDZ101 errore: la ripartizione non torna"),
         Mark(sheet=BUDGET, cell="A5", note="su una cella con nota dell'utente",
              severity="avviso"),
         Mark(sheet=BUDGET, cell="Z40", note="una cella vuota")]
FULL = Changeset(sheets=[OWNED, HIDDEN], cells=PATCH, marks=MARKS)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def stored(path: Path) -> dict[str, tuple[int, bytes]]:
    """name -> (CRC, compressed bytes exactly as stored), read without our code."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            n, m = struct.unpack("<2H", data[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + n + m
            out[info.filename] = (info.CRC, data[start:start + info.compress_size])
    return out


@pytest.fixture(params=["xlsx", "xlsm"])
def book(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return build_book(tmp_path / f"budget.{request.param}", macro=request.param == "xlsm")


@pytest.fixture
def written(book: Path, tmp_path: Path) -> tuple[Path, Path, object]:
    out = tmp_path / "out" / book.name
    out.parent.mkdir()
    return book, out, apply_changeset(book, FULL, out)


def test_every_part_not_owned_is_byte_identical(written):
    src, out, result = written
    before, after = parts(src), parts(out)
    raw_before, raw_after = stored(src), stored(out)
    changed = set(result.changed_parts)
    untouched = [n for n in before if n not in changed]
    for name in untouched:
        assert after[name] == before[name], name
        assert raw_after[name] == raw_before[name], f"{name}: stored bytes differ"
    # exactly the parts the product must touch, nothing else
    assert set(result.modified_parts) == {
        "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/workbook.xml",
        "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml"}
    assert result.removed_parts == ["xl/calcChain.xml"]
    assert all(n not in before for n in result.added_parts)
    assert set(before) - changed == set(after) - changed
    for kept in ("xl/charts/chart1.xml", "xl/media/image1.png", "xl/tables/table1.xml",
                 "xl/drawings/drawing1.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml",
                 "xl/worksheets/sheet3.xml", "customXml/item1.xml", "docProps/app.xml",
                 "xl/theme/theme1.xml"):
        assert kept in untouched, kept
    if src.suffix == ".xlsm":
        assert raw_after["xl/vbaProject.bin"] == raw_before["xl/vbaProject.bin"]
    assert zipfile.ZipFile(out).testzip() is None


def test_styles_are_appended_never_rewritten(written):
    src, out, _ = written
    from lxml import etree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    old = etree.fromstring(parts(src)["xl/styles.xml"])
    new = etree.fromstring(parts(out)["xl/styles.xml"])
    for section in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
        a = old.find(f"m:{section}", ns)
        b = new.find(f"m:{section}", ns)
        if a is None:
            continue
        assert len(b) >= len(a)
        for x, y in zip(a, b, strict=False):  # every existing entry unchanged, in place
            assert etree.tostring(x, method="c14n") == etree.tostring(y, method="c14n")
        assert int(b.get("count")) == len(b)


def test_owned_sheet_reads_back_with_openpyxl(written):
    _src, out, _ = written
    wb = openpyxl.load_workbook(out, keep_vba=out.suffix == ".xlsm")
    assert wb.sheetnames == [BUDGET, REPORT, DATA, SUMMARY, "Regole nascoste", "_pdz_segni"]
    ws = wb[REPORT]
    assert ws["A1"].value == "Controllo del budget"
    assert ws["A1"].font.b and ws["A1"].font.sz == 13
    assert ws["A1"].comment.text == "Scritto da pdz-xl" and ws["A1"].comment.author == "pdz-xl"
    assert ws["A3"].hyperlink.location == "Servizi!C6"
    assert ws["A3"].font.color.rgb == "FF0563C1"
    assert ws["A4"].hyperlink.location == "'Dati'!A2"
    assert ws["B3"].value == f"=Servizi!C{TOTAL}*2"
    assert ws["B3"].number_format == EUR_PLAIN_FORMAT
    assert ws["B3"].fill.fgColor.rgb == "FFE2EFDA" and ws["B3"].alignment.horizontal == "right"
    assert ws["C3"].value == "testo & <simboli> «lunghi» da andare a capo"
    assert ws["C3"].alignment.wrap_text and ws["C3"].font.i
    assert ws["C4"].value == 0.1 and ws["C5"].value == -12
    assert ws.column_dimensions["A"].width == 34 and ws.column_dimensions["C"].width == 18.5
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
    assert ws.freeze_panes == "A3"
    assert ws.sheet_properties.tabColor.rgb == "FFC00000"
    assert wb["Regole nascoste"].sheet_state == "hidden"
    assert wb["_pdz_segni"].sheet_state == "veryHidden"
    charts = ws._charts
    assert len(charts) == 1
    assert charts[0].series[0].val.numRef.f == f"'{REPORT}'!$B$9:$B$10"
    cached = openpyxl.load_workbook(out, data_only=True)[REPORT]
    assert cached["B3"].value == 745
    assert cached["B4"].value == "ok"
    assert cached["B5"].value is True
    assert cached["B6"].value == "#DIV/0!"


def test_user_sheet_keeps_its_content_and_gets_the_patches(written):
    src, out, _ = written
    before = openpyxl.load_workbook(src)[BUDGET]
    wb = openpyxl.load_workbook(out, keep_vba=out.suffix == ".xlsm")
    ws = wb[BUDGET]
    assert ws["F5"].value == "ok"
    assert ws["E6"].value == 0 and ws["E6"].number_format == "0.00"
    new, old = ws["E6"]._style, before["E6"]._style  # the rest of the cell's xf is kept
    assert (new.fontId, new.fillId, new.borderId) == (old.fontId, old.fillId, old.borderId)
    assert new.numFmtId != old.numFmtId
    assert ws["G5"].value == "=B5*2"
    # the shared formula's dependents got their own, translated formulas
    assert [ws[f"G{r}"].value for r in (6, 7, 8)] == ["=Dati!B3+B6", "=Dati!B4+B7",
                                                      "=Dati!B5+B8"]
    assert ws["H5"].value == "=B5+0.5" and ws["H5"].hyperlink.location == f"'{REPORT}'!A1"
    assert ws["H5"].comment.text == "calcolata da pdz-xl"
    assert ws["C6"].fill.fgColor.rgb == "FFFFC7CE" and "PDZ101" in ws["C6"].comment.text
    assert ws["A5"].comment.text == "Nota dell'utente: da rivedere"  # theirs, untouched
    assert ws["A5"].fill.fgColor.rgb == "FFFFEB9C"
    assert ws["Z40"].fill.fgColor.rgb == "FFFFC7CE" and ws["Z40"].comment.text
    # untouched content of the patched sheet
    for ref in ("A1", "B5", "C6", "B9", "C9", "D9"):
        assert ws[ref].value == before[ref].value, ref
    assert ws["C6"].number_format == before["C6"].number_format
    assert ws.data_validations.dataValidation[0].formula1 == '"ok,da rivedere"'
    assert len(ws.conditional_formatting) == 1
    assert ws.column_dimensions["A"].width == before.column_dimensions["A"].width
    assert len(ws._charts) == 1  # the user's chart
    assert "TotaleAzione1" in wb.defined_names
    assert "Locale" in wb[DATA].defined_names
    assert wb[SUMMARY].print_area == f"'{SUMMARY}'!$A$1:$B$3"
    assert wb[DATA].tables["Table1"].ref == "A1:C5"
    cached = openpyxl.load_workbook(out, data_only=True)[BUDGET]
    assert cached["G5"].value == 200 and cached["H5"].value == 100.5
    assert cached["G6"].value == 203  # dependents keep their cached values


def test_calc_chain_dropped_and_full_recalculation_requested(written):
    _src, out, _ = written
    after = parts(out)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]


def test_the_same_changeset_twice_gives_the_same_bytes(written, tmp_path):
    src, out, _ = written
    again = tmp_path / "again" / out.name
    again.parent.mkdir()
    result = apply_changeset(out, FULL, again)
    assert again.read_bytes() == out.read_bytes()
    assert result.changed_parts == []
    other = tmp_path / "other" / out.name  # and the first write is deterministic
    other.parent.mkdir()
    apply_changeset(src, FULL, other)
    assert other.read_bytes() == out.read_bytes()


def test_an_empty_changeset_copies_every_stored_byte(book, tmp_path):
    out = tmp_path / "copia" / book.name
    out.parent.mkdir()
    result = apply_changeset(book, Changeset(), out)
    assert result.changed_parts == []
    assert stored(out) == stored(book)
    assert list(parts(out)) == list(parts(book))  # same order


def test_replacing_an_owned_sheet_keeps_id_rid_position_and_never_duplicates(written, tmp_path):
    _src, out, _ = written
    wb_before = parts(out)["xl/workbook.xml"]
    smaller = OWNED.model_copy(update={"cells": OWNED.cells[:1], "charts": [],
                                       "after": None})
    again = tmp_path / "smaller" / out.name
    again.parent.mkdir()
    result = apply_changeset(out, Changeset(sheets=[smaller]), again)
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames.count(REPORT) == 1 and wb.sheetnames.index(REPORT) == 1
    assert wb[REPORT]["B3"].value is None and wb[REPORT]._charts == []
    assert "xl/workbook.xml" not in result.changed_parts  # same sheetId, r:id, place
    assert parts(again)["xl/workbook.xml"] == wb_before
    assert {"xl/charts/chart2.xml", "xl/drawings/drawing2.xml"} <= set(result.removed_parts)
    assert "xl/charts/chart1.xml" in parts(again)  # the user's chart stays

"""Values read straight from the sheet XML are the ones the calamine reading gives.

Each workbook is read twice, with the direct reading and with it switched off (values
from python-calamine); the grids must match cell for cell, in the same order, with the
same value types. The direct reading must also be the one taken for the common markup,
and give way for the markup it does not read as calamine does.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pdz_xl.io import sheet_direct, xlsx_reader
from pdz_xl.io.xlsx_reader import read_workbook

pytest.importorskip("python_calamine")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/'
       'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
       'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
       '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_STYLES = (f'<styleSheet xmlns="{_MAIN}"><numFmts count="2"><numFmt numFmtId="164" '
           'formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>'
           '<fonts count="2"><font/><font><b/></font></fonts><fills count="2"><fill>'
           '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
           '</fill></fills><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0"><alignment indent="2"/></xf>'
           '<xf numFmtId="164" fontId="0" fillId="0"/><xf numFmtId="165" fontId="0" '
           'fillId="0"/></cellXfs></styleSheet>')
_STRINGS = ['<si><t>Voce</t></si>', '<si><t></t></si>',
            '<si><r><t>a</t></r><r><rPr><b/></rPr><t xml:space="preserve"> b</t></r>'
            '<rPh><t>x</t></rPh></si>',
            '<si><t xml:space="preserve"> spazi </t></si>', '<si><t>A &amp; B</t></si>']


def _book(path: Path, cells: str, strings: list[str] | None = None, tail: str = "") -> Path:
    strings = _STRINGS if strings is None else strings
    sheet = (f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetData>{cells}</sheetData>'
             f"{tail}</worksheet>")
    sst = f'<sst xmlns="{_MAIN}" count="{len(strings)}">{"".join(strings)}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                    '<sheet name="Foglio" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG}">'
                    f'<Relationship Id="rId1" Type="{_REL}/worksheet" '
                    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                    f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship '
                    f'Id="rId3" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", sst)
        zf.writestr("xl/styles.xml", _STYLES)
    return path


def _shape(path: Path) -> list | str:
    """Everything of the grid, in order, with the value types (or the error)."""
    try:
        grid = read_workbook(path)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    out = []
    for s in grid.sheets:
        cells = [(r, [(c, type(x.value).__name__, repr(x.value), x.formula, x.number_format,
                       x.bold, x.indent, x.italic, x.fill) for c, x in row.items()])
                 for r, row in s.rows.items()]
        out.append((s.name, cells, sorted(s.hidden_rows), s.outline_rows, s.merged))
    return out


_DIRECT_SHEET = xlsx_reader._Direct.sheet


def _both(monkeypatch, path: Path) -> bool:
    """Read with and without the direct reading; True when the direct one was taken."""
    taken = []

    def spy(self, *args):
        read = _DIRECT_SHEET(self, *args)
        taken.append(read is not None)
        return read

    monkeypatch.setattr(xlsx_reader._Direct, "sheet", spy)
    direct = _shape(path)
    monkeypatch.setattr(xlsx_reader._Direct, "sheet", lambda self, *args: None)
    usual = _shape(path)
    assert direct == usual
    return all(taken)


COMMON = {
    "numbers_and_strings": '<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="2">'
    '<v>12.5</v></c><c r="C1"><v>-3</v></c><c r="D1" t="s"><v>1</v></c><c r="E1" s="2"/></row>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c><c r="C3" t="s">'
    '<v>4</v></c><c r="D3" t="n"><v>1E3</v></c><c r="AB3"><v>5.</v></c></row>',
    "formulas_and_late_cells": '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str">'
    '<f>A1&amp;""</f><v>2</v></c><c r="C1" t="str"><f>X1</f><v></v></c><c r="D1"><f>Y1</f>'
    '</c><c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F1" t="str"><f>Z1</f><v>#N/A</v>'
    '</c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="str"><f>Q1</f><v/></c></row>'
    '<row r="3"><c r="C3"><f>W1</f><v></v></c></row>',
    "shared_formulas": '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v>'
    '</c><c r="B1"><v>1</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c>'
    '</row><row r="3"><c r="A3"><f t="shared" si="0"/><v></v></c><c r="B3"><f t="shared" '
    'si="7"/></c></row>',
    "errors_booleans_text_results": '<row r="1"><c r="A1" t="e"><v>#REF!</v></c><c r="B1" '
    't="b"><v>1</v></c><c r="C1" t="b"><v>0</v></c><c r="D1" t="str"><v>#N/A</v></c></row>'
    '<row r="2"><c r="A2" t="e"><v>#VALUE!</v></c></row>',
    "row_flags_and_merges": '<row r="1" hidden="1"><c r="A1"><v>1</v></c></row><row r="2" '
    'outlineLevel="2" collapsed="1"><c r="A2"><v>2</v></c></row><row r="123456"><c r="A123456">'
    '<v>3</v></c></row>',
}

UNUSUAL = {
    "inline_string": '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
    "rows_out_of_order": '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v>'
    "</c></row>",
    "attributes_in_other_order": '<row r="1"><c r="A1" t="s" s="1"><v>0</v></c></row>',
    "date_format": '<row r="1"><c r="A1" s="3"><v>44197.5</v></c></row>',
    "unknown_error": '<row r="1"><c r="A1" t="e"><v>#GETTING_DATA</v></c></row>',
    "self_closing_error": '<row r="1"><c r="A1" t="e"/><c r="B1" t="e"><v>#N/A</v></c></row>',
    "number_with_spaces": '<row r="1"><c r="A1"><v> 5</v></c></row>',
    "stray_tag": '<row r="1"><c r="A1"><v>1</v></c><f>X</f></row>',
    "prefixed_cell": '<row r="1"><c r="A1"><v>1</v></c><x:c r="B1"><x:v>2</x:v></x:c></row>',
    "string_index_out_of_range": '<row r="1"><c r="A1" t="s"><v>99</v></c></row>',
}


@pytest.mark.parametrize("name", sorted(COMMON))
def test_common_markup_reads_directly_as_calamine_does(tmp_path, monkeypatch, name):
    path = _book(tmp_path / f"{name}.xlsx", COMMON[name],
                 tail='<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>')
    assert _both(monkeypatch, path)


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_markup_takes_the_usual_reading(tmp_path, monkeypatch, name):
    assert not _both(monkeypatch, _book(tmp_path / f"{name}.xlsx", UNUSUAL[name]))


@pytest.mark.parametrize("text", ["a_x000a_b", "  trimmed ", "a&#10;b", "a\r\nb"])
def test_strings_calamine_reads_otherwise_take_the_usual_reading(tmp_path, monkeypatch,
                                                                   text):
    strings = [f"<si><t>{text}</t></si>"]
    path = _book(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings)
    assert sheet_direct.shared_strings(zipfile.ZipFile(path).read("xl/sharedStrings.xml")) \
        is None
    assert not _both(monkeypatch, path)


@pytest.mark.parametrize("code", ["dd/mm/yyyy", "[h]:mm", "h:mm AM/PM", '#,##0*y', "mmm-yy"])
def test_formats_calamine_may_take_for_dates(code):
    assert sheet_direct._date_code(code)


@pytest.mark.parametrize("code", ["General", "#,##0.00", '#,##0.00 "€";[Red]-#,##0.00',
                                  '_-[$€-410] * #,##0.00_-;-[$€-410] * #,##0.00_-', "0%"])
def test_formats_calamine_reads_as_numbers(code):
    assert not sheet_direct._date_code(code)


def test_limits_are_kept(tmp_path, monkeypatch):
    path = _book(tmp_path / "f.xlsx", COMMON["formulas_and_late_cells"])
    monkeypatch.setenv("PDZ_XL_MAX_FORMULE", "2")
    assert "PDZ_XL_MAX_FORMULE" in _shape(path)
    assert not _both(monkeypatch, path)
    monkeypatch.setenv("PDZ_XL_MAX_FORMULE", "8")
    assert _both(monkeypatch, path)
    monkeypatch.setenv("PDZ_XL_MAX_CELLE", "5")  # the dense grid: read by the XML pass
    assert not _both(monkeypatch, _book(tmp_path / "w.xlsx", COMMON["row_flags_and_merges"]))

"""Owned sheets in the workbook structure: placement, replacement, removal, charts, and
the calculation chain."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from pdz_xl.changeset import CellWrite, Changeset, ChartSeries, ChartSpec, OwnedSheet
from pdz_xl.errors import PdzError, WorkbookWriteError
from pdz_xl.io.package import Package
from pdz_xl.io.xlsx_patch import _Editor, apply_changeset
from tests.support.patch_books import BUDGET, DATA, SUMMARY, M, build_book

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def workbook(path: Path) -> etree._Element:
    return etree.fromstring(parts(path)["xl/workbook.xml"])


def local_names(path: Path) -> dict[str, str]:
    """defined name -> localSheetId."""
    return {d.get("name"): d.get("localSheetId") for d in workbook(path).iter(M + "definedName")
            if d.get("localSheetId") is not None}


def sheet_ids(path: Path) -> list[tuple[str, str, str]]:
    return [(s.get("name"), s.get("sheetId"), s.get(f"{{{NS_R}}}id"))
            for s in workbook(path).iter(M + "sheet")]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_book(tmp_path / "budget.xlsx")


def write(src: Path, cs: Changeset, name: str) -> tuple[Path, object]:
    out = src.parent / name / src.name
    out.parent.mkdir(exist_ok=True)
    return out, apply_changeset(src, cs, out)


def sheet(name: str, after: str | None = None, **kw) -> OwnedSheet:
    return OwnedSheet(name=name, after=after, cells=[CellWrite(cell="A1", value=name)], **kw)


def test_a_new_sheet_after_another_renumbers_the_sheet_scoped_names(book):
    assert local_names(book) == {"Locale": "1", "_xlnm.Print_Area": "2"}
    out, _ = write(book, Changeset(sheets=[sheet("Primo", after=BUDGET)]), "1")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [BUDGET, "Primo", DATA, SUMMARY]
    assert local_names(out) == {"Locale": "2", "_xlnm.Print_Area": "3"}
    assert "Locale" in wb[DATA].defined_names
    assert wb[SUMMARY].print_area == f"'{SUMMARY}'!$A$1:$B$3"
    ids = sheet_ids(out)
    assert ids[0] == sheet_ids(book)[0] and ids[1][1] == "4"  # a new, unused sheetId


def test_removing_owned_sheets_restores_the_workbook(book):
    cs = Changeset(sheets=[sheet("Primo", after=BUDGET, charts=[ChartSpec(
        kind="pie", title="Torta", categories="Primo!$A$1:$A$1",
        series=[ChartSeries(name="x", values="Primo!$B$1:$B$1")], anchor="C3")]),
        sheet("Ultimo")])
    with_sheets, _ = write(book, cs, "1")
    # a name the user scoped to our sheet goes with it
    data = parts(with_sheets)
    wb = etree.fromstring(data["xl/workbook.xml"])
    names = wb.find(M + "definedNames")
    etree.SubElement(names, M + "definedName", name="SuNostro", localSheetId="1").text = \
        "Primo!$A$1"
    data["xl/workbook.xml"] = etree.tostring(wb, xml_declaration=True, encoding="UTF-8",
                                             standalone=True)
    edited = book.parent / "edited" / book.name
    edited.parent.mkdir()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    out, result = write(edited, Changeset(remove_sheets=["Primo", "ultimo"]), "2")
    assert openpyxl.load_workbook(out).sheetnames == [BUDGET, DATA, SUMMARY]
    assert local_names(out) == local_names(book)
    assert set(parts(out)) == set(parts(book))
    assert {"xl/charts/chart2.xml", "xl/drawings/drawing2.xml"} <= set(result.removed_parts)
    assert etree.tostring(workbook(out).find(M + "definedNames"), method="c14n") == \
        etree.tostring(workbook(book).find(M + "definedNames"), method="c14n")


def test_replacing_a_user_sheet_keeps_its_id_relationship_and_place(book):
    out, result = write(book, Changeset(sheets=[sheet(SUMMARY)]), "1")
    assert sheet_ids(out) == sheet_ids(book)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [BUDGET, DATA, SUMMARY]
    assert wb[SUMMARY]["A1"].value == SUMMARY and wb[SUMMARY]["B2"].value is None
    assert result.modified_parts == ["xl/worksheets/sheet3.xml"]


def test_linked_parts_still_used_elsewhere_are_kept(book, tmp_path):
    """Replacing a sheet whose pivot table uses a cache the workbook also lists: the cache
    stays, the pivot table (used by that sheet only) goes."""
    data = parts(book)
    rel = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
           '"http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>')
    link = '<Relationship Id="{}" Type="{}" Target="{}"/>'
    pt = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotTable"
    pc = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
          "pivotCacheDefinition")
    data["xl/worksheets/_rels/sheet3.xml.rels"] = rel.format(
        link.format("rId1", pt, "../pivotTables/pivotTable1.xml")).encode()
    data["xl/pivotTables/pivotTable1.xml"] = b"<pivotTableDefinition/>"
    data["xl/pivotTables/_rels/pivotTable1.xml.rels"] = rel.format(
        link.format("rId1", pc, "../pivotCache/pivotCacheDefinition1.xml")).encode()
    data["xl/pivotCache/pivotCacheDefinition1.xml"] = b"<pivotCacheDefinition/>"
    wb_rels = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        link.format("rId77", pc, "pivotCache/pivotCacheDefinition1.xml").encode()
        + b"</Relationships>")
    data["xl/_rels/workbook.xml.rels"] = wb_rels
    crafted = tmp_path / "pivot" / book.name
    crafted.parent.mkdir()
    with zipfile.ZipFile(crafted, "w") as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    out, _result = write(crafted, Changeset(sheets=[sheet(SUMMARY)]), "1")
    after = parts(out)
    assert after["xl/pivotCache/pivotCacheDefinition1.xml"] == b"<pivotCacheDefinition/>"
    assert "xl/pivotTables/pivotTable1.xml" not in after
    assert "xl/worksheets/_rels/sheet3.xml.rels" not in after
    assert after["xl/_rels/workbook.xml.rels"] == wb_rels


def test_after_an_unknown_sheet_appends_and_says_so(book):
    out, result = write(book, Changeset(sheets=[sheet("Nuovo", after="Manca")]), "1")
    assert openpyxl.load_workbook(out).sheetnames[-1] == "Nuovo"
    assert any("Manca" in n for n in result.notes)


@pytest.mark.parametrize("name", ["a/b", "Area [1]", "x" * 32, "'citato'", "", "History"])
def test_a_sheet_name_excel_would_repair_is_refused(book, name):
    with pytest.raises(WorkbookWriteError, match="nome di foglio"):
        write(book, Changeset(sheets=[sheet(name)]), "1")
    assert not (book.parent / "1" / book.name).exists()


def test_the_registry_name_is_reserved(book):
    with pytest.raises(PdzError):
        write(book, Changeset(sheets=[sheet("_pdz_segni")]), "1")


def test_values_only_keep_the_calc_chain(book):
    out, result = write(book, Changeset(cells={BUDGET: [CellWrite(cell="F6", value="ok")]}),
                        "1")
    assert parts(out)["xl/calcChain.xml"] == parts(book)["xl/calcChain.xml"]
    assert b"fullCalcOnLoad" not in parts(out)["xl/workbook.xml"]
    assert result.modified_parts == ["xl/worksheets/sheet1.xml"]


def test_overwriting_a_formula_with_a_value_drops_the_calc_chain(book):
    out, result = write(book, Changeset(cells={BUDGET: [CellWrite(cell="B9", value=350)]}),
                        "1")
    assert "xl/calcChain.xml" in result.removed_parts
    assert openpyxl.load_workbook(out)[BUDGET]["B9"].value == 350


def test_a_cell_inside_an_array_formula_is_refused(book, tmp_path):
    data = parts(book)
    root = etree.fromstring(data["xl/worksheets/sheet1.xml"])
    data_el = root.find(M + "sheetData")
    row = etree.SubElement(data_el, M + "row", r="30")
    for ref, master in (("B30", True), ("C30", False)):
        c = etree.SubElement(row, M + "c", r=ref)
        if master:
            etree.SubElement(c, M + "f", t="array", ref="B30:C30").text = "B5:C5*2"
        etree.SubElement(c, M + "v").text = "1"
    data["xl/worksheets/sheet1.xml"] = etree.tostring(root)
    crafted = tmp_path / "array" / book.name
    crafted.parent.mkdir()
    with zipfile.ZipFile(crafted, "w") as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    before = crafted.read_bytes()
    with pytest.raises(WorkbookWriteError) as info:
        write(crafted, Changeset(cells={BUDGET: [CellWrite(cell="C30", value=5)]}), "1")
    assert "B30:C30" in str(info.value) and "C30" in str(info.value)
    assert crafted.read_bytes() == before
    assert not (crafted.parent / "1" / book.name).exists()


@pytest.mark.parametrize("kind,stacked", [("column", False), ("bar", True), ("line", False),
                                          ("pie", False), ("column", True)])
def test_native_charts_with_references_and_caches(book, kind, stacked):
    owned = OwnedSheet(name="Grafici", cells=[
        CellWrite(cell="A2", value="FNPS"), CellWrite(cell="A3", value="FSR"),
        CellWrite(cell="B2", value=120), CellWrite(cell="B3", value=252.01),
        CellWrite(cell="C2", value=100), CellWrite(cell="C3", value=2, formula="=1+1"),
        CellWrite(cell="B1", value="2021")],
        charts=[ChartSpec(kind=kind, title="Canali «2021»", stacked=stacked,
                          categories="Grafici!$A$2:$A$3", anchor="E2",
                          series=[ChartSeries(name="2021", values="Grafici!$B$2:$B$3",
                                              name_ref="Grafici!$B$1"),
                                  ChartSeries(name="2022", values="Grafici!$C$2:$C$3")])])
    out, result = write(book, Changeset(sheets=[owned]), "1")
    ws = openpyxl.load_workbook(out)["Grafici"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert [s.val.numRef.f for s in chart.series] == ["Grafici!$B$2:$B$3", "Grafici!$C$2:$C$3"]
    assert chart.series[0].cat.strRef.f == "Grafici!$A$2:$A$3"
    assert [p.v for p in chart.series[0].val.numRef.numCache.pt] == [120, 252.01]
    assert [p.v for p in chart.series[1].val.numRef.numCache.pt] == [100, 2]
    assert [p.v for p in chart.series[0].cat.strRef.strCache.pt] == ["FNPS", "FSR"]
    assert chart.series[0].tx.strRef.f == "Grafici!$B$1"
    chart_part = next(p for p in result.added_parts if p.startswith("xl/charts/"))
    xml = parts(out)[chart_part]
    assert ("grouping val=\"stacked\"" in xml.decode()) == stacked


def test_an_editor_left_unused_changes_nothing(book):
    pkg = Package(book)
    _Editor(pkg).apply(Changeset())
    assert pkg.changes() == ([], [], [])
    pkg.close()

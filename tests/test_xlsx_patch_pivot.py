"""A real pivot table (made by LibreOffice) survives the write path byte for byte, and the
result opens in LibreOffice with the pivot table still there."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from pdz_xl.changeset import CellWrite, Changeset, Mark, OwnedSheet
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.libreoffice import convert, recalculated_csv
from tests.support.lo_pivot import build_pivot_book

pytestmark = pytest.mark.libreoffice

PIVOT_PARTS = ("xl/pivotTables/pivotTable1.xml", "xl/pivotTables/_rels/pivotTable1.xml.rels",
               "xl/pivotCache/pivotCacheDefinition1.xml",
               "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
               "xl/pivotCache/pivotCacheRecords1.xml", "xl/worksheets/sheet2.xml",
               "xl/worksheets/_rels/sheet2.xml.rels")


@pytest.fixture(scope="module")
def pivot_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pivot_book(tmp_path_factory.mktemp("pivot") / "pivot.xlsx")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_pivot_table_survives_byte_for_byte_and_reopens(pivot_book, tmp_path):
    before = parts(pivot_book)
    assert set(PIVOT_PARTS) <= set(before)
    out = tmp_path / "out.xlsx"
    cs = Changeset(sheets=[OwnedSheet(name="Controlli PDZ", cells=[
        CellWrite(cell="A1", value="Totale", note="nota"),
        CellWrite(cell="B1", value=250, formula="=SUM(Dati!C2:C5)")])],
        cells={"Dati": [CellWrite(cell="E1", value="verificato")]},
        marks=[Mark(sheet="Dati", cell="C3", note="PDZ101: controllare")])
    result = apply_changeset(pivot_book, cs, out)
    after = parts(out)
    for name in PIVOT_PARTS:
        assert after[name] == before[name], name
        assert name not in result.changed_parts
    wb = openpyxl.load_workbook(out)
    assert len(wb["Pivot"]._pivots) == 1
    assert wb["Dati"]["C3"].comment.text == "PDZ101: controllare"
    seen = recalculated_csv(out)
    assert seen["Pivot"] == recalculated_csv(pivot_book)["Pivot"]
    assert seen["Controlli PDZ"][0][:2] == ["Totale", "250"]
    again = parts(convert(out, tmp_path / "lo", "xlsx"))
    assert any(n.startswith("xl/pivotTables/") for n in again)


def test_replacing_the_pivot_sheet_keeps_the_cache_the_workbook_lists(pivot_book, tmp_path):
    out = tmp_path / "out.xlsx"
    result = apply_changeset(pivot_book, Changeset(sheets=[OwnedSheet(
        name="Pivot", cells=[CellWrite(cell="A1", value="sostituito")])]), out)
    after = parts(out)
    assert "xl/pivotTables/pivotTable1.xml" in result.removed_parts
    assert after["xl/pivotCache/pivotCacheDefinition1.xml"] == \
        parts(pivot_book)["xl/pivotCache/pivotCacheDefinition1.xml"]
    assert b"pivotTable" not in after["[Content_Types].xml"]
    assert recalculated_csv(out)["Pivot"][0][0] == "sostituito"

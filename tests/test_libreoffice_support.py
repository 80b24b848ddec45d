"""The LibreOffice helper really recalculates: a wrong cached value is caught, a missing
soffice is an error (never a skip)."""

import pytest
import xlsxwriter

from tests.support import libreoffice
from tests.support.libreoffice import (
    LibreOfficeMissing,
    assert_cached_equals_recalculated,
    formula_mismatches,
    recalculated_csv,
    recalculated_values,
    soffice,
)

pytestmark = pytest.mark.libreoffice


def _book(path, cached):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_column("A1", [1.10, 2.20, 3.30])
    ws.write_formula("A4", "=SUM(A1:A3)", None, cached)
    other = wb.add_worksheet("Altro foglio")
    other.write("A1", 5)
    other.write_formula("B1", "=A1*2+S!A4", None, 16.6 if cached == 6.6 else 0)
    wb.close()
    return path


def test_soffice_is_installed():
    assert soffice()


def test_right_cached_values_pass(tmp_path):
    book = _book(tmp_path / "ok.xlsx", 6.6)
    assert formula_mismatches(book) == []
    assert_cached_equals_recalculated(book)


def test_wrong_cached_value_is_caught(tmp_path):
    book = _book(tmp_path / "ko.xlsx", 7.7)
    problems = formula_mismatches(book)
    assert any("S!A4" in p and "770" in p and "660" in p for p in problems), problems
    with pytest.raises(AssertionError, match="S!A4"):
        assert_cached_equals_recalculated(book, sheets=["S"])


def test_recalculated_values_per_sheet(tmp_path):
    values = recalculated_values(_book(tmp_path / "v.xlsx", 0))
    assert values["S"]["A4"] == pytest.approx(6.6)
    assert values["Altro foglio"]["B1"] == pytest.approx(16.6)


def test_csv_per_sheet_is_recalculated(tmp_path):
    tables = recalculated_csv(_book(tmp_path / "c.xlsx", 0))
    assert tables["S"][3] == ["6.6"]
    assert tables["Altro foglio"][0] == ["5", "16.6"]


def test_no_formula_is_not_a_pass(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "n.xlsx"))
    wb.add_worksheet("S").write("A1", 1)
    wb.close()
    with pytest.raises(AssertionError, match="nessuna formula"):
        assert_cached_equals_recalculated(tmp_path / "n.xlsx")


def test_missing_soffice_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(libreoffice.shutil, "which", lambda _name: None)
    with pytest.raises(LibreOfficeMissing, match="non è installato"):
        formula_mismatches(_book(tmp_path / "m.xlsx", 6.6))


def test_profile_turns_recalculation_on():
    xcu = (libreoffice.profile_dir() / "user" / "registrymodifications.xcu").read_text()
    assert 'oor:path="/org.openoffice.Office.Calc/Formula/Load"' in xcu
    assert '"OOXMLRecalcMode" oor:op="fuse"><value>0<' in xcu

"""The LibreOffice helper really recalculates: a wrong cached value is caught."""

import xlsxwriter

from tests.support.libreoffice import formula_mismatches, soffice


def _book(path, cached):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_column("A1", [1.10, 2.20, 3.30])
    ws.write_formula("A4", "=SUM(A1:A3)", None, cached)
    wb.close()
    return path


def test_soffice_is_installed():
    assert soffice()


def test_right_cached_value_passes(tmp_path):
    assert formula_mismatches(_book(tmp_path / "ok.xlsx", 6.6)) == []


def test_wrong_cached_value_is_caught(tmp_path):
    problems = formula_mismatches(_book(tmp_path / "ko.xlsx", 7.7))
    assert len(problems) == 1 and "S!A4" in problems[0] and "770" in problems[0]

"""The next-year evaluator on areas far larger than the sheet: the cells present only."""

from __future__ import annotations

import time
from fractions import Fraction

import openpyxl

from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.nextyear.evaluate import Book


def _book(tmp_path, formulas: dict[str, str]) -> Book:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dati"
    for r, (label, amount) in enumerate([("a", 1.5), ("b", 2.25), ("a", 4), ("", 8)], 1):
        ws.cell(r, 1, label or None)
        ws.cell(r, 2, amount)
    ws["D7"] = 100  # far from the others, still inside every area below
    out = wb.create_sheet("Calcoli")
    for ref, f in formulas.items():
        out[ref] = f
    path = tmp_path / "aree.xlsx"
    wb.save(path)
    return Book(read_workbook(path))


def test_whole_grid_sums_read_the_cells_present(tmp_path):
    book = _book(tmp_path, {"A1": "=SUM(Dati!A1:XFD1048576)", "A2": "=SUM(Dati!B:B)",
                            "A3": "=SUBTOTAL(9,Dati!A1:XFD1048576)",
                            "A4": '=SUMIF(Dati!A:A,"a",Dati!B:B)',
                            "A5": '=SUMIF(Dati!A1:A1048576,"",Dati!B1:B1048576)'})
    t0 = time.process_time()
    values = [book.value(("calcoli", r, 1)) for r in range(1, 6)]
    assert time.process_time() - t0 < 10  # 17 billion cells of area: never walked
    assert values == [Fraction(11575, 100), Fraction(1575, 100), Fraction(11575, 100),
                      Fraction(55, 10), Fraction(8)]  # a blank criterion counts its figure

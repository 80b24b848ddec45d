"""The reader keeps the structure offices use to show hierarchy and tables: the indent,
italic font and fill of a cell's style, the outline (group) levels of rows and columns,
and the Excel Tables (ListObjects) of a sheet with their totals rows.

Workbooks come from two writers (xlsxwriter, openpyxl); both reading engines are checked
against openpyxl as an independent reader, and against each other.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Alignment, Font, GradientFill, PatternFill
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableColumn

from pdz_xl.cells import range_a1
from pdz_xl.grid import Cell, ErrorValue, ExcelTable, SheetGrid, sheet_from_values
from pdz_xl.io.xlsx_reader import read_workbook

ENGINES = ("auto", "python")


# -- workbooks ---------------------------------------------------------------------------

def _xlsxwriter_book(path):
    wb = xlsxwriter.Workbook(str(path))
    area = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})  # solid fill
    servizio = wb.add_format({"bold": True, "indent": 1})
    azione = wb.add_format({"italic": True, "indent": 2})
    voce = wb.add_format({"indent": 3})
    money = wb.add_format({"num_format": "#,##0.00"})
    shaded = wb.add_format({"num_format": "#,##0.00", "pattern": 2, "fg_color": "#C0C0C0"})
    gray125 = wb.add_format({"pattern": 17})  # the pattern Excel reserves as "no fill"
    total = wb.add_format({"bold": True, "italic": True, "bg_color": "#FFFF00",
                           "num_format": "#,##0.00"})

    ws = wb.add_worksheet("Budget")
    ws.write("A1", "PIANO OPERATIVO 2021", area)
    ws.write("A2", "AREA 1 - DOMICILIARITÀ", area)
    ws.write("A3", "Servizio SAD", servizio)
    ws.write("A4", "Azione 1: assistenza domiciliare", azione)
    ws.write("A5", "Operatori", voce)
    ws.write_number("B5", 1234.5, money)
    ws.write("A6", "Trasporti", voce)
    ws.write_number("B6", 100, shaded)
    ws.write("A7", "TOTALE AZIONE 1", total)
    ws.write_formula("B7", "=SUM(B5:B6)", total, 1334.5)
    ws.write("A8", "nota", gray125)
    ws.write_formula("B8", "=1/0", azione, "#DIV/0!")
    ws.write("F1", "senza stile")
    ws.set_row(2, None, None, {"level": 1})
    ws.set_row(3, None, None, {"level": 2})
    ws.set_row(4, None, None, {"level": 3, "hidden": True})
    ws.set_row(5, None, None, {"level": 3, "hidden": True})
    ws.set_row(6, None, None, {"collapsed": True})
    ws.set_column("C:D", None, None, {"level": 1, "hidden": True})
    ws.set_column("E:E", None, None, {"collapsed": True})

    ws = wb.add_worksheet("Tabelle")
    ws.add_table("B2:D5", {
        "name": "Entrate", "total_row": True,
        "columns": [{"header": "Canale", "total_string": "Totale"},
                    {"header": "Importo", "total_function": "sum"},
                    {"header": "Righe", "total_function": "count"}],
        "data": [["FNPS", 1000, 1], ["FSR", 250.5, 1]],
    })
    ws.add_table("F2:G4", {"name": "SenzaIntestazione", "header_row": False,
                           "data": [[1, 2], [3, 4], [5, 6]]})
    ws.add_table("B8:C10", {"name": "Spese", "columns": [{"header": "Voce"},
                                                         {"header": "Importo"}],
                            "data": [["Operatori", 10], ["Trasporti", 20]]})
    ws = wb.add_worksheet("Riepilogo")
    ws.add_table("A1:B3", {"name": "Totali", "total_row": True,
                           "columns": [{"header": "Area"},
                                       {"header": "Importo", "total_function": "max"}],
                           "data": [["Area 1", 5]]})
    wb.add_worksheet("Vuoto")
    wb.close()
    return path


def _openpyxl_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Piano"
    ws["A1"] = "OBIETTIVO 1"
    ws["A1"].fill = GradientFill(stop=("FFFFFF", "4472C4"))
    ws["A2"] = "Servizio"
    ws["A2"].alignment = Alignment(indent=1)
    ws["A3"] = "Azione"
    ws["A3"].alignment = Alignment(indent=2)
    ws["A3"].font = Font(italic=True)
    ws["A4"] = "Voce"
    ws["A4"].font = Font(italic=False, bold=True)
    ws["A4"].fill = PatternFill(fill_type="lightGray")
    ws["B4"] = 12.5
    ws["B4"].fill = PatternFill(fill_type="solid", fgColor="FFFF00")
    ws.row_dimensions.group(2, 4, outline_level=1, hidden=True)
    ws.row_dimensions[3].outline_level = 2
    ws.column_dimensions.group("C", "D", outline_level=2)
    for r, row in enumerate([["Canale", "Importo"], ["FNPS", 1], ["FSR", 2], ["Totale", 3]],
                            start=7):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    ws.row_dimensions[5].collapsed = True
    table = Table(displayName="Canali", ref="A7:B10", totalsRowCount=1,
                  tableColumns=[TableColumn(id=1, name="Canale", totalsRowLabel="Totale"),
                                TableColumn(id=2, name="Importo", totalsRowFunction="sum")])
    ws.add_table(table)
    wb.save(path)
    return path


def _rewrite(src, dst, change):
    """A copy of the package at ``src`` with ``change(name, data)`` applied to each part
    (None drops the part)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = change(item.filename, zin.read(item))
            if data is not None:
                zout.writestr(item, data)
    return dst


def _is_sheet(name):
    return name.startswith("xl/worksheets/sheet")


# -- openpyxl as the second reader -------------------------------------------------------

def _openpyxl_filled(fill) -> bool:
    if isinstance(fill, GradientFill):
        return True
    return fill is not None and fill.fill_type not in (None, "none", "gray125")


def _openpyxl_structure(ws):
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            cells[(c.row, c.column)] = (int(c.alignment.indent or 0), bool(c.font.i),
                                        _openpyxl_filled(c.fill), bool(c.font.b))
    rows = ws.row_dimensions
    cols = {}
    for d in ws.column_dimensions.values():
        for c in range(d.min or 1, (d.max or d.min or 1) + 1):
            cols[c] = d
    tables = []
    for t in ws.tables.values():
        c1 = range_boundaries(t.ref)[0]
        tables.append((t.displayName, t.ref,
                       1 if t.headerRowCount is None else t.headerRowCount,
                       t.totalsRowCount or 0, [tc.name for tc in t.tableColumns],
                       {c1 + i: tc.totalsRowFunction for i, tc in enumerate(t.tableColumns)
                        if tc.totalsRowFunction}))
    return {
        "cells": cells,
        "outline_rows": {r: d.outline_level for r, d in rows.items() if d.outline_level},
        "collapsed_rows": {r for r, d in rows.items() if d.collapsed},
        "hidden_rows": {r for r, d in rows.items() if d.hidden},
        "outline_cols": {c: d.outline_level for c, d in cols.items() if d.outline_level},
        "collapsed_cols": {c for c, d in cols.items() if d.collapsed},
        "hidden_cols": {c for c, d in cols.items() if d.hidden},
        "tables": tables,
    }


def _our_structure(sheet: SheetGrid):
    cells = {(r, c): (cell.indent, cell.italic, cell.fill, cell.bold)
             for r, row in sheet.rows.items() for c, cell in row.items()}
    return {
        "cells": cells,
        "outline_rows": sheet.outline_rows,
        "collapsed_rows": sheet.collapsed_rows,
        "hidden_rows": sheet.hidden_rows,
        "outline_cols": sheet.outline_cols,
        "collapsed_cols": sheet.collapsed_cols,
        "hidden_cols": sheet.hidden_cols,
        "tables": [(t.name, range_a1(*t.ref), t.header_rows, t.totals_rows, t.columns,
                    t.totals_functions) for t in sheet.tables],
    }


@pytest.fixture(params=["xlsxwriter", "openpyxl"])
def book(request, tmp_path):
    build = _xlsxwriter_book if request.param == "xlsxwriter" else _openpyxl_book
    return build(tmp_path / f"struttura_{request.param}.xlsx")


@pytest.mark.parametrize("engine", ENGINES)
def test_structure_matches_openpyxl(book, engine):
    grid = read_workbook(book, engine=engine)
    wb = openpyxl.load_workbook(book)
    assert grid.sheet_names == wb.sheetnames
    for sheet in grid.sheets:
        assert _our_structure(sheet) == _openpyxl_structure(wb[sheet.name]), sheet.name


def test_both_engines_read_the_same_structure(book):
    auto = read_workbook(book)
    pure = read_workbook(book, engine="python")
    assert auto.sheets == pure.sheets  # every field: cells, outline, tables, ...


# -- what the fields say, on the xlsxwriter workbook -------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_indent_italic_and_fill_of_cells(tmp_path, engine):
    s = read_workbook(_xlsxwriter_book(tmp_path / "b.xlsx"), engine=engine).sheet("Budget")
    assert s.get(1, 1) == Cell("PIANO OPERATIVO 2021", None, "General", True, 0, False, True)
    assert (s.get(3, 1).indent, s.get(3, 1).bold, s.get(3, 1).italic) == (1, True, False)
    assert (s.get(4, 1).indent, s.get(4, 1).italic, s.get(4, 1).fill) == (2, True, False)
    assert s.get(5, 1).indent == 3
    assert s.get(5, 2) == Cell(1234.5, None, "#,##0.00", False)
    assert s.get(6, 2).fill and s.get(6, 2).number_format == "#,##0.00"  # a grey pattern
    assert not s.get(8, 1).fill  # gray125 is Excel's reserved "no fill"
    total = s.get(7, 2)
    assert (total.formula, total.bold, total.italic, total.fill) == ("=SUM(B5:B6)", True,
                                                                    True, True)
    error = s.get(8, 2)
    assert isinstance(error.value, ErrorValue) and error.formula == "=1/0"
    assert (error.indent, error.italic) == (2, True)
    assert s.get(1, 6) == Cell("senza stile", None, "General", False)


@pytest.mark.parametrize("engine", ENGINES)
def test_outline_levels_of_rows_and_columns(tmp_path, engine):
    s = read_workbook(_xlsxwriter_book(tmp_path / "b.xlsx"), engine=engine).sheet("Budget")
    assert s.outline_rows == {3: 1, 4: 2, 5: 3, 6: 3}
    assert s.hidden_rows == {5, 6}
    assert s.collapsed_rows == {7}
    assert s.outline_cols == {3: 1, 4: 1}
    assert s.hidden_cols == {3, 4}
    assert s.collapsed_cols == {5}


@pytest.mark.parametrize("engine", ENGINES)
def test_excel_tables_of_each_sheet(tmp_path, engine):
    grid = read_workbook(_xlsxwriter_book(tmp_path / "b.xlsx"), engine=engine)
    assert grid.sheet("Budget").tables == []
    assert grid.sheet("Vuoto").tables == []
    entrate, senza, spese = grid.sheet("Tabelle").tables
    assert entrate == ExcelTable("Entrate", (2, 2, 5, 4), header_rows=1, totals_rows=1,
                                 columns=["Canale", "Importo", "Righe"],
                                 totals_functions={3: "sum", 4: "count"})
    assert entrate.data_rows == (3, 4)
    assert senza == ExcelTable("SenzaIntestazione", (2, 6, 4, 7), header_rows=0,
                               totals_rows=0, columns=["Column1", "Column2"])
    assert senza.data_rows == (2, 4)
    assert (spese.name, spese.ref, spese.totals_rows, spese.totals_functions) == (
        "Spese", (8, 2, 10, 3), 0, {})
    (totali,) = grid.sheet("Riepilogo").tables
    assert (totali.name, totali.ref, totali.totals_functions) == ("Totali", (1, 1, 3, 2),
                                                                  {2: "max"})
    assert grid.sheet("Tabelle").get(5, 3).formula == "=SUBTOTAL(109,[Importo])"


# -- other package shapes ----------------------------------------------------------------

def test_general_path_reads_the_same_structure(tmp_path):
    """Cells whose attributes come in another order, and tags with a namespace prefix
    (``<x:row>``, as some .NET writers save), go through the general (non-fast) path."""
    src = _xlsxwriter_book(tmp_path / "b.xlsx")
    expected = read_workbook(src, engine="python").sheets

    def reorder(name, data):
        if not _is_sheet(name):
            return data
        return re.sub(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', rb'<c s="\2" r="\1"', data)

    def prefix(name, data):
        if not _is_sheet(name):
            return data
        data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", data)
        return data.replace(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                            b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')

    for change in (reorder, prefix):
        p = _rewrite(src, tmp_path / f"{change.__name__}.xlsx", change)
        for engine in ENGINES:
            assert read_workbook(p, engine=engine).sheets == expected, (change.__name__, engine)


def test_table_parts_found_through_absolute_and_missing_targets(tmp_path):
    src = _xlsxwriter_book(tmp_path / "b.xlsx")
    expected = read_workbook(src).sheet("Tabelle").tables

    def absolute(name, data):
        if name.startswith("xl/worksheets/_rels/"):
            return data.replace(b'Target="../tables/', b'Target="/xl/tables/')
        return data

    p = _rewrite(src, tmp_path / "assoluti.xlsx", absolute)
    for engine in ENGINES:
        assert read_workbook(p, engine=engine).sheet("Tabelle").tables == expected

    # a relationship whose table part is missing: the other tables still read
    missing = [t for t in expected if t.name != "Spese"]
    gone = "xl/tables/table3.xml"  # xlsxwriter numbers tables in the order they are added

    def drop(name, data):
        return None if name == gone else data

    with zipfile.ZipFile(src) as zf:
        assert b"Spese" in zf.read(gone)
    p = _rewrite(src, tmp_path / "mancante.xlsx", drop)
    for engine in ENGINES:
        assert read_workbook(p, engine=engine).sheet("Tabelle").tables == missing


@pytest.mark.parametrize("engine", ENGINES)
def test_plain_workbook_reads_with_defaults(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Foglio1"
    ws["A1"] = "BUDGET 2021"
    ws["B2"] = 10
    ws["C3"] = "=B2*2"
    p = tmp_path / "semplice.xlsx"
    wb.save(p)
    no_styles = _rewrite(p, tmp_path / "senza_stili.xlsx",
                         lambda name, data: None if name == "xl/styles.xml" else data)
    for path in (p, no_styles):
        s = read_workbook(path, engine=engine).sheet("Foglio1")
        for _r, row in s.iter_rows():
            for cell in row.values():
                assert (cell.indent, cell.italic, cell.fill) == (0, False, False)
        assert s.value(1, 1) == "BUDGET 2021" and s.get(3, 3).formula == "=B2*2"
        assert (s.outline_rows, s.collapsed_rows, s.outline_cols, s.collapsed_cols,
                s.tables) == ({}, set(), {}, set(), [])


def test_grids_built_in_code_keep_working():
    cell = Cell(12.5, "=A1", "0.00", True)  # positional, as readers and tests build them
    assert (cell.indent, cell.italic, cell.fill) == (0, False, False)
    sheet = sheet_from_values("S", [["Voce", 1]], first_row=3)
    assert sheet.get(3, 1) == Cell("Voce")
    assert (sheet.outline_rows, sheet.collapsed_rows, sheet.outline_cols,
            sheet.collapsed_cols, sheet.tables) == ({}, set(), {}, set(), [])
    assert SheetGrid("S").tables == []

"""A small clean budget workbook for the validation tests, and one-cell mutations of it.

Every rule of the catalog can be made to fire by changing one cell (or one rule row) of
this book: a servizio table with channel split, channel totals and an azione that uses
restricted surplus; a second table; an area total made of the two servizio totals (a total
of totals, which is fine); a revenue table with a subtotal, TOTALE BUDGET over the items,
a quota vincolata and TOTALE PO; a pluriennale, a confronto per obiettivo, a triennial
cost table and a triennial revenue table; a «Regole PDZ» sheet giving avanzo vincolato
the purpose «Azione 2» of SERVIZIO TM. Costs = revenues = 460 and every channel is used
exactly.

Mutations are applied to the grid as a user editing a cell in Excel would, then the simple
formulas of the book (SUM and +/- of cells) are recalculated like Excel would.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import xlsxwriter

from pdz_xl.cells import parse_a1
from pdz_xl.formula_refs import sum_areas
from pdz_xl.grid import Cell, ErrorValue, SheetGrid, WorkbookGrid

# (sheet, A1) -> (value, formula); written in this order; formulas carry cached values.
_SERVIZI: list[tuple[int, list]] = [
    (1, ["AREA SERVIZI AZIENDALI"]),
    (3, ["SERVIZIO TM", "BUDGET 2020", "BUDGET 2021", "FNPS 2021", "FSR 2021",
         "AVANZO 2020 VINCOLATO"]),
    (4, ["Azione 1: Tutela"]),
    (5, ["Coordinamento", 100, 100, 60, 40]),
    (6, ["Equipe", 200, 200, 200]),
    (7, ["Supervisione", 50, 0]),
    (8, ["Formazione", 30, 30, None, 30]),
    (9, ["Azione 2: Affidi"]),
    (10, ["Affido familiare", 80, 90, None, None, 90]),
    (11, ["TOTALE SERVIZIO TM", "=SUM(B4:B10)", "=SUM(C4:C10)", "=SUM(D4:D10)",
          "=SUM(E4:E10)", "=SUM(F4:F10)"]),
    (13, ["SERVIZIO SIL", "BUDGET 2020", "BUDGET 2021", "FNPS 2021"]),
    (14, ["Azione 1: Lavoro"]),
    (15, ["Tirocini", 10, 20, 20]),
    (16, ["Borse", 10, 20, 20]),
    (17, ["TOTALE SERVIZIO SIL", "=SUM(B15:B16)", "=SUM(C15:C16)", "=SUM(D15:D16)"]),
    (19, ["TOTALE AREA SERVIZI AZIENDALI", "=SUM(B11,B17)", "=SUM(C11,C17)"]),
]
_CANALI: list[tuple[int, list]] = [
    (1, ["ENTRATE PREVISIONALI 2021", "IMPORTO"]),
    (2, ["Avanzo gestionale 2020 vincolato", 120]),
    (3, ["Totale avanzo 2020", "=SUM(B2:B2)"]),
    (4, ["FNPS 2021", 300]),
    (5, ["FSR 2021", 70]),
    (6, ["Totale Entrate 2021", "=SUM(B4:B5)"]),
    (7, ["TOTALE BUDGET", "=SUM(B3,B4:B5)"]),
    (8, ["Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2021", 30]),
    (9, ["TOTALE PO 2021", "=B7-B8"]),
]
_PLURIENNALE: list[tuple[int, list]] = [
    (1, ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"]),
    (2, ["AREA SERVIZI AZIENDALI", 460, 470, 480]),
    (3, ["TOTALE BUDGET", "=SUM(B2:B2)", "=SUM(C2:C2)", "=SUM(D2:D2)"]),
]
_CONFRONTO: list[tuple[int, list]] = [
    (1, ["OBIETTIVI", "PO 2020", "PRE CONSUNTIVO 2020", "BUDGET 2021"]),
    (2, ["OBIETTIVO 1: Tutela minori", 460, 440, 420]),
    (3, ["OBIETTIVO 2: Inserimento lavorativo", 20, 18, 40]),
    (4, ["TOTALE BUDGET", "=SUM(B2:B3)", "=SUM(C2:C3)", "=SUM(D2:D3)"]),
]
_TRIENNALE: list[tuple[int, list]] = [
    (1, ["VOCI DI COSTO", "ANNO 2021", "ANNO 2022", "ANNO 2023", "TRIENNIO"]),
    (2, ["AREA SERVIZI AZIENDALI", 460, 470, 480, "=SUM(B2:D2)"]),
    (3, ["TOTALE", "=SUM(B2:B2)", "=SUM(C2:C2)", "=SUM(D2:D2)", "=SUM(E2:E2)"]),
    (6, ["ENTRATE", "ANNO 2021", "ANNO 2022", "ANNO 2023", "TRIENNIO"]),
    (7, ["FNPS", 300, 300, 300, "=SUM(B7:D7)"]),
    (8, ["FSR", 70, 80, 90, "=SUM(B8:D8)"]),
    (9, ["AVANZO VINCOLATO", 90, 90, 90, "=SUM(B9:D9)"]),
    (10, ["TOTALE", "=SUM(B7:B9)", "=SUM(C7:C9)", "=SUM(D7:D9)", "=SUM(E7:E9)"]),
]
RULES_HEADER = ["Canale", "Area/Obiettivo", "Servizio", "Azione", "Voce", "Ammesso",
                "Priorità"]
_REGOLE: list[tuple[int, list]] = [
    (1, ["Regole di allocazione PDZ"]),
    (3, RULES_HEADER),
    (4, ["AVANZO 2020 VINCOLATO", "", "SERVIZIO TM", "Azione 2*", "", "sì", 10]),
]
SHEETS: list[tuple[str, list[tuple[int, list]]]] = [
    ("Servizi", _SERVIZI), ("Canali", _CANALI), ("Pluriennale", _PLURIENNALE),
    ("Confronto", _CONFRONTO), ("Triennale", _TRIENNALE), ("Regole PDZ", _REGOLE),
]


def clean_grid() -> WorkbookGrid:
    """The clean book as a grid (formulas recalculated), without touching the disk."""
    grid = WorkbookGrid(source="pulito.xlsx")
    for name, rows in SHEETS:
        sheet = SheetGrid(name=name)
        for row, values in rows:
            for col, v in enumerate(values, start=1):
                if v is None or v == "":
                    continue
                if isinstance(v, str) and v.startswith("="):
                    sheet.set(row, col, Cell(0, v))
                else:
                    sheet.set(row, col, Cell(v, None, None, row in (1, 3, 13) and col == 1))
        grid.sheets.append(sheet)
    recalc(grid)
    return grid


def write_clean_book(path: Path, grid: WorkbookGrid | None = None) -> Path:
    """Write a grid (default: the clean book) as an xlsx with cached formula values."""
    grid = grid or clean_grid()
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": __import__("datetime").datetime(2021, 1, 1)})
    money = wb.add_format({"num_format": "#,##0.00"})
    for sheet in grid.sheets:
        ws = wb.add_worksheet(sheet.name)
        ws.set_column(0, 0, 40)
        for row, cells in sheet.iter_rows():
            if row in sheet.hidden_rows:
                ws.set_row(row - 1, None, None, {"hidden": True})
            for col, cell in cells.items():
                r, c = row - 1, col - 1
                if cell.formula:
                    ws.write_formula(r, c, cell.formula, money, cell.value)
                elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    ws.write_number(r, c, cell.value, money)
                else:
                    ws.write(r, c, cell.value)
    wb.close()
    return path


_TERM = re.compile(r"([+-]?)\s*(\$?[A-Z]{1,3}\$?\d+)")


def _evaluate(grid: WorkbookGrid, sheet: SheetGrid, formula: str) -> object:
    """SUM(...) or a +/- chain of cells, the formulas this book uses."""
    areas = sum_areas(formula)
    total: float = 0
    if areas is not None:
        for a_sheet, r1, c1, r2, c2 in areas:
            src = grid.sheet(a_sheet) if a_sheet else sheet
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    v = src.value(r, c)
                    if isinstance(v, ErrorValue):
                        return v
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        total += v
        return round(total, 9)
    for sign, ref in _TERM.findall(formula[1:]):
        v = sheet.value(*parse_a1(ref.replace("$", "")))
        if isinstance(v, ErrorValue):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += -v if sign == "-" else v
    return round(total, 9)


def recalc(grid: WorkbookGrid) -> None:
    """Recalculate every formula of the grid, as Excel would after an edit."""
    for _ in range(4):  # totals of totals settle in a few passes
        for sheet in grid.sheets:
            for _row, cells in sheet.iter_rows():
                for cell in cells.values():
                    if cell.formula:
                        cell.value = _evaluate(grid, sheet, cell.formula)


def mutate(grid: WorkbookGrid, sheet: str, ref: str, value: object,
           formula: str | None = None) -> WorkbookGrid:
    """A copy of ``grid`` with one cell changed (None: emptied), recalculated."""
    g = copy.deepcopy(grid)
    row, col = parse_a1(ref)
    s = g.sheet(sheet)
    assert s is not None, sheet
    old = s.get(row, col)
    if value is None and formula is None:
        s.rows.get(row, {}).pop(col, None)
    else:
        s.set(row, col, Cell(value, formula, old.number_format if old else None,
                             old.bold if old else False))
    recalc(g)
    return g

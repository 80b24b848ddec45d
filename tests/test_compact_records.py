"""The compact records of a reading: a line's cells shared by its table, cell styles
shared by their cells. They must read, compare and dump exactly as the dicts and fields
they replace, on real workbooks and the generated budget."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from benchmarks.generate import generate_budget
from pdz_xl.cells import RowCells, as_dict, sheet_ref, split_sheet_ref
from pdz_xl.grid import Cell, ReadStyle, cell_style
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.plan import Line

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
SAMPLES = sorted(WORKBOOKS.glob("*.xlsx"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate_budget(tmp_path_factory.mktemp("budget") / "budget.xlsx", 600)


def _books(generated: Path) -> list[Path]:
    return [*SAMPLES, generated]


def test_every_line_cell_is_its_table_column_on_its_row_and_holds_its_amount(generated):
    """Each line's amount and channel cells are the table's columns on the line's row, and
    openpyxl reads there the very amounts of the line."""
    checked = 0
    for path in _books(generated):
        plan = load_plan(path)
        book = openpyxl.load_workbook(path, data_only=True)
        tables = {t.index: t for t in plan.tables}
        for ln in plan.lines:
            if ln.rows:  # (long tables: a row per channel, cells of their own)
                continue
            t = tables[ln.table]
            assert dict(ln.amount_cells) == {y: sheet_ref(ln.sheet, ln.row, c)
                                             for y, c in t.year_cols.items()
                                             if y in ln.amounts}
            for code, cell in ln.channel_cells.items():
                sheet, a1 = split_sheet_ref(cell)
                value = book[sheet][a1].value
                cents = ln.channels[code]
                assert (0 if cents is None else cents) == round((value or 0) * 100), cell
                checked += 1
    assert checked > 1000


def test_line_cells_compare_dump_and_validate_as_dicts(generated):
    plan = load_plan(generated)
    ln = plan.lines[7]
    assert isinstance(ln.channel_cells, RowCells)
    plain = {k: v for k, v in ln.channel_cells.items()}
    assert ln.channel_cells == plain and plain == ln.channel_cells
    assert len(ln.channel_cells) == len(plain) and list(ln.channel_cells) == list(plain)
    first = next(iter(plain))
    assert first in ln.channel_cells and "NON_UN_CANALE" not in ln.channel_cells
    assert ln.channel_cells.get("NON_UN_CANALE") is None
    assert ln.channel_cells.get("NON_UN_CANALE", "-") == "-"
    assert repr(ln.channel_cells) == repr(plain)
    assert as_dict(ln.channel_cells) == plain and type(as_dict(ln.channel_cells)) is dict
    dumped = ln.model_dump()
    assert type(dumped["channel_cells"]) is dict and dumped["channel_cells"] == plain
    assert json.loads(ln.model_dump_json())["amount_cells"] == {
        str(k): v for k, v in ln.amount_cells.items()}
    again = Line.model_validate(dumped)
    assert again == ln and type(again.channel_cells) is dict
    json.dumps(plan.to_json_dict())  # the CLI's --json view: plain data throughout


def test_lines_of_a_table_share_one_column_map(generated):
    plan = load_plan(generated)
    first, second = plan.lines[0], plan.lines[1]
    assert first.table == second.table
    assert first.channel_cells._prefixes is second.channel_cells._prefixes
    assert first.channel_cells != second.channel_cells  # (their rows differ)


def test_cells_of_one_style_share_it_and_read_its_fields(generated):
    for path in _books(generated):
        grid = read_workbook(path)
        styles = {id(c.style) for s in grid.sheets for row in s.rows.values()
                  for c in row.values()}
        cells = sum(len(row) for s in grid.sheets for row in s.rows.values())
        assert len(styles) < 200 < cells
        book = openpyxl.load_workbook(path)
        for s in grid.sheets:
            for r, row in list(s.rows.items())[:200]:
                for c, cell in row.items():
                    assert cell.bold == bool(book[s.name].cell(r, c).font.b), (s.name, r, c)


def test_a_cell_reads_compares_and_copies_as_its_fields():
    cell = Cell("Totale", "=SOMMA(B2:B3)", "#,##0.00", True, 2, False, True)
    assert (cell.number_format, cell.bold, cell.indent, cell.italic, cell.fill) == (
        "#,##0.00", True, 2, False, True)
    assert cell.style is cell_style("#,##0.00", True, 2, False, True)
    assert cell == Cell("Totale", "=SOMMA(B2:B3)", style=ReadStyle("#,##0.00", True, 2,
                                                                   False, True))
    assert cell != Cell("Totale", "=SOMMA(B2:B3)", "#,##0.00", False, 2, False, True)
    copy = cell.replace(value=12.5)
    assert (copy.value, copy.formula, copy.style) == (12.5, cell.formula, cell.style)
    assert Cell(3.0).style is Cell(4.0).style and not Cell(3.0).bold
    assert "bold=True" in repr(cell) and "indent=2" in repr(cell)
    with pytest.raises(TypeError):
        hash(cell)

"""The cells the new year writes, collected before their formulas are computed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..grid import SheetGrid, WorkbookGrid


@dataclass
class Edit:
    """One cell of a user sheet: a constant (``value``) or a ``formula``."""

    value: object = None
    formula: str | None = None
    style_from: int | None = None  # column of the same row whose style the cell takes
    note: str | None = None
    style_row: int | None = None  # with ``style_from``: that cell of another row instead


@dataclass
class Edits:
    """Every cell written, by sheet, row and column; new columns and what they copy."""

    grid: WorkbookGrid
    cells: dict[tuple[str, int, int], Edit] = field(default_factory=dict)
    new_columns: dict[str, dict[int, int]] = field(default_factory=dict)  # sheet: new -> like
    notes: list[str] = field(default_factory=list)  # Italian, for the summary

    def sheet(self, name: str) -> SheetGrid:
        s = self.grid.sheet(name)
        assert s is not None, name
        return s

    def put(self, sheet: str, row: int, col: int, value: object = None,
            formula: str | None = None, *, style_from: int | None = None,
            note: str | None = None, style_row: int | None = None) -> None:
        """Write a cell (a later write of the same cell wins)."""
        self.cells[(sheet, row, col)] = Edit(value, formula, style_from, note, style_row)

    def text(self, sheet: str, row: int, col: int, text: str) -> None:
        """Write a text when it differs from the cell's own."""
        cell = self.sheet(sheet).get(row, col)
        if cell is None or cell.formula or cell.value != text:
            self.put(sheet, row, col, text)

    def written(self, sheet: str, row: int, col: int) -> bool:
        return (sheet, row, col) in self.cells

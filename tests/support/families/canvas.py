"""A workbook drawn cell by cell before it is written: one job, the xlsx itself.

Builders put texts, amounts, formulas (with the cached value a spreadsheet would show),
merges, comments, row outline levels and Excel Tables on a ``Canvas``; ``save`` writes it
with xlsxwriter. Knowing every occupied cell first lets SUM ranges span the empty cells of
heading rows without ever crossing another amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .expected import CellRef

EUR = '_-[$€-410] * #,##0.00_-;-[$€-410] * #,##0.00_-;_-[$€-410] * "-"??_-;_-@_-'
PERCENT = "0.0%"


def euros(cents: int) -> float:
    """The float a spreadsheet stores for an amount in cents (shortest repr: 1234.56)."""
    return float(Decimal(cents).scaleb(-2))


def a1(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col)


def quote_sheet(name: str) -> str:
    return name if name.replace("_", "").isalnum() else "'" + name.replace("'", "''") + "'"


def ref(cell: CellRef, from_sheet: str) -> str:
    """A1 reference to ``cell`` as written in a formula on ``from_sheet``."""
    sheet, row, col = cell
    return a1(row, col) if sheet == from_sheet else f"{quote_sheet(sheet)}!{a1(row, col)}"


@dataclass
class Spec:
    """What one cell holds."""

    value: object = None  # str | float | int
    formula: str | None = None
    cached: object = None
    style: tuple[tuple[str, object], ...] = ()


@dataclass
class RowProps:
    level: int = 0
    hidden: bool = False
    collapsed: bool = False


@dataclass
class SheetCanvas:
    name: str
    cells: dict[tuple[int, int], Spec] = field(default_factory=dict)
    reserved: set[tuple[int, int]] = field(default_factory=set)
    rows: dict[int, RowProps] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    comments: dict[tuple[int, int], str] = field(default_factory=dict)
    tables: list[tuple[int, int, int, int, dict]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    symbols_below: bool = True

    def _put(self, row: int, col: int, spec: Spec) -> CellRef:
        if (row, col) in self.cells:
            raise ValueError(f"{self.name}!{a1(row, col)} written twice")
        self.cells[row, col] = spec
        self.reserved.discard((row, col))
        return (self.name, row, col)

    def text(self, row: int, col: int, text: str, **style) -> CellRef:
        return self._put(row, col, Spec(value=text, style=tuple(sorted(style.items()))))

    def number(self, row: int, col: int, value: int | float, **style) -> CellRef:
        return self._put(row, col, Spec(value=value, style=tuple(sorted(style.items()))))

    def money(self, row: int, col: int, cents: int, **style) -> CellRef:
        return self.number(row, col, euros(cents), **{"num_format": EUR, **style})

    def formula(self, row: int, col: int, formula: str, cached: Fraction | int | float,
                **style) -> CellRef:
        value = float(cached) if not isinstance(cached, float) else cached
        return self._put(row, col, Spec(formula=formula, cached=value,
                                        style=tuple(sorted(style.items()))))

    def reserve(self, row: int, col: int) -> None:
        """Mark a cell that will hold an amount (a formula written later)."""
        self.reserved.add((row, col))

    def occupied(self, row: int, col: int) -> bool:
        return (row, col) in self.cells or (row, col) in self.reserved

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: object, **style) -> None:
        self._put(r1, c1, Spec(value=value, style=tuple(sorted(style.items()))))
        self.merges.append((r1, c1, r2, c2))

    def row(self, row: int) -> RowProps:
        return self.rows.setdefault(row, RowProps())


def _span(sheet: str, first: int, last: int, col: int, at: str) -> str:
    head = ref((sheet, first, col), at)
    return head if first == last else f"{head}:{a1(last, col)}"


class Canvas:
    """The sheets of one workbook, in order."""

    def __init__(self) -> None:
        self.sheets: dict[str, SheetCanvas] = {}

    def sheet(self, name: str) -> SheetCanvas:
        if name not in self.sheets:
            self.sheets[name] = SheetCanvas(name)
        return self.sheets[name]

    def sum_formula(self, at: str, cells: list[CellRef]) -> str:
        """``=SUM(C5:C16,C20:C33)`` over exactly these cells: a range runs on over empty
        cells of its column, never over another occupied one."""
        parts: list[str] = []
        by_col: dict[tuple[str, int], list[int]] = {}
        for sheet, row, col in cells:
            by_col.setdefault((sheet, col), []).append(row)
        for (sheet, col), rows in by_col.items():
            rows = sorted(set(rows))
            canvas = self.sheets[sheet]
            start = prev = rows[0]
            for r in rows[1:]:
                if all(not canvas.occupied(x, col) for x in range(prev + 1, r)):
                    prev = r
                    continue
                parts.append(_span(sheet, start, prev, col, at))
                start = prev = r
            parts.append(_span(sheet, start, prev, col, at))
        return "=SUM(" + ",".join(parts) + ")"

    def save(self, path: Path) -> None:
        if any(sc.reserved for sc in self.sheets.values()):
            left = [f"{sc.name}!{a1(*rc)}" for sc in self.sheets.values() for rc in sc.reserved]
            raise ValueError(f"reserved cells never written: {left[:5]}")
        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                             "strings_to_formulas": False})
        formats: dict[tuple, object] = {}

        def fmt(style: tuple):
            if not style:
                return None
            if style not in formats:
                formats[style] = wb.add_format(dict(style))
            return formats[style]

        for sc in self.sheets.values():
            ws = wb.add_worksheet(sc.name)
            for col, width in sc.widths.items():
                ws.set_column(col, col, width)
            if not sc.symbols_below:
                ws.outline_settings(True, False, True, False)
            for r, props in sorted(sc.rows.items()):
                options = {k: v for k, v in (("level", props.level), ("hidden", props.hidden),
                                             ("collapsed", props.collapsed)) if v}
                if options:
                    ws.set_row(r, None, None, options)
            merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sc.merges}
            for (r, c), spec in sorted(sc.cells.items()):
                f = fmt(spec.style)
                if (r, c) in merged:
                    r2, c2 = merged[r, c]
                    ws.merge_range(r, c, r2, c2, spec.value, f)
                elif spec.formula is not None:
                    ws.write_formula(r, c, spec.formula, f, spec.cached)
                elif isinstance(spec.value, str):
                    ws.write_string(r, c, spec.value, f)
                else:
                    ws.write_number(r, c, spec.value, f)
            for (r, c), text in sc.comments.items():
                ws.write_comment(r, c, text, {"author": "Ufficio di piano"})
            for r1, c1, r2, c2, options in sc.tables:
                ws.add_table(r1, c1, r2, c2, options)
        wb.set_properties({"title": path.stem, "author": "pdz-xl test"})
        wb.close()

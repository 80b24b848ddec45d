"""The cells an allocation writes, and the Plan as it reads afterwards.

Only cells whose value changes are written (a second run writes nothing). «vuote» never
touches a typed cell; «tutto» and «anno-scorso» write the new amounts and clear the cells
that no longer get anything. A table without channel columns gets them to the right of
its last used column, with the channel's header on the header row in the style of the
table's own header (the plan year's amount header), amounts in the style of the line's
amount cell.
"""

from __future__ import annotations

from ..cells import col_letters, split_sheet_ref
from ..changeset import CellStyle, CellWrite
from ..channels.catalog import Catalog
from ..grid import WorkbookGrid
from ..money import EUR_FORMAT, to_decimal
from ..plan import ChannelColumn, Line, Plan, Table
from .model import Model

MONEY = CellStyle(number_format=EUR_FORMAT)
HEADER = CellStyle(bold=True)


def header_text(plan: Plan, code: str, catalog: Catalog) -> str:
    """The header of a new channel column: the revenue table's own label when exactly one
    item feeds the channel and reads back as it (2018: «FRS»), else the code."""
    feeding = [r for r in plan.revenues if r.channel == code and r.kind == "item"]
    if len(feeding) == 1 and catalog.resolve(feeding[0].label)[0] == code:
        return feeding[0].label.strip()
    return code.replace("_", " ")


def _last_used(table: Table, grid: WorkbookGrid | None) -> int:
    last = max([table.label_col, *table.year_cols.values(),
                *(c.col for c in table.channel_cols)])
    sheet = grid.sheet(table.sheet) if grid is not None else None
    if sheet is not None:
        for r in range(table.header_row, table.last_row + 1):
            cells = sheet.rows.get(r)
            if cells:
                last = max(last, max(cells))
    return last


def new_column_positions(model: Model, grid: WorkbookGrid | None) -> dict[int, dict[str, int]]:
    """Table index -> channel -> column of each channel column to add."""
    out: dict[int, dict[str, int]] = {}
    tables = {t.index: t for t in model.plan.tables}
    for index, codes in model.new_columns.items():
        if codes:
            start = _last_used(tables[index], grid) + 1
            out[index] = {code: start + k for k, code in enumerate(codes)}
    return out


def _header_source(table: Table, year: int) -> str:
    """The header cell whose style new channel headers take: the plan year's amount column,
    else the voce column."""
    col = table.year_cols.get(year, table.label_col)
    return f"{col_letters(col)}{table.header_row}"


def _value(cents: int | None) -> object:
    return None if cents is None else to_decimal(cents)


def plan_writes(model: Model, split: dict[int, dict[str, int]], catalog: Catalog,
                grid: WorkbookGrid | None = None
                ) -> tuple[dict[str, dict[str, int | None]], dict[str, list[CellWrite]], Plan]:
    """(values written per sheet and cell, the CellWrites, the updated Plan).

    ``split``: line id -> channel -> cents, the full split of every allocated line."""
    plan, mode = model.plan, model.mode
    positions = new_column_positions(model, grid)
    values: dict[str, dict[str, int | None]] = {}
    writes: dict[str, list[CellWrite]] = {}

    def put(sheet: str, cell: str, cents: int | None, style: CellStyle = MONEY,
            style_from: str | None = None) -> None:
        values.setdefault(sheet, {})[cell] = cents
        writes.setdefault(sheet, []).append(CellWrite(cell=cell, value=_value(cents),
                                                      style=style, style_from=style_from))

    allocated = {ln.id for ln in model.lines}
    lines: list[Line] = []
    for ln in plan.lines:
        if ln.id not in allocated:
            added = positions.get(ln.table)
            if added:  # a line left alone still gets its (blank) cells in the new columns
                ln = ln.model_copy(update={
                    "channels": {**ln.channels, **dict.fromkeys(added)},
                    "channel_cells": {**ln.channel_cells,
                                      **{c: f"{ln.sheet}!{col_letters(col)}{ln.row}"
                                         for c, col in added.items()}}})
            lines.append(ln)
            continue
        got = split.get(ln.id, {})
        channels = dict(ln.channels)
        cells = dict(ln.channel_cells)
        for code, ref in ln.channel_cells.items():
            if code not in model.available and code not in model.channels:
                continue  # an unknown column: not ours
            old, new = ln.channels.get(code), got.get(code, 0)
            if mode == "vuote" and old is not None:
                continue  # typed: pinned
            if new == (old or 0):
                continue  # unchanged (a typed zero stays a typed zero)
            target = new or None  # nothing left for the channel: the cell is cleared
            sheet, cell = split_sheet_ref(ref)
            put(sheet, cell, target)
            channels[code] = target
        for code, col in positions.get(ln.table, {}).items():
            cell = f"{col_letters(col)}{ln.row}"
            cells[code] = f"{ln.sheet}!{cell}"
            channels[code] = got.get(code) or None
            if got.get(code):  # a new column's cell looks like the line's amount cell
                amount_ref = ln.amount_cells.get(plan.plan_year)
                put(ln.sheet, cell, got[code],
                    style_from=split_sheet_ref(amount_ref)[1] if amount_ref else None)
        lines.append(ln.model_copy(update={"channels": channels, "channel_cells": cells}))
    tables = []
    for t in plan.tables:
        added = positions.get(t.index)
        if not added:
            tables.append(t)
            continue
        cols = list(t.channel_cols)
        for code, col in added.items():
            text = header_text(plan, code, catalog)
            writes.setdefault(t.sheet, []).append(
                CellWrite(cell=f"{col_letters(col)}{t.header_row}", value=text, style=HEADER,
                          style_from=_header_source(t, plan.plan_year)))
            cols.append(ChannelColumn(code=code, header=text, col=col))
        tables.append(t.model_copy(update={"channel_cols": cols}))
    codes = list(dict.fromkeys([*plan.channel_codes,
                                *(c for t in tables for c in (cc.code for cc in t.channel_cols)
                                  if c in model.channels)]))
    updated = plan.model_copy(update={"lines": lines, "tables": tables,
                                      "channel_codes": codes})
    return values, writes, updated

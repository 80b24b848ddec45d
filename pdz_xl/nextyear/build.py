"""One step of ``nuovo-anno``: the Changeset that makes a workbook next year's.

The writes of :mod:`.costs` and :mod:`.revenue`, the titles whose year moves on, then every
formula of the workbook computed again on the new cells (:mod:`.evaluate`) so the file
carries right cached values; the new workbook is read back from those cells, validated,
and its «Controlli PDZ» sheet is part of the same Changeset.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from ..changeset import CellWrite, Changeset
from ..channels.catalog import Catalog, default_catalog
from ..findings import Finding
from ..grid import Cell, WorkbookGrid
from ..layout.detect import detect_plan
from ..layout.model import KIND_COST, KIND_REVENUE, TableLayout
from ..money import format_eur
from ..plan import Plan
from .amounts import Targets, targets
from .costs import CostTable
from .edits import Edits
from .evaluate import Book, _value, cached
from .revenue import Revenue
from .widths import Widths
from .years import move_years

Channels = Literal["vuoti", "come-anno-scorso"]
CHANNEL_MODES = ("vuoti", "come-anno-scorso")
PDZ_SHEET = "_pdz"


@dataclass
class NextYear:
    """What one step wrote and found."""

    changeset: Changeset
    plan: Plan  # the new workbook as the reader sees it
    findings: list[Finding]
    year: int  # the new plan year
    skipped: list[str] = field(default_factory=list)  # tables left as they were (Italian)
    unsupported_formulas: list[str] = field(default_factory=list)  # cells kept as cached


def _catalog(grid: WorkbookGrid) -> Catalog:
    from ..channels.workbook import extend_from_workbook

    catalog = default_catalog().copy()
    extend_from_workbook(catalog, grid)
    return catalog


def next_year(grid: WorkbookGrid, plan: Plan, *, channels: Channels = "vuoti",
              generated_on: str | None = None, file_label: str | None = None,
              widths: Widths | None = None) -> NextYear:
    """The Changeset of the year after ``plan.plan_year`` (see the package docs);
    ``widths`` gives the width of the columns an appended column copies."""
    if channels not in CHANNEL_MODES:
        raise ValueError(f"--canali vale {' oppure '.join(CHANNEL_MODES)}")
    layout = plan.layout
    tables: list[TableLayout] = layout.tables() if layout is not None else []
    goal = targets(grid, plan)
    edits = Edits(grid)
    skipped: list[str] = []
    moved_sheets: set[str] = set()
    new_costs = 0
    for t in tables:
        if t.kind != KIND_COST:
            continue
        table = CostTable(plan, t, goal, edits, channels)
        reason = table.move_on()
        if reason:
            skipped.append(reason)
        else:
            moved_sheets.add(t.sheet)
            new_costs += sum(table._new_amount(ln) or 0 for ln in table.lines)
    if skipped:  # all or nothing: a half-moved workbook would read as neither year
        from ..errors import PdzError

        raise PdzError("non posso preparare il nuovo anno: " + "; ".join(skipped) + ".",
                       file=plan.source)
    remarks = Revenue(grid, plan, goal, edits, _catalog(grid), new_costs).move_on()
    for t in tables:
        if t.kind == KIND_REVENUE:
            _headers(edits, t, {plan.plan_year - 1, plan.plan_year})
            moved_sheets.add(t.sheet)
    _titles(edits, tables, moved_sheets, plan.plan_year)
    _pdz_keys(edits, plan.plan_year)
    writes, new_grid, failed = _computed(grid, edits)
    new_plan = detect_plan(new_grid)
    from ..validate import validate_plan
    from ..validate.config import config_for_grid
    from ..validate.sheet import report_changeset

    findings = validate_plan(new_plan, config_for_grid(new_grid))
    report = report_changeset(new_plan, findings, file_label=file_label or plan.source,
                              generated_on=generated_on)
    summary = _summary(plan, goal, skipped, remarks, failed, channels)
    column_widths: dict[str, dict[str, float]] = {}
    for sheet, cols in edits.new_columns.items():
        for new, like in cols.items():
            width = widths(sheet, like) if widths else None
            if width:
                column_widths.setdefault(sheet, {})[_letters(new)] = width
    cs = Changeset(cells=writes, summary=summary, column_widths=column_widths)
    return NextYear(cs.merge(report), new_plan, findings, plan.plan_year + 1, skipped, failed)


def _letters(col: int) -> str:
    from ..cells import col_letters

    return col_letters(col)


def _summary(plan: Plan, goal: Targets, skipped: list[str], remarks: list[str],
             failed: list[str], channels: Channels) -> list[str]:
    new = plan.plan_year + 1
    total = sum(v or 0 for v in goal.lines.values())
    out = [f"nuovo anno {new} (confronto {plan.plan_year}): {len(plan.lines)} righe, "
           f"costi {new} {format_eur(total)}; {goal.rule}",
           "ripartizione sui canali: " + ("vuota, da allocare («pdz-xl alloca»)"
                                          if channels == "vuoti" else
                                          "come l'anno scorso, in proporzione")]
    out += goal.notes + remarks + skipped
    if failed:
        shown = ", ".join(failed[:5]) + (f" e altre {len(failed) - 5}" if len(failed) > 5
                                         else "")
        out.append(f"formule non ricalcolate (Excel le ricalcola all'apertura): {shown}")
    return out


# ----------------------------------------------------------------------- titles
def _headers(edits: Edits, t: TableLayout, years: set[int]) -> None:
    sheet = edits.sheet(t.sheet)
    for r in t.header_rows:
        for c in range(t.first_col, t.last_col + 1):
            v = sheet.value(r, c)
            if isinstance(v, str) and not edits.written(t.sheet, r, c):
                edits.text(t.sheet, r, c, move_years(v, years))


def _titles(edits: Edits, tables: list[TableLayout], sheets: set[str], year: int) -> None:
    """Rows above a sheet's first table: «BUDGET 2021 – SCHEDE» → «BUDGET 2022 – SCHEDE»."""
    for name in sheets:
        own = [t for t in tables if t.sheet == name]
        if not own:
            continue
        top = min(t.header_rows[0] for t in own)
        years = {year - 1, year} if all(t.kind == KIND_REVENUE for t in own) else {year}
        sheet = edits.sheet(name)
        for r in range(1, top):
            for c, cell in (sheet.rows.get(r) or {}).items():
                if isinstance(cell.value, str) and not cell.formula \
                        and not edits.written(name, r, c):
                    edits.text(name, r, c, move_years(cell.value, years))


def _pdz_keys(edits: Edits, year: int) -> None:
    """A «_pdz» sheet that states the years states the new ones."""
    sheet = edits.grid.sheet(PDZ_SHEET)
    if sheet is None:
        return
    for r, cells in sheet.iter_rows():
        key = cells.get(1)
        value = cells.get(2)
        if key is None or value is None or not isinstance(key.value, str):
            continue
        k = key.value.strip().casefold().replace(" ", "_")
        if k in ("anno_piano", "anno_confronto") and isinstance(value.value, (int, float)):
            edits.put(sheet.name, r, 2, int(value.value) + 1)
        elif k.startswith("colonna") and isinstance(value.value, str):
            edits.text(sheet.name, r, 2, move_years(value.value, {year - 1, year}))


# --------------------------------------------------------------------- formulas
def _computed(grid: WorkbookGrid, edits: Edits
              ) -> tuple[dict[str, list[CellWrite]], WorkbookGrid, list[str]]:
    """The cell writes with every formula's value computed again, and the new grid."""
    book = Book(grid)
    for (sheet, r, c), e in edits.cells.items():
        book.put(sheet, r, c, e.value, e.formula)
    values, failed = book.recompute()
    names = {s.name.casefold(): s.name for s in grid.sheets}
    writes: dict[str, list[CellWrite]] = {}
    cells: dict[str, dict[tuple[int, int], Cell | None]] = {}
    for (sheet, r, c), e in edits.cells.items():
        key = (sheet.casefold(), r, c)
        value = cached(values[key]) if e.formula else e.value
        style = None
        writes.setdefault(sheet, []).append(CellWrite(
            cell=_a1(r, c), value=value, formula=e.formula, note=e.note, style=style,
            style_from=_a1(e.style_row or r, e.style_from) if e.style_from else None))
        cells.setdefault(sheet, {})[(r, c)] = _cell(grid, sheet, e.style_row or r, c,
                                                    e.style_from, value, e.formula)
    for key, value in values.items():
        sheet = names[key[0]]
        if edits.written(sheet, key[1], key[2]) or key in failed:
            continue
        old = grid.sheet(sheet).get(key[1], key[2])  # type: ignore[union-attr]
        if old is None or _value(old.value) == value:
            continue
        writes.setdefault(sheet, []).append(CellWrite(cell=_a1(key[1], key[2]),
                                                      value=cached(value),
                                                      formula=old.formula))
        cells.setdefault(sheet, {})[(key[1], key[2])] = old.replace(value=cached(value))
    return writes, _new_grid(grid, cells), [f"{names[k[0]]}!{_a1(k[1], k[2])}"
                                            for k in failed]


def _a1(r: int, c: int) -> str:
    from ..cells import a1

    return a1(r, c)


def _cell(grid: WorkbookGrid, sheet: str, r: int, c: int, style_from: int | None,
          value: object, formula: str | None) -> Cell | None:
    if value is None and not formula:
        return None
    s = grid.sheet(sheet)
    base = s.get(r, style_from if style_from else c) if s else None
    value = float(value) if hasattr(value, "as_tuple") else value  # Decimal, as read
    if base is None:
        return Cell(value, formula)
    return base.replace(value=value, formula=formula)


def _new_grid(grid: WorkbookGrid, cells: dict[str, dict[tuple[int, int], Cell | None]]
              ) -> WorkbookGrid:
    sheets = []
    for s in grid.sheets:
        changed = cells.get(s.name)
        if not changed:
            sheets.append(s)
            continue
        rows = {r: dict(row) for r, row in s.rows.items()}
        for (r, c), cell in changed.items():
            if cell is None:
                rows.get(r, {}).pop(c, None)
            else:
                rows.setdefault(r, {})[c] = cell
        sheets.append(replace(s, rows={r: row for r, row in rows.items() if row}))
    return WorkbookGrid(source=grid.source, sheets=sheets,
                        defined_names=dict(grid.defined_names))

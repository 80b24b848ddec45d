"""Nothing unaccounted: every number of the sheets read is a line amount, a total, a summary
or revenue figure, or sits in a column the reader names as ignored.

Numbers outside every table, or under a column the reader could not place, become notes
with their cells (PDZ011); two tables reading the same cells, or a line whose formula
repeats another line's amount, are errors (PDZ013): an amount never counts twice silently.
"""

from __future__ import annotations

from ..cells import col_letters, sheet_ref
from ..formula_refs import aggregate_areas
from ..grid import SheetGrid
from ..money import MAX_AMOUNT, format_eur
from ..plan import Plan
from .amounts import AmountReader
from .headers import AMOUNT_TEXT
from .infer import Runtime
from .model import (
    COL_CODE,
    COL_IGNORE,
    COL_TRIENNIO,
    COL_UNKNOWN,
    KIND_COST,
    KIND_IGNORE,
    ROW_HEADING,
    ROW_IGNORE,
    ROW_LINE,
    ROW_PART,
    ROW_TOTAL,
    TableLayout,
    WorkbookLayout,
)


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(AMOUNT_TEXT.search(value))


def account(plan: Plan, layout: WorkbookLayout, rt: Runtime, amounts: AmountReader) -> None:
    """Add notes for every number the reading did not take (and why)."""
    for sl in layout.sheets:
        sheet = rt.grids.get(sl.name)
        if sheet is None:
            continue
        taken: dict[int, frozenset[int]] = {}
        ignored: dict[int, list[tuple[int, int]]] = {}  # table idx -> cells in ignored cols
        for ti, t in enumerate(sl.tables):
            _taken_by(t, sheet, rt, taken, ignored.setdefault(ti, []))
        _overlaps(sl.tables, sheet, amounts)
        for ti, cells in ignored.items():
            _ignored_note(sl.tables[ti], sheet, cells, amounts)
        _loose_numbers(sheet, taken, sl.tables, amounts)
    _repeated_lines(plan, layout, rt, amounts)


def _taken_by(t: TableLayout, sheet: SheetGrid, rt: Runtime,
              taken: dict[int, frozenset[int]], ignored: list[tuple[int, int]]) -> None:
    """The columns a table accounts for, row by row (``taken``: row -> columns, one shared
    set for the rows of a kind: a row's numbers outside it are loose); numbers in its
    ignored columns go to ``ignored``."""
    span = frozenset(range(t.first_col, t.last_col + 1))
    for r in t.header_rows:
        _take(taken, r, span)
    value_cols = {c for c, role in t.columns.items() if role.is_value}
    skip_cols = {c for c, role in t.columns.items() if role.role in (COL_IGNORE,)}
    quiet_cols = {c for c, role in t.columns.items()
                  if role.role in (COL_CODE, COL_UNKNOWN, COL_TRIENNIO) or not role.is_value}
    rows = range(t.first_row, t.last_row + 1)
    if t.kind == KIND_IGNORE:
        for r in rows:
            _take(taken, r, span)
        return
    skipped = sorted(skip_cols & span)
    if skipped:
        rows_of = sheet.rows
        for r in rows:
            cells = rows_of.get(r)
            if cells:
                for c in skipped:
                    cell = cells.get(c)
                    if cell is not None and _is_number(cell.value):
                        ignored.append((r, c))
    if t.kind != KIND_COST:
        for r in rows:
            _take(taken, r, span)
        return
    counted = span & (skip_cols | quiet_cols | value_cols)  # labels, codes, amounts
    elsewhere = span & (skip_cols | quiet_cols)  # unknown columns have their own note
    mask_of = {ROW_IGNORE: span, ROW_LINE: counted, ROW_TOTAL: counted,
               ROW_HEADING: counted, ROW_PART: counted}
    of_row: dict[int, frozenset[int]] = {}
    for role in t.rows:
        mask = mask_of.get(role.role, elsewhere)
        of_row[role.row] = mask
        for extra in role.rows:
            of_row[extra] = mask
    for r in rows:  # texts elsewhere are never loose numbers: no need to take them
        _take(taken, r, of_row.get(r, elsewhere))


def _take(taken: dict[int, frozenset[int]], row: int, cols: frozenset[int]) -> None:
    """Add ``cols`` to the columns taken on ``row``."""
    have = taken.get(row)
    if have is None:
        taken[row] = cols
    elif have is not cols:
        taken[row] = have | cols


def _ignored_note(t: TableLayout, sheet: SheetGrid, cells: list[tuple[int, int]],
                  amounts: AmountReader) -> None:
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).append(r)
    for c, rows in sorted(by_col.items()):
        header = t.columns[c].header if c in t.columns else ""
        rng = f"{sheet.name}!{col_letters(c)}{min(rows)}:{col_letters(c)}{max(rows)}"
        amounts.note("PDZ011", "info", sheet_ref(sheet.name, t.header_row, c),
                     f"colonna «{header}» ({rng}, {len(rows)} valori) non letta: valori "
                     "calcolati (scostamenti, percentuali), non importi del budget.", header)


def _overlaps(tables: list[TableLayout], sheet: SheetGrid, amounts: AmountReader) -> None:
    read = [t for t in tables if t.kind != KIND_IGNORE]
    order = sorted(range(len(read)), key=lambda i: read[i].header_rows[0])
    pairs = []
    for k, i in enumerate(order):  # a sweep down the sheet: only tables whose rows meet
        a = read[i]
        for j in order[k + 1:]:
            b = read[j]
            if b.header_rows[0] > a.last_row:
                break
            if a.first_col <= b.last_col and b.first_col <= a.last_col and \
                    a.header_rows[0] <= b.last_row:
                pairs.append((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        a, b = read[i], read[j]
        amounts.note("PDZ013", "errore", sheet_ref(sheet.name, b.header_row, b.first_col),
                     f"le tabelle {a.anchor} e {b.anchor} si sovrappongono: le "
                     "stesse celle sarebbero lette due volte. Indicare nel foglio "
                     "«_pdz» dove finisce la prima (chiave «fine " + a.anchor + "»).")


def _loose_numbers(sheet: SheetGrid, taken: dict[int, frozenset[int]], tables: list[TableLayout],
                   amounts: AmountReader) -> None:
    """Numbers no table took, grouped in runs down a column."""
    loose: dict[int, list[tuple[int, object]]] = {}
    none: frozenset[int] = frozenset()
    for r, cells in sheet.rows.items():
        took = taken.get(r, none)
        if cells.keys() <= took:
            continue
        for c in cells.keys() - took:
            cell = cells[c]
            if not _is_number(cell.value):
                continue
            v = cell.value
            if isinstance(v, (int, float)) and float(v).is_integer() and 1980 <= v <= 2199 \
                    and not (cell.number_format and "0.00" in cell.number_format):
                continue  # a year in a title
            loose.setdefault(c, []).append((r, v))
    for c, items in sorted(loose.items()):
        items.sort(key=lambda x: x[0])
        runs: list[list[tuple[int, object]]] = [[items[0]]]
        for r, v in items[1:]:
            if r - runs[-1][-1][0] <= 3:
                runs[-1].append((r, v))
            else:
                runs.append([(r, v)])
        for run in runs:
            first, last = run[0][0], run[-1][0]
            where = f"{sheet.name}!{col_letters(c)}{first}" + (
                f":{col_letters(c)}{last}" if last != first else "")
            total = 0
            for _r, v in run:
                if isinstance(v, (int, float)) and abs(v) < MAX_AMOUNT:
                    total += round(v * sheet.cents_per_unit)
            inside = next((t for t in tables if t.first_row <= first <= t.last_row
                           and t.first_col <= c <= t.last_col), None)
            why = (f"nella tabella {inside.anchor} ma in righe che non sono né voci né totali"
                   if inside is not None else "fuori da ogni tabella letta")
            amounts.note("PDZ011", "avviso", sheet_ref(sheet.name, first, c),
                         f"{len(run)} importi in {where} ({format_eur(total)} in tutto) "
                         f"{why}: non sono stati conteggiati. Se fanno parte del budget, "
                         "indicare la tabella nel foglio «_pdz» (vedi «pdz-xl mappa»).",
                         where)


def _repeated_lines(plan: Plan, layout: WorkbookLayout, rt: Runtime,
                   amounts: AmountReader) -> None:
    """A line whose amount is only a reference to another line's cell counts it twice."""
    with_formulas: dict[int, dict[int, object]] = {}  # table -> row -> its record
    for t in layout.tables():
        if t.kind == KIND_COST and t.shape == "larga":
            rows = {rd.row: rd for rd in rt.rows.get(id(t), []) if rd.formulas}
            if rows:  # the lines' rows among them (totals hold formulas of their own)
                rows = {role.row: rows[role.row] for role in t.rows
                        if role.role == ROW_LINE and role.row in rows}
            with_formulas[t.index] = rows
    if not any(with_formulas.values()):
        return  # no line row holds a formula: nothing refers to another line
    owner: dict[str, int] = {}
    for ln in plan.lines:
        for cell in ln.amount_cells.values():
            owner[cell] = ln.id
    for ln in plan.lines:
        rows = with_formulas.get(ln.table)
        rd = rows.get(ln.row) if rows else None
        if rd is None:
            continue
        for cell in ln.amount_cells.values():
            col = _col_of(cell)
            formula = rd.formulas.get(col)
            other = _referenced_line(formula, ln.sheet, owner, ln.id)
            if other is not None:
                amounts.note("PDZ013", "errore", cell,
                             f"la voce «{ln.voce}» riprende con una formula l'importo della "
                             f"voce in {other}: lo stesso importo è contato due volte. Se il "
                             "foglio è un riepilogo, indicarlo nel foglio «_pdz» (chiave "
                             "«riepiloghi»).")
                break


def _col_of(ref: str) -> int:
    from ..cells import parse_a1

    return parse_a1(ref.rsplit("!", 1)[1])[1]


def _referenced_line(formula: str | None, own_sheet: str, owner: dict[str, int],
                     own_id: int) -> str | None:
    """The cell of another line a pure reference formula (``=B5``, ``='X'!B5``,
    ``=SUM(...)`` of line cells) points at, if any."""
    if not formula:
        return None
    body = formula[1:].strip()
    if any(op in body for op in "*/-^&<>") or ("(" in body and not body.upper().startswith(
            ("SUM(", "SOMMA("))):
        return None
    areas = aggregate_areas(formula) if ("(" in body or "+" in body) else \
        aggregate_areas(f"=SUM({body})")
    if not areas:
        return None
    for sheet, r1, c1, r2, c2 in areas:
        for r in range(r1, min(r2, r1 + 500) + 1):
            for c in range(c1, min(c2, c1 + 50) + 1):
                ref = sheet_ref(sheet or own_sheet, r, c)
                other = owner.get(ref)
                if other is not None and other != own_id:
                    return ref
    return None

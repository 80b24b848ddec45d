"""A long export with a year per row (``Obiettivo | Azione | Voce | Anno | Importo``)
moved on: the new year's rows appended under the table.

Each row of the plan year is written again below the last row of the table, in the same
order, with «Anno» moved on and the new amount: with ``--canali vuoti`` one row per line
(the channel name cleared, the whole amount on it), with ``come-anno-scorso`` one row per
channel row of the plan year, last year's split moved to the new amount. The rows of
the plan year are never written: the reader pairs a line's rows by its key wherever they
stand (``layout/long_rows.py``), so they are the comparison year. Group columns written
only where the group changes stay so in the new rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cells import parse_a1, split_sheet_ref
from ..io.formula_shift import shift_formula
from ..layout.model import COL_AMOUNT, COL_CHANNEL_NAME, COL_GROUP, COL_YEAR_NAME, TableLayout
from ..money import to_decimal
from ..plan import Line
from .amounts import split_like

if TYPE_CHECKING:
    from .costs import CostTable


def year_rows(t: TableLayout) -> bool:
    """A long table whose rows name their year and whose amounts have no year."""
    return t.shape == "lunga" and any(r.role == COL_YEAR_NAME for r in t.columns.values()) \
        and not any(r.role == COL_AMOUNT and r.year is not None for r in t.columns.values())


def _col(t: TableLayout, role: str) -> int | None:
    return next((c for c, r in sorted(t.columns.items()) if r.role == role), None)


def _sparse(table: CostTable, col: int) -> bool:
    """The group column is written only where the group changes: no two consecutive
    rows with a voce hold the same text in it (the reader's own test)."""
    sheet = table.edits.sheet(table.t.sheet)
    voce = table.t.voce_col or table.t.first_col
    last = None
    for r in range(table.t.first_row, table.t.last_row + 1):
        if sheet.value(r, voce) in (None, ""):
            continue
        text = sheet.value(r, col)
        if text not in (None, "") and text == last:
            return False
        last = text
    return True


def _group_text(ln: Line, col: int) -> str | None:
    """The text of the line's group read in column ``col``."""
    for g in ln.groups:
        if g.cell and g.text and parse_a1(split_sheet_ref(g.cell)[1])[1] == col:
            return g.text
    return None


def append_year_rows(table: CostTable) -> str | None:
    """Write the new year's rows under the table; an Italian reason when it cannot."""
    t, edits = table.t, table.edits
    sheet = edits.sheet(t.sheet)
    where = f"foglio «{t.sheet}», tabella {table.name}"
    year_col, part_col = _col(t, COL_YEAR_NAME), _col(t, COL_AMOUNT)
    if year_col is None or part_col is None:
        return f"{where}: nessuna colonna «Anno» o «Importo»: lasciata com'è"
    if any(r.role == "totale" for r in t.rows):
        return (f"{where}: un'estrazione con un anno per riga e righe di totale; le righe "
                f"del {table.new} andrebbero sotto il totale, che sommerebbe un altro anno. "
                "Cosa fare: togliere le righe di totale dall'estrazione (o metterle sotto "
                "una riga vuota) e rilanciare")
    channel_col = _col(t, COL_CHANNEL_NAME)
    groups = [c for c, r in sorted(t.columns.items()) if r.role == COL_GROUP]
    sparse = {c: _sparse(table, c) for c in groups}
    sources: list[tuple[int, Line, object]] = []  # (row, line, amount of the new row)
    for ln in table.lines:
        own = [r for r in (ln.rows or [ln.row]) if _year(sheet.value(r, year_col)) == table.year]
        if not own:
            continue
        new = table._new_amount(ln)
        if table.channels == "come-anno-scorso" and channel_col is not None and ln.channels:
            split = split_like(ln, new)
            cells = {parse_a1(split_sheet_ref(ref)[1])[0]: code
                     for code, ref in ln.channel_cells.items()}
            named = [r for r in own if r in cells]
            rest = (new or 0) - sum(split.get(cells[r]) or 0 for r in named)
            for i, r in enumerate(own):
                if r in cells:
                    sources.append((r, ln, split.get(cells[r])))
                elif i == next(j for j, x in enumerate(own) if x not in cells):
                    sources.append((r, ln, rest))
        else:
            sources.append((own[0], ln, new))
    first = t.last_row + 1
    for r in range(first, first + len(sources)):
        if any(sheet.get(r, c) is not None or sheet.merged_at(r, c)
               for c in range(t.first_col, t.last_col + 1)):
            return (f"{where}: sotto l'estrazione servono {len(sources)} righe vuote per le "
                    f"righe del {table.new}, ma la riga {r} è occupata. Cosa fare: spostare "
                    "ciò che c'è sotto la tabella e rilanciare")
    previous: dict[int, object] = {}
    for i, (src, ln, amount) in enumerate(sources):
        r = first + i
        changed = False
        for c in range(t.first_col, t.last_col + 1):
            cell = sheet.get(src, c)
            value = cell.value if cell is not None else None
            formula = cell.formula if cell is not None else None
            if c == year_col:
                value = table.new if not isinstance(value, str) else str(table.new)
                formula = None
            elif c == part_col:
                value, formula = (None if amount is None else to_decimal(amount)), None
            elif c == channel_col and (table.channels == "vuoti" or not ln.channels):
                value = formula = None
            elif c in sparse:  # outer columns first: an inner group under a new outer one
                text = _group_text(ln, c) if value in (None, "") else value  # is new
                changed = changed or text != previous.get(c)
                previous[c] = text
                if text != value:
                    formula = None
                value = text if changed or not sparse[c] else None
                formula = formula if value is not None else None
            if formula:
                formula = "=" + shift_formula(formula.removeprefix("="), r - src, 0)
            if value is None and not formula and cell is None:
                continue
            edits.put(t.sheet, r, c, value, formula, style_from=c, style_row=src)
    return None


def _year(v: object) -> int | None:
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    return None

"""What a single row of a cost table says on its own: a total by its word or formula, a
note, a heading that carries its group's amount, a group written on a row of its own."""

from __future__ import annotations

import re

from ..formula_refs import aggregate_areas
from .hierarchy import Head, LineProfile, make_head
from .labels import heading_of, is_note_text, is_total_label
from .model import LEVELS, ROW_HEADING, ROW_LINE, ROW_TOTAL, TableLayout
from .rowdata import RowData


def note_row(rd: RowData, profile: LineProfile) -> bool:
    """A remark written under a table («N.B.: importi IVA compresa»), not a cost line."""
    text = rd.voce or rd.label
    if not text:
        return False
    if is_note_text(text):
        return True
    return rd.italic and not rd.bold and len(text) > 25 and text.rstrip().endswith(".")


def total_word(rd: RowData) -> bool:
    if rd.voce and is_total_label(rd.voce):
        return True
    for t in rd.groups.values():
        if t and is_total_label(t):
            return True
    return bool(rd.code and is_total_label(rd.code))


def aggregate_rows(rd: RowData, table: TableLayout) -> set[int] | None:
    """Rows of this table a row's formulas add up (two or more, or any inside an explicit
    ``SUM``/``SUBTOTAL``), or None. A bare reference (``=B5``) is not a total."""
    rows: set[int] | None = None
    for c, f in rd.formulas.items():
        areas = aggregate_areas(f)
        if not areas:
            continue
        got: set[int] = set()
        for sheet, r1, c1, r2, c2 in areas:
            if sheet not in (None, table.sheet) or not (c1 <= c <= c2):
                continue  # (a range over the whole column counts only the table's rows)
            got.update(range(r1, min(r2, table.last_row) + 1))
        got.discard(rd.row)
        explicit = f.lstrip("= ").upper().startswith(("SUM", "SOMMA", "SUBTOTAL"))
        if len(got) >= 2 or (got and explicit):
            rows = (rows or set()) | got
    return rows


def heads_following(data: list[RowData], i: int, ykeys: dict[int, int]) -> bool:
    """A bold row whose amounts equal the sum of the plain rows right below it: it heads
    them and states their total."""
    rd = data[i]
    stated = {c: v for c, v in rd.values.items() if c in ykeys and v is not None}
    if not stated:
        return False
    sums = dict.fromkeys(stated, 0)
    n = 0
    for j in range(i + 1, len(data)):
        nxt = data[j]
        if nxt.blank:
            continue
        if nxt.bold or (nxt.voce and is_total_label(nxt.voce)):
            break
        n += 1
        for c in stated:
            sums[c] += nxt.values.get(c) or 0
    return n >= 1 and all(abs(sums[c] - v) <= 5 for c, v in stated.items())


def total_as_heading(rd: RowData, data: list[RowData], i: int, kinds: dict[int, str]
                      ) -> Head | None:
    """A total whose label names a group (``TOTALE BUDGET OBIETTIVO 1: CARTELLA SOCIALE``)
    written over lines of that group, with no heading of it since the last line: the
    row heads the group and states its total."""
    label = rd.voce or rd.label
    subject = re.sub(r"^\s*(totale|tot\.?|subtotale)\s+(budget\s+|costi\s+)?", "", label,
                     flags=re.I)
    word = heading_of(subject, bold=True) if subject != label else None
    if word is None or not rd.has_values:
        return None
    for j in range(i - 1, -1, -1):  # a heading of that level since the last line?
        prev = data[j]
        kind = kinds.get(prev.row)
        if kind in (ROW_LINE, "forse", ROW_TOTAL):
            break
        if kind == ROW_HEADING:
            h = heading_of(prev.voce or prev.label, bold=True)
            if h is not None and h.level == word.level:
                return None
    for j in range(i + 1, len(data)):  # what follows: its lines, or a group of that level?
        nxt = data[j]
        if nxt.blank or is_note_text(nxt.voce or nxt.label):
            continue
        if total_word(nxt):
            return None
        h = heading_of(nxt.voce or nxt.label, bold=nxt.bold)
        if h is not None and LEVELS.index(h.level) <= LEVELS.index(word.level):
            return None  # a new group of that level follows: this total closed the one above
        if nxt.has_values:
            break  # lines of its group follow
    else:
        return None
    if _sums_lines_above(rd, data, i, kinds):  # (the costliest check last)
        return None
    return make_head(rd.__class__(row=rd.row, voce=subject, bold=rd.bold, caps=rd.caps,
                                  has_values=True), word.level)


def _sums_lines_above(rd: RowData, data: list[RowData], i: int, kinds: dict[int, str]
                     ) -> bool:
    """The row's amounts are exactly the sum of the lines since the previous total: it
    closes them (a total under its lines), it does not head what follows."""
    stated = {c: v for c, v in rd.values.items() if v is not None}
    if not stated:
        return False
    sums = dict.fromkeys(stated, 0)  # (only the columns the row states are compared)
    seen = False
    for j in range(i - 1, -1, -1):
        prev = data[j]
        kind = kinds.get(prev.row)
        if kind == ROW_TOTAL:
            break
        if kind in (ROW_LINE, "forse"):
            seen = True
            values = prev.values
            for c in stated:
                v = values.get(c)
                if v is not None:
                    sums[c] += v
    return seen and all(sums[c] == v for c, v in stated.items())


def own_row_group(rd: RowData, data: list[RowData], i: int) -> bool:
    """A flat row naming a group and nothing deeper, with amounts, followed by rows of that
    group: the group's heading carrying its total (a staircase, a pivot with subtotals
    on top)."""
    filled = [c for c, t in sorted(rd.groups.items()) if t]
    if not filled:
        return False
    deepest = filled[-1]
    for nxt in data[i + 1:i + 4]:
        if nxt.blank:
            continue
        return bool(nxt.voce) or any(t for c, t in nxt.groups.items() if c > deepest)
    return False

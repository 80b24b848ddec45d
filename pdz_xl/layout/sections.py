"""A revenue section at the foot of a cost table, under the same header.

Offices often close the cost table with ``TOTALE USCITE`` and go on, in the same columns,
with a title row (``ENTRATE``, ``FONTI DI FINANZIAMENTO``, ``RICAVI``) and the channels
that fund it (``FNPS 2021``, ``Fondi ATS`` ... ``TOTALE ENTRATE``). Read as cost lines,
those rows would count the budget twice; they are a revenue table of their own, named by
its title row.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..channels.catalog import normalise_label
from ..grid import SheetGrid
from ..plurals import plural
from .kinds import label_column
from .labels import heading_of, is_total_label
from .model import KIND_COST, KIND_REVENUE, SURE_HIGH, Decision, TableLayout

_REVENUE_TITLE = re.compile(
    r"^((sez(ione)? )?([a-h]|\d{1,2}|i{1,3}|iv|v) )?"  # a section letter: «B) ENTRATE»
    r"(entrate|ricavi|proventi|fonti( di finanziamento)?|finanziamenti|risorse"
    r"( disponibili| finanziarie)?|copertura( finanziaria)?|coperture)"
    r"( \d{4})?( (previste|del piano|del budget))?( \d{4})?( [a-h])?$")


_COST_WORDS = re.compile(r"\b(costi|spese|uscite|impieghi|utilizzi)\b")


def cost_title(sheet: SheetGrid, header_row: int, first_col: int, last_col: int
               ) -> str | None:
    """The title over a table of channel rows when it speaks of costs (``Riepilogo costi
    2021 per fonte di finanziamento``): what each channel pays, not what it brings in."""
    for r in range(header_row - 1, max(header_row - 4, 0), -1):
        for c, cell in sorted(sheet.rows.get(r, {}).items()):
            if c > last_col or not isinstance(cell.value, str) or not cell.value.strip():
                continue
            if c >= first_col - 1 and _COST_WORDS.search(normalise_label(cell.value)):
                return cell.value.strip()
    return None


def is_revenue_title(text: str) -> bool:
    """``ENTRATE``, ``Fonti di finanziamento 2021``, ``RISORSE DISPONIBILI`` ..."""
    return bool(_REVENUE_TITLE.match(normalise_label(text)))


def split_revenue_section(sheet: SheetGrid, t: TableLayout, resolve) -> TableLayout | None:
    """Cut the revenue section off the foot of cost table ``t`` (``t`` ends above its
    title row); the section as a revenue table, or None when there is none."""
    if t.kind != KIND_COST or t.shape != "larga":
        return None
    col = label_column(t.columns)
    if col is None:
        return None
    values = [c for c, r in t.columns.items() if r.is_value]
    sheet_rows = sheet.rows
    for r in range(t.first_row + 1, t.last_row + 1):
        cells = sheet_rows.get(r)
        if not cells:
            continue
        cell = cells.get(col)
        text = cell.value if cell is not None else None
        if not isinstance(text, str) or _has_amount(cells, values) or \
                not is_revenue_title(text):
            continue
        labels = _labels_below(sheet, r, t.last_row, col)
        items = [x for x in labels if not is_total_label(x)]
        channels = sum(1 for x in items if resolve(x)[0])
        if not items or channels * 2 <= len(items) or any(
                (h := heading_of(x)) is not None and h.level == "azione" for x in items):
            continue
        section = replace(
            t, kind=KIND_REVENUE, header_rows=[r], first_row=r + 1, columns=dict(t.columns),
            rows=[], levels=[], decisions=[], title=text.strip(), index=0)
        section.decisions.append(Decision(
            f"tabella {section.anchor}", KIND_REVENUE, SURE_HIGH,
            f"titolo «{text.strip()}» e {plural(channels, 'riga', 'righe')} di canali sotto la "
            "tabella dei costi"))
        t.last_row = r - 1
        while t.last_row > t.first_row and not sheet.rows.get(t.last_row):
            t.last_row -= 1
        return section
    return None


def _has_amount(cells: dict, values: list[int]) -> bool:
    """Any of the value columns filled on the row (a title row has none)."""
    for c in values:
        cell = cells.get(c)
        if cell is not None and cell.value not in (None, ""):
            return True
    return False


def _labels_below(sheet: SheetGrid, start: int, end: int, col: int) -> list[str]:
    out = []
    for r in range(start + 1, end + 1):
        cell = sheet.get(r, col)
        if cell is not None and isinstance(cell.value, str) and cell.value.strip():
            out.append(cell.value.strip())
    return out

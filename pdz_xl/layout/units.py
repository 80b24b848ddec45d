"""The unit a sheet's amounts are written in: euro, or thousands (or millions) of euro.

Offices sometimes print a plan «in migliaia di euro» (a note over the table, or
``Importo (€/000)`` in a header). Read as euro, every figure would be a thousand times too
small and still add up: the one misreading no check catches. So the reader looks for such
a note at the top and foot of each sheet and never decides alone: without the ``_pdz`` key
``importi`` (``migliaia`` / ``euro``, for all sheets or ``importi Foglio`` for one) it
reads the figures as written and says so as an error (PDZ015); with it, amounts are read
in that unit (cents exact: ``14,274`` thousand is € 14.274,00).
"""

from __future__ import annotations

import re

from ..cells import sheet_ref
from ..grid import SheetGrid
from .amounts import AmountReader
from .config import LayoutConfig
from .model import SURE_STATED, Decision

CENTS_PER = {"euro": 100, "migliaia": 100_000, "milioni": 100_000_000}
_NOTE = re.compile(
    r"\b(in )?(migliaia|milioni)( di)? (euro|€)|\b(importi|valori|dati|cifre) in "
    r"(migliaia|milioni)\b|(€|\beuro|\beur)\s*/\s*(1\.?)?000\b|\bk\s*€|\bkeur[o]?\b"
    r"|\bmigl\.?\s*(di )?(euro|€)", re.IGNORECASE)
_HINT = re.compile(r"migl|milion|000|k", re.IGNORECASE)  # cheap: most labels fail it
_SCAN_TOP, _SCAN_FOOT = 40, 15  # rows read at the top and at the foot of a sheet


def unit_of(text: str) -> str | None:
    """``migliaia`` / ``milioni`` when a text says the amounts are in that unit."""
    m = _NOTE.search(text)
    if m is None:
        return None
    return "milioni" if "milion" in m.group(0).lower() else "migliaia"


def parse_unit(text: str) -> str | None:
    """A ``_pdz`` value: ``migliaia`` (``migliaia di euro``, ``€/000``), ``milioni``,
    ``euro`` (``unità``); None when not understood."""
    t = text.strip().casefold()
    if t.startswith("miglia") or t in ("k", "k€", "keur", "€/000", "euro/000", "1000"):
        return "migliaia"
    if t.startswith("milion"):
        return "milioni"
    if t in ("euro", "eur", "€", "unità", "unita", "in euro"):
        return "euro"
    return None


def find_unit_note(sheet: SheetGrid) -> tuple[str, str, str] | None:
    """(cell, text, unit) of the first note on the sheet saying the amounts are in
    thousands or millions, looked for in its first and last rows."""
    rows = sorted(sheet.rows)
    for r in dict.fromkeys(rows[:_SCAN_TOP] + rows[-_SCAN_FOOT:]):
        for c, cell in sorted(sheet.rows[r].items()):
            v = cell.value
            if type(v) is str and len(v) < 200 and _HINT.search(v):
                unit = unit_of(v)
                if unit is not None:
                    return sheet_ref(sheet.name, r, c), v.strip(), unit
    return None


def apply_unit(sheet: SheetGrid, config: LayoutConfig, amounts: AmountReader,
               ambiguities: list[str], decisions: list[Decision]) -> None:
    """Set the sheet's unit from ``_pdz``; a note of thousands not stated is PDZ015."""
    stated_key = next((k for k in (sheet.name.casefold(), "") if k in config.units), None)
    note = find_unit_note(sheet)
    if stated_key is not None:
        unit = config.units[stated_key]
        sheet.cents_per_unit = CENTS_PER[unit]
        if stated_key:
            decisions.append(Decision(f"importi {sheet.name}", unit, SURE_STATED, "indicato"))
        elif not any(d.key == "importi" for d in decisions):
            decisions.append(Decision("importi", unit, SURE_STATED, "indicato"))
        return
    sheet.cents_per_unit = 100
    if note is None:
        return
    cell, text, unit = note
    times = "mille" if unit == "migliaia" else "un milione di"
    message = (f"il foglio «{sheet.name}» dice «{text}»: gli importi sono stati letti come "
               f"euro, così come sono scritti, e sarebbero {times} volte più piccoli del "
               f"vero. Indicare l'unità nel foglio «_pdz» (chiave "
               f"«importi», valore «{unit}», oppure «euro» se gli importi sono già in euro).")
    amounts.note("PDZ015", "errore", cell, message, text)
    ambiguities.append(message)

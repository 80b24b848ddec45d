"""Family «lettura»: what the reader met becomes findings at their cells (same codes)."""

from __future__ import annotations

from ..plan import Plan
from .engine import Checker
from .rules import RULES


def _paths(plan: Plan, cells: set[str]) -> dict[str, list[str]]:
    """The Area/Servizio/Azione path of each of ``cells`` that is a cell of a line or a
    total (the last one met, as the reading order goes)."""
    out: dict[str, list[str]] = {}
    for item in (*plan.lines, *plan.totals):
        for cell in (item.cell, *item.amount_cells.values(), *item.channel_cells.values()):
            if cell in cells:
                out[cell] = item.path
    return out


def check(ck: Checker) -> None:
    """PDZ0xx: the reader's notes (its «info» notes are not findings)."""
    notes = [n for n in ck.plan.notes if n.severity != "info" and n.code in RULES]
    if not notes:
        return
    paths = _paths(ck.plan, {n.cell for n in notes if n.cell})
    for note in notes:
        ck.add(note.code, note.cell, note.message, severity=note.severity, category="lettura",
               path=paths.get(note.cell or "", []))

"""Family «lettura»: what the reader met becomes findings at their cells (same codes)."""

from __future__ import annotations

from ..plan import Plan
from .engine import Checker
from .rules import RULES


def _paths(plan: Plan) -> dict[str, list[str]]:
    """The Area/Servizio/Azione path of every cell of a line or a total."""
    out: dict[str, list[str]] = {}
    for ln in plan.lines:
        for cell in (ln.cell, *ln.amount_cells.values(), *ln.channel_cells.values()):
            out[cell] = ln.path
    for t in plan.totals:
        for cell in (t.cell, *t.amount_cells.values(), *t.channel_cells.values()):
            out[cell] = t.path
    return out


def check(ck: Checker) -> None:
    """PDZ0xx: the reader's notes (its «info» notes are not findings)."""
    notes = [n for n in ck.plan.notes if n.severity != "info" and n.code in RULES]
    if not notes:
        return
    paths = _paths(ck.plan)
    for note in notes:
        ck.add(note.code, note.cell, note.message, severity=note.severity, category="lettura",
               path=paths.get(note.cell or "", []))

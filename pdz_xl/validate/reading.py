"""Family «lettura»: what the reader met becomes findings at their cells."""

from __future__ import annotations

from .engine import Checker
from .rules import RULES


def check(ck: Checker) -> None:
    for note in ck.plan.notes:
        if note.severity == "info" or note.code not in RULES:
            continue
        ck.add(note.code, note.cell, note.message, severity=note.severity, category="lettura")

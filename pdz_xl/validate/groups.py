"""Sums of the cost lines by group (area, obiettivo) as summary tables name them."""

from __future__ import annotations

from collections import defaultdict

from ..channels.catalog import normalise_label
from ..plan import Plan


def group_sums(plan: Plan, year: int) -> dict[str, int]:
    """``area:<label>`` / ``obiettivo:<n>`` -> sum of the lines' amounts of ``year``."""
    sums: dict[str, int] = defaultdict(int)
    for ln in plan.lines:
        for g in ln.groups:
            if g.level == "area":
                sums[f"area:{normalise_label(g.text or g.label)}"] += ln.amount(year)
            elif g.level == "obiettivo" and g.number is not None:
                sums[f"obiettivo:{g.number}"] += ln.amount(year)
    return dict(sums)


def lines_total(plan: Plan, year: int) -> int:
    """Sum of every line's amount of ``year``."""
    return sum(ln.amount(year) for ln in plan.lines)

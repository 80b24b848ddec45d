"""Sums of the cost lines by group (area, obiettivo) as summary tables name them."""

from __future__ import annotations

from collections import defaultdict

from ..channels.catalog import normalise_label
from ..plan import Plan


def group_sums(plan: Plan, year: int) -> dict[str, int]:
    """``area:<label>`` / ``obiettivo:<n>`` / ``servizio:<label>`` / ``azione:<label>``, and
    ``label:<label>`` for any group -> sum of the lines' amounts of ``year``; in the plan
    year also ``channel:<code>`` -> what the lines put on that channel."""
    sums: dict[str, int] = defaultdict(int)
    for ln in plan.lines:
        amount = ln.amount(year)
        for g in ln.groups:
            if g.level == "area":
                sums[f"area:{normalise_label(g.text or g.label)}"] += amount
            elif g.level == "obiettivo" and g.number is not None:
                sums[f"obiettivo:{g.number}"] += amount
            elif g.level in ("servizio", "azione"):
                sums[f"{g.level}:{normalise_label(g.text or g.label)}"] += amount
            for name in {normalise_label(g.text or g.label), normalise_label(g.label)}:
                sums[f"label:{name}"] += amount
        if year == plan.plan_year:
            for code, part in ln.channels.items():
                if part:
                    sums[f"channel:{code}"] += part
    return dict(sums)


def lines_total(plan: Plan, year: int) -> int:
    """Sum of every line's amount of ``year``."""
    return sum(ln.amount(year) for ln in plan.lines)

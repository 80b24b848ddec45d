"""Sums of the cost lines by group (area, obiettivo) as summary tables name them."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from ..channels.catalog import normalise_label
from ..plan import Group, Plan
from .facts import LineFacts


def group_sums(plan: Plan, year: int, facts: LineFacts | None = None) -> dict[str, int]:
    """``area:<label>`` / ``obiettivo:<n>`` / ``servizio:<label>`` / ``azione:<label>``, and
    ``label:<label>`` for any group -> sum of the lines' amounts of ``year``; in the plan
    year also ``channel:<code>`` -> what the lines put on that channel.

    Lines of one group share their ``groups`` list: the amounts are summed by list first
    (consecutive lines at once), then each list's keys are made once."""
    facts = facts or LineFacts(plan)
    by_list: dict[int, tuple[list[Group], list[int]]] = {}
    groups = facts.groups
    amounts = facts.amounts(year)
    start = 0
    for key, run in groupby(map(id, groups)):
        stop = start + len(list(run))
        entry = by_list.get(key)
        if entry is None:
            entry = by_list[key] = (groups[start], [])
        entry[1].append(sum(amounts[start:stop]))
        start = stop
    sums: dict[str, int] = defaultdict(int)
    for path, parts in by_list.values():
        amount = sum(parts)
        for g in path:
            if g.level == "area":
                sums[f"area:{normalise_label(g.text or g.label)}"] += amount
            elif g.level == "obiettivo" and g.number is not None:
                sums[f"obiettivo:{g.number}"] += amount
            elif g.level in ("servizio", "azione"):
                sums[f"{g.level}:{normalise_label(g.text or g.label)}"] += amount
            for name in {normalise_label(g.text or g.label), normalise_label(g.label)}:
                sums[f"label:{name}"] += amount
    if year == plan.plan_year:
        channels = facts.channel_columns
        for code in channels.key_order():
            parts = list(channels.parts(code))
            if parts:
                sums[f"channel:{code}"] += sum(parts)
    return dict(sums)


def lines_total(plan: Plan, year: int) -> int:
    """Sum of every line's amount of ``year``."""
    return sum(ln.amount(year) for ln in plan.lines)

"""Per-line figures of one validation, computed once on first use and shared by the families.

Every list is indexed by the line's position in ``Plan.lines`` (what ``StatedTotal.line_ids``
name). The figures are built with ``map`` over the lines' dicts, so a family that only needs
a sum or a handful of suspect lines does not walk 10,000 lines in Python.
"""

from __future__ import annotations

from functools import cached_property, partial
from itertools import groupby
from operator import attrgetter, methodcaller

from ..money import Cents
from ..plan import Line, Plan

nonblank = partial(filter, None)  # the figures of a dict's values without blanks and zeros


class LineFacts:
    """What the rule families ask of the cost lines, each figure computed once."""

    def __init__(self, plan: Plan) -> None:
        self.lines: list[Line] = plan.lines
        self._amounts: dict[int, list[Cents]] = {}

    @cached_property
    def amount_dicts(self) -> list[dict[int, Cents | None]]:
        """Each line's amounts by year."""
        return list(map(attrgetter("amounts"), self.lines))

    @cached_property
    def channel_dicts(self) -> list[dict[str, Cents | None]]:
        """Each line's channel split."""
        return list(map(attrgetter("channels"), self.lines))

    @cached_property
    def ids(self) -> list[int]:
        """Each line's id."""
        return list(map(attrgetter("id"), self.lines))

    def amounts(self, year: int) -> list[Cents]:
        """Each line's amount of ``year``, blank counted as zero (``Line.amount``)."""
        out = self._amounts.get(year)
        if out is None:
            out = self._amounts[year] = [v or 0 for v in
                                         map(methodcaller("get", year), self.amount_dicts)]
        return out

    def total(self, year: int) -> Cents:
        """Sum of every line's amount of ``year``."""
        return sum(self.amounts(year))

    @cached_property
    def splits(self) -> list[Cents]:
        """Each line's channel split summed (blank counted as zero)."""
        return list(map(sum, map(nonblank, map(dict.values, self.channel_dicts))))

    def allocated(self, code: str) -> Cents:
        """What the lines' cells of channel ``code`` add up to."""
        return sum(nonblank(map(methodcaller("get", code), self.channel_dicts)))

    @cached_property
    def runs(self) -> list[tuple[int, str, int, int]]:
        """(table, sheet, start, stop): the stretches of consecutive lines of one table."""
        keys = list(map(attrgetter("table", "sheet"), self.lines))
        out: list[tuple[int, str, int, int]] = []
        start = 0
        for (table, sheet), group in groupby(keys):
            stop = start + len(list(group))
            out.append((table, sheet, start, stop))
            start = stop
        return out

    @cached_property
    def rows(self) -> list[int]:
        """Each line's row."""
        return list(map(attrgetter("row"), self.lines))

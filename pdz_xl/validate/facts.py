"""Per-line figures of one validation, computed once on first use and shared by the families.

Every sequence is indexed by the line's position in ``Plan.lines`` (what
``StatedTotal.line_ids`` name). The lines are read in one pass and their amounts and
channel splits turned into columns (one per year, one per channel) with ``zip`` over runs
of lines whose dicts have the same keys, so the families sum columns instead of walking
10,000 lines in Python.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from functools import cached_property, partial
from itertools import chain, groupby, repeat
from operator import attrgetter

from ..money import Cents
from ..plan import Group, Line, Plan

nonblank = partial(filter, None)  # the figures of a sequence without blanks and zeros

_FIELDS = attrgetter("id", "row", "table", "sheet", "amounts", "channels", "groups")


class Columns:
    """The values of many dicts by key: for each run of consecutive dicts with the same
    keys (in the same order), one tuple per key."""

    def __init__(self, dicts: Sequence[dict]) -> None:
        self.runs: list[tuple[int, int, dict[Hashable, tuple]]] = []  # start, stop, columns
        start = 0
        for keys, group in groupby(map(tuple, dicts)):
            stop = start + len(list(group))
            values = zip(*map(dict.values, dicts[start:stop]), strict=True)
            self.runs.append((start, stop, dict(zip(keys, values, strict=True))))
            start = stop

    def key_order(self) -> list[Hashable]:
        """Every key, in the order the dicts first show it."""
        return list(dict.fromkeys(k for _, _, cols in self.runs for k in cols))

    def column(self, key: Hashable) -> list[Cents]:
        """Each dict's value of ``key``, blank (or missing) counted as zero."""
        out: list[Cents] = []
        for start, stop, cols in self.runs:
            col = cols.get(key)
            if col is None:
                out.extend([0] * (stop - start))
            else:
                out.extend([v or 0 for v in col])
        return out

    def parts(self, key: Hashable) -> Iterator[Cents]:
        """The non-zero values of ``key``."""
        cols = [col for _, _, by_key in self.runs if (col := by_key.get(key)) is not None]
        return chain.from_iterable(map(nonblank, cols))

    def rows(self) -> Iterator[tuple]:
        """Each dict's values as a tuple, in order."""
        return chain.from_iterable(zip(*cols.values(), strict=True) if cols
                                   else repeat((), stop - start)
                                   for start, stop, cols in self.runs)

    def has_negative(self) -> bool:
        """True when some value is below zero."""
        return any(min(nonblank(col), default=0) < 0
                   for _, _, cols in self.runs for col in cols.values())


class LineFacts:
    """What the rule families ask of the cost lines, each figure computed once."""

    def __init__(self, plan: Plan) -> None:
        self.lines: list[Line] = plan.lines
        self._amounts: dict[int, list[Cents]] = {}
        fields = list(zip(*map(_FIELDS, self.lines), strict=True)) or [()] * 7
        self.ids: tuple[int, ...] = fields[0]
        self.rows: tuple[int, ...] = fields[1]
        self.tables: tuple[int, ...] = fields[2]
        self.sheets: tuple[str, ...] = fields[3]
        self.amount_dicts: tuple[dict[int, Cents | None], ...] = fields[4]
        self.channel_dicts: tuple[dict[str, Cents | None], ...] = fields[5]
        self.groups: tuple[list[Group], ...] = fields[6]

    @cached_property
    def amount_columns(self) -> Columns:
        """The lines' amounts by year."""
        return Columns(self.amount_dicts)

    @cached_property
    def channel_columns(self) -> Columns:
        """The lines' channel cells by channel."""
        return Columns(self.channel_dicts)

    def amounts(self, year: int) -> list[Cents]:
        """Each line's amount of ``year``, blank counted as zero (``Line.amount``)."""
        out = self._amounts.get(year)
        if out is None:
            out = self._amounts[year] = self.amount_columns.column(year)
        return out

    def total(self, year: int) -> Cents:
        """Sum of every line's amount of ``year``."""
        return sum(self.amounts(year))

    @cached_property
    def splits(self) -> list[Cents]:
        """Each line's channel split summed (blank counted as zero)."""
        return list(map(sum, map(nonblank, self.channel_columns.rows())))

    def allocated(self, code: str) -> Cents:
        """What the lines' cells of channel ``code`` add up to."""
        return sum(self.channel_columns.parts(code))

    @cached_property
    def runs(self) -> list[tuple[int, str, int, int]]:
        """(table, sheet, start, stop): the stretches of consecutive lines of one table."""
        out: list[tuple[int, str, int, int]] = []
        start = 0
        for (table, sheet), group in groupby(zip(self.tables, self.sheets, strict=True)):
            stop = start + len(list(group))
            out.append((table, sheet, start, stop))
            start = stop
        return out

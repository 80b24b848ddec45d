"""The transportation problem in integer cents, its solution, and the exactness check.

Lines have a demand, channels a capacity; eligible (line, channel) pairs are arcs with a
cost (the preference: lower is used first), optional lower/upper bounds (minimum/maximum
share) and an optional target (last year's amount: staying close to it is preferred).
Pinned amounts are fixed (line, channel) cents, e.g. cells the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

I64 = np.int64


class AllocationError(ValueError):
    """A solver result that is not exact (never expected: every result is checked)."""


def _array(a: object, name: str) -> np.ndarray:
    out = np.asarray(a)
    if out.ndim != 1:
        raise ValueError(f"{name}: serve un vettore")
    if out.size and out.dtype.kind not in "iu":
        raise ValueError(f"{name}: servono interi (centesimi), trovato {out.dtype}")
    return out.astype(I64, copy=False)


@dataclass
class Problem:
    """Arrays of one allocation problem; every amount in cents (int64)."""

    demand: np.ndarray  # per line
    capacity: np.ndarray  # per channel
    arc_line: np.ndarray  # per arc: line index
    arc_channel: np.ndarray  # per arc: channel index
    arc_cost: np.ndarray | None = None  # per arc, >= 0 (None: all zero)
    arc_lower: np.ndarray | None = None  # per arc: minimum cents (None: 0)
    arc_upper: np.ndarray | None = None  # per arc: maximum cents (None: the line's demand)
    arc_target: np.ndarray | None = None  # per arc: last year's cents, -1 for none
    pin_line: np.ndarray | None = None  # pinned amounts: line index
    pin_channel: np.ndarray | None = None  # pinned amounts: channel index
    pin_amount: np.ndarray | None = None  # pinned amounts: cents
    tiers: int = 1  # each channel's capacity in this many equal slices, filled in turn
    tier_cost: int = 0  # extra cost per cent of each further slice (0: no tiers)

    def __post_init__(self) -> None:
        self.demand = _array(self.demand, "demand")
        self.capacity = _array(self.capacity, "capacity")
        self.arc_line = _array(self.arc_line, "arc_line")
        self.arc_channel = _array(self.arc_channel, "arc_channel")
        n = len(self.arc_line)
        if len(self.arc_channel) != n:
            raise ValueError("arc_line e arc_channel hanno lunghezze diverse")
        for name in ("arc_cost", "arc_lower", "arc_upper", "arc_target"):
            value = getattr(self, name)
            if value is not None:
                value = _array(value, name)
                if len(value) != n:
                    raise ValueError(f"{name}: {len(value)} valori per {n} archi")
                setattr(self, name, value)
        pins = [self.pin_line, self.pin_channel, self.pin_amount]
        if any(p is not None for p in pins):
            if any(p is None for p in pins):
                raise ValueError("pin_line, pin_channel e pin_amount vanno dati insieme")
            self.pin_line, self.pin_channel, self.pin_amount = (
                _array(p, "pin") for p in pins)
            if not len(self.pin_line) == len(self.pin_channel) == len(self.pin_amount):
                raise ValueError("pin_*: lunghezze diverse")
        if (self.demand < 0).any():
            raise ValueError("una domanda è negativa")
        if n and (self.arc_line.min() < 0 or self.arc_line.max() >= self.n_lines
                  or self.arc_channel.min() < 0 or self.arc_channel.max() >= self.n_channels):
            raise ValueError("un arco punta fuori dalle righe o dai canali")
        if self.arc_cost is not None and (self.arc_cost < 0).any():
            raise ValueError("i costi degli archi devono essere >= 0")
        if self.tiers < 1 or self.tier_cost < 0:
            raise ValueError("tiers >= 1 e tier_cost >= 0")

    @property
    def n_lines(self) -> int:
        return len(self.demand)

    @property
    def n_channels(self) -> int:
        return len(self.capacity)

    @property
    def n_arcs(self) -> int:
        return len(self.arc_line)

    def cost(self) -> np.ndarray:
        """Per-arc cost (zeros when none was given)."""
        return self.arc_cost if self.arc_cost is not None else np.zeros(self.n_arcs, I64)

    def tier_span(self) -> int:
        """The most the tiers can add to the cost of one cent (0 without tiers)."""
        return (self.tiers - 1) * self.tier_cost

    def lower(self) -> np.ndarray:
        """Per-arc lower bound (zeros when none was given)."""
        return self.arc_lower if self.arc_lower is not None else np.zeros(self.n_arcs, I64)

    def upper(self) -> np.ndarray:
        """Per-arc upper bound, never above the line's demand."""
        cap = self.demand[self.arc_line]
        return cap if self.arc_upper is None else np.minimum(cap, self.arc_upper)

    def pinned_by_line(self) -> np.ndarray:
        """Pinned cents per line."""
        if self.pin_line is None:
            return np.zeros(self.n_lines, I64)
        return _bincount(self.pin_line, self.pin_amount, self.n_lines)

    def pinned_by_channel(self) -> np.ndarray:
        """Pinned cents per channel."""
        if self.pin_channel is None:
            return np.zeros(self.n_channels, I64)
        return _bincount(self.pin_channel, self.pin_amount, self.n_channels)


_EXACT_FLOAT = 2**53


def _bincount(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Exact integer sums per index. ``np.bincount`` adds in float64, which is exact for
    integers while every partial sum stays below 2**53 cents (90 thousand billion euro):
    checked, else the slower integer path."""
    if not len(weights):
        return np.zeros(n, I64)
    if int(np.abs(weights).sum()) < _EXACT_FLOAT:
        return np.bincount(index, weights=weights, minlength=n).astype(I64)
    out = np.zeros(n, I64)
    np.add.at(out, index, weights)
    return out


def bincount_exact(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Exact integer sums of ``weights`` per ``index`` (length ``n``)."""
    return _bincount(index, weights, n)


def line_sums(problem: Problem, flow: np.ndarray) -> np.ndarray:
    """Cents each line gets: its pinned amounts plus the flow on its arcs."""
    return problem.pinned_by_line() + _bincount(problem.arc_line, flow, problem.n_lines)


def channel_sums(problem: Problem, flow: np.ndarray) -> np.ndarray:
    """Cents each channel gives: its pinned amounts plus the flow on its arcs."""
    return problem.pinned_by_channel() + _bincount(problem.arc_channel, flow,
                                                   problem.n_channels)


@dataclass
class Shortfall:
    """Why there is no allocation, from the elastic problem (indices of the Problem).

    ``total`` is the smallest amount of cents that cannot be paid within the rules: the
    sum of what the short channels miss and of what no eligible channel can pay.
    """

    total: int
    channel_short: dict[int, int] = field(default_factory=dict)  # channel -> cents missing
    channel_lines: dict[int, list[int]] = field(default_factory=dict)  # lines relying on it
    line_uncovered: dict[int, int] = field(default_factory=dict)  # line -> cents no arc can pay
    no_arc_lines: list[int] = field(default_factory=list)  # lines without eligible channels
    line_excess: dict[int, int] = field(default_factory=dict)  # pins + minimums over demand
    bad_arcs: list[int] = field(default_factory=list)  # minimum above maximum


@dataclass
class Solution:
    """Cents per arc (pins apart), or the shortfall explaining why there is none."""

    feasible: bool
    flow: np.ndarray  # per arc; zeros when infeasible
    solver: str = ""
    objective: int = 0  # sum of cost x flow (the preference part)
    shortfall: Shortfall | None = None
    timings: dict[str, float] = field(default_factory=dict)


def verify(problem: Problem, sol: Solution) -> None:
    """Raise AllocationError unless the solution is exact: integer cents, every arc within
    its bounds, every channel within its capacity and (when feasible) every line covered
    to the cent. Nothing is ever rounded here."""
    flow = sol.flow
    if flow.dtype != I64 or flow.shape != (problem.n_arcs,):
        raise AllocationError("i flussi non sono centesimi interi, uno per arco")
    if not sol.feasible:
        if flow.any():
            raise AllocationError("un'allocazione impossibile non deve scrivere importi")
        return
    if (flow < problem.lower()).any():
        raise AllocationError("un arco è sotto la sua quota minima")
    if (flow > problem.upper()).any():
        raise AllocationError("un arco supera la sua quota massima")
    if (channel_sums(problem, flow) > problem.capacity).any():
        raise AllocationError("un canale supera la sua disponibilità")
    if (line_sums(problem, flow) != problem.demand).any():
        raise AllocationError("una riga non è coperta al centesimo")

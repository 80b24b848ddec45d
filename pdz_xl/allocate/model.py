"""From a Plan, its rules and a mode to the allocation Problem.

- Channels: the known channel columns of the cost tables, then the revenue table's
  channels without a column (a table with no channel columns gets them all as new ones).
- Capacity: what the revenue table gives each channel in the plan year (items minus
  deductions, :func:`~pdz_xl.validate.revenue.available_by_channel`).
- A line may be paid by the channels its table has a column for, that the rules admit.
- Modes: «vuote» keeps every typed channel cell (pinned) and fills the empty ones of lines
  not yet covered; «tutto» reallocates every line; «anno-scorso» reallocates every line
  staying as close as possible to the shares its cells hold now (last year's split).
  Cells of unknown columns are never ours: their amounts stay and reduce the line.
- Costs: the rank of the rule priority (lower first). Channels of equal priority are
  filled in proportion to what they hold: each channel's capacity is cut in
  :data:`TIERS` equal slices, slice k costing k tier steps, so every channel of a priority
  reaches a tenth of its means before any reaches two tenths (where the rules let the
  lines move); within a slice the earlier column goes first. Rank step > any tier sum
  along a cycle > any column-order sum, so tiers never beat priorities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..channels.catalog import Catalog
from ..channels.display import channel_label, channel_labels
from ..plan import Line, Plan
from ..plurals import plural
from ..validate.revenue import available_by_channel
from .matching import PPM, Decisions, LineTexts, decide_all
from .problem import I64, Problem
from .rules import RuleSet

Mode = Literal["vuote", "tutto", "anno-scorso"]
MODES: tuple[str, ...] = ("vuote", "tutto", "anno-scorso")
MODE_LABELS = {"vuote": "solo righe vuote", "tutto": "tutto", "anno-scorso":
               "come l'anno scorso"}
_MAX_AMOUNT = 9 * 10**12  # cents: amount x parts-per-million must fit in int64
TIERS = 10
"""Slices of each channel's capacity: equal-priority channels are used in proportion to
their means, a tenth at a time."""


@dataclass
class Model:
    """The Problem of a plan and how its indices map back to lines, channels and rules."""

    plan: Plan
    mode: Mode
    channels: list[str]  # problem channel index -> code
    available: dict[str, int]  # code -> what the revenue table gives it
    lines: list[Line]  # problem line index -> Line
    problem: Problem
    decisions: Decisions  # (problem lines, channels)
    table_channels: dict[int, list[str]]  # table index -> channels its lines may use
    new_columns: dict[int, list[str]]  # table index -> channel columns to add
    kept: dict[int, dict[str, int]] = field(default_factory=dict)  # skipped line -> cells
    notes: list[str] = field(default_factory=list)  # Italian

    def no_channel_reason(self, i: int) -> str:
        """Why problem line ``i`` has no eligible channel (Italian)."""
        line = self.lines[i]
        cols = self.table_channels.get(line.table, [])
        if not cols:
            return "la sua tabella non ha colonne di canali riconosciute"
        idx = [self.channels.index(c) for c in cols]
        if not self.decisions.allowed[i, idx].any():
            names = channel_labels(self.plan)
            return ("le regole non ammettono nessuno dei canali della sua tabella ("
                    + ", ".join(channel_label(self.plan, c, labels=names) for c in cols) + ")")
        return "i canali ammessi hanno già la cella compilata"


def allocation_channels(plan: Plan) -> list[str]:
    """Known channel columns in order, then the revenue channels without a column."""
    out = [c for t in plan.tables for c in (cc.code for cc in t.channel_cols if cc.known)]
    out += [r.channel for r in plan.revenues if r.channel and r.kind == "item"]
    return list(dict.fromkeys(out))


def _table_channels(plan: Plan, channels: list[str]) -> tuple[dict[int, list[str]],
                                                                dict[int, list[str]]]:
    usable: dict[int, list[str]] = {}
    new: dict[int, list[str]] = {}
    for t in plan.tables:
        if t.channel_cols:
            usable[t.index] = [cc.code for cc in t.channel_cols if cc.known]
        else:
            usable[t.index] = new[t.index] = list(channels)
    return usable, new


def build_model(plan: Plan, rules: RuleSet, catalog: Catalog, mode: Mode = "vuote"
                ) -> Model:
    """The allocation Problem of ``plan`` in ``mode``."""
    if mode not in MODES:
        raise ValueError(f"modo «{mode}» sconosciuto: usare {', '.join(MODES)}")
    channels = allocation_channels(plan)
    index = {c: j for j, c in enumerate(channels)}
    available = available_by_channel(plan)
    usable, new = _table_channels(plan, channels)
    C = len(channels)
    table_mask = {t: np.isin(np.arange(C), [index[c] for c in cs])
                  for t, cs in usable.items()}  # table -> channels its lines may use
    capacity = np.array([available.get(c, 0) for c in channels], I64)

    scan = _scan(plan, channels, index, mode)
    for j, c in enumerate(channels):  # cells of skipped lines stay, and use their channels
        capacity[j] -= sum(cells.get(c, 0) for cells in scan.kept.values())

    lines = scan.lines
    n = len(lines)
    dem = np.array(scan.demand, I64)
    decisions = decide_all(rules, lines, channels, catalog, LineTexts.of(lines))
    ids, where = np.unique(np.array(scan.table, I64), return_inverse=True)
    by_table = np.array([table_mask.get(t, np.zeros(C, bool)) for t in ids.tolist()],
                        bool).reshape(len(ids), C)
    eligible = decisions.allowed & by_table[where.ravel()]
    pin_line = np.array(scan.pin_line, I64)
    pin_chan = np.array(scan.pin_chan, I64)
    pin_amount = np.array(scan.pin_amount, I64)
    if len(pin_line):  # a typed cell is pinned: no arc besides it
        eligible[pin_line, pin_chan] = False
    pins = np.zeros(n, I64)
    np.add.at(pins, pin_line, pin_amount)
    eligible[dem - pins <= 0] = False
    # arcs channel by channel (the decision arrays are column-major: reads stay in order)
    arc_chan, arc_line = np.nonzero(np.asfortranarray(eligible).T)
    arc_chan, arc_line = arc_chan.astype(I64, copy=False), arc_line.astype(I64, copy=False)
    amount = np.array(scan.amount, I64)
    previous = scan.previous
    flat = arc_chan * n + arc_line  # into the column-major decision arrays

    problem = Problem(demand=dem, capacity=capacity, arc_line=arc_line, arc_channel=arc_chan,
                      arc_cost=_costs(decisions, flat, arc_chan, C),
                      tiers=TIERS, tier_cost=_tier_cost(C),
                      **_bounds(decisions, flat, amount[arc_line]),
                      arc_target=_targets(previous, arc_line, arc_chan, dem) if previous
                      else None,
                      pin_line=pin_line if len(pin_line) else None,
                      pin_channel=pin_chan if len(pin_line) else None,
                      pin_amount=pin_amount if len(pin_line) else None)
    notes = scan.notes + [f"regole: {msg}" for msg in rules.issues]
    return Model(plan=plan, mode=mode, channels=channels, available=available, lines=lines,
                 problem=problem, decisions=decisions, table_channels=usable,
                 new_columns=new, kept=scan.kept, notes=notes)


def _tier_cost(C: int) -> int:
    """Cost of one more slice: above any column-order sum along a cycle."""
    return C * C + 1


def _costs(d: Decisions, flat: np.ndarray, arc_chan: np.ndarray, C: int) -> np.ndarray:
    """Rank of the priority times a step above any tier and column-order sum along a cycle,
    plus the channel index."""
    step = C * TIERS * _tier_cost(C) + 1
    return d.rank.ravel(order="F")[flat].astype(I64) * step + arc_chan


def _bounds(d: Decisions, flat: np.ndarray, base: np.ndarray) -> dict[str, np.ndarray | None]:
    """Minimum/maximum shares as cents of the line's amount (up for minimums, down for
    maximums, so a share is never exceeded). ``base``: the line's amount, per arc."""
    out: dict[str, np.ndarray | None] = {"arc_lower": None, "arc_upper": None}
    if d.min_ppm.any():
        lo = d.min_ppm.ravel(order="F")[flat]
        some = np.flatnonzero(lo)
        lower = np.zeros(len(base), I64)
        lower[some] = -((-base[some] * lo[some].astype(I64)) // PPM)
        out["arc_lower"] = lower
    if (d.max_ppm < PPM).any():
        hi = d.max_ppm.ravel(order="F")[flat]
        some = np.flatnonzero(hi < PPM)
        upper = base.copy()
        upper[some] = base[some] * hi[some].astype(I64) // PPM
        out["arc_upper"] = upper
    return out


def _targets(previous: dict[int, dict[int, int]], arc_line: np.ndarray,
             arc_chan: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Last year's shares applied to this year's amount (largest remainder, so they add up
    to the amount), on the arcs of lines that had a split; -1 elsewhere."""
    parts: dict[int, dict[int, int]] = {}
    for i, before in previous.items():
        total = sum(before.values())
        amount = int(demand[i])
        share = {j: amount * v // total for j, v in before.items()}
        rest = amount - sum(share.values())
        for j in sorted(before, key=lambda j: (-(amount * before[j] % total), j))[:rest]:
            share[j] += 1
        parts[i] = share
    lines = np.fromiter(parts, I64, len(parts))
    on = np.isin(arc_line, lines)
    target = np.full(len(arc_line), -1, I64)
    target[on] = [parts[i].get(j, 0) for i, j in zip(arc_line[on].tolist(),
                                                       arc_chan[on].tolist(), strict=True)]
    return target


@dataclass
class _Scan:
    """One pass over the plan's lines: who is allocated, with what demand and pins."""

    lines: list[Line] = field(default_factory=list)
    demand: list[int] = field(default_factory=list)  # cents to cover (pins included)
    amount: list[int] = field(default_factory=list)  # the line's amount (share base)
    table: list[int] = field(default_factory=list)
    pin_line: list[int] = field(default_factory=list)
    pin_chan: list[int] = field(default_factory=list)
    pin_amount: list[int] = field(default_factory=list)
    previous: dict[int, dict[int, int]] = field(default_factory=dict)  # anno-scorso
    kept: dict[int, dict[str, int]] = field(default_factory=dict)  # skipped line -> cells
    notes: list[str] = field(default_factory=list)


def _scan(plan: Plan, channels: list[str], index: dict[str, int], mode: Mode) -> _Scan:
    year = plan.plan_year
    out = _Scan()
    over = 0
    for ln in plan.lines:
        amount = ln.amounts.get(year) or 0
        cells = ln.channels
        if not cells or list(cells.values()).count(None) == len(cells):
            if 0 < amount <= _MAX_AMOUNT:  # nothing typed: the common case, kept cheap
                out.lines.append(ln)
                out.demand.append(amount)
                out.amount.append(amount)
                out.table.append(ln.table)
                continue
            known: dict[int, int] = {}
            foreign = 0
        else:
            known = {index[c]: v for c, v in cells.items() if v is not None and c in index}
            foreign = sum(v for c, v in cells.items() if v is not None and c not in index)
        if amount < 0 or amount > _MAX_AMOUNT or (known and min(known.values()) < 0):
            out.kept[ln.id] = {channels[j]: v for j, v in known.items()}
            out.notes.append(f"riga «{ln.voce}» ({ln.cell}): importo o celle negative, non "
                             "allocata (le sue celle restano come sono).")
            continue
        i = len(out.lines)
        if mode == "vuote":
            if amount == 0 and not known:
                continue
            pinned = sum(known.values())
            want = max(amount - foreign, pinned)
            over += amount - foreign < pinned
            for j, v in known.items():
                out.pin_line.append(i)
                out.pin_chan.append(j)
                out.pin_amount.append(v)
        else:
            want = max(amount - foreign, 0)
            if mode == "anno-scorso" and any(v > 0 for v in known.values()):
                out.previous[i] = {j: v for j, v in known.items() if v > 0}
        out.lines.append(ln)
        out.demand.append(want)
        out.amount.append(amount)
        out.table.append(ln.table)
    if over:
        out.notes.append(f"{plural(over, 'riga ha', 'righe hanno')} già celle dei canali "
                         "oltre l'importo della riga: lasciate come sono (la validazione le "
                         "segnala).")
    return out

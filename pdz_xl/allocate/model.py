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
- Costs: the rank of the rule priority (lower first), ties broken by channel order, with a
  rank step larger than any tie-break sum along a cycle, so ties never beat priorities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..channels.catalog import Catalog
from ..plan import Line, Plan
from ..validate.revenue import available_by_channel
from .matching import PPM, Decisions, LineTexts, decide_all
from .problem import I64, Problem
from .rules import RuleSet

Mode = Literal["vuote", "tutto", "anno-scorso"]
MODES: tuple[str, ...] = ("vuote", "tutto", "anno-scorso")
MODE_LABELS = {"vuote": "solo righe vuote", "tutto": "tutto", "anno-scorso":
               "come l'anno scorso"}
_MAX_AMOUNT = 9 * 10**12  # cents: amount x parts-per-million must fit in int64


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
            return ("le regole non ammettono nessuno dei canali della sua tabella ("
                    + ", ".join(cols) + ")")
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
    year = plan.plan_year
    channels = allocation_channels(plan)
    index = {c: j for j, c in enumerate(channels)}
    available = available_by_channel(plan)
    usable, new = _table_channels(plan, channels)
    C = len(channels)
    table_mask = {t: np.isin(np.arange(C), [index[c] for c in cs])
                  for t, cs in usable.items()}  # table -> channels its lines may use
    capacity = np.array([available.get(c, 0) for c in channels], I64)

    lines: list[Line] = []
    demand: list[int] = []
    pin_line: list[int] = []
    pin_chan: list[int] = []
    pin_amount: list[int] = []
    typed_rows: list[int] = []  # (problem line, channel) of typed cells (not free)
    typed_cols: list[int] = []
    previous: dict[int, dict[int, int]] = {}
    kept: dict[int, dict[str, int]] = {}
    notes: list[str] = []
    over = 0
    for ln in plan.lines:
        amount = ln.amount(year)
        known = {index[c]: v for c, v in ln.channels.items() if v is not None and c in index}
        foreign = sum(v for c, v in ln.channels.items() if v is not None and c not in index)
        if amount < 0 or any(v < 0 for v in known.values()) or abs(amount) > _MAX_AMOUNT:
            kept[ln.id] = {channels[j]: v for j, v in known.items()}
            notes.append(f"riga «{ln.voce}» ({ln.cell}): importo o celle negative, non "
                         "allocata (le sue celle restano come sono).")
            continue
        i = len(lines)
        if mode == "vuote":
            if amount == 0 and not known:
                continue
            pinned = sum(known.values())
            want = max(amount - foreign, pinned)
            if amount - foreign < pinned:
                over += 1
            for j, v in known.items():
                pin_line.append(i)
                pin_chan.append(j)
                pin_amount.append(v)
                typed_rows.append(i)
                typed_cols.append(j)
        else:
            want = max(amount - foreign, 0)
            if mode == "anno-scorso" and sum(v for v in known.values() if v > 0) > 0:
                previous[i] = {j: v for j, v in known.items() if v > 0}
        lines.append(ln)
        demand.append(want)
    if over:
        notes.append(f"{over} righe hanno già celle dei canali che superano il loro importo: "
                     "lasciate come sono (la validazione le segnala).")
    for c in channels:  # cells of skipped lines stay, and use their channels
        used = sum(cells.get(c, 0) for cells in kept.values())
        capacity[index[c]] -= used

    n = len(lines)
    dem = np.array(demand, I64)
    decisions = decide_all(rules, lines, channels, catalog, LineTexts.of(lines))
    ids, where = np.unique(np.array([ln.table for ln in lines], I64), return_inverse=True)
    by_table = np.array([table_mask.get(t, np.zeros(C, bool)) for t in ids.tolist()],
                        bool).reshape(len(ids), C)
    eligible = decisions.allowed & by_table[where.ravel()]
    if typed_rows:
        eligible[np.array(typed_rows), np.array(typed_cols)] = False
    pins = np.zeros(n, I64)
    if pin_line:
        np.add.at(pins, np.array(pin_line), np.array(pin_amount, I64))
    eligible[dem - pins <= 0] = False
    arc_line, arc_chan = np.nonzero(eligible)
    arc_line, arc_chan = arc_line.astype(I64), arc_chan.astype(I64)

    problem = Problem(demand=dem, capacity=capacity, arc_line=arc_line, arc_channel=arc_chan,
                      arc_cost=_costs(decisions, arc_line, arc_chan, C),
                      **_bounds(decisions, arc_line, arc_chan, lines, year),
                      arc_target=_targets(previous, arc_line, arc_chan, dem) if previous
                      else None,
                      pin_line=np.array(pin_line, I64) if pin_line else None,
                      pin_channel=np.array(pin_chan, I64) if pin_line else None,
                      pin_amount=np.array(pin_amount, I64) if pin_line else None)
    notes += [f"regole: {msg}" for msg in rules.issues]
    return Model(plan=plan, mode=mode, channels=channels, available=available, lines=lines,
                 problem=problem, decisions=decisions, table_channels=usable,
                 new_columns=new, kept=kept, notes=notes)


def _costs(d: Decisions, arc_line: np.ndarray, arc_chan: np.ndarray, C: int) -> np.ndarray:
    """Rank of the priority times a step above any tie-break sum, plus the channel index."""
    prio = d.priority[arc_line, arc_chan]
    _, rank = np.unique(prio, return_inverse=True)
    step = C * C + 1
    return rank.astype(I64).ravel() * step + arc_chan


def _bounds(d: Decisions, arc_line: np.ndarray, arc_chan: np.ndarray, lines: list[Line],
            year: int) -> dict[str, np.ndarray | None]:
    """Minimum/maximum shares as cents of the line's amount (up for minimums, down for
    maximums, so a share is never exceeded)."""
    lo = d.min_ppm[arc_line, arc_chan].astype(I64)
    hi = d.max_ppm[arc_line, arc_chan].astype(I64)
    out: dict[str, np.ndarray | None] = {"arc_lower": None, "arc_upper": None}
    if not (lo.any() or (hi < PPM).any()):
        return out
    amount = np.array([ln.amount(year) for ln in lines], I64)[arc_line]
    if lo.any():
        out["arc_lower"] = -((-amount * lo) // PPM)
    if (hi < PPM).any():
        out["arc_upper"] = np.where(hi < PPM, amount * hi // PPM, amount)
    return out


def _targets(previous: dict[int, dict[int, int]], arc_line: np.ndarray,
             arc_chan: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Last year's shares applied to this year's amount (largest remainder, so they add up
    to the amount), on the arcs of lines that had a split; -1 elsewhere."""
    target = np.full(len(arc_line), -1, I64)
    starts = np.searchsorted(arc_line, np.arange(len(demand) + 1))
    for i, before in previous.items():
        arcs = range(starts[i], starts[i + 1])
        if not len(arcs):
            continue
        total = sum(before.values())
        amount = int(demand[i])
        parts = {j: amount * v // total for j, v in before.items()}
        rest = amount - sum(parts.values())
        by_remainder = sorted(before, key=lambda j: (-(amount * before[j] % total), j))
        for j in by_remainder[:rest]:
            parts[j] += 1
        for a in arcs:
            target[a] = parts.get(int(arc_chan[a]), 0)
    return target

"""From a Plan and its rules to an exact allocation and the Changeset that writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..cells import col_letters, split_sheet_ref
from ..changeset import CellStyle, CellWrite, Changeset
from ..channels.catalog import Catalog, default_catalog
from ..errors import PdzError
from ..grid import WorkbookGrid
from ..money import EUR_FORMAT, format_eur, to_decimal
from ..plan import Line, Plan
from ..validate.balance import available_by_channel
from .rules import RULES_SHEET, RuleSet, inferred_rules, parse_rules, rules_sheet
from .solver import Problem, solve

Mode = Literal["vuote", "tutto", "anno-scorso"]
_MONEY = CellStyle(number_format=EUR_FORMAT)
_HEADER = CellStyle(bold=True)


class AllocationInfeasible(PdzError):
    """No allocation covers every line within the rules and the channels' means."""


@dataclass
class ChannelSummary:
    """Per channel: what it holds, what the lines get from it, what is left."""

    code: str
    disponibile: int
    allocato: int

    @property
    def residuo(self) -> int:
        return self.disponibile - self.allocato


@dataclass
class Allocation:
    """The result: cents per line per channel, and the per-channel summary."""

    amounts: dict[int, dict[str, int]] = field(default_factory=dict)  # line id -> code -> c
    channels: list[ChannelSummary] = field(default_factory=list)
    solver: str = ""
    lines_allocated: int = 0


def _channels(plan: Plan) -> list[str]:
    if plan.channel_codes:
        return list(plan.channel_codes)
    return list(dict.fromkeys(r.channel for r in plan.revenues
                              if r.channel and r.kind == "item"))


def _rules(grid: WorkbookGrid | None, plan: Plan, catalog: Catalog) -> tuple[RuleSet, bool]:
    sheet = grid.sheet(RULES_SHEET) if grid is not None else None
    if sheet is not None:
        return parse_rules(sheet, catalog), False
    return RuleSet(rules=inferred_rules(plan.lines, catalog)), True


def allocate(plan: Plan, rules: RuleSet, *, mode: Mode = "vuote", solver: str = "auto",
             catalog: Catalog | None = None) -> Allocation:
    """Allocate the plan year's lines; raise AllocationInfeasible (Italian) if impossible."""
    catalog = catalog or default_catalog()
    year = plan.plan_year
    channels = _channels(plan)
    index = {c: k for k, c in enumerate(channels)}
    available = available_by_channel(plan)
    capacity = np.array([available.get(c, 0) for c in channels], dtype=np.int64)
    todo: list[Line] = []
    for ln in plan.lines:
        amount = ln.amount(year)
        if amount <= 0:
            continue
        if mode == "vuote" and ln.has_split():
            for code, v in ln.channels.items():  # pinned: off the channel's means
                if code in index and v:
                    capacity[index[code]] -= v
            continue
        todo.append(ln)
    arc_line, arc_chan, arc_cost, arc_upper, lower = [], [], [], [], []
    for i, ln in enumerate(todo):
        allowed = list(ln.channels) if ln.channels else channels
        for code in allowed:
            if code not in index:
                continue
            d = rules.decide(ln, code, catalog)
            if not d.allowed:
                continue
            amount = ln.amount(year)
            upper = amount if d.max_share is None else int(amount * d.max_share / 100)
            low = 0 if d.min_share is None else -(-int(amount * d.min_share) // 100)
            cost = d.priority * 1000 + index[code]
            target = _target(ln, code, amount) if mode == "anno-scorso" else None
            if target is not None:
                # convex piecewise cost around last year's share: cheap up to it, dear after
                near = min(max(target - low, 0), upper - low)
                arc_line += [i, i]
                arc_chan += [index[code], index[code]]
                arc_cost += [cost - _STAY, cost + _STAY]
                arc_upper += [low + near, upper - low - near]
                lower += [low, 0]
                continue
            arc_line.append(i)
            arc_chan.append(index[code])
            arc_cost.append(cost)
            arc_upper.append(upper)
            lower.append(low)
    demand = np.array([ln.amount(year) for ln in todo], dtype=np.int64)
    al = np.array(arc_line, dtype=np.int64)
    ac = np.array(arc_chan, dtype=np.int64)
    low = np.array(lower, dtype=np.int64)
    if low.any():  # lower bounds: pre-assign them, solve the rest
        np.subtract.at(demand, al, low)
        np.subtract.at(capacity, ac, low)
    problem = Problem(demand=demand, capacity=np.maximum(capacity, 0), arc_line=al,
                      arc_channel=ac, arc_cost=np.array(arc_cost, dtype=np.int64),
                      arc_upper=np.array(arc_upper, dtype=np.int64) - low)
    result = solve(problem, solver)
    if not result.feasible or (capacity < 0).any():
        raise AllocationInfeasible(_explain(plan, todo, channels, result, capacity),
                                   file=plan.source)
    flow = result.flow + low
    out = Allocation(solver=result.solver, lines_allocated=len(todo))
    for a, f in enumerate(flow):
        if f:
            line_amounts = out.amounts.setdefault(todo[al[a]].id, {})
            line_amounts[channels[ac[a]]] = line_amounts.get(channels[ac[a]], 0) + int(f)
    used = {c: 0 for c in channels}
    for ln in plan.lines:
        source = out.amounts.get(ln.id) if ln.id in out.amounts else (
            {c: v or 0 for c, v in ln.channels.items()} if mode == "vuote" or
            ln.amount(year) <= 0 else {})
        for c, v in source.items():
            if c in used:
                used[c] += v
    out.channels = [ChannelSummary(c, available.get(c, 0), used[c]) for c in channels]
    return out


_STAY = 10**6  # per cent away from last year's share: dominates the preferences


def _target(ln: Line, code: str, amount: int) -> int:
    """Last year's share of ``code`` in this line, applied to this year's amount."""
    before = {c: v or 0 for c, v in ln.channels.items()}
    total = sum(before.values())
    if total <= 0:
        return 0
    return amount * before.get(code, 0) // total


def _explain(plan: Plan, todo: list[Line], channels: list[str], result, capacity) -> str:
    parts = []
    negative = [channels[k] for k in np.flatnonzero(capacity < 0)]
    if negative:
        parts.append("le celle già compilate superano quanto hanno i canali "
                     + ", ".join(negative))
    no_channel = [ln for i, ln in enumerate(todo) if result.uncovered.get(i) ==
                  ln.amount(plan.plan_year)]
    if result.uncovered:
        total = sum(result.uncovered.values())
        parts.append(f"mancano {format_eur(total)} per coprire {len(result.uncovered)} righe")
        sample = [todo[i] for i in list(result.uncovered)[:5]]
        parts.append("righe scoperte: " + "; ".join(
            f"«{ln.voce}» ({ln.cell}) per {format_eur(result.uncovered[todo.index(ln)])}"
            for ln in sample) + (" ..." if len(result.uncovered) > 5 else ""))
    if no_channel:
        parts.append(f"{len(no_channel)} righe non hanno nessun canale ammesso dalle regole "
                     f"o del tutto esaurito (prima: «{no_channel[0].voce}», {no_channel[0].cell})")
    if result.exhausted:
        parts.append("canali esauriti: " + ", ".join(channels[c] for c in result.exhausted)
                     + f"; servono almeno {format_eur(sum(result.uncovered.values()))} in più "
                       "su questi canali, o regole che ammettano altri canali")
    return "allocazione impossibile: " + "; ".join(parts) + ". Nulla è stato scritto."


def allocation_changeset(grid: WorkbookGrid | None, plan: Plan, *, mode: Mode = "vuote",
                         solver: str = "auto") -> tuple[Changeset, Plan, Allocation]:
    """The cells to write (and the rules sheet when missing), the updated Plan, and the
    allocation itself."""
    catalog = default_catalog()
    rules, inferred = _rules(grid, plan, catalog)
    result = allocate(plan, rules, mode=mode, solver=solver, catalog=catalog)
    cells: dict[str, list[CellWrite]] = {}
    new_columns = _new_columns(plan, result)
    updated = plan.model_copy(deep=True)
    for ln in updated.lines:
        got = result.amounts.get(ln.id)
        if ln.id not in result.amounts and not (mode != "vuote" and ln.amount(plan.plan_year)
                                                > 0):
            continue
        got = got or {}
        if not ln.channels:
            for code, col in new_columns.get(ln.table, {}).items():
                ln.channel_cells[code] = f"{ln.sheet}!{col_letters(col)}{ln.row}"
                ln.channels[code] = None
        for code, ref in ln.channel_cells.items():
            value = got.get(code)
            sheet, cell = split_sheet_ref(ref)
            if value is None and ln.channels.get(code) is None:
                continue
            cells.setdefault(sheet, []).append(CellWrite(
                cell=cell, value=to_decimal(value) if value is not None else None,
                style=_MONEY))
            ln.channels[code] = value
    for table in updated.tables:
        for code, col in new_columns.get(table.index, {}).items():
            header = _header_text(plan, code)
            cells.setdefault(table.sheet, []).append(
                CellWrite(cell=f"{col_letters(col)}{table.header_row}", value=header,
                          style=_HEADER))
    if new_columns:
        updated.channel_codes = _channels(plan)
    summary = [f"{s.code}: disponibile {format_eur(s.disponibile)}, allocato "
               f"{format_eur(s.allocato)}, residuo {format_eur(s.residuo)}"
               for s in result.channels]
    cs = Changeset(cells=cells, summary=[f"{result.lines_allocated} righe allocate "
                                         f"({result.solver})", *summary])
    if inferred and rules.rules:
        cs.sheets.append(rules_sheet(rules.rules))
    return cs, updated, result


def _new_columns(plan: Plan, result: Allocation) -> dict[int, dict[str, int]]:
    """Tables without channel columns get them to the right of their last used column."""
    out: dict[int, dict[str, int]] = {}
    channels = _channels(plan)
    for table in plan.tables:
        if table.channel_cols:
            continue
        last = max([table.label_col, *table.year_cols.values()])
        out[table.index] = {code: last + 1 + k for k, code in enumerate(channels)}
    return out


def _header_text(plan: Plan, code: str) -> str:
    """The header a new channel column gets: the revenue table's own label for it."""
    for r in plan.revenues:
        if r.channel == code and r.kind == "item":
            return r.label
    return code.replace("_", " ")


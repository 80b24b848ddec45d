"""From a Plan and its rules to an exact allocation and the Changeset that writes it.

``allocate`` returns an :class:`Allocation` (feasible or with its Italian
:class:`~.explain.Explanation`); ``allocation_changeset`` is what the doors call: it reads
the workbook's rules (or makes the defaults, and the sheet that states them), allocates,
and returns the Changeset, the Plan as it reads afterwards and the Allocation. When the
allocation is impossible it raises :class:`AllocationInfeasible` and nothing is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import PurePath

from ..changeset import Changeset
from ..channels.catalog import Catalog, default_catalog
from ..channels.workbook import extend_from_workbook
from ..errors import PdzError
from ..grid import WorkbookGrid
from ..money import format_eur
from ..plan import Plan
from .defaults import default_rules
from .explain import Explanation, explain
from .model import MODE_LABELS, Mode, Model, allocation_channels, build_model
from .refresh import refreshed_sums
from .rules import RULES_SHEET, RuleSet, parse_rules, rules_sheet
from .solver import solve
from .summary_sheet import ALLOCATION_SHEET, allocation_sheet
from .visible import column_widths, total_sums
from .writes import header_text, new_column_positions, plan_writes


class AllocationInfeasible(PdzError):
    """No allocation covers every line within the rules and the channels' means."""

    def __init__(self, explanation: Explanation, *, file: str | None = None) -> None:
        self.explanation = explanation
        super().__init__(explanation.message, file=file)


@dataclass
class ChannelSummary:
    """Per channel: what it holds, what the lines get from it, what is left."""

    code: str
    header: str
    disponibile: int
    allocato: int

    @property
    def residuo(self) -> int:
        return self.disponibile - self.allocato


@dataclass
class Allocation:
    """Cents per line per channel (the full split of every allocated line), the channel
    summary, or the explanation when there is no allocation."""

    feasible: bool
    mode: str
    solver: str
    amounts: dict[int, dict[str, int]] = field(default_factory=dict)  # line id -> code -> c
    channels: list[ChannelSummary] = field(default_factory=list)
    lines_allocated: int = 0
    explanation: Explanation | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    model: Model | None = None

    def summary_lines(self) -> list[str]:
        """Italian lines for the changeset summary and the terminal."""
        from ..plurals import plural
        from .solver import solver_label

        out = [f"{plural(self.lines_allocated, 'riga allocata', 'righe allocate')} (modo "
               f"«{MODE_LABELS[self.mode]}», {solver_label(self.solver)})"]
        out += [f"{s.header}: disponibile {format_eur(s.disponibile)}, allocato "
                f"{format_eur(s.allocato)}, residuo {format_eur(s.residuo)}"
                for s in self.channels]
        return out + self.notes


def workbook_catalog(grid: WorkbookGrid | None) -> Catalog:
    """The default catalog extended by the workbook's «Canali PDZ» sheet."""
    catalog = default_catalog()
    if grid is not None:
        extend_from_workbook(catalog, grid)
    return catalog


def workbook_rules(grid: WorkbookGrid | None, plan: Plan, catalog: Catalog
                   ) -> tuple[RuleSet, bool]:
    """The workbook's «Regole PDZ», or the defaults (then True: the sheet is to be written)."""
    sheet = grid.sheet(RULES_SHEET) if grid is not None else None
    if sheet is not None:
        return parse_rules(sheet, catalog), False
    rules = default_rules(plan, catalog, allocation_channels(plan))
    return RuleSet(rules=rules), True


def allocate(plan: Plan, rules: RuleSet | None = None, *, mode: Mode = "vuote",
             solver: str = "auto", catalog: Catalog | None = None,
             aggregate: bool = True) -> Allocation:
    """Allocate the plan year's lines (see :mod:`.model` for the modes)."""
    catalog = catalog or default_catalog()
    if rules is None:
        rules = RuleSet(rules=default_rules(plan, catalog, allocation_channels(plan)))
    t0 = time.perf_counter()
    model = build_model(plan, rules, catalog, mode)
    t1 = time.perf_counter()
    sol = solve(model.problem, solver, aggregate=aggregate)
    t2 = time.perf_counter()
    out = Allocation(feasible=sol.feasible, mode=mode, solver=sol.solver, notes=model.notes,
                     timings={"modello": t1 - t0, "soluzione": t2 - t1}, model=model)
    if not sol.feasible:
        assert sol.shortfall is not None
        out.explanation = explain(model, sol.shortfall)
        return out
    p = model.problem
    for i, j, v in zip(p.arc_line.tolist(), p.arc_channel.tolist(), sol.flow.tolist(),
                       strict=True):
        if v:
            cells = out.amounts.setdefault(model.lines[i].id, {})
            cells[model.channels[j]] = cells.get(model.channels[j], 0) + v
    if p.pin_line is not None:
        for i, j, v in zip(p.pin_line.tolist(), p.pin_channel.tolist(), p.pin_amount.tolist(),
                           strict=True):
            if v:
                cells = out.amounts.setdefault(model.lines[i].id, {})
                cells[model.channels[j]] = cells.get(model.channels[j], 0) + v
    pinned = p.pinned_by_line()
    out.lines_allocated = int(((p.demand - pinned) > 0).sum())
    used = {c: 0 for c in model.channels}
    for cells in [*out.amounts.values(), *model.kept.values()]:
        for code, v in cells.items():
            used[code] = used.get(code, 0) + v
    headers = channel_headers(plan, model.channels, catalog)
    out.channels = [ChannelSummary(code=c, header=headers[c],
                                   disponibile=model.available.get(c, 0), allocato=used[c])
                    for c in model.channels]
    return out


def channel_headers(plan: Plan, channels: list[str], catalog: Catalog) -> dict[str, str]:
    """How the workbook names each channel: its column header, else the header a new
    column gets."""
    out = {c: header_text(plan, c, catalog) for c in channels}
    for t in reversed(plan.tables):
        for cc in t.channel_cols:
            if cc.known and cc.code in out:
                out[cc.code] = cc.header
    return out


def allocation_changeset(grid: WorkbookGrid | None, plan: Plan, *, mode: Mode = "vuote",
                         solver: str = "auto", catalog: Catalog | None = None,
                         rules: RuleSet | None = None
                         ) -> tuple[Changeset, Plan, Allocation]:
    """The cells to write (and the «Regole PDZ» sheet when missing), the updated Plan and
    the Allocation; raises AllocationInfeasible (Italian, nothing to write) when there is
    no allocation."""
    catalog = catalog or workbook_catalog(grid)
    write_rules = False
    if rules is None:
        rules, write_rules = workbook_rules(grid, plan, catalog)
    result = allocate(plan, rules, mode=mode, solver=solver, catalog=catalog)
    if not result.feasible:
        assert result.explanation is not None
        raise AllocationInfeasible(result.explanation, file=plan.source)
    assert result.model is not None
    values, cells, updated = plan_writes(result.model, result.amounts, catalog, grid)
    if grid is not None:
        for sheet, writes in refreshed_sums(grid, values).items():
            cells.setdefault(sheet, []).extend(writes)
    added = new_column_positions(result.model, grid)
    sums, updated = total_sums(updated, grid, added)
    for sheet, writes in sums.items():
        cells.setdefault(sheet, []).extend(writes)
    cs = Changeset(cells=cells, column_widths=column_widths(updated, added, cells),
                   summary=result.summary_lines())
    if write_rules:
        headers = channel_headers(plan, result.model.channels, catalog)
        cs.sheets.append(rules_sheet(rules.rules, headers))
        cs.summary.append(f"scritto il foglio «{RULES_SHEET}» con le regole predefinite "
                          f"({len(rules.rules)} righe)")
    if cells or grid is None or grid.sheet(ALLOCATION_SHEET) is None:  # a second run of
        cs.sheets.append(allocation_sheet(updated, result.channels,  # the same writes none
                                          file_label=PurePath(plan.source).name))
    return cs, updated, result

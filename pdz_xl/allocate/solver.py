"""The allocation as a transportation problem in integer cents.

Lines (demand) send cents to channels (capacity) along eligible arcs with a cost (the
preference) and an optional upper bound (maximum share). Lower bounds and pinned cells
are taken off both sides before solving. Solved as a min-cost flow with OR-Tools when it
is installed (fast path, CLI), otherwise as a linear program with SciPy's HiGHS
(interior point + crossover gives a vertex, hence integers; also what runs in xlwings
Lite). Every result is verified exact; nothing is ever rounded silently.

When the lines cannot all be covered, the elastic problem (a very expensive "deficit"
arc from every line) says which lines stay uncovered, by how much, and which channels
they exhausted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BIG_COST = 10**9


class AllocationError(ValueError):
    """The solver's result is not exact (should never happen: it is checked)."""


@dataclass
class Problem:
    """Arrays of a transportation problem; all amounts in cents (int64)."""

    demand: np.ndarray  # per line
    capacity: np.ndarray  # per channel
    arc_line: np.ndarray  # per arc: line index
    arc_channel: np.ndarray  # per arc: channel index
    arc_cost: np.ndarray  # per arc: cost per cent
    arc_upper: np.ndarray | None = None  # per arc: max cents (None: unbounded)


@dataclass
class Solution:
    """Flow per arc, or the explanation of why there is none."""

    flow: np.ndarray
    feasible: bool
    uncovered: dict[int, int] = field(default_factory=dict)  # line -> cents not covered
    exhausted: list[int] = field(default_factory=list)  # channels used to the last cent
    solver: str = ""


def has_ortools() -> bool:
    """True when OR-Tools' min-cost flow is importable."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def solve(problem: Problem, solver: str = "auto") -> Solution:
    """Solve exactly; when infeasible, solve the elastic problem and explain."""
    use = solver
    if solver == "auto":
        use = "ortools" if has_ortools() else "highs"
    sol = _solve_mcf(problem, elastic=False) if use == "ortools" else _solve_lp(problem)
    if sol is None:
        sol = _solve_mcf(problem, elastic=True) if use == "ortools" else \
            _solve_lp(problem, elastic=True)
        sol.feasible = False
    sol.solver = use
    verify(problem, sol)
    return sol


def _upper(problem: Problem) -> np.ndarray:
    cap = problem.demand[problem.arc_line]
    if problem.arc_upper is not None:
        cap = np.minimum(cap, problem.arc_upper)
    return cap


def _solve_mcf(problem: Problem, elastic: bool) -> Solution | None:
    from ortools.graph.python import min_cost_flow

    n_lines, n_chan = len(problem.demand), len(problem.capacity)
    sink = n_lines + n_chan
    mcf = min_cost_flow.SimpleMinCostFlow()
    tails = [problem.arc_line.astype(np.int64),
             (n_lines + np.arange(n_chan)).astype(np.int64)]
    heads = [(n_lines + problem.arc_channel).astype(np.int64),
             np.full(n_chan, sink, dtype=np.int64)]
    caps = [_upper(problem).astype(np.int64), problem.capacity.astype(np.int64)]
    costs = [problem.arc_cost.astype(np.int64), np.zeros(n_chan, dtype=np.int64)]
    if elastic:
        tails.append(np.arange(n_lines, dtype=np.int64))
        heads.append(np.full(n_lines, sink, dtype=np.int64))
        caps.append(problem.demand.astype(np.int64))
        costs.append(np.full(n_lines, BIG_COST, dtype=np.int64))
    mcf.add_arcs_with_capacity_and_unit_cost(np.concatenate(tails), np.concatenate(heads),
                                             np.concatenate(caps), np.concatenate(costs))
    supplies = np.concatenate([problem.demand.astype(np.int64),
                               np.zeros(n_chan, dtype=np.int64),
                               [-int(problem.demand.sum())]])
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        return None
    n_arcs = len(problem.arc_line)
    flows = mcf.flows(np.arange(n_arcs + n_chan + (n_lines if elastic else 0)))
    sol = Solution(flow=np.asarray(flows[:n_arcs], dtype=np.int64), feasible=True)
    if elastic:
        deficit = np.asarray(flows[n_arcs + n_chan:], dtype=np.int64)
        _explain(problem, sol, deficit)
    return sol


def _solve_lp(problem: Problem, elastic: bool = False) -> Solution | None:
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n_lines, n_chan = len(problem.demand), len(problem.capacity)
    n_arcs = len(problem.arc_line)
    n_vars = n_arcs + (n_lines if elastic else 0)
    cost = problem.arc_cost.astype(float)
    rows_eq = problem.arc_line
    cols = np.arange(n_arcs)
    if elastic:
        cost = np.concatenate([cost, np.full(n_lines, float(BIG_COST))])
        rows_eq = np.concatenate([rows_eq, np.arange(n_lines)])
        cols = np.concatenate([cols, n_arcs + np.arange(n_lines)])
    a_eq = coo_matrix((np.ones(len(rows_eq)), (rows_eq, cols)), shape=(n_lines, n_vars))
    a_ub = coo_matrix((np.ones(n_arcs), (problem.arc_channel, np.arange(n_arcs))),
                      shape=(n_chan, n_vars))
    upper = _upper(problem).astype(float)
    if elastic:
        upper = np.concatenate([upper, problem.demand.astype(float)])
    res = linprog(cost, A_ub=a_ub.tocsr(), b_ub=problem.capacity.astype(float),
                  A_eq=a_eq.tocsr(), b_eq=problem.demand.astype(float),
                  bounds=np.column_stack([np.zeros(n_vars), upper]), method="highs-ipm")
    if res.status != 0:
        return None
    x = res.x
    rounded = np.rint(x)
    if np.max(np.abs(x - rounded), initial=0.0) > 1e-6:
        raise AllocationError("il risolutore ha restituito frazioni di centesimo: nessun "
                              "arrotondamento silenzioso, allocazione rifiutata.")
    sol = Solution(flow=rounded[:n_arcs].astype(np.int64), feasible=True)
    if elastic:
        _explain(problem, sol, rounded[n_arcs:].astype(np.int64))
    return sol


def _explain(problem: Problem, sol: Solution, deficit: np.ndarray) -> None:
    sol.uncovered = {int(i): int(d) for i, d in enumerate(deficit) if d > 0}
    used = np.bincount(problem.arc_channel, weights=sol.flow,
                       minlength=len(problem.capacity)).astype(np.int64)
    touched = set(problem.arc_channel[np.isin(problem.arc_line, list(sol.uncovered))].tolist())
    sol.exhausted = sorted(c for c in touched if used[c] >= problem.capacity[c])


def verify(problem: Problem, sol: Solution) -> None:
    """Check exactness: integers, bounds, capacities, and full coverage when feasible."""
    flow = sol.flow
    if flow.dtype.kind not in "iu" or (flow < 0).any():
        raise AllocationError("flussi non interi o negativi")
    if (flow > _upper(problem)).any():
        raise AllocationError("un arco supera il suo limite")
    used = np.bincount(problem.arc_channel, weights=flow, minlength=len(problem.capacity))
    if (used.astype(np.int64) > problem.capacity).any():
        raise AllocationError("un canale supera la sua disponibilità")
    covered = np.bincount(problem.arc_line, weights=flow,
                          minlength=len(problem.demand)).astype(np.int64)
    missing = problem.demand - covered
    if sol.feasible and missing.any():
        raise AllocationError("una riga non è coperta per intero")
    if not sol.feasible:
        expected = {i: int(m) for i, m in enumerate(missing) if m}
        if expected != sol.uncovered:
            raise AllocationError("la spiegazione non corrisponde alle righe scoperte")

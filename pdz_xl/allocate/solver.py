"""Solve an allocation Problem exactly, or explain why it has no solution.

``solve(problem, solver)`` picks OR-Tools' min-cost flow when it is importable (the fast
path: CLI, batch) and SciPy's HiGHS otherwise (what exists in xlwings Lite/Pyodide);
``solver`` forces one ("ortools", "highs", or a HiGHS method from
:data:`~.backends.LP_METHODS`). Every result goes through :func:`~.problem.verify`.

When there is no solution the elastic problem gives the :class:`~.problem.Shortfall`:
the smallest total that cannot be paid, which channels miss how much and which lines rely
on them, and which lines no eligible channel can pay.
"""

from __future__ import annotations

import time

import numpy as np

from .backends import LP_METHODS, NetFlow, has_ortools, solve_lp, solve_mcf
from .network import Network, Reduced, expand, reduce
from .problem import (
    I64,
    AllocationError,
    Problem,
    Shortfall,
    Solution,
    bincount_exact,
    verify,
)

__all__ = ["AllocationError", "Problem", "Shortfall", "Solution", "has_ortools",
           "resolve_solver", "solve", "solver_label", "verify"]


def resolve_solver(solver: str = "auto") -> str:
    """"auto" -> "ortools" when importable, else "highs"; other names are checked."""
    if solver == "auto":
        return "ortools" if has_ortools() else "highs"
    if solver != "ortools" and solver not in LP_METHODS:
        raise ValueError(f"risolutore «{solver}» sconosciuto: usare auto, ortools o highs")
    if solver == "ortools" and not has_ortools():
        raise ValueError("OR-Tools non è installato: usare --solver highs")
    return solver


def solver_label(name: str) -> str:
    """The solver in words a user reads: ``ortools`` -> «flusso di costo minimo
    (OR-Tools)», ``highs`` (or a HiGHS method) -> «programmazione lineare (HiGHS)»."""
    if name == "ortools":
        return "flusso di costo minimo (OR-Tools)"
    return "programmazione lineare (HiGHS)"


def _run(net: Network, name: str, elastic: bool) -> NetFlow | None:
    if name == "ortools":
        return solve_mcf(net, elastic=elastic)
    return solve_lp(net, elastic=elastic, method=name)


def solve(problem: Problem, solver: str = "auto", *, aggregate: bool = True) -> Solution:
    """The cheapest exact allocation, or the shortfall when there is none."""
    name = resolve_solver(solver)
    t0 = time.perf_counter()
    red = reduce(problem, aggregate=aggregate)
    t1 = time.perf_counter()
    result = _run(red.network, name, elastic=False) if red.clean else None
    t2 = time.perf_counter()
    if result is not None:
        flow = expand(problem, red, result.flow)
        objective = int((problem.cost() * flow).sum())
        sol = Solution(feasible=True, flow=flow, solver=name, objective=objective)
    else:
        shortfall = _shortfall(problem, red, name)
        sol = Solution(feasible=False, flow=np.zeros(problem.n_arcs, I64), solver=name,
                       shortfall=shortfall)
    t3 = time.perf_counter()
    sol.timings = {"riduzione": t1 - t0, "soluzione": t2 - t1, "ricostruzione": t3 - t2}
    verify(problem, sol)
    return sol


def _shortfall(problem: Problem, red: Reduced, name: str) -> Shortfall:
    """The elastic problem: the smallest shortfall and where it falls."""
    elastic = _run(red.network, name, elastic=True)
    assert elastic is not None
    net = red.network
    C = problem.n_channels
    short = elastic.overflow + np.maximum(-red.free_capacity, 0)
    # deficits of single-line nodes (classes always reach a channel: they overflow)
    deficit = np.zeros(problem.n_lines, I64)
    single = red.class_of_line < 0
    deficit[single] = elastic.deficit[red.node_of_line[single]]
    if red.n_classes and elastic.deficit[:red.n_classes].any():
        raise AllocationError("una classe di righe risulta scoperta nel problema elastico")
    excess = np.maximum(-red.residual, 0)
    n_arcs = np.bincount(problem.arc_line, minlength=problem.n_lines)
    no_arc = np.flatnonzero((n_arcs == 0) & (red.residual > 0))
    # which lines take from each short channel in the elastic solution (or are pinned on it)
    users: dict[int, list[int]] = {}
    short_channels = np.flatnonzero(short > 0)
    if len(short_channels):
        members = _node_members(red)
        on = (elastic.flow > 0) & np.isin(net.head, short_channels)
        for node, ch in zip(net.tail[on].tolist(), net.head[on].tolist(), strict=True):
            users.setdefault(ch, []).extend(members[node])
        if problem.pin_channel is not None:
            for ch in short_channels.tolist():
                users.setdefault(ch, []).extend(
                    problem.pin_line[problem.pin_channel == ch].tolist())
        users = {ch: sorted(set(lines)) for ch, lines in users.items()}
    total = int(short.sum() + deficit.sum())
    return Shortfall(
        total=total,
        channel_short={int(c): int(short[c]) for c in range(C) if short[c] > 0},
        channel_lines=users,
        line_uncovered={int(i): int(deficit[i]) for i in np.flatnonzero(deficit)},
        no_arc_lines=[int(i) for i in no_arc],
        line_excess={int(i): int(excess[i]) for i in np.flatnonzero(excess)},
        bad_arcs=[int(a) for a in red.bad_arcs],
    )


def _node_members(red: Reduced) -> list[list[int]]:
    """The lines of every network node."""
    out: list[list[int]] = [[] for _ in range(red.network.n_nodes)]
    for line, node in enumerate(red.node_of_line.tolist()):
        out[node].append(line)
    return out


def channel_totals(problem: Problem, flow: np.ndarray) -> np.ndarray:
    """Cents per channel of an allocation (pins included)."""
    return problem.pinned_by_channel() + bincount_exact(problem.arc_channel, flow,
                                                        problem.n_channels)

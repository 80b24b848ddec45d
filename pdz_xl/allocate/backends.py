"""Two real solvers for the plain network: OR-Tools min-cost flow and SciPy's HiGHS LP.

Both return integer flows or say the network is infeasible. The elastic variant adds, for
every channel, an overflow arc (the channel would need more) and, for every node, a
deficit arc (no eligible channel can take it), at costs (BIG, 2 BIG) that outweigh any
preference: its optimum is the smallest shortfall, blamed on a channel wherever one could
pay, and on the channel the preferences would have used (the smallest change that makes
the plan feasible and keeps to the rules' order).

Measured on this problem (benchmarks/bench_allocate.py, docs/benchmarks.md): min-cost flow
is the fastest by far. Among the HiGHS methods none wins everywhere: interior point with
crossover is best on small networks (after lines are merged, 1,000 nodes: 0.3 s against
0.6 s for dual simplex) and dual simplex on large ones (10,000 nodes with share bounds: 3 s
against 20 s); primal simplex is slowest. "highs" therefore picks interior point up to
:data:`IPM_MAX_NODES` nodes and dual simplex above. Crossover gives a vertex, hence
integer cents; interior point without crossover leaves fractional cents (refused).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .network import Network
from .problem import I64, AllocationError

IPM_MAX_NODES = 5_000

LP_METHODS = {
    "highs": ("", {}),  # by size: interior point + crossover, or dual simplex
    "highs-ipm": ("highs-ipm", {}),
    "highs-ds": ("highs-ds", {}),
    "highs-primal": ("highs-ds", {"simplex_strategy": 4}),
    "highs-default": ("highs", {}),
}
"""LP method names accepted by :func:`solve_lp` -> (linprog method, HiGHS options)."""

_INT64_SAFE = 2**62


@dataclass
class NetFlow:
    """Integer flows of a network, with the elastic slacks (zeros when not elastic)."""

    flow: np.ndarray  # per network arc
    overflow: np.ndarray  # per channel: cents beyond capacity
    deficit: np.ndarray  # per node: cents no arc takes


def has_ortools() -> bool:
    """True when OR-Tools' min-cost flow is importable (not in xlwings Lite/Pyodide)."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def _costs(net: Network, elastic: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """Arc costs, the cost of one cent of overflow per channel and of one cent of deficit
    (zeros when not elastic).

    Overflow costs more than any preference or tier can save (the shortfall is the least
    possible) and is cheapest on the channel with the most capacity, then the next: among
    the least shortfalls, the one put on the largest channels that can pay the lines
    left uncovered (an overflow moves to a larger channel whenever the lines can be
    shifted along); between channels of equal capacity the preferences decide."""
    n_channels = len(net.capacity)
    if not elastic:
        return net.cost, np.zeros(n_channels, I64), 0
    unit = int(net.base_cost.max(initial=0)) + (net.tiers - 1) * net.tier_cost + 1
    spread = 2 * unit
    big = 2 * (n_channels + 1) * (unit + n_channels * spread) + 1
    sizes = np.unique(-net.capacity)  # equal capacities share a position (then the
    position = np.searchsorted(sizes, -net.capacity).astype(I64)  # preferences decide)
    return net.base_cost, big + position * spread, 2 * big


def _tier_arcs(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(channel, capacity, cost) of every channel slice, channel by channel."""
    T = net.tiers
    caps = net.tier_caps()
    channel = np.repeat(np.arange(len(net.capacity), dtype=I64), T)
    cost = np.tile(np.arange(T, dtype=I64) * net.tier_cost, len(net.capacity))
    return channel, caps.ravel(), cost


def solve_mcf(net: Network, elastic: bool = False) -> NetFlow | None:
    """OR-Tools SimpleMinCostFlow; None when infeasible."""
    from ortools.graph.python import min_cost_flow

    n, C, M = net.n_nodes, len(net.capacity), len(net.tail)
    total = int(net.supply.sum())
    cost, overflow_cost, deficit_cost = _costs(net, elastic)
    top = max(int(cost.max(initial=0)) + (net.tiers - 1) * net.tier_cost, deficit_cost)
    if top * max(total, 1) > _INT64_SAFE:
        raise AllocationError("costi troppo grandi per il calcolo esatto in interi")
    sink = n + C
    tier_channel, tier_cap, tier_cost = _tier_arcs(net)
    tails = [net.tail, n + tier_channel]
    heads = [n + net.head, np.full(len(tier_channel), sink, I64)]
    caps = [net.cap, tier_cap]
    costs = [cost, tier_cost]
    if elastic:
        tails += [n + np.arange(C, dtype=I64), np.arange(n, dtype=I64)]
        heads += [np.full(C, sink, I64), np.full(n, sink, I64)]
        caps += [np.full(C, total, I64), net.supply]
        costs += [overflow_cost, np.full(n, deficit_cost, I64)]
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps),
        np.concatenate(costs))
    supplies = np.concatenate([net.supply, np.zeros(C, I64), [-total]])
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=I64), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        if status == mcf.INFEASIBLE and not elastic:
            return None
        raise AllocationError(f"il flusso di costo minimo non ha risolto (stato {status})")
    start = M + len(tier_channel)
    flows = np.asarray(mcf.flows(np.arange(start + (C + n if elastic else 0))), dtype=I64)
    if not elastic:
        return NetFlow(flows[:M], np.zeros(C, I64), np.zeros(n, I64))
    return NetFlow(flows[:M], flows[start:start + C], flows[start + C:])


def solve_lp(net: Network, elastic: bool = False, method: str = "highs") -> NetFlow | None:
    """The same network as a linear program for SciPy's HiGHS; None when infeasible.

    Node rows are equalities (supply), channel rows inequalities (capacity). The answer
    must be a vertex: every value within 1e-6 of an integer number of cents, else
    AllocationError (never a silent rounding)."""
    from scipy.optimize import OptimizeWarning, linprog
    from scipy.sparse import csr_array

    lp_method, options = LP_METHODS[method]
    n, C, M = net.n_nodes, len(net.capacity), len(net.tail)
    if not lp_method:
        lp_method = "highs-ipm" if n <= IPM_MAX_NODES else "highs-ds"
    T = len(net.capacity) * net.tiers if net.tiers > 1 else 0  # slice variables
    n_vars = M + T + ((C + n) if elastic else 0)
    if n_vars == 0:  # nothing to decide
        if net.supply.any():
            return None
        return NetFlow(np.zeros(0, I64), np.zeros(C, I64), np.zeros(n, I64))
    cols = np.arange(M)
    eq_rows, eq_cols = net.tail, cols
    ub_rows, ub_cols, ub_vals = net.head, cols, np.ones(M)
    upper = net.cap.astype(float)
    arc_cost, overflow_cost, deficit_cost = _costs(net, elastic)
    cost = arc_cost.astype(float)
    b_ub = net.capacity.astype(float)
    if T:  # a channel row: its arcs minus its slices (each bounded, costlier in turn) <= 0
        tier_channel, tier_cap, tier_cost = _tier_arcs(net)
        ub_rows = np.concatenate([ub_rows, tier_channel])
        ub_cols = np.concatenate([ub_cols, M + np.arange(T)])
        ub_vals = np.concatenate([ub_vals, -np.ones(T)])
        upper = np.concatenate([upper, tier_cap.astype(float)])
        cost = np.concatenate([cost, tier_cost.astype(float)])
        b_ub = np.zeros(C)
    if elastic:
        over, short = M + T + np.arange(C), M + T + C + np.arange(n)
        eq_rows, eq_cols = np.concatenate([eq_rows, np.arange(n)]), np.concatenate([cols,
                                                                                   short])
        ub_rows = np.concatenate([ub_rows, np.arange(C)])
        ub_cols = np.concatenate([ub_cols, over])
        ub_vals = np.concatenate([ub_vals, -np.ones(C)])
        upper = np.concatenate([upper, np.full(C, float(net.supply.sum())),
                                net.supply.astype(float)])
        cost = np.concatenate([cost, overflow_cost.astype(float),
                               np.full(n, float(deficit_cost))])
    a_eq = csr_array((np.ones(len(eq_rows)), (eq_rows, eq_cols)), shape=(n, n_vars))
    a_ub = csr_array((ub_vals, (ub_rows, ub_cols)), shape=(C, n_vars))
    bounds = np.column_stack([np.zeros(n_vars), upper])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)  # HiGHS options passed verbatim
        res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq,
                      b_eq=net.supply.astype(float), bounds=bounds, method=lp_method,
                      options=options)
    if res.status == 2 and not elastic:
        return None
    if res.status != 0 or res.x is None:
        raise AllocationError(f"HiGHS non ha risolto ({res.message})")
    x = np.asarray(res.x)
    whole = np.rint(x)
    if len(x) and float(np.max(np.abs(x - whole))) > 1e-6:
        raise AllocationError("HiGHS ha restituito frazioni di centesimo (soluzione non di "
                              "vertice): nessun arrotondamento silenzioso, risultato "
                              "rifiutato.")
    flows = whole.astype(I64)
    if not elastic:
        return NetFlow(flows[:M], np.zeros(C, I64), np.zeros(n, I64))
    return NetFlow(flows[:M], flows[M + T:M + T + C], flows[M + T + C:])

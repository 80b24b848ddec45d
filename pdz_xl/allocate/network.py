"""From a Problem to the plain network the solvers see, and back.

1. Pins and lower bounds come off both sides (line demand, channel capacity).
2. "Come l'anno scorso": an arc with a target becomes two parallel arcs, up to the target
   at its own cost and beyond it at a penalty that outweighs every preference (a convex
   piecewise-linear cost, so the flow fills the cheap arc first).
3. Lines whose arcs carry no bound and no target and that have the same channels at the
   same costs are interchangeable: they are merged into one node (the solver sees a few
   classes, not thousands of lines) and split back in a fixed order (north-west corner:
   lines by position, channels by index). The cost is the same for any such split, so the
   result stays optimal; the fixed order makes it deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .problem import I64, AllocationError, Problem, bincount_exact


@dataclass
class Network:
    """Source nodes (single lines or classes of lines) -> channels -> sink."""

    supply: np.ndarray  # per node, >= 0
    capacity: np.ndarray  # per channel, >= 0
    tail: np.ndarray  # per network arc: node
    head: np.ndarray  # per network arc: channel
    cap: np.ndarray  # per network arc
    cost: np.ndarray  # per network arc, >= 0
    base_cost: np.ndarray  # per network arc: the preference alone (no target penalty)
    tiers: int = 1  # each channel's capacity in equal slices, slice k costs k x tier_cost
    tier_cost: int = 0

    def tier_caps(self) -> np.ndarray:
        """(channels, tiers) cents of each slice of each channel's capacity (exact: the
        slices of a channel add up to its capacity)."""
        k = np.arange(self.tiers + 1, dtype=I64)
        edges = self.capacity[:, None] * k[None, :] // self.tiers
        return np.diff(edges, axis=1)

    @property
    def n_nodes(self) -> int:
        return len(self.supply)


@dataclass
class Reduced:
    """The network of a Problem plus what is needed to map flows back."""

    network: Network
    lower: np.ndarray  # per problem arc
    residual: np.ndarray  # per line: demand left after pins and lower bounds (may be < 0)
    free_capacity: np.ndarray  # per channel: capacity left (may be < 0)
    origin: np.ndarray  # per network arc: problem arc, or -1 for a class arc
    node_of_line: np.ndarray  # per line: its node
    class_of_line: np.ndarray  # per line: its class, or -1 when it is a node of its own
    n_classes: int = 0
    bad_arcs: np.ndarray = field(default_factory=lambda: np.zeros(0, I64))

    @property
    def clean(self) -> bool:
        """No line over-pinned, no channel over-committed, no lower bound above upper."""
        return not ((self.residual < 0).any() or (self.free_capacity < 0).any()
                    or len(self.bad_arcs))


def stay_penalty(problem: Problem) -> int:
    """Per cent beyond a target: more than any preference (or channel tier) can save along
    a cycle of the network (a cycle visits each channel at most once)."""
    top = int(problem.cost().max(initial=0)) + problem.tier_span()
    return problem.n_channels * top + 1


def arc_keys(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(channel x lines + line per arc, the order that sorts it). The model emits arcs
    channel by channel, line by line: then the order is the identity and no sort runs."""
    key = problem.arc_channel * problem.n_lines + problem.arc_line
    if len(key) < 2 or bool((np.diff(key) > 0).all()):
        return key, np.arange(len(key))
    return key, np.argsort(key, kind="stable")


def reduce(problem: Problem, aggregate: bool = True) -> Reduced:
    """Take pins and lower bounds off, expand targets, merge interchangeable lines."""
    L, C, A = problem.n_lines, problem.n_channels, problem.n_arcs
    lower = problem.lower()
    upper = problem.upper()
    bad = np.flatnonzero(lower > upper)
    span = np.maximum(upper - lower, 0)
    residual = (problem.demand - problem.pinned_by_line()
                - bincount_exact(problem.arc_line, lower, L))
    free = problem.capacity - problem.pinned_by_channel() - bincount_exact(
        problem.arc_channel, lower, C)
    demand = np.maximum(residual, 0)
    cost = problem.cost()
    target = problem.arc_target
    has_target = np.zeros(A, bool) if target is None else target >= 0

    # lines that can be merged: positive demand, arcs unbounded, no target, no repeat
    mergeable = demand > 0
    bounded = (span < demand[problem.arc_line]) | has_target
    mergeable[problem.arc_line[bounded]] = False
    key, order = arc_keys(problem)
    repeated = np.flatnonzero(np.diff(key[order]) == 0)
    mergeable[problem.arc_line[order[repeated]]] = False
    n_arcs_of = np.bincount(problem.arc_line, minlength=L)
    mergeable &= n_arcs_of > 0
    if not aggregate:
        mergeable[:] = False

    class_of_line = np.full(L, -1, I64)
    n_classes = 0
    merged_lines = np.flatnonzero(mergeable)
    if len(merged_lines):
        row = np.full(L, -1, I64)
        row[merged_lines] = np.arange(len(merged_lines))
        sig = np.full((len(merged_lines), C), -1, I64)
        on = mergeable[problem.arc_line]
        sig[row[problem.arc_line[on]], problem.arc_channel[on]] = cost[on]
        _, first, inverse = np.unique(np.ascontiguousarray(sig).view(
            np.dtype((np.void, sig.itemsize * C))).ravel(), return_index=True,
            return_inverse=True)
        # classes numbered by their first line, so the numbering does not depend on costs
        rank = np.empty(len(first), I64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(first))
        class_of_line[merged_lines] = rank[inverse.ravel()]
        n_classes = len(first)

    single = np.flatnonzero(class_of_line < 0)
    node_of_line = np.empty(L, I64)
    node_of_line[single] = n_classes + np.arange(len(single))
    node_of_line[merged_lines] = class_of_line[merged_lines]
    supply = np.zeros(n_classes + len(single), I64)
    supply[n_classes:] = demand[single]
    if n_classes:
        supply[:n_classes] = bincount_exact(class_of_line[merged_lines],
                                            demand[merged_lines], n_classes)

    # class arcs: one per (class, channel), from each class's first line
    tails, heads, caps, costs, bases, origins = [], [], [], [], [], []
    if n_classes:
        first_line = np.full(n_classes, L, I64)
        np.minimum.at(first_line, class_of_line[merged_lines], merged_lines)
        is_first = np.zeros(L, bool)
        is_first[first_line] = True
        sel = np.flatnonzero(is_first[problem.arc_line])
        cls = class_of_line[problem.arc_line[sel]]
        tails.append(cls)
        heads.append(problem.arc_channel[sel])
        caps.append(supply[cls])
        costs.append(cost[sel])
        bases.append(cost[sel])
        origins.append(np.full(len(sel), -1, I64))
    # single lines: their arcs as they are, a target arc split in two
    sel = np.flatnonzero(class_of_line[problem.arc_line] < 0)
    plain = sel[~has_target[sel]]
    tails.append(node_of_line[problem.arc_line[plain]])
    heads.append(problem.arc_channel[plain])
    caps.append(span[plain])
    costs.append(cost[plain])
    bases.append(cost[plain])
    origins.append(plain)
    aimed = sel[has_target[sel]]
    if len(aimed):
        near = np.clip(target[aimed] - lower[aimed], 0, span[aimed])
        stay = stay_penalty(problem)
        for part_cap, extra in ((near, 0), (span[aimed] - near, 2 * stay)):
            tails.append(node_of_line[problem.arc_line[aimed]])
            heads.append(problem.arc_channel[aimed])
            caps.append(part_cap)
            costs.append(cost[aimed] + extra)
            bases.append(cost[aimed])
            origins.append(aimed)
    network = Network(supply=supply, capacity=np.maximum(free, 0),
                      tail=np.concatenate(tails).astype(I64),
                      head=np.concatenate(heads).astype(I64),
                      cap=np.concatenate(caps).astype(I64),
                      cost=np.concatenate(costs).astype(I64),
                      base_cost=np.concatenate(bases).astype(I64),
                      tiers=problem.tiers, tier_cost=problem.tier_cost)
    return Reduced(network=network, lower=lower, residual=residual, free_capacity=free,
                   origin=np.concatenate(origins).astype(I64), node_of_line=node_of_line,
                   class_of_line=class_of_line, n_classes=n_classes, bad_arcs=bad)


def expand(problem: Problem, red: Reduced, net_flow: np.ndarray) -> np.ndarray:
    """Per-arc cents of the Problem (lower bounds added back) from the network flow."""
    flow = red.lower.copy()
    single = red.origin >= 0
    flow += bincount_exact(red.origin[single], net_flow[single], problem.n_arcs)
    if red.n_classes:
        flow += _split_classes(problem, red, net_flow[~single])
    return flow


def _split_classes(problem: Problem, red: Reduced, class_flow: np.ndarray) -> np.ndarray:
    """North-west corner split of each class's channel flows over its lines."""
    C, K = problem.n_channels, red.n_classes
    net = red.network
    is_class_arc = red.origin < 0
    per = np.zeros((K, C), I64)
    np.add.at(per, (net.tail[is_class_arc], net.head[is_class_arc]), class_flow)
    lines = np.flatnonzero(red.class_of_line >= 0)
    lines = lines[np.lexsort((lines, red.class_of_line[lines]))]
    demand = red.residual[lines]
    line_end = np.cumsum(demand)
    chan_end = np.cumsum(per.ravel())
    if line_end[-1] != chan_end[-1]:
        raise AllocationError("flusso delle classi diverso dalla loro domanda")
    cuts = np.union1d(line_end, chan_end)
    cuts = cuts[cuts > 0]
    piece = np.diff(np.concatenate([[0], cuts]))
    line = lines[np.searchsorted(line_end, cuts, side="left")]
    channel = np.searchsorted(chan_end, cuts, side="left") % C
    key, order = arc_keys(problem)
    want = channel * problem.n_lines + line
    arc = order[np.searchsorted(key[order], want)]
    if (key[arc] != want).any():
        raise AllocationError("ripartizione di una classe su un arco inesistente")
    return bincount_exact(arc, piece, problem.n_arcs)

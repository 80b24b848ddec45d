"""The transportation solver: exact to the cent, pins/bounds/targets honoured, both solvers
agree, infeasibility explained with the true minimum shortfall."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from pdz_xl.allocate.problem import AllocationError, Problem, Solution, line_sums, verify
from pdz_xl.allocate.solver import channel_totals, resolve_solver, solve

SOLVERS = ["ortools", "highs"]


def _problem(demand, capacity, arcs, **kw):
    al = [a[0] for a in arcs]
    ac = [a[1] for a in arcs]
    return Problem(np.array(demand), np.array(capacity), np.array(al, dtype=np.int64),
                   np.array(ac, dtype=np.int64), **kw)


def _cells(problem, sol):
    out = {}
    for i, c, f in zip(problem.arc_line.tolist(), problem.arc_channel.tolist(),
                       sol.flow.tolist(), strict=True):
        if f:
            out[(i, c)] = out.get((i, c), 0) + f
    return out


@pytest.mark.parametrize("solver", SOLVERS)
def test_preferences_decide_who_pays(solver):
    # line 0 may use channels 0 and 1, line 1 only channel 1; channel 0 is cheaper
    p = _problem([100, 50], [100, 100], [(0, 0), (0, 1), (1, 1)], arc_cost=[1, 5, 5])
    sol = solve(p, solver)
    assert sol.feasible and _cells(p, sol) == {(0, 0): 100, (1, 1): 50}


@pytest.mark.parametrize("solver", SOLVERS)
def test_pins_come_off_both_sides(solver):
    # 30 of line 0 pinned on channel 1: line 0 needs 70 more, channel 1 has 20 left
    p = _problem([100, 20], [80, 50], [(0, 0), (0, 1), (1, 1)], arc_cost=[0, 0, 0],
                 pin_line=[0], pin_channel=[1], pin_amount=[30])
    sol = solve(p, solver)
    assert sol.feasible
    assert _cells(p, sol) == {(0, 0): 70, (1, 1): 20}
    assert channel_totals(p, sol.flow).tolist() == [70, 50]
    assert line_sums(p, sol.flow).tolist() == [100, 20]


@pytest.mark.parametrize("solver", SOLVERS)
def test_share_bounds_are_arc_bounds(solver):
    # channel 0 is preferred but may pay at most 60, channel 1 must pay at least 25
    p = _problem([100], [1000, 1000], [(0, 0), (0, 1)], arc_cost=[0, 9],
                 arc_upper=[60, 100], arc_lower=[0, 25])
    assert _cells(p, solve(p, solver)) == {(0, 0): 60, (0, 1): 40}
    p = _problem([100], [1000, 1000], [(0, 0), (0, 1)], arc_cost=[0, 9],
                 arc_upper=[90, 100], arc_lower=[0, 25])
    assert _cells(p, solve(p, solver)) == {(0, 0): 75, (0, 1): 25}


@pytest.mark.parametrize("solver", SOLVERS)
def test_like_last_year_beats_preferences(solver):
    # last year 30/70; channel 1 is now "preferred" but staying close wins
    p = _problem([100], [1000, 1000], [(0, 0), (0, 1)], arc_cost=[50, 0],
                 arc_target=[30, 70])
    assert _cells(p, solve(p, solver)) == {(0, 0): 30, (0, 1): 70}
    # channel 1 cut to 60: the 10 that cannot stay goes to the other channel
    p = _problem([100], [1000, 60], [(0, 0), (0, 1)], arc_cost=[50, 0],
                 arc_target=[30, 70])
    assert _cells(p, solve(p, solver)) == {(0, 0): 40, (0, 1): 60}


@pytest.mark.parametrize("solver", SOLVERS)
def test_lines_without_channel_and_short_channels_are_explained(solver):
    # line 2 has no eligible channel; channel 0 (only one for lines 0, 1) is short by 30
    p = _problem([50, 40, 7], [60, 500], [(0, 0), (1, 0)])
    sol = solve(p, solver)
    assert not sol.feasible and not sol.flow.any()
    s = sol.shortfall
    assert s.total == 37
    assert s.channel_short == {0: 30}
    assert s.channel_lines[0] == [0, 1]
    assert s.no_arc_lines == [2] and s.line_uncovered == {2: 7}


@pytest.mark.parametrize("solver", SOLVERS)
def test_pins_beyond_capacity_and_minimums_beyond_the_line(solver):
    p = _problem([100, 10], [20, 100], [(0, 1), (1, 0)], pin_line=[0], pin_channel=[0],
                 pin_amount=[30])
    s = solve(p, solver).shortfall
    assert s.channel_short == {0: 20} and s.channel_lines[0] == [0, 1] and s.total == 20
    p = _problem([100], [100, 100], [(0, 0), (0, 1)], arc_lower=[60, 60])
    s = solve(p, solver).shortfall
    assert s.line_excess == {0: 20}


def test_unknown_solver_and_bad_input_are_refused():
    with pytest.raises(ValueError):
        resolve_solver("cplex")
    with pytest.raises(ValueError):
        _problem([10], [10], [(0, 0)], arc_cost=[-1])
    with pytest.raises(ValueError):
        Problem(np.array([1.5]), np.array([2]), np.array([0]), np.array([0]))
    with pytest.raises(ValueError):
        _problem([10], [10], [(0, 3)])


def test_verify_rejects_inexact_results():
    p = _problem([100], [100], [(0, 0)])
    sol = solve(p, "ortools")
    verify(p, sol)
    for bad in (np.array([99]), np.array([101]), np.array([100.0])):
        with pytest.raises(AllocationError):
            verify(p, Solution(feasible=True, flow=bad))
    with pytest.raises(AllocationError):  # over a channel
        verify(_problem([100], [90], [(0, 0)]), Solution(True, np.array([100])))


def test_interior_point_without_crossover_is_refused_not_rounded():
    from pdz_xl.allocate import backends

    backends.LP_METHODS["test-nocross"] = ("highs-ipm", {"run_crossover": "off"})
    try:
        rng = np.random.default_rng(3)
        L, C = 300, 6
        demand = rng.integers(100, 10**6, L)
        arcs = [(i, c) for i in range(L) for c in range(C)]
        p = _problem(demand, np.full(C, demand.sum() // C + 10), arcs,
                     arc_cost=np.zeros(L * C, np.int64))
        with pytest.raises(AllocationError, match="frazioni di centesimo"):
            solve(p, "test-nocross", aggregate=False)
    finally:
        del backends.LP_METHODS["test-nocross"]


# ------------------------------------------------------------------ properties
@st.composite
def feasible_problems(draw):
    """Random lines and channels; capacities from a known split plus slack; random pins,
    shares and targets consistent with that split."""
    L = draw(st.integers(1, 14))
    C = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    demand = rng.integers(0, 10**9, L)
    elig = rng.random((L, C)) < draw(st.floats(0.2, 1.0))
    elig[np.arange(L), rng.integers(0, C, L)] = True
    w = rng.random((L, C)) * elig
    split = np.floor(w / w.sum(1, keepdims=True) * demand[:, None]).astype(np.int64)
    split[np.arange(L), np.argmax(elig, 1)] += demand - split.sum(1)
    cap = split.sum(0) + rng.integers(0, 3, C) * rng.integers(0, 10**6, C)
    al, ac = np.nonzero(elig)
    kw = {"arc_cost": rng.integers(0, 5, len(al))}
    known = split[al, ac]
    if draw(st.booleans()):
        kw["arc_lower"] = (known * rng.random(len(al)) * 0.5).astype(np.int64)
        kw["arc_upper"] = known + (rng.random(len(al)) < 0.5) * 10**9
    if draw(st.booleans()):
        kw["arc_target"] = np.where(rng.random(len(al)) < 0.7, known, -1)
    if draw(st.booleans()) and len(al):
        pick = rng.random(len(al)) < 0.3
        # pins: part of the known split, on pairs that then carry no arc bounds
        kw["pin_line"], kw["pin_channel"] = al[pick], ac[pick]
        kw["pin_amount"] = known[pick] // 2
        for name in ("arc_lower", "arc_upper", "arc_target"):
            if name in kw:
                kw[name] = np.where(pick, {"arc_lower": 0, "arc_upper": 10**12,
                                           "arc_target": -1}[name], kw[name])
    return Problem(demand, cap, al, ac, **kw)


@settings(max_examples=120, deadline=None)
@given(feasible_problems(), st.booleans())
def test_random_feasible_problems_allocate_exactly_with_both_solvers(problem, aggregate):
    results = [solve(problem, s, aggregate=aggregate) for s in SOLVERS]
    for sol in results:  # verify() ran inside; check again, independently
        assert sol.feasible and sol.flow.dtype == np.int64
        assert (line_sums(problem, sol.flow) == problem.demand).all()
        assert (channel_totals(problem, sol.flow) <= problem.capacity).all()
        assert (sol.flow >= problem.lower()).all() and (sol.flow <= problem.upper()).all()
    if problem.arc_target is None:  # same optimum (targets add a penalty layer)
        assert results[0].objective == results[1].objective
    again = solve(problem, SOLVERS[0], aggregate=aggregate)
    assert (again.flow == results[0].flow).all()  # deterministic


def _max_flow(problem: Problem) -> int:
    """Independent oracle: the most the channels can pay (scipy's max-flow)."""
    L, C = problem.n_lines, problem.n_channels
    s, t = L + C, L + C + 1
    rows = np.concatenate([np.full(L, s), problem.arc_line, L + np.arange(C)])
    cols = np.concatenate([np.arange(L), L + problem.arc_channel, np.full(C, t)])
    caps = np.concatenate([problem.demand, problem.upper(), problem.capacity])
    graph = csr_array((caps.astype(np.int64), (rows, cols)), shape=(t + 1, t + 1))
    graph.sum_duplicates()
    return int(maximum_flow(graph.astype(np.int64), s, t).flow_value)


@st.composite
def short_problems(draw):
    L = draw(st.integers(1, 12))
    C = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    demand = rng.integers(1, 10**7, L)
    elig = rng.random((L, C)) < 0.5
    al, ac = np.nonzero(elig)
    total = int(demand.sum())
    cap = rng.integers(0, max(total // C, 1), C)  # at most the total: usually short
    upper = None
    if draw(st.booleans()) and len(al):
        upper = rng.integers(0, 10**7, len(al))
    return Problem(demand, cap, al, ac, arc_cost=rng.integers(0, 9, len(al)),
                   arc_upper=upper)


@settings(max_examples=120, deadline=None)
@given(short_problems(), st.sampled_from(SOLVERS))
def test_random_infeasible_problems_are_explained_with_the_least_shortfall(problem, solver):
    sol = solve(problem, solver)
    missing = int(problem.demand.sum()) - _max_flow(problem)
    if missing == 0:
        assert sol.feasible
        return
    assert not sol.feasible and not sol.flow.any()
    s = sol.shortfall
    assert s.total == missing == sum(s.channel_short.values()) + sum(
        s.line_uncovered.values())
    for line in s.no_arc_lines:  # a line with no arc is uncovered entirely
        assert s.line_uncovered[line] == problem.demand[line]
    for ch, lines in s.channel_lines.items():
        assert ch in s.channel_short and lines
        assert set(lines) <= set(problem.arc_line[problem.arc_channel == ch].tolist())


def test_aggregation_is_exact_and_fast_on_many_alike_lines():
    rng = np.random.default_rng(5)
    L, C = 20_000, 8
    demand = rng.integers(1, 10**8, L)
    group = rng.integers(0, 12, L)
    elig = rng.random((12, C)) < 0.6
    elig[:, 0] = True
    cost = rng.integers(0, 4, (12, C))
    al, ac = np.nonzero(elig[group])
    cap = np.full(C, demand.sum() // C + 10**8)
    p = Problem(demand, cap, al, ac, arc_cost=cost[group[al], ac])
    merged = solve(p, "highs")
    plain = solve(p, "ortools", aggregate=False)
    assert merged.objective == plain.objective
    assert merged.timings["soluzione"] < 1.0

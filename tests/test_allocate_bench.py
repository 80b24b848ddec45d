"""The benchmark's generated plan (small): every path reaches the same exact optimum."""

from benchmarks.bench_allocate import naive_highs, synthetic
from pdz_xl.allocate.model import build_model
from pdz_xl.allocate.network import reduce
from pdz_xl.allocate.problem import line_sums
from pdz_xl.allocate.solver import channel_totals, solve


def test_generated_plan_solves_the_same_on_every_path():
    plan, rules, catalog = synthetic(3000, 12)
    problem = build_model(plan, rules, catalog, "vuote").problem
    assert reduce(problem).network.n_nodes < problem.n_lines  # lines were merged
    sols = [solve(problem, "ortools"), solve(problem, "highs"),
            solve(problem, "ortools", aggregate=False)]
    assert len({s.objective for s in sols}) == 1
    for s in sols:
        assert (line_sums(problem, s.flow) == problem.demand).all()
        assert (channel_totals(problem, s.flow) <= problem.capacity).all()
    _secs, fun = naive_highs(problem)
    assert abs(fun - sols[0].objective) <= 1e-6 * sols[0].objective

"""Allocation at scale: model build and solve timed separately, next to HiGHS's default
LP solve of the same instance (the naive path).

Run: ``.venv/bin/python benchmarks/bench_allocate.py [--runs R] [--big]``
(``--big`` adds 100,000 lines x 30 channels).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdz_xl.allocate.solver import Problem, solve


def instance(lines: int, channels: int, per_line: int = 5, seed: int = 1):
    """Random eligible arcs; capacities from a known feasible split plus slack."""
    rng = np.random.default_rng(seed)
    demand = rng.integers(1_000, 10_000_000, lines).astype(np.int64)
    t0 = time.perf_counter()
    arc_line = np.repeat(np.arange(lines), per_line)
    arc_chan = np.argsort(rng.random((lines, channels)), axis=1)[:, :per_line].ravel()
    cost = rng.integers(1, 100, lines * per_line).astype(np.int64)
    capacity = np.bincount(arc_chan[::per_line], weights=demand,
                           minlength=channels).astype(np.int64) + 1_000
    problem = Problem(demand, capacity, arc_line, arc_chan, cost)
    return problem, time.perf_counter() - t0


def naive_highs(problem: Problem) -> float:
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n_arcs = len(problem.arc_line)
    a_eq = coo_matrix((np.ones(n_arcs), (problem.arc_line, np.arange(n_arcs))),
                      shape=(len(problem.demand), n_arcs)).tocsr()
    a_ub = coo_matrix((np.ones(n_arcs), (problem.arc_channel, np.arange(n_arcs))),
                      shape=(len(problem.capacity), n_arcs)).tocsr()
    t0 = time.perf_counter()
    linprog(problem.arc_cost.astype(float), A_ub=a_ub, b_ub=problem.capacity.astype(float),
            A_eq=a_eq, b_eq=problem.demand.astype(float), bounds=(0, None), method="highs")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big", action="store_true")
    args = ap.parse_args()
    sizes = [(10_000, 20)] + ([(100_000, 30)] if args.big else [])
    print(f"{'istanza':<16}{'metodo':<26}{'modello':>10}{'soluzione':>12}{'totale':>10}")
    for lines, channels in sizes:
        for method in ("ortools", "highs"):
            builds, solves = [], []
            for r in range(args.runs):
                problem, build = instance(lines, channels, seed=r)
                t0 = time.perf_counter()
                sol = solve(problem, method)
                solves.append(time.perf_counter() - t0)
                builds.append(build)
                assert sol.feasible
            b, s = statistics.median(builds), statistics.median(solves)
            print(f"{lines}x{channels:<10}{method + ' (pdz-xl)':<26}{b:>9.3f}s{s:>11.3f}s"
                  f"{b + s:>9.3f}s")
        naive = statistics.median(naive_highs(instance(lines, channels, seed=r)[0])
                                  for r in range(min(args.runs, 3)))
        print(f"{lines}x{channels:<10}{'HiGHS linprog default':<26}{'':>10}{naive:>11.3f}s")


if __name__ == "__main__":
    main()

"""Allocation at scale: model build and solve timed separately, next to HiGHS's default LP
solve of the same instance (the naive path).

The instance is a Plan as layout detection gives it: L lines in 10 areas x 20 azioni, each
area a table with all C channel columns (empty: mode «vuote»), a revenue table whose
channels hold a known feasible split plus a little slack, and a «Regole PDZ» with a third
of the channels restricted to a few azioni, a priority per channel and area, a maximum
share on one area and an exclusion by voce. «model» is :func:`build_model` (rules matched
for every line and channel, arcs, bounds, costs); «solve» is :func:`solve` (reduction,
solver, expansion, exactness check). The naive path is one ``linprog`` with HiGHS's
defaults on the plain LP of the same arcs (a variable per arc, a row per line and per
channel).

Run: ``.venv/bin/python benchmarks/bench_allocate.py [--runs 5] [--sizes 10000x20,100000x30]
[--naive-runs 1] [--metodi]`` (``--metodi``: the HiGHS methods on the unmerged network of
the first size, how the LP method was chosen; primal simplex takes minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdz_xl.allocate.model import build_model
from pdz_xl.allocate.network import reduce
from pdz_xl.allocate.problem import Problem
from pdz_xl.allocate.rules import Rule, RuleSet
from pdz_xl.allocate.solver import solve
from pdz_xl.cells import col_letters
from pdz_xl.channels.catalog import Catalog, ChannelInfo
from pdz_xl.plan import ChannelColumn, Group, Line, Plan, RevenueItem, Table, construct

YEAR = 2021
AREAS, AZIONI = 10, 20


def synthetic(lines: int, channels: int, seed: int = 1, slack: int = 0
              ) -> tuple[Plan, RuleSet, Catalog]:
    """A plan, its rules and its catalog (see the module docstring)."""
    rng = np.random.default_rng(seed)
    codes = [f"CH{j:02d}" for j in range(channels)]
    restricted = set(codes[channels - channels // 3:])
    catalog = Catalog([ChannelInfo(code=c, name=f"Canale {c}", restricted=c in restricted)
                       for c in codes])
    area = rng.integers(0, AREAS, lines)
    azione = rng.integers(0, AZIONI, lines)
    order = np.lexsort((azione, area))
    area, azione = area[order], azione[order]
    amount = rng.integers(1_000, 5_000_000, lines)
    rules: list[Rule] = []
    allowed = np.zeros((lines, channels), bool)
    allowed[:, :channels - len(restricted)] = True
    for j, code in enumerate(codes):
        if code in restricted:
            for _ in range(3):
                a, z = int(rng.integers(0, AREAS)), int(rng.integers(0, AZIONI))
                rules.append(Rule(channel=code, group=f"*AREA {a}", azione=f"Azione {z}:*",
                                  priority=10))
                allowed[(area == a) & (azione == z), j] = True
        else:
            for a in range(AREAS):
                rules.append(Rule(channel=code, group=f"AREA {a}",
                                  priority=int(rng.integers(20, 60))))
    rules.insert(0, Rule(channel=codes[0], group="AREA 0", max_share=Decimal(50)))
    rules.insert(0, Rule(channel=codes[1], voce="*consulenz*", allowed=False))
    # a known feasible split: random shares over the allowed channels
    w = rng.random((lines, channels)) * allowed
    share = np.floor(w / w.sum(1, keepdims=True) * amount[:, None]).astype(np.int64)
    first = np.argmax(allowed, 1)
    share[np.arange(lines), first] += amount - share.sum(1)
    capacity = share.sum(0) + rng.integers(0, slack + 1, channels)

    groups = {(a, z): [Group(level="area", label=f"AREA {a}", text=f"AREA {a}"),
                       Group(level="azione", label=f"Azione {z}", number=z,
                             text=f"Azione {z}: attività {z}")]
              for a in range(AREAS) for z in range(AZIONI)}
    sheet = "Budget"
    out_lines = []
    for i in range(lines):
        a, z = int(area[i]), int(azione[i])
        row = 10 + i
        out_lines.append(construct(
            Line, id=i, cell=f"{sheet}!A{row}", sheet=sheet, row=row, table=a + 1,
            path=[f"AREA {a}", f"Azione {z}: attività {z}"], groups=groups[(a, z)],
            voce=("Consulenze" if i % 17 == 0 else f"Voce {i % 97}"),
            amounts={YEAR: int(amount[i])}, amount_cells={YEAR: f"{sheet}!B{row}"},
            channels=dict.fromkeys(codes),
            channel_cells={c: f"{sheet}!{col_letters(3 + j)}{row}" for j, c in enumerate(codes)},
            hidden=False))
    cols = [ChannelColumn(code=c, header=c, col=3 + j) for j, c in enumerate(codes)]
    tables = [Table(index=a + 1, sheet=sheet, header_row=1, first_row=2, last_row=lines + 10,
                    label_col=1, year_cols={YEAR: 2}, channel_cols=cols)
              for a in range(AREAS)]
    revenues = [RevenueItem(id=j, cell=f"Entrate!A{j + 2}", sheet="Entrate", row=j + 2,
                            label=c, kind="item", channel=c, source=c,
                            amount=int(capacity[j]), amount_cell=f"Entrate!B{j + 2}")
                for j, c in enumerate(codes)]
    plan = Plan(source="sintetico.xlsx", plan_year=YEAR, years=[YEAR], tables=tables,
                lines=out_lines, revenues=revenues, channel_codes=codes)
    return plan, RuleSet(rules=rules, from_sheet=True), catalog


def naive_highs(problem: Problem) -> tuple[float, float]:
    """HiGHS's default ``linprog`` on the plain LP of the same arcs: (seconds, objective)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    n = problem.n_arcs
    cols = np.arange(n)
    a_eq = csr_array((np.ones(n), (problem.arc_line, cols)), shape=(problem.n_lines, n))
    a_ub = csr_array((np.ones(n), (problem.arc_channel, cols)),
                     shape=(problem.n_channels, n))
    bounds = np.column_stack([problem.lower(), problem.upper()]).astype(float)
    t0 = time.perf_counter()
    res = linprog(problem.cost().astype(float), A_ub=a_ub, b_ub=problem.capacity.astype(float),
                  A_eq=a_eq, b_eq=problem.demand.astype(float), bounds=bounds, method="highs")
    elapsed = time.perf_counter() - t0
    assert res.status == 0, res.message
    return elapsed, float(res.fun)


def _row(name: str, label: str, build: float | None, solve_s: float, extra: str = "") -> None:
    b = f"{build:9.3f} s" if build is not None else f"{'':>11}"
    total = f"{(build or 0) + solve_s:9.3f} s"
    print(f"{name:<14}{label:<44}{b}{solve_s:10.3f} s{total}  {extra}")


def bench(lines: int, channels: int, runs: int, naive_runs: int, methods: bool) -> None:
    plan, rules, catalog = synthetic(lines, channels)
    name = f"{lines:,}x{channels}".replace(",", ".")
    builds, models = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        models.append(build_model(plan, rules, catalog, "vuote"))
        builds.append(time.perf_counter() - t0)
    problem = models[-1].problem
    red = reduce(problem)
    info = (f"archi {problem.n_arcs:,}, nodi dopo la fusione {red.network.n_nodes:,}"
            .replace(",", "."))
    build = statistics.median(builds)
    objectives = {}
    for solver, label, merge in (("ortools", "pdz-xl: OR-Tools min-cost flow", True),
                                 ("highs", "pdz-xl: HiGHS linprog (Lite)", True),
                                 ("ortools", "pdz-xl: OR-Tools, righe non fuse", False)):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            sol = solve(problem, solver, aggregate=merge)
            times.append(time.perf_counter() - t0)
            assert sol.feasible
        objectives[label] = sol.objective
        _row(name, label, build, statistics.median(times), info if merge and
             solver == "ortools" else "")
    if len(set(objectives.values())) != 1:
        raise SystemExit(f"obiettivi diversi: {objectives}")
    if methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for method in ("highs-ipm", "highs-ds", "highs-primal"):
                t0 = time.perf_counter()
                sol = solve(problem, method, aggregate=False)
                _row(name, f"HiGHS {method}, righe non fuse", None,
                     time.perf_counter() - t0)
                assert sol.objective == next(iter(objectives.values()))
    if naive_runs:
        times = []
        for _ in range(naive_runs):
            secs, fun = naive_highs(problem)
            times.append(secs)
        expect = next(iter(objectives.values()))
        ok = "stesso ottimo" if abs(fun - expect) <= 1e-6 * max(1.0, abs(expect)) else \
            f"ottimo {fun} invece di {expect}"
        _row(name, "ingenuo: linprog HiGHS predefinito", None, statistics.median(times), ok)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10000x20,100000x30")
    ap.add_argument("--naive-runs", type=int, default=1)
    ap.add_argument("--metodi", action="store_true")
    args = ap.parse_args()
    print(f"{'istanza':<14}{'percorso':<44}{'modello':>11}{'soluzione':>12}{'totale':>11}")
    for k, size in enumerate(args.sizes.split(",")):
        lines, channels = (int(x) for x in size.lower().split("x"))
        bench(lines, channels, args.runs, args.naive_runs, args.metodi and k == 0)


if __name__ == "__main__":
    main()

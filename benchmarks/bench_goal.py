"""Issue 16's reading goals in one run: read + detect (+ validate) against python-calamine.

Every variant runs alternately in the same process (one round = one run of each), so a
loaded machine slows them alike; the table gives CPU medians and the ratio to
python-calamine's raw value read of the same file. The stage table splits one
read + detect + validate into its steps (CPU, medians), the collector paused as the
product pauses it.

Run: ``.venv/bin/python benchmarks/bench_goal.py [--lines 10000] [--runs 7]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from python_calamine import CalamineWorkbook

from benchmarks.common import budget_args, calamine_values, checked_budget
from pdz_xl.channels.catalog import default_catalog
from pdz_xl.channels.workbook import extend_from_workbook
from pdz_xl.gcpause import collector_paused
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.accounting import account
from pdz_xl.layout.amounts import AmountReader
from pdz_xl.layout.config import read_config
from pdz_xl.layout.execute import execute_layout
from pdz_xl.layout.infer import infer_layout
from pdz_xl.validate import validate_plan

GOALS = {"read + detect": 3.0, "read + detect + validate": 4.0}


def _lean_walk(path: Path) -> int:
    """The floor of a reading: calamine's values and one pass that keeps every row with a
    text and figures as a line (cents) and sums the TOTALE rows; returns the lines."""
    wb = CalamineWorkbook.from_path(str(path))
    lines: list[tuple[str, list[int]]] = []
    totals = 0
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            label = next((v for v in row if type(v) is str and v), None)
            if label is None:
                continue
            cents = [round(v * 100) for v in row if type(v) is float or type(v) is int]
            if not cents:
                continue
            if label.startswith("TOTALE"):
                totals += sum(cents)
            else:
                lines.append((label, cents))
    return len(lines)


def _cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _stages(path: Path) -> dict[str, float]:
    """One read + detect + validate, step by step (the steps of ``detect_plan``)."""
    out: dict[str, float] = {}
    t = time.process_time()
    grid = read_workbook(path)
    out["grid (read_workbook)"] = time.process_time() - t
    with collector_paused():
        t = time.process_time()
        catalog = default_catalog().copy()
        amounts = AmountReader()
        amounts.notes.extend(extend_from_workbook(catalog, grid))
        config = read_config(grid)
        layout, runtime = infer_layout(grid, catalog, config, amounts)
        out["infer_layout"] = time.process_time() - t
        t = time.process_time()
        plan = execute_layout(layout, runtime, catalog, amounts)
        out["execute_layout"] = time.process_time() - t
        t = time.process_time()
        account(plan, layout, runtime, amounts)
        out["account"] = time.process_time() - t
    t = time.process_time()
    validate_plan(plan)
    out["validate_plan"] = time.process_time() - t
    return out


def main() -> None:
    args = budget_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = checked_budget(Path(tmp), args.lines)
        variants: dict[str, Callable[[], object]] = {
            "python-calamine raw values": lambda: calamine_values(path),
            "floor: calamine + lean line walk": lambda: _lean_walk(path),
            "grid (read_workbook)": lambda: read_workbook(path),
            "read + detect": lambda: load_plan(path),
            "read + detect + validate": lambda: validate_plan(load_plan(path)),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        stages: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for name, fn in variants.items():
                times[name].append(_cpu(fn))
            for name, secs in _stages(path).items():
                stages.setdefault(name, []).append(secs)
    base = statistics.median(times["python-calamine raw values"])
    floor = statistics.median(times["floor: calamine + lean line walk"])
    print(f"\n{args.lines} righe, CPU, mediane di {args.runs} giri alternati"
          " (× calamine, × il minimo)")
    for name, values in times.items():
        med = statistics.median(values)
        goal = GOALS.get(name)
        verdict = f"  (obiettivo ≤ {goal:.0f}x: {'sì' if med / base <= goal else 'no'})" \
            if goal else ""
        print(f"  {name:<34} {med * 1000:8.1f} ms {med / base:6.2f}x {med / floor:6.2f}x"
              f"{verdict}")
    print("\nper passo (CPU, mediane)")
    for name, values in stages.items():
        med = statistics.median(values)
        print(f"  {name:<34} {med * 1000:8.1f} ms {med / base:6.2f}x")


if __name__ == "__main__":
    main()

"""Timing helpers for the benchmarks: medians of repeated runs, small tables."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def median_seconds(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``runs`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def print_table(title: str, rows: list[tuple[str, float]], base: str | None = None) -> None:
    """Print name / median ms / ratio to ``base``."""
    print(f"\n{title}")
    ref = dict(rows).get(base) if base else None
    for name, secs in rows:
        ratio = f"{secs / ref:6.2f}x" if ref else ""
        print(f"  {name:<44} {secs * 1000:9.1f} ms  {ratio}")


def budget_args(runs: int = 7) -> argparse.Namespace:
    """``--lines`` (10,000) and ``--runs`` of the benchmarks on the generated budget."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=runs)
    return ap.parse_args()


def checked_budget(folder: Path, lines: int) -> Path:
    """The generated budget of ``lines`` lines in ``folder``, read once to check its lines."""
    from benchmarks.generate import generate_budget
    from pdz_xl.io.load import load_plan

    path = generate_budget(folder / "budget.xlsx", lines)
    found = len(load_plan(path).lines)
    assert found == lines, found
    return path


def calamine_values(path: Path) -> None:
    """python-calamine's raw value read of every sheet (the reference of the reading goals)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()

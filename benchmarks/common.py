"""Timing helpers for the benchmarks: medians of repeated runs, small tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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

"""Scale curve: read + detect (+ validate) at 1k, 10k, 50k, 100k lines, time and memory.

Each measurement runs in a fresh Python process (``--inner``) so the peak resident memory
is the run's own: the process reports its CPU time in process, its resident memory after
the imports (``VmRSS``) and at the peak (``VmHWM``, the high-water mark of its own memory:
``ru_maxrss`` would not do, Linux carries the parent's resident size into it across the
exec), and the number of lines read. The curve is
linear when the marginal time per line (between one size and the next: fixed costs such
as first-use regex compilation cancel out) stays within 20 %; memory per line is
(peak − after imports) / lines.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--sizes 1000,10000,50000,100000]
[--runs 3] [--validate]``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _resident_kb(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (the peak) of this process, in KB; where /proc is
    missing, ``ru_maxrss`` for both."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _inner(path: Path, validate: bool) -> None:
    """One measured run, in this process; prints a JSON line."""
    from pdz_xl.io.load import load_plan
    from pdz_xl.validate import validate_plan

    base_kb = _resident_kb("VmRSS")
    t0 = time.process_time()
    w0 = time.perf_counter()
    plan = load_plan(path)
    if validate:
        validate_plan(plan)
    cpu = time.process_time() - t0
    wall = time.perf_counter() - w0
    peak_kb = _resident_kb("VmHWM")
    print(json.dumps({"lines": len(plan.lines), "cpu": cpu, "wall": wall,
                      "base_kb": base_kb, "peak_kb": peak_kb}))


def _measure(path: Path, validate: bool) -> dict:
    """A fresh process running :func:`_inner`; its JSON line and its whole CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, __file__, "--inner", str(path)]
                         + (["--validate"] if validate else []),
                         check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = json.loads(out.strip().splitlines()[-1])
    row["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,50000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--validate", action="store_true", help="validate too")
    ap.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        _inner(args.inner, args.validate)
        return
    from benchmarks.generate import generate_budget

    sizes = [int(s) for s in args.sizes.split(",")]
    what = "read + detect + validate" if args.validate else "read + detect"
    print(f"\n{what}, fresh process per run, medians of {args.runs}")
    print(f"  {'lines':>7} {'CPU in process':>15} {'µs/line':>8} {'marginal':>9}"
          f" {'whole process':>14} {'peak RSS':>9} {'KB/line':>8}")
    marginal: list[float] = []
    prev: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = generate_budget(Path(tmp) / f"budget_{n}.xlsx", n)
            rows = [_measure(path, args.validate) for _ in range(args.runs)]
            assert all(r["lines"] == n for r in rows), rows
            cpu = statistics.median(r["cpu"] for r in rows)
            proc = statistics.median(r["process_cpu"] for r in rows)
            peak = statistics.median(r["peak_kb"] for r in rows)
            grown = statistics.median(r["peak_kb"] - r["base_kb"] for r in rows)
            step = ""
            if prev is not None:
                marginal.append((cpu - prev[1]) / (n - prev[0]) * 1e6)
                step = f"{marginal[-1]:.1f}"
            prev = (n, cpu)
            print(f"  {n:>7} {cpu * 1000:>12.0f} ms {cpu / n * 1e6:>8.1f} {step:>9}"
                  f" {proc * 1000:>11.0f} ms {peak / 1024:>6.0f} MB {grown / n:>8.2f}")
    if len(marginal) > 1:
        spread = max(marginal) / min(marginal) - 1
        print(f"  marginal time per line: {min(marginal):.1f}–{max(marginal):.1f} µs (spread "
              f"{spread * 100:.0f} %, linear within 20 %: {'yes' if spread <= 0.2 else 'no'})")


if __name__ == "__main__":
    main()

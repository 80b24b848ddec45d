"""Start-up of the command line: CPU time of whole processes (user + system), medians.

``pdz-xl --help`` against bare Python, and ``leggi`` of the two sample workbooks (where
start-up is most of the run). Also the modules ``--help`` imports from pdz_xl.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs R]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


def cpu_seconds(argv: list[str]) -> float:
    """User + system CPU of one child process running ``argv``."""
    before = os.times()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=REPO)
    after = os.times()
    return (after.children_user - before.children_user
            + after.children_system - before.children_system)


def median_cpu(argv: list[str], runs: int) -> float:
    cpu_seconds(argv)  # warm the file cache
    return statistics.median(cpu_seconds(argv) for _ in range(runs))


def help_imports() -> list[str]:
    """The pdz_xl modules imported by ``pdz-xl --help``."""
    code = ("import sys\nfrom pdz_xl.cli.app import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('pdz_xl'))))")
    out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True,
                         cwd=REPO).stdout
    return [m for m in out.splitlines() if m.startswith("pdz_xl")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    cli = [PY, "-m", "pdz_xl.cli.app"]
    bare = median_cpu([PY, "-c", "pass"], args.runs)
    rows = [("python -c pass", bare),
            ("pdz-xl --help", median_cpu([*cli, "--help"], args.runs))]
    for name in ("piano_operativo_2018.xlsx", "piano_programma_2021.xlsx"):
        rows.append((f"pdz-xl leggi {name}",
                     median_cpu([*cli, "leggi", str(REPO / "workbooks" / name)], args.runs)))
    print(f"\nAvvio della riga di comando, CPU (utente + sistema), mediane di {args.runs}")
    for label, secs in rows:
        print(f"  {label:<44} {secs * 1000:8.0f} ms  (+{(secs - bare) * 1000:.0f} ms)")
    print("  moduli pdz_xl importati da --help: " + ", ".join(help_imports()))


if __name__ == "__main__":
    main()

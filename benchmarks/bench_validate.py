"""Validate a generated 10,000-line workbook; time next to the read time.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--lines N] [--runs R]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import median_seconds, print_table
from benchmarks.generate import generate_budget
from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate_budget(Path(tmp) / "budget.xlsx", args.lines)
        plan = load_plan(path)
        findings = validate_plan(plan)
        rows = [("lettura + rilevamento (Plan)", median_seconds(lambda: load_plan(path),
                                                                 args.runs)),
                ("validazione del Plan", median_seconds(lambda: validate_plan(plan),
                                                        args.runs))]
    print_table(f"Validazione di {args.lines} righe ({len(findings)} rilievi), mediane", rows,
                base="lettura + rilevamento (Plan)")


if __name__ == "__main__":
    main()

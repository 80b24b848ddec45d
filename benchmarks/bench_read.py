"""Read + detect a generated 10,000-line workbook, next to calamine and openpyxl.

Run: ``.venv/bin/python benchmarks/bench_read.py [--lines N] [--runs R]``
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl

from benchmarks.common import (
    budget_args,
    calamine_values,
    checked_budget,
    median_seconds,
    print_table,
)
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_reader import read_workbook


def main() -> None:
    args = budget_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = checked_budget(Path(tmp), args.lines)
        rows = [
            ("python-calamine raw values", median_seconds(lambda: calamine_values(path),
                                                          args.runs)),
            ("pdz-xl read (grid)", median_seconds(lambda: read_workbook(path), args.runs)),
            ("pdz-xl read + detect (Plan)", median_seconds(lambda: load_plan(path), args.runs)),
            ("openpyxl full load", median_seconds(
                lambda: openpyxl.load_workbook(path), max(3, args.runs // 2))),
        ]
        size = path.stat().st_size
    print_table(f"Lettura di {args.lines} righe ({size / 1e6:.2f} MB), mediane",
                rows, base="python-calamine raw values")


if __name__ == "__main__":
    main()

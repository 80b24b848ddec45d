"""Read + detect a generated 10,000-line workbook, next to calamine and openpyxl.

Run: ``.venv/bin/python benchmarks/bench_read.py [--lines N] [--runs R]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
from python_calamine import CalamineWorkbook

from benchmarks.common import median_seconds, print_table
from benchmarks.generate import generate_budget
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_reader import read_workbook


def _calamine_values(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate_budget(Path(tmp) / "budget.xlsx", args.lines)
        plan = load_plan(path)
        assert len(plan.lines) == args.lines, len(plan.lines)
        rows = [
            ("python-calamine raw values", median_seconds(lambda: _calamine_values(path),
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

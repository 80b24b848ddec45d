"""Validate a generated 10,000-line workbook; time next to the read time.

Two variants of the same workbook: as generated (its TOTALE formulas carry a cached 0, so
every total is reported: a validation with many findings) and with the cached values put
right through the write path (a clean workbook: the usual case). Also timed: building the
«Controlli PDZ» report and marks, and writing them through the write path.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--lines N] [--runs R]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import median_seconds, print_table
from benchmarks.generate import generate_budget
from pdz_xl.cells import split_sheet_ref
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.plan import Plan
from pdz_xl.validate import validate_plan
from pdz_xl.validate.sheet import report_changeset


def _cached_totals_fixed(src: Path, dest: Path, plan: Plan) -> Path:
    """The same workbook with each total's cached value equal to its lines' sum."""
    writes: dict[str, list[CellWrite]] = {}
    for t in plan.totals:
        for year, cell in t.amount_cells.items():
            formula = t.formulas.get(year)
            if not formula:
                continue
            cents = sum(plan.lines[i].amount(year) for i in t.line_ids)
            sheet, ref = split_sheet_ref(cell)
            writes.setdefault(sheet, []).append(
                CellWrite(cell=ref, value=Decimal(cents) / 100, formula=formula))
    apply_changeset(src, Changeset(cells=writes), dest)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = generate_budget(Path(tmp) / "budget.xlsx", args.lines)
        stale_plan = detect_plan(read_workbook(raw))
        path = _cached_totals_fixed(raw, Path(tmp) / "pulito.xlsx", stale_plan)
        grid = read_workbook(path)
        plan = detect_plan(grid)
        assert len(plan.lines) == args.lines, len(plan.lines)
        clean = validate_plan(plan)
        stale = validate_plan(stale_plan)
        changeset = report_changeset(stale_plan, stale, file_label="budget.xlsx")
        out = Path(tmp) / "scritto.xlsx"
        rows = [
            ("lettura (griglia)", median_seconds(lambda: read_workbook(path), args.runs)),
            ("rilevamento (Plan)", median_seconds(lambda: detect_plan(grid), args.runs)),
            (f"validazione, cartella pulita ({len(clean)} rilievi)",
             median_seconds(lambda: validate_plan(plan), args.runs)),
            (f"validazione, totali da rifare ({len(stale)} rilievi)",
             median_seconds(lambda: validate_plan(stale_plan), args.runs)),
            ("foglio «Controlli PDZ» + segni (Changeset)",
             median_seconds(lambda: report_changeset(stale_plan, stale), args.runs)),
            ("scrittura del Changeset (xlsx_patch)",
             median_seconds(lambda: apply_changeset(raw, changeset, out), args.runs)),
        ]
        size = path.stat().st_size
    print_table(f"Validazione di {args.lines} righe ({size / 1e6:.2f} MB), mediane", rows,
                base="lettura (griglia)")


if __name__ == "__main__":
    main()

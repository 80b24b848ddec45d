"""Triennial sheet on a generated 10,000-line workbook: generation + write, side by side with
LibreOffice's headless recalculation of the same workbook.

Two variants of the workbook: with its TOTALE formulas' cached values right (the usual case:
year 1 points at the live totals) and as generated (cached 0, so year 1 adds up the
10,000 line cells through partial sums). LibreOffice runs with the always-recalculate
profile of ``tests/support/libreoffice.py`` and converts xlsx -> xlsx (load, recalculate,
save), serialised like the tests.

Run: ``.venv/bin/python benchmarks/bench_triennial.py [--lines N] [--runs R] [--lo-runs R]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_validate import _cached_totals_fixed
from benchmarks.common import median_seconds, print_table
from benchmarks.generate import generate_budget
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import triennial_changeset
from tests.support.libreoffice import convert


def _variant(name: str, path: Path, tmp: Path, runs: int, lo_runs: int
             ) -> list[tuple[str, float]]:
    grid = read_workbook(path)
    plan = detect_plan(grid)
    cs, data = triennial_changeset(grid, plan, per="area", generated_on="2026-11-22")
    out = tmp / f"{path.stem}_triennale.xlsx"
    apply_changeset(path, cs, out)
    formulas = sum(1 for c in cs.sheets[0].cells if c.formula)
    partial = sum(1 for c in cs.sheets[0].cells
                  if isinstance(c.value, str) and " – parte " in c.value)
    print(f"{name}: {len(plan.lines)} righe, {len(data.costs)} gruppi, "
          f"{len(data.revenues)} canali, {formulas} formule, {partial} somme parziali, "
          f"{out.stat().st_size / 1e6:.2f} MB")

    def generate_and_write() -> None:
        changeset, _ = triennial_changeset(grid, plan, per="area", generated_on="2026-11-22")
        apply_changeset(path, changeset, tmp / "w.xlsx")

    return [
        (f"{name}: lettura + rilevamento (Plan)",
         median_seconds(lambda: detect_plan(read_workbook(path)), runs)),
        (f"{name}: generazione (Changeset)",
         median_seconds(lambda: triennial_changeset(grid, plan, per="area"), runs)),
        (f"{name}: scrittura (xlsx_patch)",
         median_seconds(lambda: apply_changeset(path, cs, tmp / "w.xlsx"), runs)),
        (f"{name}: generazione + scrittura", median_seconds(generate_and_write, runs)),
        (f"{name}: LibreOffice, ricalcolo xlsx->xlsx",
         median_seconds(lambda: convert(out, tmp / "lo"), lo_runs, warmup=1)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lo-runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        raw = generate_budget(tmp / "budget.xlsx", args.lines)
        fixed = _cached_totals_fixed(raw, tmp / "pulito.xlsx", detect_plan(read_workbook(raw)))
        rows = _variant("totali giusti", fixed, tmp, args.runs, args.lo_runs)
        rows += _variant("totali da rifare", raw, tmp, args.runs, args.lo_runs)
        tiny = generate_budget(tmp / "minima.xlsx", 10)
        rows.append(("LibreOffice, avvio (cartella di 10 righe)",
                     median_seconds(lambda: convert(tiny, tmp / "lo"), args.lo_runs)))
    print_table(f"Triennale di {args.lines} righe, mediane", rows,
                base="totali giusti: generazione + scrittura")


if __name__ == "__main__":
    main()

"""The write path (``apply_changeset``) against an openpyxl load + save of the same file.

A generated 2,000-line budget workbook (benchmarks/generate.py). Changesets timed:
nothing (a pure copy), the TOTALE formulas rewritten with their cached values, the
«Controlli PDZ» report sheet plus a mark on every finding, and all of it together with an
owned sheet carrying a chart. The naive path: openpyxl load + save, and load + the same
cell writes + save (which, besides being slower, drops every cached value).

Run: ``.venv/bin/python benchmarks/bench_write.py [--lines N] [--runs R]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl

from benchmarks.common import median_seconds
from benchmarks.generate import generate_budget
from pdz_xl.cells import split_sheet_ref
from pdz_xl.changeset import CellWrite, Changeset, ChartSeries, ChartSpec, OwnedSheet
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.plan import Plan
from pdz_xl.validate import validate_plan
from pdz_xl.validate.sheet import report_changeset


def totals_changeset(plan: Plan) -> Changeset:
    """Every TOTALE formula written again with its right cached value."""
    writes: dict[str, list[CellWrite]] = {}
    for t in plan.totals:
        for year, cell in t.amount_cells.items():
            formula = t.formulas.get(year)
            if formula:
                cents = sum(plan.lines[i].amount(year) for i in t.line_ids)
                sheet, ref = split_sheet_ref(cell)
                writes.setdefault(sheet, []).append(
                    CellWrite(cell=ref, value=Decimal(cents) / 100, formula=formula))
    return Changeset(cells=writes)


def chart_sheet(rows: int = 40) -> OwnedSheet:
    cells = [CellWrite(cell="A1", value="Area"), CellWrite(cell="B1", value="2021")]
    for r in range(2, rows + 2):
        cells += [CellWrite(cell=f"A{r}", value=f"Area {r - 1}"),
                  CellWrite(cell=f"B{r}", value=1000 * r)]
    return OwnedSheet(name="Grafico", cells=cells, charts=[ChartSpec(
        kind="column", title="Costi per area", categories=f"Grafico!$A$2:$A${rows + 1}",
        series=[ChartSeries(name="2021", values=f"Grafico!$B$2:$B${rows + 1}")],
        anchor="D2")])


def _openpyxl_save(src: Path, out: Path, cs: Changeset | None = None) -> None:
    wb = openpyxl.load_workbook(src)
    for sheet, writes in (cs.cells.items() if cs else []):
        ws = wb[sheet]
        for w in writes:
            ws[w.cell] = w.formula or w.value
    wb.save(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=2_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = generate_budget(Path(tmp) / "budget.xlsx", args.lines)
        plan = detect_plan(read_workbook(src))
        findings = validate_plan(plan)
        totals = totals_changeset(plan)
        report = report_changeset(plan, findings, file_label=src.name)
        everything = totals.merge(report).merge(Changeset(sheets=[chart_sheet()]))
        n_totals = sum(len(v) for v in totals.cells.values())
        n_marks = len(report.marks or [])
        out = Path(tmp) / "out.xlsx"

        def ours(cs: Changeset) -> float:
            return median_seconds(lambda: apply_changeset(src, cs, out), args.runs)

        rows = [
            ("apply_changeset: Changeset vuoto (copia)", ours(Changeset())),
            (f"apply_changeset: {n_totals} totali con formula", ours(totals)),
            (f"apply_changeset: rapporto + {n_marks} segni", ours(report)),
            ("apply_changeset: tutto + foglio con grafico", ours(everything)),
            ("openpyxl: load + save", median_seconds(
                lambda: _openpyxl_save(src, out), args.runs)),
            (f"openpyxl: load + {n_totals} totali + save", median_seconds(
                lambda: _openpyxl_save(src, out, totals), args.runs)),
        ]
        size = src.stat().st_size
    base = rows[4][1]
    print(f"\nScrittura su {args.lines} righe ({size / 1e6:.2f} MB), mediana di {args.runs}")
    print(f"  {'':<46} {'ms':>9}  {'vs openpyxl load+save':>22}")
    for name, secs in rows:
        print(f"  {name:<46} {secs * 1000:9.1f}  {base / secs:20.1f}x")


if __name__ == "__main__":
    main()

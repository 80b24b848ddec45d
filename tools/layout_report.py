"""The reading of every generated layout family, aspect by aspect, as a Markdown table.

Run: ``.venv/bin/python tools/layout_report.py`` (about 30 s). For each family of
``tests/support/families`` the workbook is generated, read without a «_pdz» sheet and
compared with the reading the documents give: lines (voce and amounts), group paths,
channel splits, stated totals, the documents' slips found by validation, and whether
reading again with the «_pdz» sheet that «pdz-xl mappa» writes gives the same Plan.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdz_xl.changeset import Changeset
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.layout.mapping import mapping_sheet
from pdz_xl.validate import validate_plan
from tests.support.families import FAMILIES, build
from tests.support.families.expected import ExpectedFinding, ExpectedTotal
from tests.support.families.findings import restricted
from tests.support.oracles import plan_lines


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _row(family: str, tmp: Path) -> str:
    path = tmp / f"{family}.xlsx"
    exp = build(family, path)
    plan = load_plan(path)
    got, want = plan_lines(plan), list(exp.lines)
    blank = exp.channels_blank_omitted

    def chans(ln):
        return tuple(c for c in ln.channels if not blank or c[1] is not None)

    pairs = list(zip(got, want, strict=True)) if len(got) == len(want) else []
    same_n = bool(pairs) or not want
    lines = same_n and all((g.voce, g.amounts) == (w.voce, w.amounts) for g, w in pairs)
    groups = same_n and all(g.path == w.path for g, w in pairs)
    channels = same_n and all(chans(g) == chans(w) for g, w in pairs)
    totals = Counter(ExpectedTotal(tuple(t.path), y, v) for t in plan.totals
                     for y, v in t.amounts.items() if v is not None) == Counter(exp.totals)
    findings = validate_plan(plan)
    slips = Counter(restricted(findings)) == Counter(
        ExpectedFinding(f.code, f.found, f.expected) for f in exp.findings)
    mapped = tmp / f"{family}-mappa.xlsx"
    apply_changeset(path, Changeset(sheets=[mapping_sheet(plan.layout)]), mapped)
    again = load_plan(mapped)
    same = [ln.model_dump() for ln in again.lines] == [ln.model_dump() for ln in plan.lines] \
        and [t.model_dump() for t in again.totals] == [t.model_dump() for t in plan.totals]
    n_slips = len(exp.findings)
    return (f"| `{family}` | {len(got)}/{len(want)} {_mark(lines)} | {_mark(groups)} | "
            f"{_mark(channels)} | {len(plan.totals)} {_mark(totals)} | {n_slips} "
            f"{_mark(slips)} | {_mark(same)} |")


def main() -> None:
    print("| famiglia | righe | gruppi | canali | totali | rilievi dei documenti | "
          "mappa → stessa lettura |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for family in FAMILIES:
            print(_row(family, Path(tmp)))


if __name__ == "__main__":
    main()

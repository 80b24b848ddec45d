"""``valida --correggi`` and the «Correggi» button: the safe, mechanical fixes applied.

Mechanical means the arithmetic of the cell itself: a total that should be the ``SUM`` of
its lines (of a summary's rows, of a triennio's years, of a revenue table's items) or a
net total that should be the total minus its deductions gets that formula, with its
cached value, exact to the cent. Everything else — a split, a summary row against the
detail, a channel gap, a typed amount — is a decision: listed, never touched. A finding
marked «visto» is left alone; so is a cell two findings would fix differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..cells import split_sheet_ref
from ..changeset import CellWrite, Changeset
from ..findings import Finding
from ..formula_locale import display_formula


@dataclass
class Corrections:
    """The writes, the findings they fix, and those left to the office."""

    changeset: Changeset
    applied: list[Finding] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Italian lines for the user: what changed, what is left."""
        out = [f"{len(self.applied)} correzioni applicate"
               + (":" if self.applied else ".")]
        for f in self.applied:
            assert f.fix is not None and f.fix.formula is not None
            out.append(f"  {f.fix.cell}: {display_formula(f.fix.formula)} ({f.code})")
        if self.left:
            out.append(f"{len(self.left)} rilievi da decidere, non toccati:")
            out += [f"  {f.code} {f.cell or '-'}" for f in self.left]
        return out


def mechanical(f: Finding) -> bool:
    """A fix the product may apply: a formula with its value, on a finding not «visto»."""
    return (f.visto is None and f.fix is not None and f.fix.formula is not None
            and f.fix.value is not None and f.fix.cell is not None)


def corrections(findings: list[Finding]) -> Corrections:
    """The Changeset of the mechanical fixes of ``findings``."""
    wanted: dict[str, list[Finding]] = {}
    for f in findings:
        if mechanical(f):
            assert f.fix is not None
            wanted.setdefault(f.fix.cell.replace("$", ""), []).append(f)
    cells: dict[str, list[CellWrite]] = {}
    applied: list[Finding] = []
    skip: set[int] = set()
    for ref, group in wanted.items():
        formulas = {(g.fix.formula, g.fix.value) for g in group if g.fix is not None}
        if len(formulas) != 1:  # two different fixes for one cell: not mechanical
            skip.update(id(g) for g in group)
            continue
        formula, value = formulas.pop()
        sheet, cell = split_sheet_ref(ref)
        cells.setdefault(sheet, []).append(CellWrite(cell=cell, formula=formula,
                                                     value=Decimal(value)))
        applied.append(group[0])
        skip.update(id(g) for g in group[1:])
    done = {id(f) for f in applied} | skip
    left = [f for f in findings if id(f) not in done and f.visto is None]
    summary = [f"corrette {len(applied)} celle con la formula del totale"]
    return Corrections(Changeset(cells=cells, summary=summary if applied else []),
                       applied, left)

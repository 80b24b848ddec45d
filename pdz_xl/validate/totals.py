"""Family «totali»: each stated TOTALE against the lines it closes, and its formula."""

from __future__ import annotations

from ..formula_refs import covers, sum_areas, sum_formula
from ..money import format_eur
from .engine import Checker, value_fix


def check(ck: Checker) -> None:
    plan = ck.plan
    total_cells = {(t.id, y): cell for t in plan.totals for y, cell in t.amount_cells.items()}
    for t in plan.totals:
        lines = [plan.lines[i] for i in t.line_ids]
        for year, stated in t.amounts.items():
            cell = t.amount_cells[year]
            expected = sum(ln.amount(year) for ln in lines)
            if stated is None and expected == 0:
                continue
            formula = t.formulas.get(year)
            structural = _formula_problems(ck, t, year, formula, lines, total_cells)
            if structural:
                continue  # the formula explains the difference: one finding per cell
            line_cells = [ln.amount_cells[year] for ln in lines if year in ln.amount_cells]
            fix = value_fix(cell, expected, sum_formula(line_cells, t.sheet)
                            if line_cells else None)
            found = ck.compare("PDZ201", cell, stated, expected,
                               f"«{t.label}» {year} dichiara", path=t.path, fix=fix)
            if found is None and formula is None and _siblings_are_formulas(plan, t, year):
                ck.add("PDZ204", cell,
                       f"«{t.label}» {year} è scritto come numero ({format_eur(stated or 0)}) "
                       "mentre gli altri totali sono formule: non seguirà le modifiche.",
                       path=t.path, fix=fix)


def _formula_problems(ck: Checker, t, year: int, formula: str | None, lines,
                      total_cells: dict) -> bool:
    areas = sum_areas(formula)
    if areas is None:
        return False
    cell = t.amount_cells[year]
    missing = [ln for ln in lines if ln.amounts.get(year) is not None
               and not covers(areas, ln.amount_cells[year], t.sheet)]
    found = False
    if missing:
        amount = sum(ln.amount(year) for ln in missing)
        names = ", ".join(f"«{ln.voce}» ({ln.amount_cells[year]})" for ln in missing[:3])
        more = f" e altre {len(missing) - 3}" if len(missing) > 3 else ""
        ck.add("PDZ202", cell,
               f"la formula {formula} di «{t.label}» non comprende {len(missing)} righe del "
               f"gruppo per {format_eur(amount)}: {names}{more}.",
               path=t.path, difference=-amount, related=[ln.amount_cells[year] for ln in missing],
               fix=value_fix(cell, sum(ln.amount(year) for ln in lines),
                             sum_formula([ln.amount_cells[year] for ln in lines], t.sheet)))
        found = True
    inside = [other for (tid, y), other in total_cells.items()
              if tid != t.id and covers(areas, other, t.sheet)]
    if inside:
        ck.add("PDZ203", cell,
               f"la formula {formula} di «{t.label}» comprende altri totali "
               f"({', '.join(inside)}): le righe sono contate due volte.",
               path=t.path, related=inside)
        found = True
    return found


def _siblings_are_formulas(plan, t, year: int) -> bool:
    siblings = [o for o in plan.totals if o.id != t.id and o.sheet == t.sheet
                and year in o.formulas]
    return bool(siblings) and any(o.formulas.get(year) for o in siblings)

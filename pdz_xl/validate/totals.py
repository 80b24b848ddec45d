"""Family «totali»: each stated TOTALE against the lines it closes, and its SUM formula.

A ``SUM`` is read as what it adds up: line cells directly, or other totals (whose own
lines then count). A total of totals is fine as long as every line of the group counts
exactly once; a line left out is PDZ202, a line counted twice (a total inside a range that
also holds its lines, or a total of another group) is PDZ203. When the formula explains
the difference, that is the one finding at the cell (not PDZ201 as well).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..channels.display import channel_label
from ..findings import Fix
from ..formula_locale import display_formula
from ..formula_refs import Area, sum_areas, sum_formula
from ..money import format_eur
from ..plan import Line, Plan, StatedTotal
from ..plurals import plural
from .cellindex import CellIndex
from .engine import Checker, value_fix
from .facts import LineFacts


class _Indexes:
    """Line and total cells by position, built on first use (only SUM totals need them)."""

    def __init__(self, plan: Plan, facts: LineFacts) -> None:
        self.plan = plan
        self.facts = facts
        self._lines: dict[int, CellIndex[int]] = {}
        self._totals: CellIndex[tuple[int, int]] | None = None

    def lines(self, year: int) -> CellIndex[int]:
        """Line ids by their amount cell of ``year``."""
        if year not in self._lines:
            cols = {t.index: t.year_cols.get(year) for t in self.plan.tables}
            facts = self.facts
            rest: list[tuple[str, int]] = []
            runs: list[tuple[str, int, Sequence[int], Sequence[int]]] = []
            for table, sheet, start, stop in facts.runs:
                col = cols.get(table)
                if col:
                    runs.append((sheet, col, facts.rows[start:stop], facts.ids[start:stop]))
                else:
                    rest.extend((ln.amount_cells[year], ln.id) for ln in
                                self.plan.lines[start:stop] if year in ln.amount_cells)
            self._lines[year] = CellIndex(rest, runs=runs)
        return self._lines[year]

    @property
    def totals(self) -> CellIndex[tuple[int, int]]:
        """(total id, year) by amount cell."""
        if self._totals is None:
            self._totals = CellIndex((cell, (t.id, y)) for t in self.plan.totals
                                     for y, cell in t.amount_cells.items())
        return self._totals


def check(ck: Checker) -> None:
    """PDZ201-PDZ204 over every stated total."""
    plan = ck.plan
    if not plan.totals:
        return
    idx = _Indexes(plan, ck.facts)
    by_id = {t.id: t for t in plan.totals}
    formula_sheets = {t.sheet for t in plan.totals if any(t.formulas.values())}
    for t in plan.totals:
        lines = list(map(plan.lines.__getitem__, t.line_ids))
        for year, stated in t.amounts.items():
            if stated is None:
                # nothing stated (or an error value, already reported on reading); a SUM
                # saved without its value (a file written by a program that does not
                # calculate) is still checked for the cells it adds up
                _uncached_sum(ck, t, year, lines, idx, by_id)
                continue
            _year_total(ck, t, year, stated, lines, idx, by_id, formula_sheets)
        _channel_totals(ck, t, lines)


def _year_total(ck: Checker, t: StatedTotal, year: int, stated: int, lines: list[Line],
                idx: _Indexes, by_id: dict[int, StatedTotal], formula_sheets: set[str]
                ) -> None:
    cell = t.amount_cells[year]
    expected = _lines_sum(ck, t, year)
    formula = t.formulas.get(year)
    areas = sum_areas(formula)
    if areas is not None:
        if _formula_problems(ck, t, year, formula or "", areas, lines, idx, by_id,
                             stated, expected):
            return
        # the formula adds up the right cells: a wrong value comes from what it sums
        ck.compare("PDZ201", cell, stated, expected, f"«{t.label}» {year} dichiara",
                   path=t.path, against="le sue righe sommano")
        return
    typed_among_formulas = formula is None and t.sheet in formula_sheets
    if stated == expected and not typed_among_formulas:
        return
    fix = _sum_fix(t, year, lines, expected)
    found = ck.compare("PDZ201", cell, stated, expected, f"«{t.label}» {year} dichiara",
                       path=t.path, fix=fix, against="le sue righe sommano")
    if found is None and typed_among_formulas and fix is not None and fix.formula:
        ck.add("PDZ204", cell,
               f"«{t.label}» {year} è scritto come numero ({format_eur(stated)}) mentre gli "
               "altri totali del foglio sono formule: non seguirà le modifiche delle righe.",
               path=t.path, fix=fix)


def _uncached_sum(ck: Checker, t: StatedTotal, year: int, lines: list[Line],
                 idx: _Indexes, by_id: dict[int, StatedTotal]) -> None:
    formula = t.formulas.get(year)
    areas = sum_areas(formula)
    if areas is None or year not in t.amount_cells:
        return
    counted = _counted(idx, areas, t, by_id, year)
    value = sum(ck.plan.lines[i].amount(year) * n for i, n in counted.items())
    _formula_problems(ck, t, year, formula or "", areas, lines, idx, by_id, value,
                      _lines_sum(ck, t, year))


def _lines_sum(ck: Checker, t: StatedTotal, year: int) -> int:
    """What the lines of ``t`` add up to in ``year``."""
    return sum(map(ck.facts.amounts(year).__getitem__, t.line_ids))


def _counted(idx: _Indexes, areas: list[Area], t: StatedTotal, by_id: dict[int, StatedTotal],
             year: int) -> Counter[int]:
    """How many times a SUM over ``areas`` counts each line (through inner totals too)."""
    counted: Counter[int] = Counter(idx.lines(year).inside(areas, t.sheet))
    for tid, _y in idx.totals.inside(areas, t.sheet):
        if tid != t.id:
            counted.update(by_id[tid].line_ids)
    return counted


def _sum_fix(t: StatedTotal, year: int, lines: list[Line], expected: int) -> Fix | None:
    """Write ``=SUM(<the lines' cells>)`` (with its value) into the total's cell."""
    line_cells = [ln.amount_cells[year] for ln in lines if year in ln.amount_cells]
    formula = sum_formula(line_cells, t.sheet) if line_cells else None
    return value_fix(t.amount_cells[year], expected, formula)


def _formula_problems(ck: Checker, t: StatedTotal, year: int, formula: str, areas: list[Area],
                      lines: list[Line], idx: _Indexes, by_id: dict[int, StatedTotal],
                      stated: int, expected: int) -> bool:
    """PDZ202/PDZ203 for a SUM; True when one was reported."""
    counted = _counted(idx, areas, t, by_id, year)
    inner = [(tid, y) for tid, y in idx.totals.inside(areas, t.sheet) if tid != t.id]
    own = set(t.line_ids)
    cell = t.amount_cells[year]
    diff = (stated - expected) or None
    twice = counted.total() > len(counted)  # every count is at least 1
    foreign_totals = [by_id[tid] for tid, _ in inner if not set(by_id[tid].line_ids) <= own]
    if twice or foreign_totals:
        shown = display_formula(formula)  # as the user reads it in Excel
        inner_cells = [by_id[tid].amount_cells[y] for tid, y in inner]
        plan = ck.plan
        extra = sum(plan.lines[i].amount(year) * (n - (i in own)) for i, n in counted.items())
        if extra == 0 and diff is None:  # the lines counted twice are empty: fragile only
            ck.add("PDZ203", cell,
                   f"la formula {shown} di «{t.label}» comprende sia altri totali "
                   f"({', '.join(inner_cells)}) sia righe che questi già contano: oggi "
                   "sono vuote, ma un importo scritto lì verrebbe contato due volte.",
                   path=t.path, severity="avviso", category="formula", expected=expected,
                   found=stated, related=inner_cells, fix=_sum_fix(t, year, lines, expected))
            return True
        ck.add("PDZ203", cell,
               f"la formula {shown} di «{t.label}» comprende altri totali "
               f"({', '.join(inner_cells)}): {format_eur(extra)} sono contati due volte o "
               "vengono da un altro gruppo.",
               path=t.path, difference=diff, expected=expected, found=stated,
               related=inner_cells, fix=_sum_fix(t, year, lines, expected))
        return True
    ids = map(ck.facts.ids.__getitem__, t.line_ids)
    missing = [] if counted.keys() >= set(ids) else \
        [ln for ln in lines if ln.amounts.get(year) is not None and not counted[ln.id]]
    if missing:
        shown = display_formula(formula)
        amount = sum(ln.amount(year) for ln in missing)
        names = ", ".join(f"«{ln.voce}» ({ln.amount_cells[year]})" for ln in missing[:3])
        more = _more(len(missing) - 3)
        ck.add("PDZ202", cell,
               f"la formula {shown} di «{t.label}» non comprende "
               f"{plural(len(missing), 'riga', 'righe')} del gruppo per {format_eur(amount)}: "
               f"{names}{more}.",
               path=t.path, difference=diff, expected=expected, found=stated,
               related=[ln.amount_cells[year] for ln in missing],
               fix=_sum_fix(t, year, lines, expected))
        return True
    return False


def _more(n: int) -> str:
    """`` e altre 4`` (`` e un'altra``) after the names shown; empty when none is left."""
    if n <= 0:
        return ""
    return " e un'altra" if n == 1 else f" e altre {n}"


def _channel_totals(ck: Checker, t: StatedTotal, lines: list[Line]) -> None:
    """A TOTALE row that also states the channel columns: each against its lines."""
    for code, stated in t.channels.items():
        if stated is None or code not in t.channel_cells:
            continue
        expected = sum(ln.channels.get(code) or 0 for ln in lines)
        ck.compare("PDZ201", t.channel_cells[code], stated, expected,
                   f"«{t.label}», canale «{channel_label(ck.plan, code, ck.config.catalog)}», "
                   "dichiara", path=t.path,
                   against="le sue righe sommano")

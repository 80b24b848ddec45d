"""The revenue table of the new year: the same items, the new year's amounts.

- Items: zero («€ -», to be written) without a triennial plan — a zero, not a blank, so
  the table reads as the same table; with one, each channel's year 2
  shared over its items in proportion to last year's (the balancing channel takes what
  balances the new year's costs).
- **Avanzo vincolato**: the restricted quotas held back last year («Progetto … – Quota
  vincolata 2021») are next year's restricted surplus: their sum is the new amount of the
  first restricted surplus item, with a note naming them; the quota rows are cleared.
- **Avanzo non vincolato**: last year's result where the workbook says it (a cell
  «Avanzo/Risultato … 2021» with its amount beside it, outside the revenue table); else
  zero, with a note: it is known from the year's accounts.
- Subtotals and totals: formulas are kept (and computed again); typed ones become the sum
  of what they add up. Labels, header and titles: the years move on.

A multi-year revenue table that already has a column for the new year is left as it is:
that column is the new year.
"""

from __future__ import annotations

import re

from ..cells import parse_a1, split_sheet_ref
from ..channels.catalog import Catalog
from ..grid import WorkbookGrid
from ..layout.model import KIND_REVENUE, TableLayout
from ..money import Cents, cents_from_number, format_eur
from ..plan import Plan, RevenueItem
from .amounts import Targets, distribute
from .costs import _money
from .edits import Edits
from .years import has_year, move_years

_RESULT = re.compile(r"\b(avanzo|risultato|economi[ae])\b", re.I)


def stated_result(grid: WorkbookGrid, plan: Plan) -> tuple[Cents, str] | None:
    """Last year's result as the workbook states it: a label «Avanzo …» / «Risultato …»
    naming the plan year, outside the revenue table, with an amount on its right."""
    own = {(r.sheet, r.row) for r in plan.revenues}
    for sheet in grid.sheets:
        for r, cells in sheet.iter_rows():
            if (sheet.name, r) in own:
                continue
            for c, cell in sorted(cells.items()):
                v = cell.value
                if not (isinstance(v, str) and _RESULT.search(v) and has_year(v, plan.plan_year)
                        and "vincolat" not in v.casefold()):
                    continue
                right = [x for k, x in sorted(cells.items()) if k > c
                         and isinstance(x.value, (int, float)) and not isinstance(x.value, bool)]
                if right:
                    return cents_from_number(right[0].value), f"{sheet.name}!{_a1(r, c)}"
    return None


def _a1(r: int, c: int) -> str:
    from ..cells import a1

    return a1(r, c)


def _rc(ref: str) -> tuple[str, int, int]:
    sheet, cell = split_sheet_ref(ref)
    r, c = parse_a1(cell)
    return sheet, r, c


class Revenue:
    """The revenue items of the plan year and the writes of the new year."""

    def __init__(self, grid: WorkbookGrid, plan: Plan, targets: Targets, edits: Edits,
                 catalog: Catalog, new_costs: Cents) -> None:
        self.grid, self.plan, self.targets, self.edits = grid, plan, targets, edits
        self.catalog, self.new_costs = catalog, new_costs
        self.year = plan.plan_year
        self.new: dict[int, Cents | None] = {}
        self.notes: dict[int, str] = {}

    def move_on(self) -> list[str]:
        """Write the new year's revenue; Italian remarks for the summary."""
        items = [r for r in self.plan.revenues if r.amount_cell]
        if not items:
            return []
        if self.plan.revenue_years:
            if self.year + 1 in self.plan.revenue_years:
                return [f"entrate: la colonna del {self.year + 1} c'è già, lasciata com'è"]
            return [f"entrate su più anni senza il {self.year + 1}: lasciate com'è"]
        remarks = self._amounts(items)
        self._write(items)
        self._labels(items)
        return remarks

    # ---------------------------------------------------------------- amounts
    def _surplus(self, code: str | None) -> tuple[bool, bool]:
        info = self.catalog.get(code) if code else None
        return (info is not None and info.kind == "surplus",
                bool(info and info.restricted))

    def _amounts(self, items: list[RevenueItem]) -> list[str]:
        remarks: list[str] = []
        quotas = [r for r in items if r.kind == "deduction"]
        held = sum(r.amount or 0 for r in quotas)
        result = stated_result(self.grid, self.plan)
        plain = [r for r in items if r.kind == "item"]
        by_channel: dict[str | None, list[RevenueItem]] = {}
        for r in plain:
            by_channel.setdefault(r.channel, []).append(r)
        first_restricted = first_free = True
        for code, rows in by_channel.items():
            surplus, restricted = self._surplus(code)
            if surplus:
                for r in rows:
                    if restricted and first_restricted:
                        self.new[r.id] = held
                        names = "; ".join(f"«{q.label}» {format_eur(q.amount or 0)}"
                                          for q in quotas if q.amount)
                        self.notes[r.id] = (f"avanzo vincolato {self.year + 1}: le quote "
                                            f"vincolate {self.year}" +
                                            (f" ({names})" if names else ": nessuna"))
                        first_restricted = False
                    elif not restricted and first_free and result is not None:
                        self.new[r.id] = result[0]
                        self.notes[r.id] = f"risultato {self.year} scritto in {result[1]}"
                        first_free = False
                    elif not restricted and first_free:
                        self.new[r.id] = 0
                        self.notes[r.id] = (f"avanzo non vincolato {self.year}: da scrivere "
                                            "quando il risultato dell'anno è noto")
                        first_free = False
                    else:
                        self.new[r.id] = 0
                continue
            if not self.targets.projected or code is None:
                for r in rows:
                    self.new[r.id] = 0
                continue
            if code == self.targets.balancing:
                continue
            self._share(rows, self.targets.channels.get(code))
        if self.targets.projected and self.targets.balancing in by_channel:
            others = sum(v or 0 for v in self.new.values())
            rows = by_channel[self.targets.balancing]
            gap = self.new_costs - others
            self._share(rows, gap)
            info = self.catalog.get(self.targets.balancing)
            name = info.name if info else self.targets.balancing
            remarks.append(f"entrate {self.year + 1}: il canale «{name}» pareggia i costi "
                           f"({format_eur(gap)}, sulle sue {len(rows)} voci in proporzione)")
        for q in quotas:
            self.new[q.id] = 0
        if held:
            remarks.append(f"quote vincolate {self.year} ({format_eur(held)}): avanzo "
                           f"vincolato del {self.year + 1}")
        if not self.targets.projected:
            remarks.append(f"entrate {self.year + 1}: da scrivere (nessun piano triennale)")
        return remarks

    def _share(self, rows: list[RevenueItem], total: Cents | None) -> None:
        if total is None:
            for r in rows:
                self.new[r.id] = r.amount
            return
        weights = [max(r.amount or 0, 0) for r in rows]
        shares = distribute(total, weights) if any(weights) else \
            [total] + [0] * (len(rows) - 1)
        for r, v in zip(rows, shares or [total] + [0] * (len(rows) - 1), strict=True):
            self.new[r.id] = v

    # ------------------------------------------------------------------ cells
    def _write(self, items: list[RevenueItem]) -> None:
        by_id = {r.id: r for r in self.plan.revenues}
        for r in items:
            sheet, row, col = _rc(r.amount_cell)
            cell = self.edits.sheet(sheet).get(row, col)
            if cell is not None and cell.formula:
                continue
            if r.kind in ("item", "deduction"):
                value = self.new.get(r.id)
            elif cell is None or not isinstance(cell.value, (int, float)):
                continue
            else:
                plus = [self.new.get(i) for i in r.covers if by_id[i].kind in ("item",)]
                plus += [self._total(by_id[i], by_id) for i in r.covers
                         if by_id[i].kind != "item"]
                value = sum(v or 0 for v in plus) - sum(self.new.get(i) or 0
                                                        for i in r.deducts)
            if cell is None and value is None:
                continue
            self.edits.put(sheet, row, col, _money(value), note=self.notes.get(r.id))

    def _total(self, r: RevenueItem, by_id: dict[int, RevenueItem]) -> Cents:
        if r.kind in ("item", "deduction"):
            return self.new.get(r.id) or 0
        return sum(self._total(by_id[i], by_id) for i in r.covers) - \
            sum(self.new.get(i) or 0 for i in r.deducts)

    def _labels(self, items: list[RevenueItem]) -> None:
        years = {self.year - 1, self.year}
        for r in items:
            sheet, row, col = _rc(r.cell)
            v = self.edits.sheet(sheet).value(row, col)
            if isinstance(v, str):
                self.edits.text(sheet, row, col, move_years(v, years))


def revenue_tables(plan: Plan) -> list[TableLayout]:
    """The plan's single-year revenue tables."""
    layout = plan.layout
    return [t for t in layout.tables() if t.kind == KIND_REVENUE] if layout else []

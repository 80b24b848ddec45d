"""The revenue table: helpers shared by the families, and its own arithmetic (PDZ305/306).

A (sub)total adds up the *leaf* items it covers (``RevenueItem.covers``), so a wrong
intermediate subtotal is reported once, at that subtotal, and a grand total that is right
against the items stays quiet. A net total (``TOTALE PO``) is checked as written: the total
it starts from minus the deductions (quote vincolate non applicate).
"""

from __future__ import annotations

from collections import defaultdict

from ..cells import quote_sheet, split_sheet_ref
from ..formula_refs import sum_formula
from ..plan import Plan, RevenueItem
from .engine import Checker, value_fix


def revenue_tables(plan: Plan) -> tuple[list[RevenueItem], list[RevenueItem]]:
    """(primary, triennial): the single-year revenue table the plan year is checked on,
    and the rows of a multi-year revenue summary. A workbook with only a multi-year table
    (2018: the «preventivo triennale» revenues) uses it as primary."""
    summary_cells = {row.cell for s in plan.summaries if s.kind == "triennale_canali"
                     for row in s.rows}
    single = [r for r in plan.revenues if r.cell not in summary_cells]
    if single:
        return single, [r for r in plan.revenues if r.cell in summary_cells]
    return list(plan.revenues), []


def revenue_amount(r: RevenueItem, year: int) -> int:
    """A revenue row's amount for ``year`` (single-column tables: their only amount)."""
    if r.amounts:
        return r.amounts.get(year) or 0
    return r.amount or 0


def revenue_cell(r: RevenueItem, year: int) -> str:
    """The amount cell of a revenue row for ``year``."""
    return r.amount_cells.get(year, r.amount_cell) if r.amounts else r.amount_cell


def _years(r: RevenueItem, plan: Plan) -> list[int]:
    return sorted(r.amounts) if r.amounts else [plan.plan_year]


def _stated(r: RevenueItem, year: int) -> int | None:
    return r.amounts.get(year) if r.amounts else r.amount


def available_by_channel(plan: Plan) -> dict[str, int]:
    """What each channel holds in the plan year: its revenue items minus its deductions
    (quote vincolate non applicate), from the primary revenue table."""
    out: dict[str, int] = defaultdict(int)
    primary, _ = revenue_tables(plan)
    for r in primary:
        if r.channel is None:
            continue
        if r.kind == "item":
            out[r.channel] += revenue_amount(r, plan.plan_year)
        elif r.kind == "deduction":
            out[r.channel] -= revenue_amount(r, plan.plan_year)
    return dict(out)


def computed(rows: dict[int, RevenueItem], r: RevenueItem, year: int) -> int:
    """What a revenue row should hold, from the items up (stated items, computed totals)."""
    if r.kind in ("item", "deduction"):
        return revenue_amount(r, year)
    base = sum(computed(rows, rows[i], year) for i in r.covers if i in rows)
    return base - sum(computed(rows, rows[i], year) for i in r.deducts if i in rows)


def bottom_line(plan: Plan) -> RevenueItem | None:
    """The revenue side's last word: the last net total, else the last total."""
    primary, _ = revenue_tables(plan)
    for kind in ("net_total", "total"):
        rows = [r for r in primary if r.kind == kind]
        if rows:
            return rows[-1]
    return None


def check(ck: Checker) -> None:
    """PDZ305 (a total against its items) and PDZ306 (net total) for every year stated."""
    rows = {r.id: r for r in ck.plan.revenues}
    for r in ck.plan.revenues:
        if r.kind not in ("subtotal", "total", "net_total") or not r.covers:
            continue
        for year in _years(r, ck.plan):
            stated = _stated(r, year)
            if stated is not None:
                _check_row(ck, rows, r, year, stated)


def _check_row(ck: Checker, rows: dict[int, RevenueItem], r: RevenueItem, year: int,
               stated: int) -> None:
    cell = revenue_cell(r, year)
    plus = [revenue_cell(rows[i], year) for i in r.covers if i in rows]
    what = f"«{r.label}»{_year_label(r, year)} dichiara"
    if r.kind != "net_total":
        expected = sum(revenue_amount(rows[i], year) for i in r.covers if i in rows)
        ck.compare("PDZ305", cell, stated, expected, what, path=[r.label],
                   against="le sue voci sommano", related=plus,
                   fix=value_fix(cell, expected, sum_formula(plus, r.sheet)))
        return
    base = sum(_stated(rows[i], year) or 0 for i in r.covers if i in rows)
    less = sum(revenue_amount(rows[i], year) for i in r.deducts if i in rows)
    minus = [revenue_cell(rows[i], year) for i in r.deducts if i in rows]
    names = ", ".join(f"«{rows[i].label}»" for i in r.deducts if i in rows)
    ck.compare("PDZ306", cell, stated, base - less, what, path=[r.label],
               against=f"il totale meno le quote non applicate ({names}) è" if names
               else "il totale è", related=plus + minus,
               fix=value_fix(cell, base - less, _net_formula(r.sheet, plus, minus)))


def _net_formula(sheet: str, plus: list[str], minus: list[str]) -> str | None:
    """``=B25-B26-B27``: the net total as a formula over its cells."""
    if not plus:
        return None

    def ref(cell: str) -> str:
        s, a1 = split_sheet_ref(cell)
        return a1 if s == sheet else f"{quote_sheet(s)}!{a1}"

    return "=" + "+".join(ref(c) for c in plus) + "".join(f"-{ref(c)}" for c in minus)


def _year_label(r: RevenueItem, year: int) -> str:
    return f" ({year})" if r.amounts else ""

"""Family «riepiloghi»: summary tables against the detail and against themselves, and the
revenue table's subtotals."""

from __future__ import annotations

from ..plan import SummaryTable
from .engine import Checker
from .groups import group_sums, lines_total


def check(ck: Checker) -> None:
    plan = ck.plan
    sums = group_sums(plan, plan.plan_year)
    for table in plan.summaries:
        _rows_against_detail(ck, table, sums)
        _totals_against_rows(ck, table)
        _triennio(ck, table)
    _revenue_subtotals(ck)


def _plan_year_key(table: SummaryTable, year: int) -> str | None:
    for key in table.columns:
        if key == str(year) or (key.startswith("budget_") and key.endswith(str(year))):
            return key
    return None


def _rows_against_detail(ck: Checker, table: SummaryTable, sums: dict[str, int]) -> None:
    if table.kind == "triennale_canali":
        return  # channels: checked against the revenue side in «canali»
    key = _plan_year_key(table, ck.plan.plan_year)
    if key is None:
        return
    matched = False
    for row in table.rows:
        if row.is_total or row.group_key not in sums:
            continue
        matched = True
        ck.compare("PDZ301", row.value_cells[key], row.values.get(key), sums[row.group_key],
                   f"«{row.label}» nel riepilogo «{table.sheet}» dichiara per il "
                   f"{ck.plan.plan_year}", path=[row.label])
    comparable = matched or table.kind == "confronto"
    for row in table.rows:
        if row.is_total and comparable and row.values.get(key) is not None:
            ck.compare("PDZ304", row.value_cells[key], row.values[key],
                       lines_total(ck.plan, ck.plan.plan_year),
                       f"il totale del riepilogo «{table.sheet}» per il {ck.plan.plan_year} "
                       "è", against="le righe di costo sommano")


def _totals_against_rows(ck: Checker, table: SummaryTable) -> None:
    body = [r for r in table.rows if not r.is_total]
    for row in table.rows:
        if not row.is_total:
            continue
        for key in table.columns:
            stated = row.values.get(key)
            if stated is None and not any(r.values.get(key) for r in body):
                continue
            expected = sum(r.values.get(key) or 0 for r in body)
            ck.compare("PDZ302", row.value_cells[key], stated, expected,
                       f"«{row.label or 'totale'}» ({key}) del riepilogo «{table.sheet}»")


def _triennio(ck: Checker, table: SummaryTable) -> None:
    if "triennio" not in table.columns:
        return
    years = [k for k in table.columns if k.isdigit()]
    for row in table.rows:
        if row.values.get("triennio") is None:
            continue
        expected = sum(row.values.get(y) or 0 for y in years)
        ck.compare("PDZ303", row.value_cells["triennio"], row.values["triennio"], expected,
                   f"il triennio di «{row.label or 'totale'}» nel riepilogo «{table.sheet}»")


def _revenue_subtotals(ck: Checker) -> None:
    revenues = {r.id: r for r in ck.plan.revenues}
    for r in ck.plan.revenues:
        if r.amounts:  # multi-year tables are summaries too: checked above
            continue
        if r.kind in ("subtotal", "total") and r.covers:
            expected = sum(revenues[i].amount or 0 for i in r.covers)
            ck.compare("PDZ305", r.amount_cell, r.amount, expected,
                       f"«{r.label}» dichiara", path=[r.label],
                       related=[revenues[i].amount_cell for i in r.covers])
        elif r.kind == "net_total" and r.covers:
            base = sum(revenues[i].amount or 0 for i in r.covers)
            expected = base - sum(revenues[i].amount or 0 for i in r.deducts)
            ck.compare("PDZ306", r.amount_cell, r.amount, expected,
                       f"«{r.label}» dichiara", path=[r.label],
                       related=[revenues[i].amount_cell for i in r.covers + r.deducts])

"""Family «riepiloghi»: summary tables against themselves, then against the detail.

Internal checks first (a total row against the rows above it, PDZ302; the triennio against
the years, PDZ303), then the plan-year column against the cost lines (a row against the sum
of its group's lines, PDZ301; the grand total against all the lines, PDZ304) and, for the
revenue summary, against the revenue table (PDZ307). A cell that failed an internal check
is not reported again against the detail. Other years of a summary (2022, 2023, PO 2020,
pre-consuntivo) have no detail to compare with and are checked internally only. Revenue
summaries (``triennale_canali``) are revenue tables too: their totals are PDZ305/306.
"""

from __future__ import annotations

from ..channels.catalog import normalise_label
from ..formula_refs import sum_formula
from ..layout.labels import strip_numbering
from ..plan import SummaryRow, SummaryTable
from .engine import Checker, value_fix
from .groups import group_sums
from .revenue import available_by_channel, revenue_tables


def check(ck: Checker) -> None:
    """PDZ301-PDZ304 and PDZ307 over every summary table."""
    plan = ck.plan
    sums = _GroupSums(ck)
    for table in plan.summaries:
        if table.kind != "triennale_canali":
            _totals_against_rows(ck, table)
        _triennio(ck, table)
    for table in plan.summaries:
        if table.kind == "triennale_canali":
            _channels_against_revenues(ck, table)
        else:
            _rows_against_detail(ck, table, sums)


def plan_year_key(table: SummaryTable, year: int) -> str | None:
    """The column of ``table`` holding the plan year (``2021`` or ``budget_2021``)."""
    for key in table.columns:
        if key == str(year) or (key.startswith("budget_") and key.endswith(str(year))):
            return key
    return None


def _match_group(key: str | None, sums: dict[str, int]) -> str | None:
    """The group of the lines a summary row refers to: the same key, else the only group of
    the same level whose label contains the row's label or is contained in it."""
    if key is None:
        return None
    if key in sums:
        return key
    level, _, label = key.partition(":")
    if level != "area" or not label:
        return None
    hits = [k for k in sums if k.startswith("area:")
            and (label in k[5:] or k[5:] in label)]
    return hits[0] if len(hits) == 1 else None


class _GroupSums:
    """The lines' sums by group of the plan year, computed when a summary needs them."""

    def __init__(self, ck: Checker) -> None:
        self.ck = ck
        self._sums: dict[str, int] | None = None

    def get(self) -> dict[str, int]:
        """:func:`group_sums` of the plan year."""
        if self._sums is None:
            plan = self.ck.plan
            self._sums = group_sums(plan, plan.plan_year, self.ck.facts)
        return self._sums


def _rows_against_detail(ck: Checker, table: SummaryTable, group_sums: _GroupSums) -> None:
    year = ck.plan.plan_year
    key = plan_year_key(table, year)
    if key is None:
        return
    sums = group_sums.get()
    levels = {k.partition(":")[0] for k in sums}
    matched = False
    for row in table.rows:
        if row.is_total or row.values.get(key) is None:
            continue
        if row.group_key is None:  # a group named without its level word: by its name
            by_name = f"label:{normalise_label(strip_numbering(row.label))}"
            if by_name not in sums:
                continue
            row = row.model_copy(update={"group_key": by_name})
        group = _match_group(row.group_key, sums)
        if group is None and row.group_key.partition(":")[0] not in levels:
            continue  # grouped differently from the detail (obiettivi vs aree): not comparable
        matched = True
        expected = sums.get(group, 0) if group else 0
        against = "le sue righe di costo sommano" if group else \
            "non ci sono righe di costo di questo gruppo: il dettaglio somma"
        ck.compare("PDZ301", row.value_cells[key], row.values[key], expected,
                   f"«{row.label}» nel riepilogo «{table.sheet}» dichiara per il {year}",
                   path=[row.label], against=against, once=True)
    if not (matched or table.kind == "confronto"):
        return
    total = ck.facts.total(year)
    grand = [r for r in table.rows if r.is_total][-1:]  # subtotals: PDZ302 and their rows
    for row in grand:
        if row.values.get(key) is not None:
            ck.compare("PDZ304", row.value_cells[key], row.values[key], total,
                       f"il totale «{row.label or 'totale'}» del riepilogo «{table.sheet}» "
                       f"per il {year} è", against="le righe di costo sommano", once=True,
                       path=[row.label or "TOTALE"])


def _sections(table: SummaryTable) -> list[tuple[SummaryRow, list[SummaryRow]]]:
    """Each total row with the body rows it closes: the rows since the previous total;
    the last total of a table with several closes every body row."""
    out: list[tuple[SummaryRow, list[SummaryRow]]] = []
    body_all = [r for r in table.rows if not r.is_total]
    section: list[SummaryRow] = []
    totals = [r for r in table.rows if r.is_total]
    for row in table.rows:
        if not row.is_total:
            section.append(row)
            continue
        last = row is totals[-1]
        out.append((row, body_all if last and len(totals) > 1 else section))
        section = []
    return out


def _totals_against_rows(ck: Checker, table: SummaryTable) -> None:
    for row, body in _sections(table):
        for key in table.columns:
            stated = row.values.get(key)
            if stated is None:
                continue
            expected = sum(r.values.get(key) or 0 for r in body)
            cell = row.value_cells[key]
            refs = [r.value_cells[key] for r in body if key in r.value_cells]
            ck.compare("PDZ302", cell, stated, expected,
                       f"«{row.label or 'totale'}» ({_column_label(key)}) del riepilogo "
                       f"«{table.sheet}» dichiara", against="le righe sopra sommano",
                       path=[row.label or "TOTALE"],
                       fix=value_fix(cell, expected, sum_formula(refs, table.sheet)
                                     if refs else None))


def _triennio(ck: Checker, table: SummaryTable) -> None:
    """The triennio of each body row against its years (a total row's triennio is already
    its column's total, PDZ302 — unless the table has no body rows)."""
    if "triennio" not in table.columns:
        return
    years = [k for k in table.columns if k.isdigit()]
    has_body = any(not r.is_total for r in table.rows)
    for row in table.rows:
        stated = row.values.get("triennio")
        if stated is None or (row.is_total and has_body):
            continue
        expected = sum(row.values.get(y) or 0 for y in years)
        cell = row.value_cells["triennio"]
        refs = [row.value_cells[y] for y in years if y in row.value_cells]
        ck.compare("PDZ303", cell, stated, expected,
                   f"il triennio di «{row.label or 'totale'}» nel riepilogo «{table.sheet}» è",
                   path=[row.label or "TOTALE"],
                   against=f"gli anni {', '.join(years)} sommano", once=True,
                   fix=value_fix(cell, expected, sum_formula(refs, table.sheet)
                                 if refs else None))


def _channels_against_revenues(ck: Checker, table: SummaryTable) -> None:
    """Revenue summary rows (plan year) against the single-year revenue table, per channel,
    when the workbook has both (otherwise the summary *is* the revenue table)."""
    primary, triennial = revenue_tables(ck.plan)
    if not triennial:
        return
    key = plan_year_key(table, ck.plan.plan_year)
    if key is None:
        return
    available = available_by_channel(ck.plan)
    gross: dict[str, int] = {}
    for r in primary:
        if r.kind == "item" and r.channel:
            gross[r.channel] = gross.get(r.channel, 0) + (r.amount or 0)
    for row in table.rows:
        if row.is_total or not (row.group_key or "").startswith("channel:"):
            continue
        code = row.group_key.partition(":")[2]
        stated = row.values.get(key)
        if stated is None or code not in available or stated == gross.get(code):
            continue  # a gross figure (before the quote non applicate) is fine as well
        ck.compare("PDZ307", row.value_cells[key], stated, available[code],
                   f"il canale «{row.label}» nel riepilogo «{table.sheet}» dichiara per il "
                   f"{ck.plan.plan_year}", path=[row.label], once=True,
                   against="la tabella delle entrate gli assegna")


def _column_label(key: str) -> str:
    return normalise_label(key.replace("_", " ")) if not key.isdigit() else key

"""Read revenue tables ("Canali di finanziamento") and summary tables."""

from __future__ import annotations

import re

from ..cells import sheet_ref
from ..channels.catalog import Catalog, normalise_label
from ..grid import SheetGrid
from ..plan import RevenueItem, SummaryRow, SummaryTable
from .amounts import AmountReader
from .kinds import label_column
from .labels import is_total_label, summary_group_key
from .model import COL_AMOUNT, COL_TRIENNIO, TableLayout

_DEDUCTION_RE = re.compile(r"quot[ae] vincolat|non applicat|da non applicare|accantonat")
_NET_TOTAL_RE = re.compile(r"^totale (po|piano operativo|netto|disponibile)\b")
_GRAND_TOTAL_RE = re.compile(r"^totale( budget| generale| complessivo| entrate e avanzo)?$")
# entrate minus uscite, under a quadro economico: neither a source nor a total of sources
_BALANCE_RE = re.compile(r"^(saldo|differenza|sbilancio|pareggio|risultato)\b")


def _label(sheet: SheetGrid, row: int, col: int | None) -> str:
    cell = sheet.get(row, col) if col else None
    if cell is None or cell.value is None:
        return ""
    return str(cell.value).strip()


def summary_columns(table: TableLayout, kind: str) -> dict[int, str]:
    """Column -> summary key: the year (``2021``), ``triennio``, ``importo``; a confronto
    keeps the kind (``po_2020``, ``preconsuntivo_2020``, ``budget_2021``)."""
    cols: dict[int, str] = {}
    for c, r in sorted(table.columns.items()):
        if r.role == COL_AMOUNT and r.year:
            cols[c] = f"{_KEY_KIND.get(r.kind or 'budget', r.kind)}_{r.year}" \
                if kind == "confronto" else str(r.year)
        elif r.role == COL_AMOUNT:
            cols[c] = "importo"
        elif r.role == COL_TRIENNIO:
            cols[c] = "triennio"
    return cols


_KEY_KIND = {"anno": "budget", "importo": "budget", "previsione": "budget"}


def read_summary(sheet: SheetGrid, table: TableLayout, kind: str, amounts: AmountReader,
                 catalog: Catalog) -> SummaryTable:
    """A summary table: rows with their values per column key."""
    cols = summary_columns(table, kind)
    label_col = label_column(table.columns)
    rows: list[SummaryRow] = []
    for r in range(table.first_row, table.last_row + 1):
        if r not in sheet.rows:
            continue
        label = _label(sheet, r, label_col)
        values, notes = {}, {}
        for c, key in cols.items():
            cell = sheet.get(r, c)
            raw = cell.value if cell else None
            cents = amounts.read(sheet, r, c, text_ok=True)
            if cents is None and isinstance(raw, str) and raw.strip():
                notes[key] = raw.strip()
            values[key] = cents
        if not label and not any(v is not None for v in values.values()) and not notes:
            continue
        total = not label or is_total_label(label)
        rows.append(SummaryRow(
            cell=sheet_ref(sheet.name, r, label_col or table.first_col), row=r, label=label,
            is_total=total, values=values,
            value_cells={k: sheet_ref(sheet.name, r, c) for c, k in cols.items()},
            formulas={k: (sheet.get(r, c).formula if sheet.get(r, c) else None)
                      for c, k in cols.items()},
            notes=notes,
            group_key=None if total else summary_group_key(
                label, lambda t: catalog.resolve(t)),
        ))
    title = table.title
    return SummaryTable(kind=kind, sheet=sheet.name, header_row=table.header_row,
                        title=title or None, columns=list(cols.values()),
                        column_cells={k: sheet_ref(sheet.name, table.header_row, c)
                                      for c, k in cols.items()},
                        rows=rows)


def revenues_from(table: SummaryTable, plan_year: int | None, catalog: Catalog,
                  channel_columns: list[str], start_id: int, amounts: AmountReader
                  ) -> list[RevenueItem]:
    """Revenue rows with their kind, the channel they feed and what (sub)totals cover."""
    items: list[RevenueItem] = []
    leaf_ids: list[int] = []  # items since the start
    since_subtotal: list[int] = []
    deductions: list[int] = []
    last_total: int | None = None
    year_keys = {k: int(k) for k in table.columns if k.isdigit()}
    for row in table.rows:
        rid = start_id + len(items)
        n = normalise_label(row.label)
        if year_keys:
            amounts_by_year = {y: row.values.get(k) for k, y in year_keys.items()}
            cells_by_year = {y: row.value_cells[k] for k, y in year_keys.items()}
            amount = amounts_by_year.get(plan_year) if plan_year else None
            amount_cell = cells_by_year.get(plan_year, row.cell) if plan_year else row.cell
        else:
            key = table.columns[0] if table.columns else "importo"
            amounts_by_year, cells_by_year = {}, {}
            amount, amount_cell = row.values.get(key), row.value_cells.get(key, row.cell)
        formula = row.formulas.get(next(iter(row.formulas), ""), None) if row.formulas else None
        code, _ = catalog.resolve(row.label) if row.label else (None, None)
        if row.is_total:
            if _NET_TOTAL_RE.match(n) and last_total is not None:
                kind, covers, deducts = "net_total", [last_total], list(deductions)
            elif _GRAND_TOTAL_RE.match(n) or not n:
                kind, covers, deducts = "total", list(leaf_ids), []
                last_total, deductions = rid, []
            else:
                kind, covers, deducts = "subtotal", list(since_subtotal), []
            since_subtotal = [] if kind == "subtotal" else since_subtotal
            items.append(RevenueItem(
                id=rid, cell=row.cell, sheet=table.sheet, row=row.row, label=row.label,
                kind=kind, amount=amount, amount_cell=amount_cell, formula=formula,
                amounts=amounts_by_year, amount_cells=cells_by_year, covers=covers,
                deducts=deducts))
            continue
        if code is None and _BALANCE_RE.match(n):
            continue
        is_deduction = last_total is not None and bool(_DEDUCTION_RE.search(n))
        channel = None
        if code:
            channel = catalog.column_for(code, channel_columns) if channel_columns else code
        if channel is None:
            amounts.note("PDZ007", "avviso", row.cell,
                         f"la voce di entrata «{row.label}» non corrisponde a nessun canale "
                         "delle tabelle dei costi: aggiungerla al foglio «Canali PDZ».")
        items.append(RevenueItem(
            id=rid, cell=row.cell, sheet=table.sheet, row=row.row, label=row.label,
            kind="deduction" if is_deduction else "item", channel=channel, source=code,
            amount=amount, amount_cell=amount_cell, formula=formula,
            restricted=catalog.is_restricted(code) if code else False,
            amounts=amounts_by_year, amount_cells=cells_by_year))
        if is_deduction:
            deductions.append(rid)
        else:
            leaf_ids.append(rid)
            since_subtotal.append(rid)
    return items

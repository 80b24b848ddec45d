"""What a table is: cost lines, revenues, or a summary (triennial, pluriennale,
confronto, riepilogo) — from its columns and the labels of its rows."""

from __future__ import annotations

from ..formula_refs import referenced_sheets
from ..grid import SheetGrid
from .labels import heading_of, is_total_label, numbering_of
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_CHANNEL_NAME,
    COL_GROUP,
    COL_TRIENNIO,
    COL_VOCE,
    COL_YEAR_NAME,
    KIND_CONFRONTO,
    KIND_COST,
    KIND_IGNORE,
    KIND_PLURIENNALE,
    KIND_REVENUE,
    KIND_REVENUE_MULTI,
    KIND_SUMMARY,
    KIND_TRIENNIAL,
    ColumnRole,
)

_LOOKBACK_KINDS = frozenset({"po", "preconsuntivo", "consuntivo"})


def label_column(columns: dict[int, ColumnRole]) -> int | None:
    """The column naming the rows: the voce, else a channel-name or group column."""
    for role in (COL_VOCE, COL_CHANNEL_NAME, COL_GROUP):
        cols = [c for c, r in sorted(columns.items()) if r.role == role]
        if cols:
            return cols[0] if role != COL_GROUP else cols[-1]
    return None


def row_labels(sheet: SheetGrid, rows: list[int], col: int | None) -> list[tuple[int, str]]:
    if col is None:
        return []
    out = []
    for r in rows:
        cell = sheet.get(r, col)
        if cell is not None and isinstance(cell.value, str) and cell.value.strip():
            out.append((r, cell.value.strip()))
    return out


def cross_sheet_share(sheet: SheetGrid, rows: list[int], cols: list[int]) -> tuple[float, set]:
    """Share of the amount cells that are formulas reading other sheets, and which."""
    total = cross = 0
    sheets: set[str] = set()
    sheet_rows = sheet.rows
    for r in rows[:300]:
        cells = sheet_rows.get(r)
        if not cells:
            continue
        for c in cols:
            cell = cells.get(c)
            if cell is None or cell.value is None:
                continue
            total += 1
            f = cell.formula
            if not f or "!" not in f:
                continue
            refs = referenced_sheets(f)
            refs.discard(sheet.name)
            if refs:
                cross += 1
                sheets |= refs
    return (cross / total if total else 0.0), sheets


def classify(sheet: SheetGrid, rows: list[int], columns: dict[int, ColumnRole], resolve
             ) -> tuple[str, str, bool]:
    """(kind, why, long shape) of a table."""
    roles = [r.role for r in columns.values()]
    values = [c for c, r in columns.items() if r.role in (COL_AMOUNT, COL_CHANNEL, COL_TRIENNIO)]
    if not values:
        return KIND_IGNORE, "nessuna colonna di importi", False
    years = [r for r in columns.values() if r.role == COL_AMOUNT]
    has_triennio = COL_TRIENNIO in roles
    long_shape = COL_VOCE in roles and (COL_CHANNEL_NAME in roles or COL_YEAR_NAME in roles)
    if long_shape:
        return KIND_COST, "una riga per voce e canale (tabella lunga)", True
    share, others = cross_sheet_share(sheet, rows, values)
    if COL_CHANNEL in roles and not has_triennio and share < 0.5:
        return KIND_COST, "colonne dei canali di finanziamento", False
    if COL_GROUP in roles and COL_VOCE in roles:
        return KIND_COST, "colonne dei gruppi e della voce", False
    label_col = label_column(columns)
    labels = [(r, t) for r, t in row_labels(sheet, rows, label_col) if not is_total_label(t)]
    channel_like = sum(1 for _, t in labels if resolve(t)[0])
    mostly_channels = bool(labels) and channel_like * 2 > len(labels)
    if mostly_channels and not _has_azioni(labels):
        if has_triennio or len(years) > 1:
            return KIND_REVENUE_MULTI, "righe di canali, più anni", False
        return KIND_REVENUE, "righe di canali di finanziamento", False
    groupish = _all_groups(sheet, labels, values)
    if share >= 0.5 or groupish:
        why = (f"formule che leggono altri fogli ({', '.join(sorted(others))})" if share >= 0.5
               else "righe di aree/obiettivi con importi")
        kinds = {r.kind for r in years}
        if has_triennio:
            return KIND_TRIENNIAL, why, False
        if kinds & _LOOKBACK_KINDS:
            return KIND_CONFRONTO, why, False
        if len({r.year for r in years}) >= 2:
            return KIND_PLURIENNALE, why, False
        return KIND_SUMMARY, why, False
    if has_triennio and not _has_azioni(labels) and COL_CHANNEL not in roles \
            and len(labels) <= 40 and all(_valued(sheet, r, values) for r, _ in labels):
        return KIND_TRIENNIAL, "colonna del triennio, righe tutte con importi", False
    return KIND_COST, "righe di costo", False


def _valued(sheet: SheetGrid, row: int, values: list[int]) -> bool:
    cells = sheet.rows.get(row, {})
    return any(c in cells and cells[c].value is not None for c in values)


def _has_azioni(labels: list[tuple[int, str]]) -> bool:
    return any((h := heading_of(t)) is not None and h.level == "azione" for _, t in labels)


def _all_groups(sheet: SheetGrid, labels: list[tuple[int, str]], values: list[int]) -> bool:
    """Every labelled row names a group (area, obiettivo, servizio, azione) and has
    amounts — no voce under them: a summary of groups."""
    def valued(r: int) -> bool:
        cells = sheet.rows.get(r, {})
        return any(c in cells and cells[c].value is not None for c in values)

    while labels and not valued(labels[-1][0]):
        labels = labels[:-1]  # the title of what follows
    if not labels:
        return False
    for r, t in labels:
        h = heading_of(t, bold=True)
        if h is None:
            num = numbering_of(t)
            if num is None or num.depth != 1:
                return False
        if not valued(r):
            return False
    return True

"""Find table header rows on a sheet and classify each table by what it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..channels.catalog import normalise_label
from ..grid import SheetGrid
from .labels import ColumnHeader, classify_header, heading_of, is_total_label

TableKind = str  # cost | revenue | triennale | confronto | pluriennale


@dataclass
class TableBlock:
    """A header row, what each of its columns is, and the rows below it."""

    sheet: SheetGrid
    header_row: int
    columns: dict[int, ColumnHeader]
    header_texts: dict[int, str]
    body_rows: list[int] = field(default_factory=list)
    label_col: int = 1
    kind: TableKind = "cost"

    @property
    def amount_cols(self) -> list[int]:
        return sorted(c for c, h in self.columns.items()
                      if h.kind in ("year", "triennio", "amount"))

    @property
    def channel_cols(self) -> list[int]:
        return sorted(c for c, h in self.columns.items() if h.kind == "channel")

    def label_text(self) -> str:
        """The header's own label cell (e.g. ``SERVIZIO TM``), if any."""
        return self.header_texts.get(self.label_col, "")


_HEADER_HINT = re.compile(r"(19|20)\d\d|trienn|import|budget|euro", re.I)


def _is_header_row(cells, resolve) -> dict[int, ColumnHeader] | None:
    """A row is a header when it is all text and announces at least one amount column."""
    if len(cells) < 2:
        return None
    hinted = False
    for cell in cells.values():
        v = cell.value
        if isinstance(v, str):
            hinted = hinted or bool(_HEADER_HINT.search(v))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            fmt = cell.number_format or ""
            if not (1990 <= v <= 2100 and float(v).is_integer()) or "€" in fmt \
                    or "0.00" in fmt or "0,00" in fmt:
                return None  # an amount (2000 € is not the year 2000): a data row
    if not hinted:
        return None
    classified: dict[int, ColumnHeader] = {}
    for col, cell in cells.items():
        v = cell.value
        if v is None or v == "":
            continue
        if not isinstance(v, str):
            h = classify_header(v, resolve)
            if h.kind != "year":
                return None
            classified[col] = h
            continue
        classified[col] = classify_header(v, resolve)
    if len(classified) < 2:  # a title such as "PIANO OPERATIVO 2018" is not a header
        return None
    kinds = [h.kind for h in classified.values()]
    if not any(k in ("year", "triennio") for k in kinds) and "amount" not in kinds:
        return None
    return classified


def find_tables(sheet: SheetGrid, resolve, header_rows: list[int] | None = None
                ) -> list[TableBlock]:
    """All table blocks of a sheet, in order; body = rows until the next header."""
    blocks: list[TableBlock] = []
    for row, cells in sheet.iter_rows():
        if header_rows is not None and row not in header_rows:
            if blocks:
                blocks[-1].body_rows.append(row)
            continue
        cols = _is_header_row(cells, resolve)
        if cols is None:
            if blocks:
                blocks[-1].body_rows.append(row)
            continue
        texts = {c: str(cells[c].value).strip() for c in cols}
        blocks.append(TableBlock(sheet=sheet, header_row=row, columns=cols, header_texts=texts))
    for b in blocks:
        b.label_col = _label_col(b)
        b.kind = _classify(b, resolve)
    return blocks


def _label_col(block: TableBlock) -> int:
    """The column of row labels: left of the amounts, the one with most text below."""
    data_cols = [c for c, h in block.columns.items()
                 if h.kind in ("year", "triennio", "amount", "channel")]
    first = min(data_cols) if data_cols else 2
    counts: dict[int, int] = {}
    for r in block.body_rows[:200]:
        cells = block.sheet.rows.get(r, {})
        for c, cell in cells.items():
            if c < first and isinstance(cell.value, str) and cell.value.strip():
                counts[c] = counts.get(c, 0) + 1
    ignored = {c for c, h in block.columns.items() if h.kind == "ignore"}
    candidates = {c: n for c, n in counts.items() if c not in ignored}
    if candidates:
        return max(candidates, key=lambda c: (candidates[c], -c))
    return max(1, first - 1)


def _body_labels(block: TableBlock) -> list[str]:
    out = []
    for r in block.body_rows:
        cell = block.sheet.get(r, block.label_col)
        if cell is not None and isinstance(cell.value, str) and cell.value.strip():
            out.append(cell.value.strip())
    return out


def _classify(block: TableBlock, resolve) -> TableKind:
    kinds = [h.kind for h in block.columns.values()]
    prefixes = {h.prefix for h in block.columns.values() if h.kind == "year"}
    if "triennio" not in kinds and prefixes & {"po", "preconsuntivo", "consuntivo"}:
        return "confronto"
    if "channel" in kinds and "triennio" not in kinds:
        return "cost"
    labels = _body_labels(block)[:80]
    non_total = [t for t in labels if not is_total_label(t)]
    headings = [heading_of(t) for t in non_total]
    has_azioni = any(h is not None and h.level == "azione" for h in headings)
    if has_azioni and "triennio" not in kinds:
        return "cost"
    channel_like = sum(1 for t in non_total if resolve(t)[0]) if non_total else 0
    mostly_channels = bool(non_total) and channel_like * 2 > len(non_total)
    if "triennio" in kinds:
        return "revenue_multi" if mostly_channels else "triennale"
    year_cols = [h for h in block.columns.values() if h.kind == "year"]
    if mostly_channels and len(year_cols) <= 1:
        return "revenue"
    first_text = normalise_label(block.label_text())
    area_rows = sum(1 for h in headings if h is not None and h.level in ("area", "obiettivo"))
    if len(year_cols) >= 2 and (first_text in ("aree", "area", "obiettivi", "obiettivo")
                                or (non_total and area_rows == len(non_total))):
        return "pluriennale"
    if mostly_channels:
        return "revenue_multi" if len(year_cols) > 1 else "revenue"
    return "cost"

"""Where the tables of a sheet are: header bands, their column spans, their rows.

A header band is one or more adjacent header rows (``BUDGET 2021`` merged over
``Totale | FNPS | FSOL``). A band can hold several tables side by side: a blank column
between them, or a new label column after the amount columns of the first. A table's
body runs down to the next band over the same columns; an Excel Table (ListObject) is
a region of its own. Label columns with no header text (the labels of the 2021
*schede*) are taken in from the left.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ..grid import SheetGrid
from .headers import Band, band_meanings, find_bands, is_amount_text
from .model import COL_CHANNEL_NAME, COL_UNKNOWN, COL_YEAR_NAME
from .vocabulary import UNKNOWN, HeaderMeaning, header_meaning


@dataclass(slots=True)
class Region:
    """A table's place on a sheet, with what its header cells say."""

    sheet: SheetGrid
    header_rows: list[int]
    first_col: int
    last_col: int
    first_row: int  # first body row
    last_row: int
    headers: dict[int, list[str]] = field(default_factory=dict)  # col -> texts top->bottom
    meanings: dict[int, HeaderMeaning] = field(default_factory=dict)
    excel_table: str | None = None
    totals_rows: int = 0  # an Excel Table's totals row(s) at the bottom

    @property
    def header_row(self) -> int:
        return self.header_rows[-1]

    def body_rows(self) -> list[int]:
        rows = self.sheet.rows
        return [r for r in range(self.first_row, self.last_row + 1) if r in rows]


def _segments(band: Band, sheet: SheetGrid, body: list[int]) -> list[tuple[int, int]]:
    """Column spans of the tables sharing one header band."""
    cols = sorted(c for c, t in band.texts.items() if t)
    if not cols:
        return []
    runs: list[list[int]] = [[cols[0]]]
    for c in cols[1:]:
        if c == runs[-1][-1] + 1 or not _blank_column_between(sheet, body, runs[-1][-1], c):
            runs[-1].append(c)
        else:
            runs.append([c])
    # a run of amounts without labels belongs to the table on its left; a run of labels
    # without amounts is a notes column, unless amounts without labels follow it
    kinds = [_run_kind(band, sheet, body, run) for run in runs]
    merged: list[list[int]] = []
    for i, (run, (values, labels)) in enumerate(zip(runs, kinds, strict=True)):
        nxt = kinds[i + 1] if i + 1 < len(runs) else (False, False)
        starts = (values and labels) or (labels and not values and nxt == (True, False))
        if merged and not starts:
            merged[-1].extend(run)
        else:
            merged.append(list(run))
    out: list[tuple[int, int]] = []
    for run in merged:
        out.extend(_split_run(band, sheet, body, run))
    return out


def _blank_column_between(sheet: SheetGrid, body: list[int], a: int, b: int) -> bool:
    """True when the columns strictly between ``a`` and ``b`` are empty in the body."""
    for r in body[:300]:
        cells = sheet.rows.get(r)
        if cells and any(a < c < b for c in cells):
            return False
    return True


def _texty(sheet: SheetGrid, body: list[int], col: int) -> bool:
    """Most non-empty body cells of the column are text that is not an amount."""
    text = num = 0
    rows = sheet.rows
    for r in body[:300]:
        cells = rows.get(r)
        cell = cells.get(col) if cells else None
        if cell is None:
            continue
        v = cell.value
        if v is None:
            continue
        if isinstance(v, str) and not is_amount_text(v):
            text += 1
        else:
            num += 1
    return text > num


def _run_kind(band: Band, sheet: SheetGrid, body: list[int], run: list[int]
              ) -> tuple[bool, bool]:
    """(has amount columns, has a label column before its first amount column)."""
    first_value = next((c for c in run if band.meanings[c].is_value), None)
    leading = [c for c in run if first_value is None or c < first_value]
    return first_value is not None, any(_is_label(band, sheet, body, c) for c in leading)


def _is_label(band: Band, sheet: SheetGrid, body: list[int], col: int) -> bool:
    m = band.meanings.get(col, UNKNOWN)
    if m.is_value:
        return False
    return m.role != COL_UNKNOWN or _texty(sheet, body, col)


def _split_run(band: Band, sheet: SheetGrid, body: list[int], run: list[int]
               ) -> list[tuple[int, int]]:
    """Split a contiguous run where a new label column follows amounts and precedes more
    amounts, unless it is the channel or year column of a long table (same records)."""
    starts = [run[0]]
    seen_value = False
    for i, c in enumerate(run):
        m = band.meanings[c]
        if m.is_value:
            seen_value = True
            continue
        if not seen_value or c == run[0]:
            continue
        if not any(band.meanings[d].is_value for d in run[i + 1:]):
            continue
        if not _texty(sheet, body, c):
            continue
        if m.role in (COL_CHANNEL_NAME, COL_YEAR_NAME) and _same_records(sheet, body, run[0], c):
            continue
        starts.append(c)
        seen_value = False
    ends = [*[s - 1 for s in starts[1:]], run[-1]]
    return list(zip(starts, ends, strict=True))


def _same_records(sheet: SheetGrid, body: list[int], left: int, col: int) -> bool:
    """A column whose rows are the rows of the columns on its left (a long table)."""
    with_text = both = 0
    for r in body[:300]:
        cells = sheet.rows.get(r, {})
        if col in cells and cells[col].value not in (None, ""):
            with_text += 1
            if any(left <= c < col and cells[c].value not in (None, "") for c in cells):
                both += 1
    return with_text > 0 and both >= 0.8 * with_text


def find_regions(sheet: SheetGrid, resolve, stated: dict | None = None) -> list[Region]:
    """Every table region of a sheet, in reading order (top to bottom, left to right).

    ``stated`` (from ``_pdz``): ``anchors``, the tables the sheet holds by their (lowest)
    header row, each with its header ``rows``, its ``cols`` (first, last) and its ``end``
    row when stated — only those tables are read.
    """
    stated = stated or {}
    anchors: dict[tuple[int, int | None], dict] = stated.get("anchors") or {}
    anchor_rows = {r for r, _ in anchors}
    regions: list[Region] = []
    claimed: list[tuple[int, int, int, int]] = []
    for xt in getattr(sheet, "tables", ()):
        r1, c1, r2, c2 = xt.ref
        h = max(xt.header_rows, 0)
        header_rows = list(range(r1, r1 + h)) or [r1]
        if anchors and header_rows[-1] not in anchor_rows:
            continue
        texts, meanings = band_meanings(sheet, header_rows, resolve)
        if not xt.header_rows:
            texts = {c1 + i: [name] for i, name in enumerate(xt.columns)}
            meanings = {c: header_meaning(t[0], resolve) for c, t in texts.items()}
        regions.append(Region(sheet, header_rows, c1, c2, r1 + h, r2, texts, meanings,
                              excel_table=xt.name, totals_rows=xt.totals_rows))
        claimed.append((r1, c1, r2, c2))
    if anchors:
        bands = _stated_bands(sheet, resolve, anchors, {reg.header_row for reg in regions})
    else:
        bands = find_bands(sheet, resolve)
        bands = [b for b in bands if not any(r1 <= b.rows[-1] <= r2 and
                                             any(c1 <= c <= c2 for c in b.texts)
                                             for r1, c1, r2, c2 in claimed)]
    max_row = sheet.max_row
    pending: list[Region] = []
    fixed: set[int] = set()  # regions whose columns are stated
    ends: dict[tuple[int, int], int] = {}
    for i, band in enumerate(bands):
        bottom = band.rows[-1]
        nxt = next((bands[j].rows[0] for j in range(i + 1, len(bands))
                    if bands[j].rows[0] > bottom), max_row + 1)
        sample = [r for r in range(bottom + 1, min(nxt, bottom + 400)) if r in sheet.rows]
        spans = band.spec.get("cols")
        segs = [spans] if spans else _segments(band, sheet, sample)
        if band.spec.get("col") is not None and not spans:  # stated by its first cell
            segs = [sg for sg in segs if sg[0] <= band.spec["col"] <= sg[1]]
        for c1, c2 in segs:
            if band.spec.get("end"):
                ends[(bottom, c1)] = band.spec["end"]
            used = [r for r in band.rows
                    if any(c1 <= c <= c2 for c in band.row_cols.get(r, ()))] or band.rows
            rows = list(range(used[0], used[-1] + 1)) if not spans else band.rows
            reg = Region(sheet, rows, c1, c2, rows[-1] + 1, max_row,
                         {c: t for c, t in band.texts.items() if c1 <= c <= c2},
                         {c: m for c, m in band.meanings.items() if c1 <= c <= c2})
            pending.append(reg)
            if spans:
                fixed.add(id(reg))
    by_top = sorted(pending, key=lambda g: g.header_rows[0])
    tops = [g.header_rows[0] for g in by_top]
    for reg in pending:  # each body stops at the next band over its columns
        for other in by_top[bisect_right(tops, reg.header_row):]:
            if other.header_rows[0] > reg.last_row:
                break
            if other.first_col <= reg.last_col and other.last_col >= reg.first_col:
                reg.last_row = other.header_rows[0] - 1
                break  # the first below is the nearest
        for r1, c1, _r2, c2 in claimed:
            if reg.header_row < r1 <= reg.last_row and c1 <= reg.last_col and \
                    c2 >= reg.first_col:
                reg.last_row = r1 - 1
        end = ends.get((reg.header_row, reg.first_col))
        if end:
            reg.last_row = min(reg.last_row, end)
    on_row: dict[int, list[Region]] = {}  # header row -> the regions it heads
    for reg in pending:
        for r in reg.header_rows:
            on_row.setdefault(r, []).append(reg)
    for reg in pending:
        if id(reg) not in fixed:
            beside = {id(o): o for r in reg.header_rows for o in on_row[r]}
            _take_label_columns(reg, list(beside.values()))
        _trim(reg)
    regions.extend(_join_repeated_headers(pending))
    regions.sort(key=lambda g: (g.header_rows[0], g.first_col))
    return regions


def _join_repeated_headers(regions: list[Region]) -> list[Region]:
    """A header copied down the sheet at each printed page, between two lines (a figure
    just above it and just under it), continues the table above: one table, not two
    (the groups open over the copy go on under it)."""
    out: list[Region] = []
    for reg in sorted(regions, key=lambda g: (g.header_rows[0], g.first_col)):
        prev = next((o for o in reversed(out) if o.first_col == reg.first_col
                     and o.last_col == reg.last_col), None)
        top = reg.header_rows[0]
        if prev is not None and prev.last_row == top - 1 and not prev.excel_table \
                and not reg.excel_table and prev.headers == reg.headers \
                and _has_figure(reg, top - 1) and _has_figure(reg, reg.header_row + 1):
            prev.last_row = reg.last_row
            continue
        out.append(reg)
    return out


def _has_figure(reg: Region, row: int) -> bool:
    cells = reg.sheet.rows.get(row)
    return bool(cells) and any(
        type(cell.value) in (int, float) for c, cell in cells.items()
        if c in reg.meanings and reg.meanings[c].is_value)


def _stated_bands(sheet: SheetGrid, resolve, anchors: dict[tuple[int, int | None], dict],
                  skip: set[int]) -> list[Band]:
    """The header bands of the tables ``_pdz`` states (restricted to their columns)."""
    out = []
    for (bottom, col), spec in sorted(anchors.items(), key=lambda kv: (kv[0][0],
                                                                     kv[0][1] or 0)):
        if bottom in skip:
            continue
        rows = spec.get("rows") or [bottom]
        span = spec.get("cols")
        per_row = {r: {c for c in sheet.rows.get(r, {})
                       if span is None or span[0] <= c <= span[1]} for r in rows}
        out.append(Band(rows, *band_meanings(sheet, rows, resolve, per_row), per_row,
                         {**spec, "col": col}))
    return out


def _take_label_columns(reg: Region, all_regions: list[Region]) -> None:
    """Extend a region left over the columns whose body holds labels but whose header cell
    is empty (the 2021 *schede*: labels in A, header from B); ``all_regions``: at least
    those sharing a header row with it."""
    limit = 1
    for other in all_regions:
        if other is not reg and set(other.header_rows) & set(reg.header_rows) \
                and other.last_col < reg.first_col:
            limit = max(limit, other.last_col + 1)
    lo, hi = reg.first_col, reg.last_col
    body = reg.body_rows()[:300]
    sheet_rows = reg.sheet.rows
    last_filled = None
    for r in reversed(body):
        if any(lo <= c <= hi for c in sheet_rows[r]):
            last_filled = r
            break
    # the rows of the table: from its first to its last row with content in its columns
    # (headings written on rows of their own, left of the amounts, lie between them)
    rows = [r for r in body if r <= last_filled] if last_filled is not None else []
    col = reg.first_col - 1
    gap = 0
    while col >= limit:
        values = [reg.sheet.value(r, col) for r in rows]
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            break  # numbers: another table's column
        if any(isinstance(v, str) and v.strip() for v in values):
            reg.first_col = col
            gap = 0
        elif gap >= 1:
            break  # two blank columns: the table ends here
        else:
            gap += 1  # one blank spacer column between labels and amounts
        col -= 1


def _trim(reg: Region) -> None:
    """Drop blank rows at the bottom of a region (within its columns)."""
    rows = reg.sheet.rows
    r = reg.last_row
    while r >= reg.first_row:
        cells = rows.get(r)
        if cells and any(reg.first_col <= c <= reg.last_col and cell.value not in (None, "")
                         for c, cell in cells.items()):
            break
        r -= 1
    reg.last_row = max(r, reg.first_row - 1)

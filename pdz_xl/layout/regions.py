"""Where the tables of a sheet are: header bands, their column spans, their rows.

A header band is one or more adjacent header rows (``BUDGET 2021`` merged over
``Totale | FNPS | FSOL``). A band can hold several tables side by side: a blank column
between them, or a new label column after the amount columns of the first. A table's
body runs down to the next band over the same columns; an Excel Table (ListObject) is
a region of its own. Label columns with no header text (the labels of the 2021
*schede*) are taken in from the left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..channels.catalog import normalise_label
from ..grid import Cell, SheetGrid
from .model import COL_CHANNEL_NAME, COL_UNKNOWN, COL_YEAR_NAME
from .vocabulary import UNKNOWN, HeaderMeaning, header_meaning

_AMOUNT_TEXT = re.compile(r"€|^\s*[-+(]?\d{1,3}(\.\d{3})+(,\d+)?\)?\s*$|^\s*-?\d+,\d{2}\s*$")


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


def _is_year_number(cell: Cell) -> bool:
    v = cell.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    fmt = cell.number_format or ""
    return (float(v).is_integer() and 1980 <= v <= 2199 and "€" not in fmt
            and "0.00" not in fmt and "0,00" not in fmt)


def header_columns(cells: dict[int, Cell], resolve) -> set[int] | None:
    """The columns of a row that read as header cells: the whole row, or — when a table
    beside it has data on the same row — the runs of cells that are headers."""
    if not cells:
        return None
    if header_candidate(cells, resolve) is not None:
        return set(cells)
    texts = 0
    for cell in cells.values():
        if isinstance(cell.value, str) and not _AMOUNT_TEXT.search(cell.value):
            texts += 1
    if texts < 2:
        return None  # a data row: at most its label is text
    cols = sorted(c for c, cell in cells.items() if cell.value not in (None, ""))
    if len(cols) < 2 or cols[-1] - cols[0] + 1 == len(cols):
        return None  # one run: nothing to split
    runs: list[list[int]] = [[cols[0]]]
    for c in cols[1:]:
        if c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    # runs holding data (numbers, amounts) split the row; the text runs between them are
    # tried together, as one header
    groups: list[list[int]] = [[]]
    data_cols: list[int] = []
    for run in runs:
        if any(_data_cell(cells[c]) for c in run):
            groups.append([])
            data_cols.extend(run)
        else:
            groups[-1].extend(run)
    out: set[int] = set()
    for group in groups:
        if len(group) < 2:  # a lone text beside data: a line's label
            continue
        if any(d < group[0] for d in data_cols) and any(d > group[-1] for d in data_cols):
            continue  # data on both sides: texts of a data row, not a header beside a table
        if header_candidate({c: cells[c] for c in group}, resolve) is not None:
            out.update(group)
    return out or None


def _data_cell(cell: Cell) -> bool:
    v = cell.value
    if isinstance(v, bool):
        return True
    if isinstance(v, (int, float)):
        return not _is_year_number(cell)
    return isinstance(v, str) and bool(_AMOUNT_TEXT.search(v))


def header_candidate(cells: dict[int, Cell], resolve) -> dict[int, HeaderMeaning] | None:
    """The meanings of a row's cells when the row reads as a header row, else None."""
    if len(cells) == 1:
        (c, cell), = cells.items()
        if c == 1 or not (isinstance(cell.value, str) or _is_year_number(cell)):
            return None
        m = header_meaning(cell.value, resolve)
        if m.role == "triennio" or (m.role == "importo" and (
                m.year is not None or normalise_label(str(cell.value)) in ("importo", "budget"))):
            return {c: m}  # «BUDGET 2018» over the amounts, an empty label header
        return None
    if not cells:
        return None
    for cell in cells.values():  # cheap rejection first: data rows hold amounts
        v = cell.value
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)) and not _is_year_number(cell):
            return None
        if isinstance(v, str) and _AMOUNT_TEXT.search(v):
            return None
    meanings: dict[int, HeaderMeaning] = {}
    amounts = channels = year_numbers = known_texts = 0
    for c, cell in cells.items():
        if cell.value is None or cell.value == "":
            continue
        m = header_meaning(cell.value, resolve)
        meanings[c] = m
        if m.role in ("importo", "triennio"):
            amounts += 1
            year_numbers += not isinstance(cell.value, str)
        elif m.role == "canale":
            channels += 1
        if isinstance(cell.value, str) and m.role != COL_UNKNOWN:
            known_texts += 1
    if not meanings or not (amounts or channels >= 2):
        return None
    if year_numbers and year_numbers == amounts and year_numbers < 2 and not known_texts:
        return None  # «Formazione | 2000»: an amount of 2000, not a header
    if amounts == 0:  # channel names only: nearly every cell, and different channels
        codes = {m.channel for m in meanings.values() if m.role == "canale"}
        if len(codes) < 2 or channels < len(meanings) - 1:
            return None
    return meanings


def _merged_text(sheet: SheetGrid, row: int, col: int, merges: dict) -> str:
    cell = sheet.get(row, col)
    if cell is not None and cell.value not in (None, ""):
        return str(cell.value).strip() if not isinstance(cell.value, float) else \
            str(int(cell.value)) if cell.value.is_integer() else str(cell.value)
    origin = merges.get((row, col))
    if origin is not None:
        oc = sheet.get(*origin)
        if oc is not None and oc.value not in (None, ""):
            return str(oc.value).strip() if not isinstance(oc.value, float) else \
                str(int(oc.value))
    return ""


def _merge_index(sheet: SheetGrid, rows: set[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) -> top-left of the merged range covering it, for the given rows."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if c2 - c1 > 200:
            continue
        for r in range(r1, r2 + 1):
            if r in rows:
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        out[(r, c)] = (r1, c1)
    return out


def _band_meanings(sheet: SheetGrid, rows: list[int], resolve,
                   only: dict[int, set[int]] | None = None
                   ) -> tuple[dict[int, list[str]], dict[int, HeaderMeaning]]:
    """Per column: the header texts top to bottom and what they say together (``only``:
    the header cells of each row, when a table beside the header has data on its rows)."""
    merges = _merge_index(sheet, set(rows))
    cols = sorted({c for r in rows for c in sheet.rows.get(r, {})}
                  | {c for (r, c) in merges if r in rows})
    if only is not None:
        allowed = set().union(*only.values()) if only else set()
        allowed = _spread(allowed) & (allowed | {c for (r, c) in merges if r in rows})
        cols = [c for c in cols if c in allowed]
    texts: dict[int, list[str]] = {}
    for r_i, r in enumerate(rows):
        carry = ""
        upper = r_i < len(rows) - 1
        row_only = only.get(r) if only is not None else None
        for c in cols:
            if row_only is not None and c not in row_only and (r, c) not in merges:
                texts.setdefault(c, [])
                carry = ""
                continue
            t = _merged_text(sheet, r, c, merges)
            if t:
                carry = t
            elif upper and carry and _below_has_text(sheet, rows[r_i + 1:], c, merges):
                t = carry  # a band title centred over the columns below it
            else:
                carry = ""
            parts = texts.setdefault(c, [])
            if not (parts and parts[-1] == t and t):  # a label merged down the band
                parts.append(t)
    meanings: dict[int, HeaderMeaning] = {}
    for c, parts in texts.items():
        meanings[c] = combine_meanings([header_meaning(p, resolve) if p else None
                                        for p in parts])
    return {c: [p for p in ps if p] for c, ps in texts.items()}, meanings


def _below_has_text(sheet: SheetGrid, rows: list[int], col: int, merges: dict) -> bool:
    return any(_merged_text(sheet, r, col, merges) for r in rows)


def combine_meanings(parts: list[HeaderMeaning | None]) -> HeaderMeaning:
    """A column's meaning from its header cells top to bottom: the lowest says what it is,
    the ones above give the year or the kind it lacks (``BUDGET 2021`` over ``FNPS``)."""
    present = [p for p in parts if p is not None]
    if not present:
        return UNKNOWN
    bottom = present[-1]
    uppers = present[:-1]
    year_of = next((u for u in reversed(uppers) if u.year is not None), None)
    if bottom.role == COL_UNKNOWN and uppers:
        above = uppers[-1]
        return above if above.role != COL_UNKNOWN else bottom
    if bottom.role == "importo" and bottom.year is None and year_of is not None:
        return HeaderMeaning("importo", year=year_of.year, kind=year_of.kind or "importo")
    if bottom.role == "canale" and bottom.year is None and year_of is not None:
        return HeaderMeaning("canale", year=year_of.year, channel=bottom.channel)
    return bottom


@dataclass(slots=True)
class _Band:
    rows: list[int]
    texts: dict[int, list[str]]
    meanings: dict[int, HeaderMeaning]
    row_cols: dict[int, set[int]] = field(default_factory=dict)  # header cells per row
    spec: dict = field(default_factory=dict)  # what «_pdz» states about it


def find_bands(sheet: SheetGrid, resolve) -> list[_Band]:
    """Header bands of a sheet, top to bottom."""
    candidates: list[tuple[int, set[int]]] = []
    for r, cells in sheet.iter_rows():
        cols = header_columns(cells, resolve)
        if cols is not None and (len(cols) > 1 or _labels_left_below(sheet, r, min(cols))):
            candidates.append((r, cols))
    bands: list[dict[int, set[int]]] = []
    for r, cols in candidates:
        last = bands[-1] if bands else None
        if last is not None and max(last) == r - 1 and len(last) < 3 and \
                cols & _spread(set().union(*last.values())):
            last[r] = set(cols)
        else:
            bands.append({r: set(cols)})
    out = []
    for per_row in bands:
        rows = sorted(per_row)
        above = rows[0] - 1
        if above >= 1 and _is_band_title(sheet, above, rows):
            rows = [above, *rows]
            per_row[above] = set(sheet.rows.get(above, {}))
            per_row[above] = _spread(per_row[above])  # a title's merges span its columns
        out.append(_Band(rows, *_band_meanings(sheet, rows, resolve, per_row), per_row))
    return out


def _labels_left_below(sheet: SheetGrid, row: int, col: int) -> bool:
    """A lone header cell heads amounts only if rows below carry a number under it with a
    label on its left (``BUDGET 2018`` over the amounts; not a title in a cell)."""
    seen = 0
    for r in range(row + 1, row + 40):
        cells = sheet.rows.get(r)
        if not cells:
            continue
        seen += 1
        cell = cells.get(col)
        if cell is not None and _amount_like(cell) and any(
                c < col and isinstance(v.value, str) and v.value.strip()
                for c, v in cells.items()):
            return True
        if seen >= 12:
            break
    return False


def _amount_like(cell: Cell) -> bool:
    """A number, or an amount written as text (``€ 1.234,56``, ``€ -``)."""
    v = cell.value
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    return isinstance(v, str) and (bool(_AMOUNT_TEXT.search(v)) or v.strip() in ("-", "€ -"))


def _spread(cols: set[int]) -> set[int]:
    """The columns from the first to the last of ``cols`` (merged titles lie between)."""
    return set(range(min(cols), max(cols) + 1)) if cols else set()


def _is_band_title(sheet: SheetGrid, row: int, band: list[int]) -> bool:
    """The row above a header that titles groups of its columns (``BUDGET 2021`` merged
    over ``Totale | FNPS | ...``): text only, within the header's span, not at its left."""
    cells = sheet.rows.get(row)
    if not cells:
        return False
    below = sheet.rows.get(band[0], {})
    if not below:
        return False
    left, right = min(below), max(below)
    if any(not isinstance(c.value, str) for c in cells.values()):
        return False
    if min(cells) <= left or max(cells) > right:
        return False
    merged = any(r1 == row and c2 > c1 for r1, c1, _r2, c2 in sheet.merged)
    yearly = any(header_meaning(c.value, lambda t: (None, None)).year is not None
                 for c in cells.values())
    return merged or yearly


def _segments(band: _Band, sheet: SheetGrid, body: list[int]) -> list[tuple[int, int]]:
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
    for r in body[:300]:
        cell = sheet.get(r, col)
        if cell is None or cell.value is None:
            continue
        if isinstance(cell.value, str) and not _AMOUNT_TEXT.search(cell.value):
            text += 1
        else:
            num += 1
    return text > num


def _run_kind(band: _Band, sheet: SheetGrid, body: list[int], run: list[int]
              ) -> tuple[bool, bool]:
    """(has amount columns, has a label column before its first amount column)."""
    first_value = next((c for c in run if band.meanings[c].is_value), None)
    leading = [c for c in run if first_value is None or c < first_value]
    return first_value is not None, any(_is_label(band, sheet, body, c) for c in leading)


def _is_label(band: _Band, sheet: SheetGrid, body: list[int], col: int) -> bool:
    m = band.meanings.get(col, UNKNOWN)
    if m.is_value:
        return False
    return m.role != COL_UNKNOWN or _texty(sheet, body, col)


def _split_run(band: _Band, sheet: SheetGrid, body: list[int], run: list[int]
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
        texts, meanings = _band_meanings(sheet, header_rows, resolve)
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
        nxt = next((b.rows[0] for b in bands[i + 1:] if b.rows[0] > bottom), max_row + 1)
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
    for reg in pending:  # each body stops at the next band over its columns
        for other in pending:
            if other.header_rows[0] > reg.header_row and other.header_rows[0] <= reg.last_row \
                    and other.first_col <= reg.last_col and other.last_col >= reg.first_col:
                reg.last_row = other.header_rows[0] - 1
        for r1, c1, _r2, c2 in claimed:
            if reg.header_row < r1 <= reg.last_row and c1 <= reg.last_col and \
                    c2 >= reg.first_col:
                reg.last_row = r1 - 1
        end = ends.get((reg.header_row, reg.first_col))
        if end:
            reg.last_row = min(reg.last_row, end)
    for reg in pending:
        if id(reg) not in fixed:
            _take_label_columns(reg, pending)
        _trim(reg)
    regions.extend(pending)
    regions.sort(key=lambda g: (g.header_rows[0], g.first_col))
    return regions


def _stated_bands(sheet: SheetGrid, resolve, anchors: dict[tuple[int, int | None], dict],
                  skip: set[int]) -> list[_Band]:
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
        out.append(_Band(rows, *_band_meanings(sheet, rows, resolve, per_row), per_row,
                         {**spec, "col": col}))
    return out


def _take_label_columns(reg: Region, all_regions: list[Region]) -> None:
    """Extend a region left over the columns whose body holds labels but whose header cell
    is empty (the 2021 *schede*: labels in A, header from B)."""
    limit = 1
    for other in all_regions:
        if other is not reg and set(other.header_rows) & set(reg.header_rows) \
                and other.last_col < reg.first_col:
            limit = max(limit, other.last_col + 1)
    own = range(reg.first_col, reg.last_col + 1)
    filled = [r for r in reg.body_rows()[:300]
              if any(c in own for c in reg.sheet.rows.get(r, {}))]
    # the rows of the table: from its first to its last row with content in its columns
    # (headings written on rows of their own, left of the amounts, lie between them)
    rows = [r for r in reg.body_rows()[:300] if filled and r <= filled[-1]]
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

"""Header rows: which cells of a row read as headers, how stacked header rows combine
into one meaning per column, and the header bands of a sheet (adjacent header rows,
with the title row merged above them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..channels.catalog import normalise_label
from ..grid import Cell, SheetGrid
from .model import COL_UNKNOWN
from .vocabulary import UNKNOWN, HeaderMeaning, header_meaning

# «€» with a figure or a dash beside it (a header «Anno 2021 (€)» is no amount)
AMOUNT_TEXT = re.compile(r"€\s*[-\d]|\d\s*€|^\s*[-+(]?\d{1,3}(\.\d{3})+(,\d+)?\)?\s*$"
                         r"|^\s*-?\d+,\d{2}\s*$")


def is_amount_text(text: str) -> bool:
    """``AMOUNT_TEXT`` is in ``text``: first what it needs, a «€» or a figure or sign (after
    spaces) at the start; the pattern only then."""
    if "€" not in text:
        first = text[:1]
        if not first or not (first.isdecimal() or first in "-+(" or first.isspace()):
            return False
    return AMOUNT_TEXT.search(text) is not None


_UNIT_ONLY = re.compile(r"^\(?\s*((importi|valori) )?(in )?(€|euro|eur)\s*\)?$", re.IGNORECASE)


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
    if len(cells) == 1:
        return set(cells) if header_candidate(cells, resolve) is not None else None
    if _data_row(cells):
        return None
    texts = 0
    years: list[float] = []
    data = False  # a cell only data holds: then the whole row is no header
    for cell in cells.values():
        v = cell.value
        tv = type(v)
        if tv is str:
            if is_amount_text(v):
                data = True
            else:
                texts += 1  # a header's words ...
        elif tv is float or tv is int:
            if 1980 <= v <= 2199 and _is_year_number(cell):
                years.append(v)  # ... or its years (``2020 | 2021`` over the amounts)
            else:
                data = True
        elif v is not None and not data:
            data = _data_cell(cell)
    if len(set(years)) < len(years) or (years and max(years) - min(years) >= len(years)):
        years = []  # «2000 | 2000», «2000 | 2050»: amounts that look like years
        data = True
    if not data and header_candidate(cells, resolve) is not None:
        return set(cells)
    texts += len(years)
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
        if not any(isinstance(cells[c].value, str) for c in group) and not years:
            continue  # numbers only, not distinct years: a data row
        if header_candidate({c: cells[c] for c in group}, resolve) is not None:
            out.update(group)
    return out or None


def _data_row(cells: dict[int, Cell]) -> bool:
    """By the types of its cells alone: a row with a number that is no year and at most one
    text or year (a label and its amounts), which no header is."""
    texts = 0
    number = False
    for cell in cells.values():
        tv = type(cell.value)
        if tv is str:
            texts += 1
        elif tv is float or tv is int:
            if 1980.0 <= cell.value <= 2199.0 and _is_year_number(cell):
                texts += 1
            else:
                number = True
    return number and texts < 2


def _data_cell(cell: Cell) -> bool:
    v = cell.value
    if isinstance(v, bool):
        return True
    if isinstance(v, (int, float)):
        return not _is_year_number(cell)
    return isinstance(v, str) and is_amount_text(v)


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
        if isinstance(v, str) and is_amount_text(v):
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


def band_meanings(sheet: SheetGrid, rows: list[int], resolve,
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
        if len(parts) > 1 and any(p and not _UNIT_ONLY.match(p) for p in parts):
            parts = [p for p in parts if not _UNIT_ONLY.match(p)]  # «(euro)» under «FNPS»
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
class Band:
    """Adjacent header rows: texts and meanings per column, header cells per row."""

    rows: list[int]
    texts: dict[int, list[str]]
    meanings: dict[int, HeaderMeaning]
    row_cols: dict[int, set[int]] = field(default_factory=dict)  # header cells per row
    spec: dict = field(default_factory=dict)  # what «_pdz» states about it


def find_bands(sheet: SheetGrid, resolve) -> list[Band]:
    """Header bands of a sheet, top to bottom."""
    candidates: list[tuple[int, set[int]]] = []
    rows_of = sheet.rows
    for r in sorted(rows_of):
        cells = rows_of[r]
        if len(cells) > 1 and _data_row(cells):
            continue  # (what header_columns says first of such a row, without the call)
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
        out.append(Band(rows, *band_meanings(sheet, rows, resolve, per_row), per_row))
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
    return isinstance(v, str) and (is_amount_text(v) or v.strip() in ("-", "€ -"))


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

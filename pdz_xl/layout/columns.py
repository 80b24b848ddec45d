"""What each column of a table region holds: labels (groups, code, voce, channel names),
amounts (per year and kind), channel amounts, notes, or nothing we read.

The header says it where it can (``Area``, ``Voce di budget``, ``Previsione 2021``,
``FNPS``); the body says the rest: a text column whose values repeat in runs is a group
column, one with numbering (``1.1.2``) a code column, one whose values are channel names
the channel column of a long table, the other text column the voce. Several text columns
where every row fills only one of them are a staircase: one level per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..grid import SheetGrid
from .headers import is_amount_text
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_CHANNEL_NAME,
    COL_CODE,
    COL_GROUP,
    COL_IGNORE,
    COL_NOTE,
    COL_TRIENNIO,
    COL_UNKNOWN,
    COL_VOCE,
    COL_YEAR_NAME,
    LEVELS,
    SURE_HIGH,
    SURE_LOW,
    SURE_MEDIUM,
    SURE_STATED,
    ColumnRole,
)
from .regions import Region
from .vocabulary import UNKNOWN

_CODE_RE = re.compile(r"^\s*([A-Za-z]{0,2}\s?\d{1,3}([./]\d{1,3}){0,4}[.)]?)\s*$")


@dataclass(slots=True)
class ColumnStats:
    """What a column's body holds."""

    text: int = 0  # non-amount texts
    numbers: int = 0  # numbers and amount texts
    distinct: int = 0
    codes: int = 0  # numbering such as 1.1.2
    years: int = 0  # year numbers (a year column of a long table)
    runs: int = 0  # runs of equal consecutive texts
    filled_rows: int = 0


def all_column_stats(sheet: SheetGrid, rows: list[int], first: int, last: int
                     ) -> dict[int, ColumnStats]:
    """The stats of every column from ``first`` to ``last`` over ``rows``."""
    sheet_rows = sheet.rows
    filled = [cells for r in rows if (cells := sheet_rows.get(r))]
    present = [c for c in sorted(set().union(*filled)) if first <= c <= last]
    cols: dict[int, list] = {}
    if len(present) * len(filled) <= 2 * sum(map(len, filled)):  # dense: column by column
        for c in present:
            cols[c] = [cells[c].value for cells in filled if c in cells]
    else:  # sparse: row by row, only the cells there are
        for cells in filled:
            for c, cell in cells.items():
                if first <= c <= last:
                    got = cols.get(c)
                    if got is None:
                        cols[c] = [cell.value]
                    else:
                        got.append(cell.value)
    return {c: _stats(values) for c, values in cols.items()}


def _stats(values: list) -> ColumnStats:
    numeric = [v for v in values if type(v) is float or type(v) is int]
    if len(numeric) == len(values):  # a column of numbers only (amounts): counted at once
        small = [v for v in numeric if 0.0 < v < 2200.0 and (type(v) is int or v.is_integer())]
        years = sum(1 for v in small if v >= 1980)
        codes = sum(1 for v in small if v < 1000)
        return ColumnStats(numbers=len(values), codes=codes, years=years,
                           filled_rows=len(values))
    seen: set[str] = set()
    last: str | None = None
    text = numbers = codes = years = runs = filled = 0
    amount_text, code_re = is_amount_text, _CODE_RE.match
    for v in values:
        tv = type(v)
        if tv is float or tv is int:  # the usual cell first
            filled += 1
            numbers += 1
            last = None
            if 0 < v < 2200 and (tv is int or v.is_integer()):
                if v >= 1980:
                    years += 1
                elif v < 1000:
                    codes += 1
            continue
        if v is None or v == "":
            continue
        filled += 1
        if isinstance(v, str) and not amount_text(v) and (t := v.strip()) not in ("-", "€ -"):
            text += 1
            seen.add(t)
            if t != last:
                runs += 1
            last = t
            if not t[:3].isalpha() and code_re(t):  # (three letters first: no numbering)
                codes += 1
        else:  # amounts written as text, booleans, errors
            numbers += 1
            last = None
    return ColumnStats(text=text, numbers=numbers, distinct=len(seen), codes=codes,
                       years=years, runs=runs, filled_rows=filled)


def column_roles(region: Region, resolve, stated: dict[int, ColumnRole] | None = None
                 ) -> dict[int, ColumnRole]:
    """The role of every non-empty column of a region (stated roles win)."""
    stated = stated or {}
    rows = region.body_rows()
    sample = rows[:120]
    roles: dict[int, ColumnRole] = {}
    stats = all_column_stats(region.sheet, sample, region.first_col, region.last_col)
    for col in range(region.first_col, region.last_col + 1):
        header = " / ".join(region.headers.get(col, []))
        if col in stated:
            roles[col] = stated[col]
            roles[col].header = roles[col].header or header
            continue
        m = region.meanings.get(col, UNKNOWN)
        st = stats.get(col) or ColumnStats()
        if m.role == COL_UNKNOWN and not header and not st.filled_rows:
            continue
        if m.is_value:
            if st.text > max(st.numbers, 2) and m.role != COL_TRIENNIO:
                roles[col] = ColumnRole(col, COL_UNKNOWN, header, sure=SURE_LOW,
                                        why="intestazione di importi ma colonna di testi")
            else:
                roles[col] = ColumnRole(col, m.role, header, year=m.year, kind=m.kind,
                                        channel=m.channel, why=f"intestazione «{header}»")
        elif m.role == COL_IGNORE:
            roles[col] = ColumnRole(col, COL_IGNORE, header,
                                    why=f"intestazione «{header}»: valori calcolati")
        elif m.role != COL_UNKNOWN:
            roles[col] = ColumnRole(col, m.role, header, level=m.level,
                                    why=f"intestazione «{header}»")
        elif st.text > st.numbers:
            roles[col] = ColumnRole(col, "testo", header, sure=SURE_MEDIUM)
        elif st.numbers:
            roles[col] = ColumnRole(col, COL_UNKNOWN, header, sure=SURE_LOW,
                                    why=f"intestazione «{header}» non riconosciuta"
                                    if header else "colonna di numeri senza intestazione")
    _label_structure(roles, stats, region, resolve, stated)
    return roles


def _label_structure(roles: dict[int, ColumnRole], stats: dict[int, ColumnStats],
                     region: Region, resolve, stated: dict[int, ColumnRole]) -> None:
    """Decide voce / group / code / channel-name / note among the text columns."""
    values = [c for c, r in roles.items() if r.is_value]
    first_value = min(values) if values else region.last_col + 1
    last_value = max(values) if values else region.last_col
    for c, r in roles.items():  # text right of every amount: notes
        if r.role == "testo" and c > last_value:
            r.role, r.why = COL_NOTE, "testi a destra degli importi"
    texts = [c for c, r in sorted(roles.items()) if r.role == "testo"]
    named_voce = [c for c, r in roles.items() if r.role == COL_VOCE]
    if not texts:
        _ensure_voce(roles, stats)
        return
    for c in list(texts):  # numbering, year numbers or channel names by content
        st = stats.get(c)
        if st is None:
            continue
        if st.codes >= 0.8 * st.filled_rows and st.filled_rows:
            roles[c].role, roles[c].why = COL_CODE, "numerazione"
            texts.remove(c)
        elif st.text >= 2 and (named_voce or len(texts) > 1) and c > min(texts) and \
                _channel_texts(region, c, resolve) >= 0.7 * st.text and \
                _beside_texts(region, c, [t for t in (*texts, *named_voce) if t < c]):
            roles[c].role, roles[c].why = COL_CHANNEL_NAME, "nomi di canali di finanziamento"
            texts.remove(c)
    if not texts:
        _ensure_voce(roles, stats)
        return
    stair = sorted(c for c in (*texts, *named_voce, *(c for c, r in roles.items()
                                                      if r.role == COL_GROUP))
                   if c < first_value and c not in stated)
    if len(stair) >= 2 and _staircase(region, stair):
        for i, c in enumerate(stair):
            r = roles[c]
            if i == len(stair) - 1:
                r.role, r.why = COL_VOCE, "ultimo gradino della scala"
            else:
                if r.role != COL_GROUP:
                    r.level = None
                r.role, r.why, r.sure = COL_GROUP, "un livello per colonna (a scalini)", \
                    SURE_MEDIUM
        return
    if named_voce:
        for c in texts:
            _as_group(roles[c], stats[c], "testi ripetuti a sinistra della voce")
        return
    left = [c for c in texts if c < first_value] or texts
    if len(left) == 1:
        roles[left[0]].role, roles[left[0]].why = COL_VOCE, "unica colonna di testi"
        roles[left[0]].sure = SURE_HIGH
        for c in texts:
            if c != left[0]:
                roles[c].role = COL_NOTE
        return
    if _staircase(region, left):
        for i, c in enumerate(left):
            r = roles[c]
            if i == len(left) - 1:
                r.role, r.why = COL_VOCE, "ultimo gradino della scala"
            else:
                r.role, r.why = COL_GROUP, "un livello per colonna (a scalini)"
                r.sure = SURE_MEDIUM
        return
    voce = max(left, key=lambda c: (stats[c].runs, c))
    roles[voce].role, roles[voce].why = COL_VOCE, "la colonna di testi più varia"
    roles[voce].sure = SURE_MEDIUM
    for c in left:
        if c != voce:
            _as_group(roles[c], stats[c], "testi ripetuti")
    for c in texts:
        if c not in left:
            roles[c].role = COL_NOTE


def _channel_texts(region: Region, col: int, resolve) -> int:
    """How many texts of a column name a funding channel (asked only of the text columns
    that could be a long table's channel column)."""
    n = 0
    for r in region.body_rows()[:250]:
        v = region.sheet.value(r, col)
        if isinstance(v, str) and v.strip() and resolve(v.strip())[0]:
            n += 1
    return n


def _beside_texts(region: Region, col: int, left: list[int]) -> bool:
    """Rows filling ``col`` also fill a text column on its left (one record per row, as
    in a long table), unlike a staircase where each row fills one column."""
    filled = both = 0
    for r in region.body_rows()[:400]:
        cells = region.sheet.rows.get(r, {})
        cell = cells.get(col)
        if cell is None or not isinstance(cell.value, str) or not cell.value.strip():
            continue
        filled += 1
        if any(c in cells and isinstance(cells[c].value, str) and cells[c].value.strip()
               for c in left):
            both += 1
    return filled > 0 and both >= 0.8 * filled


def _as_group(role: ColumnRole, st: ColumnStats, why: str) -> None:
    role.role, role.why, role.sure = COL_GROUP, why, SURE_MEDIUM


def _ensure_voce(roles: dict[int, ColumnRole], stats: dict[int, ColumnStats]) -> None:
    """With no text column left, a channel-name column or a group column labels the rows."""
    if any(r.role == COL_VOCE for r in roles.values()):
        return
    for wanted in (COL_CHANNEL_NAME, COL_GROUP):
        cands = [c for c, r in sorted(roles.items()) if r.role == wanted]
        if cands:
            if wanted == COL_GROUP:
                roles[cands[-1]].role = COL_VOCE
            return


def _staircase(region: Region, cols: list[int]) -> bool:
    """Every non-empty row fills at most one of ``cols``, and each column is used."""
    used = dict.fromkeys(cols, 0)
    multi = 0
    for r in region.body_rows()[:400]:
        cells = region.sheet.rows.get(r, {})
        filled = [c for c in cols if c in cells and isinstance(cells[c].value, str)
                  and cells[c].value.strip()]
        if len(filled) > 1:
            multi += 1
        for c in filled:
            used[c] += 1
    return multi == 0 and all(used.values())


def group_levels(roles: dict[int, ColumnRole], hint: tuple[str, ...] = (),
                 region: Region | None = None) -> None:
    """Name the level of group columns: the header's word («Obiettivo»), else the level
    word their values carry («AREA X», «Azione 3: ...»), else by their order."""
    groups = [r for _, r in sorted(roles.items()) if r.role == COL_GROUP]
    if region is not None:
        for r in groups:
            if r.level is not None:  # the header named it («Obiettivo»): that wins
                continue
            spoken = _level_of_values(region, r.col)
            if spoken is not None and r.sure != SURE_STATED:
                r.level = spoken
    named = {r.level for r in groups if r.level}
    free = [r for r in groups if not r.level]
    if not free:
        return
    names = [lv for lv in (hint or default_levels(len(groups))) if lv not in named]
    if len(names) < len(free):
        names = [lv for lv in LEVELS if lv not in named]
    for r, name in zip(free, names, strict=False):
        r.level = name


def _level_of_values(region: Region, col: int) -> str | None:
    """The level word nine in ten of a column's values carry, if any."""
    from collections import Counter

    from .labels import heading_of, is_note_text, is_total_label

    levels: Counter = Counter()
    n = 0
    for r in region.body_rows()[:400]:
        v = region.sheet.value(r, col)
        if not isinstance(v, str) or not v.strip():
            continue
        if is_total_label(v) or is_note_text(v):
            continue
        n += 1
        h = heading_of(v, bold=True)
        if h is not None:
            levels[h.level] += 1
    if not n or not levels:
        return None
    level, count = levels.most_common(1)[0]
    return level if count >= 0.9 * n else None


def default_levels(n: int) -> tuple[str, ...]:
    """Level names for ``n`` unnamed hierarchy levels, outermost first."""
    return {1: ("obiettivo",), 2: ("obiettivo", "azione"), 3: ("area", "servizio", "azione"),
            }.get(n, LEVELS)


def value_columns(roles: dict[int, ColumnRole]) -> list[ColumnRole]:
    return [r for _, r in sorted(roles.items()) if r.role in (COL_AMOUNT, COL_CHANNEL,
                                                              COL_TRIENNIO)]


__all__ = ["COL_YEAR_NAME", "SURE_HIGH", "column_roles", "group_levels"]

"""Read a sheet's values straight from its XML, giving what python-calamine would give.

The usual reading takes the values from python-calamine and everything else (styles,
formulas, error values) from a regex pass over the same XML. For the markup every
writer produces (``<c r="B6" s="2" t="s"><v>9</v></c>``, formulas, error values) one
regex pass can read the values too, which saves calamine's pass and the lookups that
join the two. The values are the ones calamine gives: numbers as floats, shared strings
as calamine reads them, booleans, ``""`` (no cell) for error values and empty results,
the cells the formula and error passes add placed after the others, as the usual
reading places them.

Anything this module is not sure calamine reads the same way raises :class:`Unusual`
and the sheet takes the usual reading: cells out of order, other attribute layouts,
inline or ISO-date values, numbers in other notations, texts with character
references, ``_xHHHH_`` escapes or carriage returns, a style whose number format
calamine might take for a date, an unknown error value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from html import unescape
from itertools import chain
from typing import NamedTuple, Protocol

from ..cells import col_index, col_letters
from ..grid import Cell, ErrorValue, ReadStyle

MAX_ROW, MAX_COL = 1_048_576, 16_384


class Unusual(Exception):
    """Markup this module does not read exactly as calamine does."""


class _StylesLike(Protocol):
    """The per-style lists of the reader's styles (``xlsx_reader._Styles``)."""

    formats: list[str | None]
    styles: list[ReadStyle]
    fmt_ids: list[int]
    temporal: set[str | None]
    num_fmts: list[tuple[int, str | None]]


SlowCell = Callable[[bytes, bytes, int, int, dict, list], tuple[object, "str | None"]]

# --- shared strings ------------------------------------------------------------------

# a plain <si> whose text starts or ends with a space calamine trims
_TRIMMED_SI_RE = re.compile(
    r"<si><t>(?:[ \t\n\r\x0b\x0c]|[^<]*+(?<=[ \t\n\r\x0b\x0c])</t>)")
_SI_RE = re.compile(
    r'<si><t>([^<]*)</t></si>|<si><t xml:space="preserve">([^<]*)</t></si>'
    r"|<si>(.*?)</si>", re.S)
_RUN_T_RE = re.compile(r"<t\b([^>]*)>([^<]*)</t>")
_ANY_T_RE = re.compile(r"<t\b")
_RPH_RE = re.compile(r"<rPh\b.*?</rPh>", re.S)
_PREFIXED_RE = re.compile(r"</?\w+:")
_EDGE = frozenset(" \t\n\r\x0b\x0c")
_ENTITIES = ("&amp;", "&lt;", "&gt;", "&quot;", "&apos;")
_PRESERVE = ' xml:space="preserve"'


class _NotPlain(Exception):
    """A shared string calamine may read otherwise than this module."""


def _plain(text: str, preserve: bool) -> str:
    """One ``<t>`` text as calamine reads it."""
    if "\r" in text or "_x" in text:
        raise _NotPlain  # (calamine turns CR LF into LF and decodes _xHHHH_)
    if not preserve and text and (text[0] in _EDGE or text[-1] in _EDGE):
        raise _NotPlain  # (calamine trims it)
    if "&" in text:
        if text.count("&") != sum(text.count(e) for e in _ENTITIES):
            raise _NotPlain
        text = unescape(text)
    return text


def _rich(body: str) -> str:
    """An ``<si>`` with runs (``<r><t>..</t></r>``) or phonetic parts (``<rPh>``)."""
    if _PREFIXED_RE.search(body):
        raise _NotPlain
    if "rPh" in body:
        if body.count("<rPh") != body.count("</rPh>"):
            raise _NotPlain
        body = _RPH_RE.sub("", body)
    runs = _RUN_T_RE.findall(body)
    if len(runs) != len(_ANY_T_RE.findall(body)):
        raise _NotPlain  # <t/>, or a <t> this pattern does not read
    parts = []
    for attrs, text in runs:
        if attrs not in ("", _PRESERVE):
            raise _NotPlain
        parts.append(_plain(text, attrs == _PRESERVE))
    return "".join(parts)


def _plain_strings(text: str, count: int) -> list[str] | None:
    """The texts when every ``<si>`` is one plain ``<t>`` (the usual table), else None."""
    text = text.replace('<t xml:space="preserve">', "<t>")
    first, last = text.find("<si><t>"), text.rfind("</t></si>")
    if first < 0 or last < first:
        return None
    region = text[first + 7: last]
    # (with no other tag inside, only the separators' four "<" each are left)
    if region.count("<") != 4 * (count - 1):
        return None
    out = region.split("</t></si><si><t>")
    return out if len(out) == count else None


def shared_strings(xml: bytes | None) -> list[str] | None:
    """The shared strings as calamine reads them; None when one of them may read
    otherwise (character references, ``_xHHHH_``, carriage returns, text calamine
    trims, namespace prefixes) or the ``<si`` tags are not all read."""
    if not xml:
        return []
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return None
    count = xml.count(b"<si")
    if ":si" in text or "<si/>" in text:
        return None
    if "&" not in text and "_x" not in text and "\r" not in text \
            and _TRIMMED_SI_RE.search(text) is None:
        out = _plain_strings(text, count)
        if out is not None:
            return out
    out = []
    try:
        for simple, preserved, body in _SI_RE.findall(text):
            if simple:
                out.append(_plain(simple, False))
            elif preserved:
                out.append(_plain(preserved, True))
            else:
                out.append(_rich(body) if body else "")
    except _NotPlain:
        return None
    return out if len(out) == count else None


# --- styles ----------------------------------------------------------------------------

_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59),
                       *range(71, 82)})


def _may_be_date(code: str, star_escapes: bool) -> bool:
    """True when calamine may read this number format as a date, a time or a duration
    (its rule, any letter of ``h``/``m``/``s`` inside brackets counting as a duration)."""
    escaped = quote = ap = False
    depth = 0
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\" or (star_escapes and ch == "*"):
            escaped = True
        elif quote:
            quote = ch != '"'
        elif ch == '"':
            quote = True
        elif ch == ";":
            return False
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif depth:
            if ch in "hmsHMS":
                return True
        elif ch in "dmhysDMHYS":
            return True
        elif ap:
            if ch in "pP/":
                return True
        elif ch in "aA":
            ap = True
    return False


def _date_code(code: str | None) -> bool:
    return code is not None and (_may_be_date(code, False) or _may_be_date(code, True))


_XFS_RE = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_NUM_FMTS_RE = re.compile(rb"<numFmts\b[^>]*>(.*?)</numFmts>", re.S)
_NUM_FMT_TAG_RE = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_FMT_ATTR_RE = re.compile(rb'\b(numFmtId|formatCode)\s*=\s*"([^"]*)"')


def _date_ids(xml: bytes) -> set[int]:
    """The ids of every ``<numFmt>`` of the part (any section) whose code calamine
    may take for a date, the code read both as written and unescaped."""
    ids = set(_DATE_IDS)
    for attrs in _NUM_FMT_TAG_RE.findall(xml):
        a = dict(_FMT_ATTR_RE.findall(attrs))
        code = a.get(b"formatCode", b"").decode("utf-8", "replace")
        if _date_code(code) or _date_code(unescape(code)):
            raw = a.get(b"numFmtId", b"")
            if not raw.isdigit():
                return set(range(-1, 2000))  # (never a plain part: no style is taken)
            ids.add(int(raw))
    return ids


def style_table(styles: _StylesLike, xml: bytes | None) -> dict[bytes, ReadStyle] | None:
    """The ``s`` attribute text -> the cell's style fields, for the styles whose
    numbers calamine gives as floats (absent: the cell's style 0). None when the
    styles part is not plain enough to be sure calamine indexes it the same way."""
    if not xml or not styles.formats or xml.count(b"<cellXfs") != 1:
        return None
    xfs = _XFS_RE.search(xml)
    if xfs is None or xfs.group(1).count(b"<xf") != len(styles.formats) \
            or b":xf" in xfs.group(1):
        return None
    fmts = _NUM_FMTS_RE.search(xml)
    found = fmts.group(1).count(b"<numFmt ") if fmts else 0
    if found != len(styles.num_fmts) or xml.count(b"<numFmts") > 1:
        return None
    if any(not raw.isdigit() for raw in re.findall(rb'numFmtId="([^"]*)"', xml)):
        return None
    date_ids = _date_ids(xml)
    table: dict[bytes, ReadStyle] = {}
    for i, fmt in enumerate(styles.formats):
        if styles.fmt_ids[i] in date_ids or fmt in styles.temporal or _date_code(fmt):
            continue
        table[b"%d" % i] = styles.styles[i]
    if b"0" in table:
        table[b""] = table[b"0"]
    return table


# --- cells -----------------------------------------------------------------------------

# a cell (its value in the second group when it is a plain <v>), or any other tag but
# a row's: that one reads as a cell without a reference, which stops the reading
# (possessive: Python's engine then keeps no backtracking state, a fifth less work). A
# cell's body never runs past the next cell or row tag: an unclosed <c> stops the reading
# there instead of searching the rest of the sheet for a «</c>» (quadratic).
_CELL_RE = re.compile(
    rb'<c r="([A-Z]{1,3}+)([0-9]++)"(?: s="([0-9]++)")?+(?: t="([a-zA-Z]++)")?+'
    rb"(?:><v>([-.0-9]++)</v></c>|/>|>((?:[^<]++|<(?!c[\s>/]|/c>|/?row[\s>/]))*+)</c>)"
    rb"|<(?!row |/row>)")
_INNER_RE = re.compile(rb"(<f(?: [^>]*)?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>|<v ?/>)?")
_NUMBER_RE = re.compile(rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_CALAMINE_ERRORS = frozenset(
    [b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"])


class Extent(NamedTuple):
    """What the usual reading's checks need from a sheet read here."""

    formulas: int  # <f> tags
    max_row: int
    max_col: int
    wide: bool  # a reference with two or more letters, or a row of six digits or more


def _value(t: bytes, raw: bytes | None, strings: Sequence[str]) -> object:
    """The value calamine gives for a ``<v>`` (None: empty, no cell)."""
    if raw is None:
        return None
    if t == b"" or t == b"n":
        if raw == b"":
            return None
        if _NUMBER_RE.fullmatch(raw) is None:
            raise Unusual
        return float(raw)
    if t == b"s":
        if raw == b"":
            return None
        if not raw.isdigit():
            raise Unusual
        return strings[int(raw)] or None
    if t == b"str":
        if b"&" in raw or b"\r" in raw or b"_x" in raw:
            raise Unusual
        return raw.decode("utf-8") or None
    if t == b"b" and raw in (b"0", b"1"):
        return raw == b"1"
    if t == b"e" and raw in _CALAMINE_ERRORS:
        return None
    raise Unusual


_COLS = {col_letters(c).encode(): c for c in range(1, 703)}  # A..ZZ


_CHUNK = 1 << 20  # the cells are matched a megabyte of XML at a time (bounded memory)


def read_cells(rows: dict[int, dict[int, Cell]], xml: bytes, start: int, end: int,
               table: dict[bytes, ReadStyle], strings: Sequence[str], slow_cell: SlowCell,
               max_formulas: int) -> Extent:
    """Fill ``rows`` from the sheetData body (``xml[start:end]``), or raise
    :class:`Unusual` (also past ``max_formulas`` formulas: the usual reading refuses
    the sheet)."""
    try:
        return _read_cells(rows, xml, start, end, table, strings, slow_cell, max_formulas)
    except (ValueError, IndexError, KeyError):
        raise Unusual from None


def _chunks(xml: bytes, start: int, end: int) -> Iterator[list[tuple[bytes, ...]]]:
    """The cell matches of ``xml[start:end]``, cut at row tags."""
    findall = _CELL_RE.findall
    while start < end:
        cut = xml.find(b"<row ", start + _CHUNK, end) if start + _CHUNK < end else -1
        cut = end if cut < 0 else cut
        yield findall(xml, start, cut)
        start = cut


def _read_cells(rows: dict[int, dict[int, Cell]], xml: bytes, start: int, end: int,
                table: dict[bytes, ReadStyle], strings: Sequence[str], slow_cell: SlowCell,
                max_formulas: int) -> Extent:
    """The loop of :func:`read_cells`: cells in document order (rows and columns must
    increase), the calamine reading's late cells (formulas and error values calamine
    gives as empty) added at the end."""
    new = Cell.__new__
    cols = dict(_COLS)
    late_formulas: list[tuple[int, int, ReadStyle, object, str | None]] = []
    late_errors: list[tuple[int, int, ReadStyle, ErrorValue]] = []
    shared: dict[bytes, tuple[str, int, int]] = {}
    row = max_col = formulas = 0
    rownum_b = b""
    last_col = 0
    cur: dict[int, Cell] = {}
    str_type = b"s"
    for letters, rownum, s, t, v, inner in chain.from_iterable(_chunks(xml, start, end)):
        if rownum != rownum_b:
            r = int(rownum)  # (b"" for a tag that is no cell: ValueError)
            if r <= row or r > MAX_ROW or rownum[0] == 48:
                raise Unusual
            if last_col > max_col:
                max_col = last_col
            if not cur and row:
                del rows[row]  # (a row of empty cells has no entry)
            row, rownum_b, last_col = r, rownum, 0
            cur = rows[row] = {}
        try:
            col = cols[letters]
        except KeyError:
            col = cols[letters] = col_index(letters.decode())
            if not 0 < col <= MAX_COL:
                raise Unusual from None
        if col <= last_col:
            raise Unusual
        last_col = col
        cell = new(Cell)
        if v:
            if not t:
                cell.value = float(v)
            elif t == str_type:
                if v[0] == 45:
                    raise Unusual
                value = strings[int(v)]
                if not value:
                    continue
                cell.value = value
            else:
                value = _value(t, v, strings)
                if value is None:
                    continue
                cell.value = value
            cell.formula = None
        elif inner:
            m = _INNER_RE.fullmatch(inner)
            if m is None:
                raise Unusual
            f_part, raw = m.groups()
            value = _value(t, raw, strings)
            formula = None
            if f_part is not None:
                formulas += 1
                if formulas > max_formulas:
                    raise Unusual
                extra, formula = slow_cell(t or b"n", inner, row, col, shared, [])
                if value is None:
                    late_formulas.append((row, col, table[s], extra, formula))
                    continue
                if isinstance(extra, ErrorValue):
                    value = extra
            elif value is None:
                if t == b"e":
                    late_errors.append((row, col, table[s], ErrorValue(raw.decode())))
                continue
            cell.value = value
            cell.formula = formula
        else:
            if t == b"e":
                raise Unusual  # (the usual error pass reads past a self-closing one)
            continue
        cell.style = table[s]
        cur[col] = cell
    if not cur and row:
        del rows[row]
    for row_, col, style, extra, formula in late_formulas:
        value = extra if isinstance(extra, ErrorValue) else None
        rows.setdefault(row_, {})[col] = Cell(value, formula, style=style)
    for row_, col, style, error in late_errors:
        rows.setdefault(row_, {})[col] = Cell(error, None, style=style)
    max_col = max(max_col, last_col)
    wide = max_col > 26 or len(rownum_b) >= 6
    return Extent(formulas, row, max_col, wide)

"""Read an xlsx/xlsm file into a WorkbookGrid in one pass over each sheet's XML.

Why a hand-written streaming reader: detection needs values *and* formulas, number
formats, bold/italic fonts, indents and fills, hidden and outlined (grouped)
rows/columns, merged ranges and Excel Tables. openpyxl gives all of it
but is ~10x slower than python-calamine, which gives values only. Scanning the sheet
XML with compiled regular expressions (C speed) over the raw bytes reads everything in
about the time calamine takes for values (see ``benchmarks/bench_read.py``). When calamine
is installed and the sheet has the markup every writer produces, the values too come
from that pass, as calamine would give them (:mod:`.sheet_direct`); otherwise from
calamine.
Small parts (workbook, relationships, styles, tables) are parsed with lxml, never
expanding entities (:mod:`.safe_xml`).

Bounded: the package's sizes are checked before anything is inflated (:mod:`.xlsx_sniff`,
:mod:`.limits`); each part calamine reads is inflated and CRC-checked here first; a sheet
whose dense grid (rows x columns from A1) would be too large for calamine, or that has a
cell beyond the Excel grid, is read by the streaming pass or refused; formulas and text
lengths are counted against their limits; the regular expressions never search past the
last closing tag (unclosed ``<c>``/``<row>`` elements stay linear). Cells whose number
format shows a date, time or duration hold a :class:`TemporalNumber` (the Excel serial
number), which the amount reader reports instead of taking it as euro.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from html import unescape
from pathlib import Path

from lxml import etree

try:  # optional fast value reader (not available in Pyodide / xlwings Lite)
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - exercised where calamine is missing
    CalamineWorkbook = None

from ..cells import col_index, col_letters, parse_range
from ..errors import WorkbookReadError
from ..gcpause import collector_paused
from ..grid import (
    ERROR_VALUES,
    PLAIN_STYLE,
    Cell,
    ErrorValue,
    ExcelTable,
    ReadStyle,
    SheetGrid,
    TemporalNumber,
    WorkbookGrid,
    cell_style,
)
from . import limits, sheet_direct
from .formula_shift import shift_formula
from .safe_xml import parse_part, refuse_doctype
from .xlsx_sniff import open_package, read_part

MAX_ROW, MAX_COL = 1_048_576, 16_384

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_ROW_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_RE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_V_RE = re.compile(rb"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", re.S)
_F_RE = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_T_RE = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]+)"')
_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_SHEETDATA_OPEN_RE = re.compile(rb"<(?:\w+:)?sheetData\b")
_FAST_CELL_RE = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?([^>]*?)(?:/>|>(.*?)</c>)',
    re.S,
)
# row tags with something to say: hidden, an outline level above 0, collapsed
_FLAGGED_ROW_RE = re.compile(
    rb'<row\b[^>]*?\b(?:hidden="(?:1|true)"|outlineLevel="[1-9]|collapsed="(?:1|true)")[^>]*>')
_TABLE_PART_RE = re.compile(rb'<(?:\w+:)?tablePart\b[^>]*?\b(?:\w+:)?id="([^"]+)"')
_XSTRING_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TRUE = (b"1", b"true")

_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    44: '_-"€"* #,##0.00_-;-"€"* #,##0.00_-;_-"€"* "-"??_-;_-@_-', 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 49: "@",
}
_TEMPORAL_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
_FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.I)
_TEMPORAL_CODE_RE = re.compile(r"[dmyhs]", re.I)


def is_temporal_format(fmt_id: int, code: str | None) -> bool:
    """True for a number format that shows a date, a time or a duration."""
    if code is None or (fmt_id in _TEMPORAL_IDS and code == _BUILTIN_FORMATS.get(fmt_id)):
        return fmt_id in _TEMPORAL_IDS
    text = _FORMAT_NOISE_RE.sub("", code.split(";")[0])
    return text.casefold() not in ("general", "") and bool(_TEMPORAL_CODE_RE.search(text))


def _int(raw: str | bytes | None, default: int = 0) -> int:
    """An integer attribute; anything else (``"abc"``, ``"1.5"``, empty) is ``default``."""
    try:
        return int(raw) if raw not in (None, "", b"") else default
    except ValueError:
        return default


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR_RE.findall(raw))


def _text(raw: bytes) -> str:
    s = raw.decode("utf-8")
    return unescape(s) if "&" in s else s


def _flag(el: etree._Element | None) -> bool:
    """A font flag such as ``<b/>`` / ``<i val="0"/>``: present and not switched off."""
    return el is not None and el.get("val", "1") not in ("0", "false")


_NO_FILL_PATTERNS = (None, "none", "gray125")


class _Styles:
    """Per cellXfs index: the number format and the style its cells keep.

    The lists are precomputed once per workbook so the sheet loops look a style up by
    index; ``styles[i]`` is the shared :class:`~pdz_xl.grid.ReadStyle` (number format,
    bold, indent, italic, fill) of every cell of style ``i``.
    """

    def __init__(self, xml: bytes | None, file: str = "") -> None:
        self.formats: list[str | None] = []
        self.temporal: set[str | None] = set()  # formats that show dates, times, durations
        self.styles: list[ReadStyle] = []
        self.fmt_ids: list[int] = []  # numFmtId of each style
        self.num_fmts: list[tuple[int, str | None]] = []  # the numFmts, in order
        if not xml:
            return
        root = parse_part(xml, "xl/styles.xml", file)
        ns = {"m": _NS_MAIN}
        self.num_fmts = [(_int(n.get("numFmtId"), -1), n.get("formatCode"))
                         for n in root.iterfind("m:numFmts/m:numFmt", ns)]
        custom = dict(self.num_fmts)
        fonts: list[tuple[bool, bool]] = []
        for font in root.iterfind("m:fonts/m:font", ns):
            fonts.append((_flag(font.find("m:b", ns)), _flag(font.find("m:i", ns))))
        fills: list[bool] = []
        for fill in root.iterfind("m:fills/m:fill", ns):
            pattern = fill.find("m:patternFill", ns)
            fills.append(fill.find("m:gradientFill", ns) is not None or (
                pattern is not None and pattern.get("patternType") not in _NO_FILL_PATTERNS))
        for xf in root.iterfind("m:cellXfs/m:xf", ns):
            fmt_id = _int(xf.get("numFmtId"))
            self.fmt_ids.append(fmt_id)
            code = custom.get(fmt_id, _BUILTIN_FORMATS.get(fmt_id))
            self.formats.append(code)
            if is_temporal_format(fmt_id, code):
                if code is None:  # a built-in date format without its code here
                    code = self.formats[-1] = f"[formato data {fmt_id}]"
                self.temporal.add(code)
            font_id = _int(xf.get("fontId"))
            bold, italic = fonts[font_id] if 0 <= font_id < len(fonts) else (False, False)
            fill_id = _int(xf.get("fillId"))
            filled = fills[fill_id] if 0 <= fill_id < len(fills) else False
            alignment = xf.find("m:alignment", ns)
            indent = _int(alignment.get("indent")) if alignment is not None else 0
            indent = max(indent, 0)
            self.styles.append(cell_style(code, bold, indent, italic, filled))

    def cell(self, index: int, value: object = None, formula: str | None = None) -> Cell:
        """A cell with the style at ``index`` (an unknown index: no style)."""
        if 0 <= index < len(self.styles):
            return Cell(value, formula, style=self.styles[index])
        return Cell(value, formula)


_SI_RE = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_RPH_RE = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)


def _shared_strings(xml: bytes | None, file: str = "") -> list[str]:
    if not xml:
        return []
    out: list[str] = []
    end = xml.rfind(b"si>") + 3  # never search past the last closing tag (linear)
    for si in _SI_RE.finditer(xml, 0, end):
        body = si.group(1) or b""
        # phonetic runs (rPh) are not part of the text
        if b"rPh" in body:
            body = _RPH_RE.sub(b"", body)
        out.append("".join(_text(t) for t in _T_RE.findall(body)))
    return out


def _check_strings(xml: bytes, file: str) -> None:
    """No shared string longer than the limit (a cheap bound first: the part's size)."""
    limit = limits.STRING_CHARS.value()
    if len(xml) <= limit:
        return
    longest = max(map(len, xml.split(b"<si")))
    if longest > limit:
        raise limits.STRING_CHARS.refuse(
            file, f"un testo condiviso di {longest:,} byte".replace(",", "."))


def _parse_sheet(name: str, xml: bytes, styles: _Styles, strings: list[str],
                 state: str) -> SheetGrid:
    sheet = SheetGrid(name=name, state=state)
    body = _sheet_extras(sheet, xml)
    if _fast_path_applies(body):
        _parse_cells_fast(sheet, body, styles, strings)
        return sheet
    shared: dict[bytes, tuple[str, int, int]] = {}
    rows = sheet.rows
    next_row = 1
    for rm in _ROW_RE.finditer(body, 0, body.rfind(b"row>") + 4):
        ra = _attrs(rm.group(1))
        row = _int(ra.get(b"r"), next_row)
        if not 0 < row <= MAX_ROW:
            raise _beyond_grid(f"riga {row}")
        next_row = row + 1
        _row_flags(sheet, row, ra)
        content = rm.group(2)
        if not content:
            continue
        cells: dict[int, Cell] = {}
        next_col = 1
        for cm in _CELL_RE.finditer(content, 0, content.rfind(b"c>") + 2):
            ca = _attrs(cm.group(1))
            ref = ca.get(b"r")
            if ref:
                letters = ref.rstrip(b"0123456789").decode()
                col = col_index(letters.lstrip("$"))
            else:
                col = next_col
            if col > MAX_COL:
                raise _beyond_grid(f"colonna {col}")
            next_col = col + 1
            inner = cm.group(2)
            if not inner:
                continue
            t = ca.get(b"t", b"n")
            value, formula = _slow_cell(t, inner, row, col, shared, strings)
            if value is None and formula is None:
                continue
            cells[col] = styles.cell(_int(ca.get(b"s")), value, formula)
        if cells:
            rows[row] = cells
    return sheet


def _beyond_grid(where: str) -> ValueError:
    return ValueError(f"una cella è oltre la griglia di Excel ({where}; al massimo "
                      f"{MAX_ROW:,} righe e {MAX_COL:,} colonne)".replace(",", "."))


_STYLED_REF_RE = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)" s="([0-9]+)"')
_FORMULA_OPEN_RE = re.compile(rb"<f[ >/]")
_ERROR_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*? t="e"[^>]*>(.*?)</c>', re.S)


def _row_flags(sheet: SheetGrid, row: int, attrs: dict[bytes, bytes]) -> None:
    """Hidden, outline level and collapsed of one ``<row>``."""
    if attrs.get(b"hidden") in _TRUE:
        sheet.hidden_rows.add(row)
    level = attrs.get(b"outlineLevel")
    if level and level != b"0":
        sheet.outline_rows[row] = _int(level)
    if attrs.get(b"collapsed") in _TRUE:
        sheet.collapsed_rows.add(row)


def _sheet_extras(sheet: SheetGrid, xml: bytes) -> bytes:
    """Hidden and outlined columns, merged ranges, hidden and outlined rows; returns
    the sheetData body."""
    inner_start, inner_end = _sheet_extras_span(sheet, xml)
    return xml[inner_start:inner_end]


def _sheet_extras_span(sheet: SheetGrid, xml: bytes) -> tuple[int, int]:
    """:func:`_sheet_extras`, giving where the sheetData body is instead of a copy."""
    start, inner_start, inner_end = _sheet_data_span(xml)
    for m in _COL_RE.finditer(xml, 0, start):
        a = _attrs(m.group(1))
        hidden = a.get(b"hidden") in _TRUE
        level = a.get(b"outlineLevel")
        level = _int(level) if level and level != b"0" else 0
        collapsed = a.get(b"collapsed") in _TRUE
        if hidden or level or collapsed:
            first = max(_int(a.get(b"min"), 1), 1)
            for c in range(first, min(_int(a.get(b"max"), first), MAX_COL) + 1):
                if hidden:
                    sheet.hidden_cols.add(c)
                if level:
                    sheet.outline_cols[c] = level
                if collapsed:
                    sheet.collapsed_cols.add(c)
    for ref in _MERGE_RE.findall(xml, inner_end):
        sheet.merged.append(parse_range(ref.decode()))
    if xml.find(b'hidden="', inner_start, inner_end) < 0 \
            and xml.find(b'outlineLevel="', inner_start, inner_end) < 0 \
            and xml.find(b'collapsed="', inner_start, inner_end) < 0:
        return inner_start, inner_end  # (no row says anything: cheaper than a search)
    for m in _FLAGGED_ROW_RE.finditer(xml, inner_start, inner_end):
        a = _attrs(m.group(0))
        rn = _int(a.get(b"r"), 0)
        if rn:
            _row_flags(sheet, rn, a)
    return inner_start, inner_end


_BAD_STRING_INDEX_RE = re.compile(rb't="s"[^>]*><v>(?![0-9]+</v>)')


def _check_string_indexes(body: bytes, count: int) -> None:
    """Shared-string indexes calamine would take without a word (``-1``, ``1.5``)."""
    m = _BAD_STRING_INDEX_RE.search(body)
    if m is not None:
        start = body.rfind(b'<c r="', 0, m.start()) + 6
        ref = body[start: body.find(b'"', start)].decode("ascii", "replace")
        raw = body[m.end(): body.find(b"<", m.end())]
        _string_index(raw, count, ref)


def _parse_sheet_hybrid(name: str, xml: bytes, styles: _Styles, values: list[list],
                        state: str, n_strings: int = 0) -> SheetGrid:
    """Values from calamine; styles, formulas and error values from the XML."""
    sheet = SheetGrid(name=name, state=state)
    body = _sheet_extras(sheet, xml)
    _check_string_indexes(body, n_strings)
    # b"B12" -> b"3": the style attribute of every styled cell, in one C-speed pass
    style_of = dict(_STYLED_REF_RE.findall(body))
    # style attribute text -> index into the lists below, whose last entry is "no style"
    # (an index beyond cellXfs); a cell without ``s`` has style 0, like the other engine
    n_styles = len(styles.styles)
    cell_styles = [*styles.styles, PLAIN_STYLE]
    index_of = {raw: i if i < n_styles else n_styles
                for raw, i in ((raw, int(raw)) for raw in set(style_of.values()))}
    index_of[None] = 0  # (with no cellXfs at all, entry 0 is the "no style" one)
    width = max(map(len, values), default=0)
    letters = [b""] + [col_letters(c).encode() for c in range(1, width + 1)]
    rows = sheet.rows
    for r, row_values in enumerate(values, 1):
        rb = b"%d" % r
        cells = {}
        for c, v in enumerate(row_values, 1):
            if v == "":
                continue
            cells[c] = Cell(v, None, style=cell_styles[index_of[style_of.get(letters[c] + rb)]])
        if cells:
            rows[r] = cells
    shared: dict[bytes, tuple[str, int, int]] = {}
    for m in _FORMULA_OPEN_RE.finditer(body):
        start = body.rfind(b"<c ", 0, m.start())
        end = body.find(b"</c>", m.start())
        cm = _FAST_CELL_RE.match(body, start, end + 4)
        if cm is None:
            continue
        letters_b, rownum, _s, t, _rest, inner = cm.groups()
        row, col = int(rownum), col_index(letters_b.decode())
        value, formula = _slow_cell(t or b"n", inner, row, col, shared, [])
        cell = rows.setdefault(row, {}).get(col)
        if cell is None:
            s_idx = index_of[style_of.get(letters_b + rownum)]
            cell = rows[row][col] = styles.cell(s_idx)
        cell.formula = formula
        if isinstance(value, ErrorValue):
            cell.value = value
    for letters_b, rownum, inner in _ERROR_CELL_RE.findall(body, 0, body.rfind(b"</c>") + 4):
        vm = _V_RE.search(inner)
        if vm is None:
            continue
        row, col = int(rownum), col_index(letters_b.decode())
        cell = rows.setdefault(row, {}).get(col)
        if cell is None:
            s_idx = index_of[style_of.get(letters_b + rownum)]
            cell = rows[row][col] = styles.cell(s_idx)
        cell.value = ErrorValue(_text(vm.group(1)))
    return sheet


def _sheet_data_span(xml: bytes) -> tuple[int, int, int]:
    """Where ``<sheetData>`` is (its tag may carry a namespace prefix, ``<x:sheetData>``):
    the start of its tag and the start and end of its inside; everything before is the
    head (``<cols>``), everything after the tail (merges, tableParts). Without
    sheetData, or with an empty one, the inside is empty."""
    n = len(xml)
    start = xml.find(b"<sheetData")
    if start < 0:
        m = _SHEETDATA_OPEN_RE.search(xml)
        if m is None:
            return n, n, n
        start = m.start()
    open_end = xml.find(b">", start)
    if open_end < 0:
        return start, n, n
    if xml[open_end - 1: open_end] == b"/":
        return start, open_end + 1, open_end + 1
    close = xml.rfind(b"sheetData>")
    close = xml.rfind(b"</", open_end, close) if close > open_end else -1
    if close < 0:
        return start, open_end + 1, open_end + 1
    return start, open_end + 1, close


def _fast_path_applies(body: bytes) -> bool:
    """The common layout: unprefixed tags and every cell carrying its ``r`` first
    (a sheet whose tags carry a namespace prefix, ``<x:row>``, takes the general path)."""
    with_ref = body.count(b'<c r="')
    return (body.count(b"<c ") + body.count(b"<c>") == with_ref
            and (with_ref > 0 or b":row" not in body))


def _parse_cells_fast(sheet: SheetGrid, body: bytes, styles: _Styles,
                      strings: list[str]) -> None:
    """Read all cells of sheetData with one regex pass (the hot path); the row
    attributes were read by ``_sheet_extras``."""
    rows = sheet.rows
    shared: dict[bytes, tuple[str, int, int]] = {}
    col_cache: dict[bytes, int] = {}
    try:
        _fast_cells(body, rows, strings, styles.styles, shared, col_cache)
    except (ValueError, IndexError) as exc:
        raise _cell_error(exc) from None


def _cell_error(exc: Exception) -> ValueError:
    """The error of a cell that does not read, naming it when known."""
    if isinstance(exc, CellError):
        return exc
    return ValueError(f"un valore non si legge: {exc}")


class CellError(ValueError):
    """A cell whose content does not read (the message is Italian)."""

    def __init__(self, ref: str, message: str) -> None:
        self.ref = ref
        super().__init__(message)


def _string_index(raw: bytes, count: int, ref: str) -> int:
    """A shared-string index: a whole number from 0 to count - 1, else a CellError."""
    try:
        idx = int(raw)
    except ValueError:
        idx = -1
    if not 0 <= idx < count:
        raise CellError(ref, f"l'indice del testo condiviso «{_text(raw)[:20]}» non è valido "
                             f"(il file ha {count} testi): la cella non si legge.")
    return idx


def _fast_cells(body: bytes, rows: dict[int, dict[int, Cell]], strings: list[str],
                cell_styles: list[ReadStyle], shared: dict[bytes, tuple[str, int, int]],
                col_cache: dict[bytes, int]) -> None:
    """The hot loop of :func:`_parse_cells_fast`."""
    cur_row_num = -1
    cur_row: dict[int, Cell] = {}
    n_strings = len(strings)
    n_styles = len(cell_styles)
    for letters, rownum, s_raw, t, rest, inner in _FAST_CELL_RE.findall(
            body, 0, body.rfind(b"</c>") + 4):
        if rest and (b" s=" in rest or b" t=" in rest):  # unusual attribute order
            a = _attrs(rest)
            s_raw = a.get(b"s", s_raw)
            t = a.get(b"t", t)
        s_idx = int(s_raw) if s_raw else 0
        if not t:
            t = b"n"
        if not inner:
            continue
        col = col_cache.get(letters)
        if col is None:
            col = col_cache[letters] = col_index(letters.decode())
            if col > MAX_COL:
                raise _beyond_grid(f"colonna {letters.decode()}")
        row = int(rownum)
        value: object = None
        formula = None
        if inner:
            if inner[:3] == b"<v>" and inner[-4:] == b"</v>" and b"<" not in inner[3:-4]:
                raw = inner[3:-4]
                if t == b"n":
                    value = float(raw) if raw else 0.0
                elif t == b"s":
                    try:
                        idx = int(raw)
                    except ValueError:
                        idx = -1
                    if not 0 <= idx < n_strings:
                        _string_index(raw, n_strings, (letters + rownum).decode())
                    value = strings[idx]
                else:
                    value = _typed_value(t, raw)
            else:
                value, formula = _slow_cell(t, inner, row, col, shared, strings)
            if value is None and formula is None:
                continue
        if row != cur_row_num:
            if row > MAX_ROW:
                raise _beyond_grid(f"riga {row}")
            cur_row = rows.get(row)
            if cur_row is None:
                cur_row = rows[row] = {}
            cur_row_num = row
        cur_row[col] = Cell(value, formula, style=cell_styles[s_idx]) if s_idx < n_styles \
            else Cell(value, formula)


def _typed_value(t: bytes, raw: bytes) -> object:
    if t == b"b":
        return raw.strip() in (b"1", b"true")
    if t == b"e":
        return ErrorValue(_text(raw))
    if t == b"n":
        return float(raw) if raw.strip() else 0.0
    value = _text(raw)
    return ErrorValue(value) if value in ERROR_VALUES else value


def _slow_cell(t: bytes, inner: bytes, row: int, col: int,
               shared: dict[bytes, tuple[str, int, int]],
               strings: list[str]) -> tuple[object, str | None]:
    """A cell with a formula, an inline string or unusual markup."""
    formula = None
    fm = _F_RE.search(inner)
    if fm:
        fa = _attrs(fm.group(1))
        ftext = _text(fm.group(2)) if fm.group(2) else ""
        if fa.get(b"t") == b"shared":
            si = fa.get(b"si", b"")
            if ftext:
                shared[si] = (ftext, row, col)
            elif si in shared:
                base, brow, bcol = shared[si]
                ftext = shift_formula(base, row - brow, col - bcol)
        formula = "=" + ftext if ftext else None
    if t == b"inlineStr":
        return "".join(_text(x) for x in _T_RE.findall(inner)), formula
    vm = _V_RE.search(inner)
    if vm is None:
        return None, formula
    raw = vm.group(1)
    if t == b"s":
        if not strings:  # (the hybrid pass reads formulas only; calamine has the value)
            return None, formula
        idx = _string_index(raw, len(strings), f"{col_letters(col)}{row}")
        return strings[idx], formula
    return _typed_value(t, raw), formula


def _number(raw: bytes) -> int | float:
    text = raw.strip()
    if not text:
        return 0
    if b"." in text or b"e" in text or b"E" in text:
        f = float(text)
        return int(f) if f.is_integer() and abs(f) < 1e15 and b"e" not in text.lower() else f
    return int(text)


def _part_rels(zf: zipfile.ZipFile, part: str, file: str,
               members: set[str]) -> dict[str, str]:
    """Relationship id -> package path of the target, for the part at ``part``
    (targets are relative to the part's folder, or absolute from the package root)."""
    folder, base = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    targets: dict[str, str] = {}
    if rels_path not in members:
        return targets
    rels = parse_part(read_part(zf, rels_path, file), rels_path, file)
    for rel in rels.iterfind(f"{{{_NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        targets[rel.get("Id", "")] = path
    return targets


def _workbook_parts(zf: zipfile.ZipFile, file: str) -> tuple[list[tuple[str, str, str]],
                                                            dict[str, str]]:
    """[(sheet name, part path, state)] in tab order, and defined names."""
    wb = parse_part(read_part(zf, "xl/workbook.xml", file), "xl/workbook.xml", file)
    members = set(zf.namelist())
    targets = _part_rels(zf, "xl/workbook.xml", file, members)
    sheets = []
    for sh in wb.iterfind(f"{{{_NS_MAIN}}}sheets/{{{_NS_MAIN}}}sheet"):
        rid = sh.get(f"{{{_NS_REL}}}id", "")
        part = targets.get(rid)
        if part and part in members:
            sheets.append((sh.get("name", ""), part, sh.get("state", "visible")))
    names = {}
    for dn in wb.iterfind(f"{{{_NS_MAIN}}}definedNames/{{{_NS_MAIN}}}definedName"):
        if dn.get("localSheetId") is None and dn.text:
            names[dn.get("name", "")] = dn.text
    return sheets, names


def _xstring(text: str) -> str:
    """An OOXML string with its ``_xHHHH_`` escapes decoded (``_x000a_`` is a newline)."""
    if "_x" not in text:
        return text
    return _XSTRING_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _int_attr(el: etree._Element, name: str, default: int) -> int:
    return _int(el.get(name), default)


def _parse_table(xml: bytes, part: str = "", file: str = "") -> ExcelTable | None:
    """One table part (``xl/tables/tableN.xml``), or None when it is not a table."""
    root = parse_part(xml, part, file)
    if root.tag != f"{{{_NS_MAIN}}}table" or not root.get("ref"):
        return None
    ref = parse_range(root.get("ref"))
    table = ExcelTable(name=_xstring(root.get("displayName") or root.get("name") or ""),
                       ref=ref, header_rows=_int_attr(root, "headerRowCount", 1),
                       totals_rows=_int_attr(root, "totalsRowCount", 0))
    for i, col in enumerate(root.iterfind(f"{{{_NS_MAIN}}}tableColumns/"
                                          f"{{{_NS_MAIN}}}tableColumn")):
        table.columns.append(_xstring(col.get("name", "")))
        function = col.get("totalsRowFunction")
        if function and function != "none":
            table.totals_functions[ref[1] + i] = function
    return table


def _sheet_tables(zf: zipfile.ZipFile, part: str, xml: bytes, file: str,
                  members: set[str]) -> list[ExcelTable]:
    """The Excel Tables of a sheet: its ``<tablePart r:id>`` through the sheet's
    relationships. A relationship pointing at a missing part is skipped."""
    tail = _sheet_data_span(xml)[2]
    if xml.find(b"tablePart", tail) < 0:
        return []
    rids = _TABLE_PART_RE.findall(xml, tail)
    if not rids:
        return []
    targets = _part_rels(zf, part, file, members)
    tables = []
    for rid in rids:
        target = targets.get(rid.decode())
        if target and target in members:
            table = _parse_table(read_part(zf, target, file), target, file)
            if table is not None:
                tables.append(table)
    return tables


class _Calamine:
    """python-calamine (Rust) values, sheet by sheet, opened on first use.

    Opened only after every part it reads was inflated and CRC-checked by zipfile
    (so a lying ZIP header never reaches it) and asked only for sheets whose dense grid
    fits :data:`limits.GRID_CELLS`. Its Rust panics (``PanicException``, a
    BaseException) become the file's Italian error; its ordinary errors mean "read
    that sheet from the XML".
    """

    def __init__(self, path: str | Path, file: str) -> None:
        self.path, self.file = path, file
        self.book: object | None = None
        self.failed = CalamineWorkbook is None

    def values(self, name: str) -> list[list] | None:
        if self.failed:
            return None
        try:
            if self.book is None:
                self.book = CalamineWorkbook.from_path(str(self.path))
            return self.book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            return None
        except BaseException as exc:  # pyo3's PanicException derives from BaseException
            if type(exc).__name__ != "PanicException":
                raise
            self.failed = True
            raise WorkbookReadError(
                "il lettore dei valori si è fermato su un errore interno leggendo questo "
                "foglio: il file è probabilmente danneggiato; aprirlo e salvarlo di nuovo in "
                "Excel.", file=self.file, sheet=name) from None


# a ref with two or more column letters, or a row number of six digits or more
_WIDE_OR_LONG_RE = re.compile(rb'<c r="[A-Z](?:[A-Z]|[0-9]{6})')
_REF_PARTS_RE = re.compile(rb'<c r="([A-Z]+)([0-9]+)"')


def _dense_area(body: bytes) -> int:
    """Rows x columns of the grid calamine would build for this sheet (from A1 to the
    farthest cell), bounded cheaply: one search proves the common case (columns A-Z,
    fewer than 100,000 rows) small; otherwise every reference is looked at. A cell
    beyond the Excel grid is a ValueError."""
    if _WIDE_OR_LONG_RE.search(body) is None:
        return 26 * 99_999
    max_row = max_col = 0
    letters: set[bytes] = set()
    rows: set[bytes] = set()
    for col, row in _REF_PARTS_RE.findall(body):
        letters.add(col)
        rows.add(row)
    if letters:
        widest = max(letters, key=lambda b: (len(b), b))
        max_col = col_index(widest.decode()) if len(widest) <= 3 else MAX_COL + 1
        max_row = max(map(int, rows))
    if max_col > MAX_COL:
        raise _beyond_grid(f"colonna {widest.decode()[:10]}")
    if max_row > MAX_ROW:
        raise _beyond_grid(f"riga {max_row}")
    return max_row * max_col


def _formula_count(body: bytes) -> int:
    """Formulas in a sheet body (``<f>``, ``<f ...>``, ``<f/>``; an upper bound)."""
    return body.count(b"<f>") + body.count(b"<f ") + body.count(b"<f/")


def _serial(value: object) -> float | None:
    """The Excel serial number of a date, time or duration value (calamine's)."""
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second
                + value.microsecond / 1e6) / 86400
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return None


def _mark_temporal(sheet: SheetGrid, temporal: set[str | None]) -> None:
    """Numbers shown as dates, times or durations become TemporalNumber (whatever the
    engine gave: a float, or calamine's datetime/date/time/timedelta)."""
    for cells in sheet.rows.values():
        for cell in cells.values():
            if cell.number_format not in temporal:
                continue
            v = cell.value
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cell.value = TemporalNumber(v)
            else:
                serial = _serial(v)
                if serial is not None:
                    cell.value = TemporalNumber(serial)


def read_workbook(path: str | Path, sheets: list[str] | None = None,
                  engine: str = "auto") -> WorkbookGrid:
    """Read every worksheet (or only ``sheets``) of an xlsx/xlsm file into a grid.

    ``engine``: "auto" takes values from python-calamine when it is installed and the
    sheet XML has the common layout, the rest (formulas, styles, errors, hidden rows,
    merges) from one regex pass; "python" reads everything from the XML.
    """
    file = str(path)
    zf = open_package(path)
    try:
        with collector_paused():  # see pdz_xl.gcpause
            return _read(zf, path, file, sheets, engine)
    except etree.XMLSyntaxError as exc:
        raise WorkbookReadError(f"il file è danneggiato (XML non valido: {exc}).",
                                file=file) from None
    except MemoryError:
        raise WorkbookReadError(
            "la memoria non basta per leggere il file (è molto più grande di una cartella di "
            "bilancio: vedere i limiti di lettura nel README).", file=file) from None
    finally:
        zf.close()


_DIMENSION_RE = re.compile(rb'<dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')


def _dimension_area(head: bytes) -> int:
    """Rows x columns from A1 to the end of the sheet's ``<dimension>`` (0 without one):
    what the sheet says of its size, a hint only."""
    m = _DIMENSION_RE.search(head)
    return int(m.group(2)) * col_index(m.group(1).decode()) if m else 0


class _Direct:
    """Sheets read with values straight from the XML (:mod:`.sheet_direct`), when the
    styles and shared strings are plain enough for it. A sheet read so also stands for
    the checks the usual reading makes first (the common layout, the dense area
    calamine would build), which it answers from the cells it read."""

    def __init__(self, styles: _Styles, styles_xml: bytes | None,
                 strings_xml: bytes | None) -> None:
        self.table = sheet_direct.style_table(styles, styles_xml)
        self.strings = sheet_direct.shared_strings(strings_xml) if self.table else None

    def sheet(self, name: str, xml: bytes, state: str, dense_limit: int,
              max_formulas: int) -> tuple[SheetGrid, int] | None:
        """The sheet and its formula count, or None when it takes the usual reading
        (also when it has more than ``max_formulas``: the usual reading refuses it)."""
        if self.table is None or self.strings is None:
            return None
        start, _inner, inner_end = _sheet_data_span(xml)
        head, tail = xml[:start], xml[inner_end:]
        for part in (head, tail):  # the cells must all be in sheetData
            if b"<c " in part or b"<c>" in part:
                return None
        if _dimension_area(head) > dense_limit:
            return None  # (most probably too large for calamine: the usual reading says)
        sheet = SheetGrid(name=name, state=state)
        try:
            inner_start, inner_end = _sheet_extras_span(sheet, xml)
            extent = sheet_direct.read_cells(
                sheet.rows, xml, inner_start, inner_end, self.table, self.strings,
                _slow_cell, max_formulas)
        except (sheet_direct.Unusual, ValueError, IndexError):
            return None  # (a bad merged range: the usual reading raises it in its turn)
        if extent.max_row == 0 and b":row" in xml:
            return None  # (not the common layout)
        dense = extent.max_row * extent.max_col if extent.wide else 26 * 99_999
        if dense > dense_limit:
            return None
        found = extent.formulas + _formula_count(head) + _formula_count(tail)
        return (sheet, found) if found <= max_formulas else None


def _read(zf: zipfile.ZipFile, path: str | Path, file: str, sheets: list[str] | None,
          engine: str) -> WorkbookGrid:
    sheet_parts, names = _workbook_parts(zf, file)
    members = set(zf.namelist())
    styles_xml = read_part(zf, "xl/styles.xml", file) if "xl/styles.xml" in members else None
    styles = _Styles(styles_xml, file)
    # read (inflate, CRC-check) the shared strings before calamine ever opens the file
    strings_xml = (read_part(zf, "xl/sharedStrings.xml", file)
                   if "xl/sharedStrings.xml" in members else None)
    if strings_xml:
        refuse_doctype(strings_xml, "xl/sharedStrings.xml", file)
        _check_strings(strings_xml, file)
    calamine = _Calamine(path, file) if engine == "auto" else None
    direct: _Direct | None = None  # made on the first sheet that calamine would read
    dense_limit = limits.GRID_CELLS.value()
    formula_limit, formulas = limits.FORMULAS.value(), 0
    strings: list[str] | None = None
    grid = WorkbookGrid(source=file, defined_names=names)
    wanted = {s.casefold() for s in sheets} if sheets else None
    for name, part, state in sheet_parts:
        if wanted is not None and name.casefold() not in wanted:
            continue
        xml = read_part(zf, part, file)
        refuse_doctype(xml, part, file)
        try:
            sheet_values = sheet = None
            if calamine is not None and not calamine.failed:
                if direct is None:
                    direct = _Direct(styles, styles_xml, strings_xml)
                read = direct.sheet(name, xml, state, dense_limit, formula_limit - formulas)
                if read is not None:
                    sheet, found = read
                    formulas += found
            if sheet is None:
                formulas += _formula_count(xml)
                if formulas > formula_limit:
                    raise limits.FORMULAS.refuse(file, f"più di {formula_limit:,}".replace(
                        ",", "."), sheet=name)
                if calamine is not None and _fast_path_applies(xml) \
                        and _dense_area(xml) <= dense_limit:
                    sheet_values = calamine.values(name)
            if sheet is None:  # (a sheet read directly has no temporal format)
                if sheet_values is not None:
                    sheet = _parse_sheet_hybrid(
                        name, xml, styles, sheet_values, state,
                        strings_xml.count(b"<si") if strings_xml else 0)
                else:
                    if strings is None:
                        strings = _shared_strings(strings_xml, file)
                    sheet = _parse_sheet(name, xml, styles, strings, state)
                if styles.temporal:
                    _mark_temporal(sheet, styles.temporal)
            sheet.tables = _sheet_tables(zf, part, xml, file, members)
            grid.sheets.append(sheet)
        except CellError as exc:
            raise WorkbookReadError(str(exc), file=file, sheet=name, cell=exc.ref) from None
        except (ValueError, IndexError) as exc:
            raise WorkbookReadError(
                f"il foglio non si legge ({exc}).", file=file, sheet=name
            ) from None
    if not grid.sheets:
        raise WorkbookReadError("la cartella non contiene fogli di lavoro.", file=file)
    return grid

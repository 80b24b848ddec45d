"""Read an xlsx/xlsm file into a WorkbookGrid in one pass over each sheet's XML.

Why a hand-written streaming reader: detection needs values *and* formulas, number
formats, bold fonts, hidden rows/columns and merged ranges. openpyxl gives all of it
but is ~10x slower than python-calamine, which gives values only. Scanning the sheet
XML with compiled regular expressions (C speed) over the raw bytes reads everything in
about the time calamine takes for values (see ``benchmarks/bench_read.py``).
Small parts (workbook, relationships, styles, shared strings) are parsed with lxml.
"""

from __future__ import annotations

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

from ..cells import col_index, parse_range
from ..errors import WorkbookReadError
from ..grid import ERROR_VALUES, Cell, ErrorValue, SheetGrid, WorkbookGrid
from .formula_shift import shift_formula
from .xlsx_sniff import open_package, read_part

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
_SHEETDATA_RE = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?sheetData>)", re.S)
_FAST_CELL_RE = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?([^>]*?)(?:/>|>(.*?)</c>)',
    re.S,
)
_HIDDEN_ROW_RE = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUM_RE = re.compile(rb'\br="([0-9]+)"')

_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    14: "mm-dd-yy", 44: '_-"€"* #,##0.00_-;-"€"* #,##0.00_-;_-"€"* "-"??_-;_-@_-', 49: "@",
}


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR_RE.findall(raw))


def _text(raw: bytes) -> str:
    s = raw.decode("utf-8")
    return unescape(s) if "&" in s else s


class _Styles:
    """cellXfs index -> (number format, bold)."""

    def __init__(self, xml: bytes | None) -> None:
        self.formats: list[str | None] = []
        self.bold: list[bool] = []
        if not xml:
            return
        root = etree.fromstring(xml)
        ns = {"m": _NS_MAIN}
        custom = {int(n.get("numFmtId")): n.get("formatCode")
                  for n in root.iterfind("m:numFmts/m:numFmt", ns)}
        fonts_bold = []
        for font in root.iterfind("m:fonts/m:font", ns):
            b = font.find("m:b", ns)
            fonts_bold.append(b is not None and b.get("val", "1") not in ("0", "false"))
        for xf in root.iterfind("m:cellXfs/m:xf", ns):
            fmt_id = int(xf.get("numFmtId", "0"))
            self.formats.append(custom.get(fmt_id, _BUILTIN_FORMATS.get(fmt_id)))
            font_id = int(xf.get("fontId", "0"))
            self.bold.append(fonts_bold[font_id] if font_id < len(fonts_bold) else False)

    def get(self, index: int) -> tuple[str | None, bool]:
        if 0 <= index < len(self.formats):
            return self.formats[index], self.bold[index]
        return None, False


def _shared_strings(xml: bytes | None) -> list[str]:
    if not xml:
        return []
    out: list[str] = []
    for si in re.finditer(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", xml, re.S):
        body = si.group(1) or b""
        # phonetic runs (rPh) are not part of the text
        body = re.sub(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", b"", body, flags=re.S)
        out.append("".join(_text(t) for t in _T_RE.findall(body)))
    return out


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
    for rm in _ROW_RE.finditer(body):
        ra = _attrs(rm.group(1))
        row = int(ra[b"r"]) if b"r" in ra else next_row
        next_row = row + 1
        if ra.get(b"hidden") in (b"1", b"true"):
            sheet.hidden_rows.add(row)
        content = rm.group(2)
        if not content:
            continue
        cells: dict[int, Cell] = {}
        next_col = 1
        for cm in _CELL_RE.finditer(content):
            ca = _attrs(cm.group(1))
            ref = ca.get(b"r")
            if ref:
                letters = ref.rstrip(b"0123456789").decode()
                col = col_index(letters.lstrip("$"))
            else:
                col = next_col
            next_col = col + 1
            inner = cm.group(2)
            s_idx = ca.get(b"s")
            fmt, bold = styles.get(int(s_idx)) if s_idx else styles.get(0)
            if not inner:
                continue
            t = ca.get(b"t", b"n")
            value, formula = _slow_cell(t, inner, row, col, shared, strings)
            if value is None and formula is None:
                continue
            cells[col] = Cell(value, formula, fmt, bold)
        if cells:
            rows[row] = cells
    return sheet


_STYLED_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="([0-9]+)"')
_FORMULA_OPEN_RE = re.compile(rb"<f[ >/]")
_ERROR_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*? t="e"[^>]*>(.*?)</c>', re.S)


def _sheet_extras(sheet: SheetGrid, xml: bytes) -> bytes:
    """Hidden columns, merged ranges and hidden rows; returns the sheetData body."""
    for m in _COL_RE.finditer(xml.split(b"<sheetData", 1)[0]):
        a = _attrs(m.group(1))
        if a.get(b"hidden") in (b"1", b"true"):
            for c in range(int(a.get(b"min", b"1")), int(a.get(b"max", b"1")) + 1):
                sheet.hidden_cols.add(c)
    tail_start = xml.rfind(b"</sheetData>")
    if tail_start >= 0:
        for ref in _MERGE_RE.findall(xml, tail_start):
            sheet.merged.append(parse_range(ref.decode()))
    body = _sheet_data(xml)
    for m in _HIDDEN_ROW_RE.finditer(body):
        rn = _ROW_NUM_RE.search(m.group(0))
        if rn:
            sheet.hidden_rows.add(int(rn.group(1)))
    return body


def _parse_sheet_hybrid(name: str, xml: bytes, styles: _Styles, values: list[list],
                        state: str) -> SheetGrid:
    """Values from calamine; styles, formulas and error values from the XML."""
    sheet = SheetGrid(name=name, state=state)
    body = _sheet_extras(sheet, xml)
    formats, bolds = styles.formats, styles.bold
    n_styles = len(formats)
    col_cache: dict[bytes, int] = {}
    style_at: dict[int, dict[int, int]] = {}
    for letters, rownum, s_raw in _STYLED_CELL_RE.findall(body):
        col = col_cache.get(letters)
        if col is None:
            col = col_cache[letters] = col_index(letters.decode())
        row_styles = style_at.get(int(rownum))
        if row_styles is None:
            row_styles = style_at[int(rownum)] = {}
        row_styles[col] = int(s_raw)
    rows = sheet.rows
    default_fmt, default_bold = styles.get(0)
    empty: dict[int, int] = {}
    for r, row_values in enumerate(values, 1):
        present = [(c, v) for c, v in enumerate(row_values, 1) if v != ""]
        if not present:
            continue
        row_styles = style_at.get(r, empty)
        cells = {}
        for c, v in present:
            s_idx = row_styles.get(c, -1)
            if 0 <= s_idx < n_styles:
                cells[c] = Cell(v, None, formats[s_idx], bolds[s_idx])
            else:
                cells[c] = Cell(v, None, default_fmt, default_bold)
        rows[r] = cells
    shared: dict[bytes, tuple[str, int, int]] = {}
    for m in _FORMULA_OPEN_RE.finditer(body):
        start = body.rfind(b"<c ", 0, m.start())
        end = body.find(b"</c>", m.start())
        cm = _FAST_CELL_RE.match(body, start, end + 4)
        if cm is None:
            continue
        letters, rownum, _s, t, _rest, inner = cm.groups()
        row, col = int(rownum), col_index(letters.decode())
        value, formula = _slow_cell(t or b"n", inner, row, col, shared, [])
        cell = rows.setdefault(row, {}).get(col)
        if cell is None:
            fmt, bold = styles.get(style_at.get(row, {}).get(col, 0))
            cell = rows[row][col] = Cell(None, None, fmt, bold)
        cell.formula = formula
        if isinstance(value, ErrorValue):
            cell.value = value
    for letters, rownum, inner in _ERROR_CELL_RE.findall(body):
        vm = _V_RE.search(inner)
        if vm is None:
            continue
        row, col = int(rownum), col_index(letters.decode())
        cell = rows.setdefault(row, {}).get(col)
        if cell is None:
            cell = rows[row][col] = Cell(None)
        cell.value = ErrorValue(_text(vm.group(1)))
    return sheet


def _sheet_data(xml: bytes) -> bytes:
    """The inside of <sheetData> (empty when the sheet has no cells)."""
    start = xml.find(b"<sheetData")
    if start < 0:
        return b""
    open_end = xml.find(b">", start)
    if xml[open_end - 1: open_end] == b"/":
        return b""
    end = xml.rfind(b"</sheetData>")
    return xml[open_end + 1: end] if end > open_end else b""


def _fast_path_applies(body: bytes) -> bool:
    """The common layout: unprefixed tags and every cell carrying its ``r`` first."""
    return body.count(b"<c ") + body.count(b"<c>") == body.count(b'<c r="')


def _parse_cells_fast(sheet: SheetGrid, body: bytes, styles: _Styles,
                      strings: list[str]) -> None:
    """Read all cells of sheetData with one regex pass (the hot path)."""
    for m in _HIDDEN_ROW_RE.finditer(body):
        rn = _ROW_NUM_RE.search(m.group(0))
        if rn:
            sheet.hidden_rows.add(int(rn.group(1)))
    formats, bolds = styles.formats, styles.bold
    n_styles = len(formats)
    rows = sheet.rows
    shared: dict[bytes, tuple[str, int, int]] = {}
    col_cache: dict[bytes, int] = {}
    cur_row_num = -1
    cur_row: dict[int, Cell] = {}
    for letters, rownum, s_raw, t, rest, inner in _FAST_CELL_RE.findall(body):
        if rest and (b" s=" in rest or b" t=" in rest):  # unusual attribute order
            a = _attrs(rest)
            s_raw = a.get(b"s", s_raw)
            t = a.get(b"t", t)
        s_idx = int(s_raw) if s_raw else 0
        if not t:
            t = b"n"
        if s_idx < n_styles:
            fmt, bold = formats[s_idx], bolds[s_idx]
        else:
            fmt, bold = None, False
        if not inner:
            continue
        col = col_cache.get(letters)
        if col is None:
            col = col_cache[letters] = col_index(letters.decode())
        row = int(rownum)
        value: object = None
        formula = None
        if inner:
            if inner[:3] == b"<v>" and inner[-4:] == b"</v>" and b"<" not in inner[3:-4]:
                raw = inner[3:-4]
                if t == b"n":
                    value = float(raw) if raw else 0.0
                elif t == b"s":
                    value = strings[int(raw)]
                else:
                    value = _typed_value(t, raw)
            else:
                value, formula = _slow_cell(t, inner, row, col, shared, strings)
            if value is None and formula is None:
                continue
        if row != cur_row_num:
            cur_row = rows.get(row)
            if cur_row is None:
                cur_row = rows[row] = {}
            cur_row_num = row
        cur_row[col] = Cell(value, formula, fmt, bold)


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
        idx = int(raw)
        return (strings[idx] if idx < len(strings) else ""), formula
    return _typed_value(t, raw), formula


def _number(raw: bytes) -> int | float:
    text = raw.strip()
    if not text:
        return 0
    if b"." in text or b"e" in text or b"E" in text:
        f = float(text)
        return int(f) if f.is_integer() and abs(f) < 1e15 and b"e" not in text.lower() else f
    return int(text)


def _workbook_parts(zf: zipfile.ZipFile, file: str) -> tuple[list[tuple[str, str, str]],
                                                            dict[str, str]]:
    """[(sheet name, part path, state)] in tab order, and defined names."""
    wb = etree.fromstring(read_part(zf, "xl/workbook.xml", file))
    rels_path = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_path in zf.namelist():
        rels = etree.fromstring(read_part(zf, rels_path, file))
        for rel in rels.iterfind(f"{{{_NS_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            targets[rel.get("Id", "")] = path
    sheets = []
    for sh in wb.iterfind(f"{{{_NS_MAIN}}}sheets/{{{_NS_MAIN}}}sheet"):
        rid = sh.get(f"{{{_NS_REL}}}id", "")
        part = targets.get(rid)
        if part and part in zf.namelist():
            sheets.append((sh.get("name", ""), part, sh.get("state", "visible")))
    names = {}
    for dn in wb.iterfind(f"{{{_NS_MAIN}}}definedNames/{{{_NS_MAIN}}}definedName"):
        if dn.get("localSheetId") is None and dn.text:
            names[dn.get("name", "")] = dn.text
    return sheets, names


def _calamine_values(path: str | Path) -> dict[str, list[list]] | None:
    """All sheet values through python-calamine (Rust), or None when unavailable."""
    if CalamineWorkbook is None:
        return None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in wb.sheet_names}
    except Exception:
        return None


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
        sheet_parts, names = _workbook_parts(zf, file)
        members = set(zf.namelist())
        styles = _Styles(read_part(zf, "xl/styles.xml", file)
                         if "xl/styles.xml" in members else None)
        values = _calamine_values(path) if engine == "auto" else None
        strings: list[str] | None = None
        grid = WorkbookGrid(source=file, defined_names=names)
        wanted = {s.casefold() for s in sheets} if sheets else None
        for name, part, state in sheet_parts:
            if wanted is not None and name.casefold() not in wanted:
                continue
            xml = read_part(zf, part, file)
            try:
                sheet_values = values.get(name) if values is not None else None
                if sheet_values is not None and _fast_path_applies(xml):
                    grid.sheets.append(_parse_sheet_hybrid(name, xml, styles, sheet_values,
                                                           state))
                    continue
                if strings is None:
                    strings = _shared_strings(read_part(zf, "xl/sharedStrings.xml", file)
                                              if "xl/sharedStrings.xml" in members else None)
                grid.sheets.append(_parse_sheet(name, xml, styles, strings, state))
            except (ValueError, IndexError) as exc:
                raise WorkbookReadError(
                    f"il foglio non si legge ({exc}).", file=file, sheet=name
                ) from None
        if not grid.sheets:
            raise WorkbookReadError("la cartella non contiene fogli di lavoro.", file=file)
        return grid
    except etree.XMLSyntaxError as exc:
        raise WorkbookReadError(f"il file è danneggiato (XML non valido: {exc}).",
                                file=file) from None
    finally:
        zf.close()

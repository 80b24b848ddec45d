"""Worksheet XML: cell elements, patching cells into a sheet, rendering owned sheets."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from ..cells import col_index, col_letters, parse_a1, parse_range
from ..changeset import CellWrite, OwnedSheet
from .package import NS_MAIN, NS_R, clean_text
from .styles_append import StyleBook

_M = f"{{{NS_MAIN}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# CT_Worksheet child order (ECMA-376): new children must go in the right place.
SHEET_ORDER = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
]


def number_text(value: int | float | Decimal) -> str:
    """A number as the sheet XML stores it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        return text
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def cell_element(ref: str, write: CellWrite, style: int | None) -> etree._Element:
    """A ``<c>`` element for one write (formula with its cached value)."""
    c = etree.Element(_M + "c", r=ref)
    if style:
        c.set("s", str(style))
    value = write.value
    if write.formula:
        f = etree.SubElement(c, _M + "f")
        f.text = clean_text(write.formula.lstrip("="))
        if isinstance(value, str):
            c.set("t", "str")
            etree.SubElement(c, _M + "v").text = clean_text(value)
        elif isinstance(value, bool):
            c.set("t", "b")
            etree.SubElement(c, _M + "v").text = "1" if value else "0"
        elif value is not None:
            etree.SubElement(c, _M + "v").text = number_text(value)
        return c
    if value is None:
        return c
    if isinstance(value, bool):
        c.set("t", "b")
        etree.SubElement(c, _M + "v").text = "1" if value else "0"
    elif isinstance(value, (int, float, Decimal)):
        etree.SubElement(c, _M + "v").text = number_text(value)
    else:
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, _M + "is"), _M + "t")
        t.text = clean_text(str(value))
        t.set(_XML_SPACE, "preserve")
    return c


def child(root: etree._Element, tag: str, create: bool = True) -> etree._Element | None:
    """A direct child by local name, created in schema order when missing."""
    node = root.find(_M + tag)
    if node is not None or not create:
        return node
    node = etree.Element(_M + tag)
    pos = SHEET_ORDER.index(tag)
    index = 0
    for i, existing in enumerate(root):
        name = etree.QName(existing).localname
        if name in SHEET_ORDER and SHEET_ORDER.index(name) < pos:
            index = i + 1
    root.insert(index, node)
    return node


class RowIndex:
    """Row number -> ``<row>`` of a sheetData, so patching n cells is not n full scans."""

    def __init__(self, sheet_data: etree._Element) -> None:
        self.data = sheet_data
        self.rows = {int(r.get("r", "0")): r for r in sheet_data}
        self.numbers = sorted(self.rows)

    def get(self, row: int, create: bool) -> etree._Element | None:
        found = self.rows.get(row)
        if found is not None or not create:
            return found
        import bisect

        pos = bisect.bisect_left(self.numbers, row)
        new = etree.Element(_M + "row", r=str(row))
        if pos < len(self.numbers):
            self.rows[self.numbers[pos]].addprevious(new)
        else:
            self.data.append(new)
        self.numbers.insert(pos, row)
        self.rows[row] = new
        return new


_INDEXES: dict[int, RowIndex] = {}


def clear_row_indexes() -> None:
    """Forget the cached indexes (end of a write: no element kept alive)."""
    _INDEXES.clear()


def row_index(sheet_data: etree._Element) -> RowIndex:
    """The (cached) row index of a sheetData element."""
    idx = _INDEXES.get(id(sheet_data))
    if idx is None or idx.data is not sheet_data:
        idx = _INDEXES[id(sheet_data)] = RowIndex(sheet_data)
    return idx


def _row_of(sheet_data: etree._Element, row: int) -> etree._Element:
    """The ``<row r=row>``, created in order when missing."""
    return row_index(sheet_data).get(row, create=True)


def find_cell(sheet_data: etree._Element, ref: str) -> etree._Element | None:
    row, _ = parse_a1(ref)
    r = row_index(sheet_data).get(row, create=False)
    if r is None:
        return None
    for c in r:
        if c.get("r") == ref:
            return c
    return None


def put_cell(sheet_data: etree._Element, element: etree._Element) -> etree._Element | None:
    """Insert or replace a cell in column order; returns the replaced element."""
    ref = element.get("r")
    row, col = parse_a1(ref)
    r = _row_of(sheet_data, row)
    index = 0
    for i, c in enumerate(r):
        ccol = col_index("".join(ch for ch in c.get("r", "") if ch.isalpha()))
        if ccol == col:
            r.replace(c, element)
            return c
        if ccol < col:
            index = i + 1
    r.insert(index, element)
    spans = r.get("spans")
    if spans:
        r.attrib.pop("spans")
    return None


def render_owned(sheet: OwnedSheet, styles: StyleBook) -> etree._Element:
    """The whole XML of an owned sheet (drawing/comment links added by the caller)."""
    root = etree.Element(_M + "worksheet", nsmap={None: NS_MAIN, "r": NS_R})
    if sheet.tab_color:
        pr = child(root, "sheetPr")
        etree.SubElement(pr, _M + "tabColor", rgb="FF" + sheet.tab_color.lstrip("#")[-6:])
    refs = [parse_a1(w.cell) for w in sheet.cells]
    if refs:
        max_row = max(r for r, _ in refs)
        max_col = max(c for _, c in refs)
        child(root, "dimension").set("ref", f"A1:{col_letters(max_col)}{max_row}")
    view = etree.SubElement(child(root, "sheetViews"), _M + "sheetView", workbookViewId="0")
    if sheet.freeze:
        frow, fcol = parse_a1(sheet.freeze)
        pane = etree.SubElement(view, _M + "pane", topLeftCell=sheet.freeze, state="frozen")
        if fcol > 1:
            pane.set("xSplit", str(fcol - 1))
        if frow > 1:
            pane.set("ySplit", str(frow - 1))
        pane.set("activePane", "bottomRight" if fcol > 1 and frow > 1 else
                 ("bottomLeft" if frow > 1 else "topRight"))
    child(root, "sheetFormatPr").set("defaultRowHeight", "15")
    if sheet.column_widths:
        cols = child(root, "cols")
        for letters, width in sorted(sheet.column_widths.items(), key=lambda kv: col_index(
                kv[0])):
            n = col_index(letters)
            etree.SubElement(cols, _M + "col", min=str(n), max=str(n), width=f"{width:g}",
                             customWidth="1")
    data = child(root, "sheetData")
    links = []
    for w in sorted(sheet.cells, key=lambda w: parse_a1(w.cell)):
        style = styles.xf_for(0, w.style) if w.style else None
        put_cell(data, cell_element(w.cell, w, style))
        if w.hyperlink:
            links.append((w.cell, w.hyperlink, str(w.value or "")))
    if sheet.merged:
        merges = child(root, "mergeCells")
        for ref in sheet.merged:
            parse_range(ref)
            etree.SubElement(merges, _M + "mergeCell", ref=ref)
        merges.set("count", str(len(sheet.merged)))
    if links:
        hl = child(root, "hyperlinks")
        for ref, target, display in links:
            etree.SubElement(hl, _M + "hyperlink", ref=ref, location=target,
                             display=clean_text(display)[:255])
    margins = child(root, "pageMargins")
    for k, v in (("left", "0.7"), ("right", "0.7"), ("top", "0.75"), ("bottom", "0.75"),
                 ("header", "0.3"), ("footer", "0.3")):
        margins.set(k, v)
    return root

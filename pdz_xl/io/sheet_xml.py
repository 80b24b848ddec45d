"""Worksheet XML: cell elements and an editable sheet (rows in order, cells in columns).

Strings are written as inline strings (``t="inlineStr"``), so ``sharedStrings.xml`` is
never touched; a formula carries its cached result (``<f>..</f><v>..</v>``, ``t="str"``
for a text result, ``t="b"`` for a boolean, ``t="e"`` for an error).
"""

from __future__ import annotations

import bisect
import math
import re
from decimal import Decimal

from lxml import etree

from ..cells import col_index, col_letters, parse_a1, parse_range, range_a1
from ..changeset import CellValue, CellWrite
from ..errors import WorkbookWriteError
from .package import NS_MAIN, NS_R, clean_text

_M = f"{{{NS_MAIN}}}"
_LETTERS = re.compile(r"\$?([A-Za-z]{1,3})")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_TEXT = 32_767
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})

# CT_Worksheet child order (ECMA-376): new children must go in the right place.
SHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)


def number_text(value: int | float | Decimal) -> str:
    """A number as sheet XML stores it (xsd:double lexical form)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"numero non finito: {value}")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"numero non finito: {value}")
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _set_value(c: etree._Element, value: CellValue, formula: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        c.set("t", "b")
        etree.SubElement(c, _M + "v").text = "1" if value else "0"
    elif isinstance(value, (int, float, Decimal)):
        etree.SubElement(c, _M + "v").text = number_text(value)
    elif formula:
        text = clean_text(str(value))
        c.set("t", "e" if text in ERROR_VALUES else "str")
        etree.SubElement(c, _M + "v").text = text
    else:
        text = clean_text(str(value))
        if len(text) > MAX_TEXT:
            raise ValueError(f"testo di {len(text)} caratteri, Excel ne accetta {MAX_TEXT}")
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, _M + "is"), _M + "t")
        t.text = text
        t.set(_XML_SPACE, "preserve")


def cell_element(ref: str, write: CellWrite, style: int | None) -> etree._Element:
    """A ``<c>`` element for one write (a formula with its cached value)."""
    c = etree.Element(_M + "c", r=ref)
    if style:
        c.set("s", str(style))
    if write.formula:
        etree.SubElement(c, _M + "f").text = clean_text(write.formula.removeprefix("="))
    try:
        _set_value(c, write.value, bool(write.formula))
    except ValueError as exc:
        raise WorkbookWriteError(f"valore non scrivibile in {ref}: {exc}.") from None
    return c


def child(root: etree._Element, tag: str, create: bool = True) -> etree._Element | None:
    """A direct child of ``<worksheet>`` by local name, created in schema order."""
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


def cell_column(c: etree._Element) -> int:
    """Column number of a ``<c>`` from its ``r``."""
    m = _LETTERS.match(c.get("r", ""))
    return col_index(m.group(1).upper()) if m else 0


class SheetDoc:
    """An editable worksheet: its XML root with a row index over ``sheetData``."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.data = child(root, "sheetData")
        self._ensure_refs()
        self.rows = {int(r.get("r")): r for r in self.data.iterfind(_M + "row")}
        self.numbers = sorted(self.rows)
        self.min_row = self.min_col = 1 << 30
        self.max_row = self.max_col = 0
        self.changed = False
        self._arrays: list[tuple[str, tuple[int, int, int, int]]] | None = None

    def _ensure_refs(self) -> None:
        """Give every row and cell its explicit ``r`` (optional in the schema)."""
        if not self.data.xpath("boolean(m:row[not(@r)] | m:row/m:c[not(@r)])",
                               namespaces={"m": NS_MAIN}):
            return  # the usual case: every writer but a few puts them there
        next_row = 1
        for row in self.data.iterfind(_M + "row"):
            if row.get("r") is None:
                row.set("r", str(next_row))
            number = int(row.get("r"))
            next_row = number + 1
            cells = row.findall(_M + "c")
            if all(c.get("r") is not None for c in cells):
                continue
            next_col = 1
            for c in cells:
                if c.get("r") is None:
                    c.set("r", f"{col_letters(next_col)}{number}")
                next_col = cell_column(c) + 1

    def row(self, number: int, create: bool = True) -> etree._Element | None:
        """The ``<row r=number>``, created in order when missing and asked for."""
        found = self.rows.get(number)
        if found is not None or not create:
            return found
        pos = bisect.bisect_left(self.numbers, number)
        new = etree.Element(_M + "row", r=str(number))
        self.changed = True
        if pos < len(self.numbers):
            self.rows[self.numbers[pos]].addprevious(new)
        else:
            self.data.append(new)
        self.numbers.insert(pos, number)
        self.rows[number] = new
        return new

    def find(self, ref: str) -> etree._Element | None:
        """The ``<c>`` at ``ref`` or None."""
        number, col = parse_a1(ref)
        row = self.rows.get(number)
        if row is None:
            return None
        for c in row.iterfind(_M + "c"):
            if cell_column(c) == col:
                return c
        return None

    def put(self, element: etree._Element, extend: bool = True) -> etree._Element | None:
        """Insert or replace a cell in column order; returns the replaced element.

        ``extend=False``: the cell does not widen ``<dimension>`` (an empty styled cell,
        e.g. a mark, that a later run may remove again).
        """
        number, col = parse_a1(element.get("r"))
        element.set("r", f"{col_letters(col)}{number}")
        row = self.row(number)
        self.changed = True
        index = 0
        for i, c in enumerate(row):
            if etree.QName(c).localname != "c":
                continue  # extLst
            ccol = cell_column(c)
            if ccol == col:
                row.replace(c, element)
                return c
            if ccol > col:
                break
            index = i + 1
        row.insert(index, element)
        if "spans" in row.attrib:  # an optimisation hint; wrong once cells move
            del row.attrib["spans"]
        if extend:
            self._extent(number, col)
        return None

    def _extent(self, number: int, col: int) -> None:
        self.min_row, self.min_col = min(self.min_row, number), min(self.min_col, col)
        self.max_row, self.max_col = max(self.max_row, number), max(self.max_col, col)

    def remove(self, ref: str) -> None:
        """Remove the cell at ``ref`` (and its row, if it was a bare row left empty)."""
        c = self.find(ref)
        if c is None:
            return
        row = c.getparent()
        row.remove(c)
        self.changed = True
        if len(row) == 0 and set(row.attrib) <= {"r", "spans"}:
            number = int(row.get("r"))
            self.data.remove(row)
            del self.rows[number]
            self.numbers.remove(number)

    def set_style(self, c: etree._Element, style: int) -> None:
        """Set a cell's style index (0 = the default: no attribute)."""
        if style:
            c.set("s", str(style))
        elif "s" in c.attrib:
            del c.attrib["s"]
        self.changed = True

    def array_range(self, ref: str) -> str | None:
        """The range of a multi-cell array (or data table) formula covering ``ref``."""
        if self._arrays is None:
            self._arrays = []
            for f in self.data.iter(_M + "f"):
                if f.get("t") in ("array", "dataTable") and ":" in f.get("ref", ""):
                    try:
                        self._arrays.append((f.get("ref"), parse_range(f.get("ref"))))
                    except ValueError:
                        continue
        row, col = parse_a1(ref)
        for text, (r1, c1, r2, c2) in self._arrays:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return text
        return None

    def grow_dimension(self) -> None:
        """Widen ``<dimension ref>`` to cover the cells written (some readers trust it)."""
        if not self.max_row:
            return
        dim = child(self.root, "dimension", create=False)
        if dim is None:
            return
        ref = dim.get("ref", "A1")
        try:
            r1, c1, r2, c2 = parse_range(ref)
        except ValueError:
            return
        wanted = (min(r1, self.min_row), min(c1, self.min_col), max(r2, self.max_row),
                  max(c2, self.max_col))
        if wanted != (r1, c1, r2, c2):
            dim.set("ref", range_a1(*wanted))

    # --------------------------------------------------------------- hyperlinks
    def set_hyperlink(self, ref: str, location: str, display: str) -> list[str]:
        """An internal hyperlink on a single cell; returns r:ids of links it replaced."""
        links = child(self.root, "hyperlinks")
        self.changed = True
        dropped = []
        for h in list(links):
            if h.get("ref") == ref:
                rid = h.get(f"{{{NS_R}}}id")
                if rid:
                    dropped.append(rid)
                links.remove(h)
        etree.SubElement(links, _M + "hyperlink", ref=ref, location=clean_text(location),
                         display=clean_text(display)[:255])
        return dropped

    def hyperlink_rids(self) -> set[str]:
        links = child(self.root, "hyperlinks", create=False)
        return {h.get(f"{{{NS_R}}}id") for h in links if h.get(f"{{{NS_R}}}id")} \
            if links is not None else set()

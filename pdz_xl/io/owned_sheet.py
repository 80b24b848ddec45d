"""The XML of a sheet the product owns, rendered whole from an :class:`OwnedSheet`.

Cells, styles (appended to styles.xml), column widths, row heights, autofilter, merged
ranges, freeze pane, tab colour, internal hyperlinks (``<hyperlink ref location>``: no
relationship needed), and print settings, hidden columns and drop-down lists (:mod:`.owned_print`).
Notes and charts need parts of their own; the caller adds them once the sheet has a part.
"""

from __future__ import annotations

from lxml import etree

from ..cells import col_index, col_letters, parse_a1, parse_range, range_a1
from ..changeset import OwnedSheet
from ..errors import WorkbookWriteError
from .owned_print import add_print_settings
from .package import NS_MAIN, NS_R
from .sheet_xml import SheetDoc, cell_element, child
from .styles_append import StyleBook

_M = f"{{{NS_MAIN}}}"


def _rgb(color: str) -> str:
    color = color.lstrip("#").upper()
    return color if len(color) == 8 else "FF" + color[-6:]


def _sheet_view(root: etree._Element, freeze: str | None) -> None:
    view = etree.SubElement(child(root, "sheetViews"), _M + "sheetView", workbookViewId="0")
    if not freeze:
        return
    row, col = parse_a1(freeze)
    if row == 1 and col == 1:
        return
    pane = etree.SubElement(view, _M + "pane")
    if col > 1:
        pane.set("xSplit", str(col - 1))
    if row > 1:
        pane.set("ySplit", str(row - 1))
    active = ("bottomRight" if col > 1 and row > 1 else
              "bottomLeft" if row > 1 else "topRight")
    pane.set("topLeftCell", freeze)
    pane.set("activePane", active)
    pane.set("state", "frozen")
    etree.SubElement(view, _M + "selection", pane=active, activeCell=freeze, sqref=freeze)


def _cells(root: etree._Element, sheet: OwnedSheet, styles: StyleBook) -> None:
    """Rows and cells in order, built directly (an owned sheet starts empty)."""
    data = child(root, "sheetData")
    located = sorted(((parse_a1(w.cell), w) for w in sheet.cells), key=lambda x: x[0])
    row_el = None
    previous = None
    for (row, col), w in located:
        if (row, col) == previous:
            raise WorkbookWriteError(f"la cella {w.cell} è scritta due volte.",
                                     sheet=sheet.name)
        if previous is None or row != previous[0]:
            row_el = etree.SubElement(data, _M + "row", r=str(row))
            if row in sheet.row_heights:
                row_el.set("ht", f"{sheet.row_heights[row]:g}")
                row_el.set("customHeight", "1")
        previous = (row, col)
        style = styles.xf_for(0, w.style) if w.style else None
        row_el.append(cell_element(f"{col_letters(col)}{row}", w, style))
    if located:
        rows = [rc[0] for rc, _ in located]
        cols = [rc[1] for rc, _ in located]
        child(root, "dimension").set("ref", range_a1(min(rows), min(cols), max(rows),
                                                     max(cols)))


def render_owned(sheet: OwnedSheet, styles: StyleBook) -> SheetDoc:
    """The whole worksheet of an owned sheet (no notes or charts yet)."""
    root = etree.Element(_M + "worksheet", nsmap={None: NS_MAIN, "r": NS_R})
    if sheet.tab_color:
        etree.SubElement(child(root, "sheetPr"), _M + "tabColor", rgb=_rgb(sheet.tab_color))
    dimension = child(root, "dimension")
    dimension.set("ref", "A1")
    _sheet_view(root, sheet.freeze)
    child(root, "sheetFormatPr").set("defaultRowHeight", "15")
    if sheet.column_widths:
        cols = child(root, "cols")
        for letters, width in sorted(sheet.column_widths.items(),
                                     key=lambda kv: col_index(kv[0].upper())):
            n = str(col_index(letters.upper()))
            etree.SubElement(cols, _M + "col", min=n, max=n, width=f"{width:g}",
                             customWidth="1")
    _cells(root, sheet, styles)
    doc = SheetDoc(root)
    if sheet.merged:
        merges = child(root, "mergeCells")
        for ref in sheet.merged:
            parse_range(ref)  # refuses a malformed range
            etree.SubElement(merges, _M + "mergeCell", ref=ref.replace("$", "").upper())
        merges.set("count", str(len(sheet.merged)))
    if sheet.autofilter:
        parse_range(sheet.autofilter)  # refuses a malformed range
        child(root, "autoFilter").set("ref", sheet.autofilter.replace("$", "").upper())
    for w in sheet.cells:
        if w.hyperlink:
            doc.set_hyperlink(w.cell, w.hyperlink.lstrip("#"),
                              "" if w.value is None else str(w.value))
    margins = child(root, "pageMargins")
    for k, v in (("left", "0.7"), ("right", "0.7"), ("top", "0.75"), ("bottom", "0.75"),
                 ("header", "0.3"), ("footer", "0.3")):
        margins.set(k, v)
    add_print_settings(root, sheet)
    return doc

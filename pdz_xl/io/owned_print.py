"""Print settings, hidden columns and drop-down lists of an owned sheet's XML.

``<pageSetup>`` (paper, orientation, fit to pages with ``<sheetPr><pageSetUpPr
fitToPage>``), ``<printOptions>``, ``<headerFooter>``, ``<rowBreaks>``, ``hidden`` columns
and ``<dataValidations>`` of type list. Print titles and the print area are defined names
of the workbook (:func:`~.workbook_xml.set_print_names`).
"""

from __future__ import annotations

from lxml import etree

from ..cells import col_index, parse_range
from ..changeset import OwnedSheet
from .package import NS_MAIN, clean_text
from .sheet_xml import child

_M = f"{{{NS_MAIN}}}"


def _hide_columns(root: etree._Element, letters: list[str]) -> None:
    if not letters:
        return
    cols = child(root, "cols")
    by_index = {int(c.get("min")): c for c in cols if c.get("min") == c.get("max")}
    for n in sorted({col_index(x.upper()) for x in letters}):
        col = by_index.get(n)
        if col is None:
            col = etree.SubElement(cols, _M + "col", min=str(n), max=str(n), width="9.140625")
            by_index[n] = col
        col.set("hidden", "1")
    for col in sorted(cols, key=lambda c: int(c.get("min"))):
        cols.append(col)  # re-appending keeps them in column order


def _validations(root: etree._Element, sheet: OwnedSheet) -> None:
    if not sheet.validations:
        return
    node = child(root, "dataValidations")
    for v in sheet.validations:
        for part in v.cells.replace("$", "").split():
            parse_range(part if ":" in part else f"{part}:{part}")  # refuses a bad range
        dv = etree.SubElement(node, _M + "dataValidation", type="list", allowBlank="1",
                              showInputMessage="1", showErrorMessage="1",
                              sqref=v.cells.replace("$", "").upper())
        if v.error:
            dv.set("errorTitle", "Valore non previsto")
            dv.set("error", clean_text(v.error))
        if v.prompt:
            dv.set("promptTitle", "Scelta")
            dv.set("prompt", clean_text(v.prompt))
        formula = etree.SubElement(dv, _M + "formula1")
        formula.text = '"' + ",".join(o.replace('"', "") for o in v.options) + '"'
    node.set("count", str(len(node)))


def _page(root: etree._Element, sheet: OwnedSheet) -> None:
    page = sheet.page
    if page is None:
        return
    if page.fit_width is not None or page.fit_height is not None:
        props = child(root, "sheetPr")
        pr = props.find(_M + "pageSetUpPr")
        if pr is None:
            pr = etree.SubElement(props, _M + "pageSetUpPr")  # after tabColor, outlinePr
        pr.set("fitToPage", "1")
    if page.center_horizontally:
        child(root, "printOptions").set("horizontalCentered", "1")
    setup = child(root, "pageSetup")
    setup.set("paperSize", str(page.paper))
    setup.set("orientation", page.orientation)
    if page.fit_width is not None or page.fit_height is not None:
        setup.set("fitToWidth", str(page.fit_width if page.fit_width is not None else 1))
        setup.set("fitToHeight", str(page.fit_height if page.fit_height is not None else 1))
    if page.header or page.footer:
        hf = child(root, "headerFooter")
        for tag, text in (("oddHeader", page.header), ("oddFooter", page.footer)):
            if text:
                etree.SubElement(hf, _M + tag).text = clean_text(text)
    if page.row_breaks:
        breaks = child(root, "rowBreaks")
        rows = sorted(set(page.row_breaks))
        breaks.set("count", str(len(rows)))
        breaks.set("manualBreakCount", str(len(rows)))
        for r in rows:
            etree.SubElement(breaks, _M + "brk", id=str(r), max="16383", man="1")


def add_print_settings(root: etree._Element, sheet: OwnedSheet) -> None:
    """Hidden columns, drop-down lists and page setup of ``sheet`` into its XML."""
    _hide_columns(root, sheet.hidden_columns)
    _validations(root, sheet)
    _page(root, sheet)

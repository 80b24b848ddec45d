"""Which owned-name sheets the product made: only those are ever replaced.

A sheet the product creates gets a hidden defined name scoped to it,
``_pdz_foglio = "pdz-xl"``: it travels with the sheet (renamed, moved, saved again by
Excel or LibreOffice). A sheet named like one of the product's («Controlli PDZ»,
«Triennale PDZ», «Confronto PDZ» ...) without it is the user's own and is never replaced:
the write is refused, naming the sheet. Sheets written before the marker existed are
recognised by the title the product writes in A1 (and get the marker on that write).

Not guarded: «Regole PDZ» and «Proiezioni PDZ» (written only when the workbook has none;
an existing one is the user's, read and never rewritten), ``_pdz`` (the user's own
settings sheet: ``mappa`` rewrites it keeping every value it states), the reserved marks
registry ``_pdz_segni``, and any other name a caller of
:func:`~.xlsx_patch.apply_changeset` chooses to own.
"""

from __future__ import annotations

from lxml import etree

from ..errors import WorkbookWriteError
from .package import NS_MAIN, WORKBOOK, Package, SheetEntry

MARKER = "_pdz_foglio"
MARKER_VALUE = '"pdz-xl"'
# the product's sheet names, with the A1 title each has always carried (for the sheets
# written before the marker)
LEGACY_TITLES = {
    "controlli pdz": "Controlli PDZ – ",
    "triennale pdz": "PIANO ECONOMICO – PREVENTIVO TRIENNALE",
    "confronto pdz": "CONFRONTO ",
}
_M = f"{{{NS_MAIN}}}"
_BEFORE_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                 "bookViews", "sheets", "functionGroups", "externalReferences")


def _markers(pkg: Package) -> set[int]:
    """Positions of the sheets that carry the marker."""
    names = pkg.xml(WORKBOOK).find(_M + "definedNames")
    return {int(dn.get("localSheetId")) for dn in (names if names is not None else [])
            if dn.get("name") == MARKER and (dn.get("localSheetId") or "").isdigit()}


def made_by_product(pkg: Package, entry: SheetEntry) -> bool:
    """True when the product made this sheet (marker, or its own title in A1)."""
    if entry.position in _markers(pkg):
        return True
    title = LEGACY_TITLES.get(entry.name.casefold())
    return title is not None and (_a1_text(pkg, entry) or "").startswith(title)


def refuse_foreign(pkg: Package, entry: SheetEntry) -> None:
    """Refuse to replace a sheet with an owned name that the user made."""
    if entry.name.casefold() not in LEGACY_TITLES or made_by_product(pkg, entry):
        return
    raise WorkbookWriteError(
        f"esiste già un foglio «{entry.name}» che non è stato creato da pdz-xl: non lo "
        "sostituisco. Rinominarlo (o spostarne il contenuto) e riprovare; nulla è stato "
        "scritto.", file=pkg.path, sheet=entry.name)


def mark_owned(pkg: Package, entry: SheetEntry) -> None:
    """Give the product's sheet its marker (nothing when it has one, or when the name is
    not one of the product's)."""
    if entry.name.casefold() not in LEGACY_TITLES or entry.position in _markers(pkg):
        return
    wb = pkg.xml(WORKBOOK)
    names = wb.find(_M + "definedNames")
    if names is None:
        names = etree.Element(_M + "definedNames")
        index = 0
        for i, node in enumerate(wb):
            if etree.QName(node).localname in _BEFORE_NAMES:
                index = i + 1
        wb.insert(index, names)
    dn = etree.SubElement(names, _M + "definedName", name=MARKER,
                          localSheetId=str(entry.position), hidden="1")
    dn.text = MARKER_VALUE
    pkg.touch(WORKBOOK)


def _a1_text(pkg: Package, entry: SheetEntry) -> str | None:
    """The text of A1 (inline or shared string), None when it holds none."""
    if not pkg.has(entry.part):
        return None
    root = pkg.xml(entry.part)
    cell = root.find(f"{_M}sheetData/{_M}row/{_M}c[@r='A1']")
    if cell is None:
        return None
    if cell.get("t") == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(_M + "t"))
    v = cell.find(_M + "v")
    if v is None or v.text is None:
        return None
    if cell.get("t") != "s":
        return v.text
    return _shared_string(pkg, v.text)


def _shared_string(pkg: Package, index: str) -> str | None:
    if not index.isdigit():
        return None
    part = next((r.target for r in pkg.relationships(WORKBOOK)
                 if r.is_type("sharedStrings") and not r.external), None)
    if part is None or not pkg.has(part):
        return None
    items = pkg.xml(part).findall(_M + "si")
    i = int(index)
    if i >= len(items):
        return None
    return "".join(t.text or "" for t in items[i].iter(_M + "t")
                   if etree.QName(t.getparent()).localname != "rPh")

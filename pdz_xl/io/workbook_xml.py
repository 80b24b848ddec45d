"""Edits of ``xl/workbook.xml``: sheet entries, defined-name scopes, calculation settings.

A sheet's position in ``<sheets>`` is what ``definedName/@localSheetId`` and
``workbookView/@activeTab|firstSheet`` count, so inserting or removing a sheet
renumbers them.
"""

from __future__ import annotations

from lxml import etree

from ..errors import WorkbookWriteError
from .package import NS_MAIN, NS_R, WORKBOOK, Package, SheetEntry

_M = f"{{{NS_MAIN}}}"
# CT_Workbook children that come before calcPr (ECMA-376 order)
_BEFORE_CALC = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                "sheets", "functionGroups", "externalReferences", "definedNames")
CALC_CHAIN = "xl/calcChain.xml"


def _shift_positions(wb: etree._Element, start: int, delta: int) -> None:
    """Positions >= ``start`` move by ``delta`` (defined-name scopes, book views)."""
    names = wb.find(_M + "definedNames")
    for dn in names if names is not None else []:
        local = dn.get("localSheetId")
        if local is not None and int(local) >= start:
            dn.set("localSheetId", str(int(local) + delta))
    for view in wb.iterfind(f"{_M}bookViews/{_M}workbookView"):
        for attr in ("activeTab", "firstSheet"):
            value = view.get(attr)
            if value is not None and int(value) >= start:
                view.set(attr, str(max(0, int(value) + delta)))


_BAD_NAME_CHARS = set('[]:*?/\\')


def check_sheet_name(name: str, file: str) -> None:
    """Excel's rules for a sheet name (else it «repairs» the file on opening)."""
    problem = None
    if not name.strip():
        problem = "è vuoto"
    elif len(name) > 31:
        problem = "supera i 31 caratteri"
    elif _BAD_NAME_CHARS & set(name):
        problem = "contiene uno di questi caratteri: [ ] : * ? / \\"
    elif name.startswith("'") or name.endswith("'"):
        problem = "comincia o finisce con un apostrofo"
    elif name.casefold() == "history":
        problem = "è riservato da Excel"
    if problem:
        raise WorkbookWriteError(f"il nome di foglio «{name}» {problem}.", file=file)


def add_sheet_entry(pkg: Package, name: str, rid: str, after: str | None) -> int:
    """Add ``<sheet>`` after the sheet named ``after`` (or last); returns its position."""
    wb = pkg.xml(WORKBOOK)
    sheets = wb.find(_M + "sheets")
    ids = [int(s.get("sheetId", "0")) for s in sheets]
    new = etree.Element(_M + "sheet", name=name, sheetId=str(max(ids, default=0) + 1))
    new.set(f"{{{NS_R}}}id", rid)
    position = len(sheets)
    if after is not None:
        low = after.casefold()
        for i, s in enumerate(sheets):
            if s.get("name", "").casefold() == low:
                position = i + 1
                break
    if position < len(sheets):
        _shift_positions(wb, position, +1)
    sheets.insert(position, new)
    pkg.touch(WORKBOOK)
    return position


def remove_sheet_entry(pkg: Package, entry: SheetEntry) -> None:
    """Remove a sheet's ``<sheet>``, the names scoped to it; renumber later scopes."""
    wb = pkg.xml(WORKBOOK)
    sheets = wb.find(_M + "sheets")
    position = entry.position
    sheets.remove(sheets[position])
    names = wb.find(_M + "definedNames")
    if names is not None:
        for dn in list(names):
            if dn.get("localSheetId") == str(position):
                names.remove(dn)
        if len(names) == 0:
            wb.remove(names)
    _shift_positions(wb, position + 1, -1)
    last = max(len(sheets) - 1, 0)
    for view in wb.iterfind(f"{_M}bookViews/{_M}workbookView"):
        active = view.get("activeTab")
        if active is not None and int(active) == position:
            view.set("activeTab", str(_visible_near(sheets, position)))
        first = view.get("firstSheet")
        if first is not None and int(first) > last:
            view.set("firstSheet", str(last))
    pkg.touch(WORKBOOK)


def _visible_near(sheets: etree._Element, position: int) -> int:
    """The visible sheet nearest to ``position`` (after a removal), for activeTab."""
    states = [s.get("state", "visible") for s in sheets]
    order = sorted(range(len(states)), key=lambda i: (abs(i - position), i < position))
    return next((i for i in order if states[i] == "visible"), 0)


def set_sheet_state(pkg: Package, name: str, state: str) -> None:
    """visible / hidden / veryHidden."""
    wb = pkg.xml(WORKBOOK)
    for s in wb.iterfind(f"{_M}sheets/{_M}sheet"):
        if s.get("name") != name or s.get("state", "visible") == state:
            continue
        if state == "visible":
            del s.attrib["state"]
        else:
            s.set("state", state)
        pkg.touch(WORKBOOK)


PRINT_TITLES = "_xlnm.Print_Titles"
PRINT_AREA = "_xlnm.Print_Area"


def _absolute_rows(rows: str) -> str:
    first, _, last = rows.replace("$", "").partition(":")
    return f"${first}:${last or first}"


def _absolute_range(ref: str) -> str:
    out = []
    for part in ref.replace("$", "").split(":"):
        letters = part.rstrip("0123456789")
        out.append(f"${letters}${part[len(letters):]}")
    return ":".join(out)


def set_print_names(pkg: Package, name: str, titles: str | None, area: str | None) -> None:
    """The sheet's print titles (rows ``"1:3"``) and print area (``"A1:I60"``) as the
    defined names Excel uses, scoped to the sheet; None removes them."""
    wb = pkg.xml(WORKBOOK)
    sheets = wb.find(_M + "sheets")
    position = next((i for i, s in enumerate(sheets) if s.get("name") == name), None)
    if position is None:
        return
    quoted = "'" + name.replace("'", "''") + "'"
    wanted = {PRINT_TITLES: f"{quoted}!{_absolute_rows(titles)}" if titles else None,
              PRINT_AREA: f"{quoted}!{_absolute_range(area)}" if area else None}
    names = wb.find(_M + "definedNames")
    existing = {}
    for dn in names if names is not None else []:
        if dn.get("localSheetId") == str(position) and dn.get("name") in wanted:
            existing[dn.get("name")] = dn
    if {k: dn.text for k, dn in existing.items()} == {k: v for k, v in wanted.items() if v}:
        return
    for dn in existing.values():
        names.remove(dn)
    if names is None and any(wanted.values()):
        names = etree.Element(_M + "definedNames")
        index = 0
        for i, node in enumerate(wb):
            if etree.QName(node).localname in _BEFORE_CALC[:-1]:
                index = i + 1
        wb.insert(index, names)
    for key in sorted(k for k, v in wanted.items() if v):
        dn = etree.SubElement(names, _M + "definedName", name=key,
                              localSheetId=str(position))
        dn.text = wanted[key]
    if names is not None and len(names) == 0:
        wb.remove(names)
    pkg.touch(WORKBOOK)


def full_calc_on_load(pkg: Package) -> None:
    """``<calcPr fullCalcOnLoad="1"/>``: Excel recalculates every formula when opening."""
    wb = pkg.xml(WORKBOOK)
    calc = wb.find(_M + "calcPr")
    if calc is None:
        calc = etree.Element(_M + "calcPr", calcId="191029")
        index = 0
        for i, node in enumerate(wb):
            if etree.QName(node).localname in _BEFORE_CALC:
                index = i + 1
        wb.insert(index, calc)
    if calc.get("fullCalcOnLoad") != "1":
        calc.set("fullCalcOnLoad", "1")
        pkg.touch(WORKBOOK)


def drop_calc_chain(pkg: Package) -> bool:
    """Remove ``xl/calcChain.xml`` (a cache Excel rebuilds), its relationship and type."""
    found = False
    for rel in pkg.relationships(WORKBOOK):
        if rel.is_type("calcChain"):
            pkg.remove_relationship(WORKBOOK, rel.rid)
            if pkg.has(rel.target):
                pkg.delete(rel.target)
            found = True
    if pkg.has(CALC_CHAIN):
        pkg.delete(CALC_CHAIN)
        found = True
    return found

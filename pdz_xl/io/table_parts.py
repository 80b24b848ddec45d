"""Excel Tables (ListObjects) kept whole when a write renames their header cells.

Excel requires each header cell's text to equal its ``<tableColumn name>`` (else it
«repairs» the file), and formulas name the columns (``Budget2021[Budget 2021]``,
``SUBTOTAL(109,[Budget 2021])``). A Changeset speaks the workbook's names as they were;
when it writes a table's header cells, :func:`sync_table_headers` renames the table
part's columns to the new texts and every structured reference to them: cell formulas of
every sheet (unqualified ones inside the table), defined names, data validations,
conditional formats and the table parts' own column formulas. The table's name stays.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from ..cells import parse_a1, parse_range
from ..changeset import CellWrite
from ..errors import WorkbookWriteError
from .package import WORKBOOK, Package

_FORMULA_TAGS = {"f", "formula", "formula1", "formula2"}
_SPECIAL = "[]#'"
Renames = dict[str, dict[str, str]]  # table name (casefold) -> old column (casefold) -> new


def _escape(name: str) -> str:
    return "".join("'" + ch if ch in _SPECIAL else ch for ch in name)


def _unescape(raw: str) -> str:
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "'" and i + 1 < len(raw):
            i += 1
        out.append(raw[i])
        i += 1
    return "".join(out)


def _item(s: str, i: int) -> tuple[int, str]:
    """``s[i] == '['``: the index after its ``]`` and the raw text between."""
    j = i + 1
    while s[j] != "]":
        j += 2 if s[j] == "'" else 1
    return j + 1, s[i + 1:j]


def _renamed_item(raw: str, cols: dict[str, str]) -> str:
    at = raw.startswith("@")
    body = raw[1:] if at else raw
    if body.startswith("#"):
        return raw
    new = cols.get(_unescape(body).strip().casefold())
    if new is None:
        return raw
    if at and any(not (ch.isalnum() or ch in "_.") for ch in new):
        return "@[" + _escape(new) + "]"
    return ("@" if at else "") + _escape(new)


def _group(s: str, i: int, cols: dict[str, str] | None) -> tuple[int, str]:
    """A structured reference's brackets from ``s[i] == '['``: the index after them and
    their text with the columns of ``cols`` renamed (as they were when ``cols`` is None)."""
    j = i + 1
    if s[j] == "[" or s.startswith("@[", j):
        out = ["["]
        while s[j] != "]":
            if s[j] == "[":
                j, raw = _item(s, j)
                out.append("[" + (_renamed_item(raw, cols) if cols else raw) + "]")
            else:
                out.append(s[j])
                j += 1
        return j + 1, "".join(out) + "]"
    j, raw = _item(s, i)
    return j, "[" + (_renamed_item(raw, cols) if cols else raw) + "]"


def rename_structured(formula: str, renames: Renames, own: str | None = None) -> str:
    """``formula`` with the renamed columns of ``renames`` in its structured references;
    ``own`` is the table an unqualified ``[Colonna]`` belongs to (the cell's table)."""
    out: list[str] = []
    i, n = 0, len(formula)
    try:
        while i < n:
            ch = formula[i]
            if ch in "\"'":  # a text, or a quoted sheet name
                j = i + 1
                while True:
                    j = formula.index(ch, j) + 1
                    if j >= n or formula[j] != ch:
                        break
                    j += 1
                out.append(formula[i:j])
                i = j
            elif ch == "[":
                k = len(out)
                name = []
                while k and (out[k - 1].isalnum() or out[k - 1] in "_.\\"):
                    k -= 1
                    name.append(out[k])
                table = "".join(reversed(name)).casefold() or (own or "")
                i, text = _group(formula, i, renames.get(table))
                out.append(text)
            else:
                out.append(ch)
                i += 1
    except (IndexError, ValueError):  # not a formula this reads: left as it is
        return formula
    return "".join(out)


def _name_of(w: CellWrite) -> str:
    v = w.value
    if w.formula or v is None or isinstance(v, bool):
        raise WorkbookWriteError(f"la cella {w.cell} è l'intestazione di una Tabella di Excel: "
                                 "deve restare un testo.")
    if isinstance(v, (int, float, Decimal)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def sync_table_headers(pkg: Package, cells: dict[str, list[CellWrite]]) -> list[str]:
    """Rename the columns of the tables whose header cells ``cells`` writes, and every
    structured reference to them; the table parts changed."""
    renames: Renames = {}
    areas: dict[str, list[tuple[str, tuple[int, int, int, int]]]] = {}  # part -> tables
    changed: list[str] = []
    for sheet in pkg.sheets():
        tables = [r.target for r in pkg.relationships(sheet.part) if r.is_type("table")
                  and not r.external and pkg.has(r.target)]
        writes = {parse_a1(w.cell.replace("$", "").upper()): w
                  for name, ws in cells.items() if name.casefold() == sheet.name.casefold()
                  for w in ws}
        for part in tables:
            root = pkg.xml(part)
            name = (root.get("displayName") or root.get("name") or "").casefold()
            r0, c0, r1, c1 = parse_range(root.get("ref", "").replace("$", ""))
            areas.setdefault(sheet.part, []).append((name, (r0, c0, r1, c1)))
            if root.get("headerRowCount", "1") == "0":
                continue
            columns = [el for el in root.iter() if _local(el) == "tableColumn"]
            mapping: dict[str, str] = {}
            for i, col in enumerate(columns):
                w = writes.get((r0, c0 + i))
                if w is None:
                    continue
                new = _name_of(w)
                old = col.get("name", "")
                if new != old:
                    mapping[old.casefold()] = new
                    col.set("name", new)
            if not mapping:
                continue
            names = [col.get("name", "").casefold() for col in columns]
            if len(set(names)) != len(names):
                raise WorkbookWriteError(
                    f"la Tabella di Excel «{root.get('displayName')}» avrebbe due colonne con "
                    "lo stesso nome: nessun file scritto.", file=pkg.path, sheet=sheet.name)
            renames[name] = mapping
            changed.append(part)
    if not renames:
        return []
    _rename_everywhere(pkg, renames, areas)
    for part in changed:
        pkg.touch(part)
    return changed


def _own(areas: list[tuple[str, tuple[int, int, int, int]]], ref: str | None) -> str | None:
    if not ref:
        return None
    r, c = parse_a1(ref)
    return next((name for name, (r0, c0, r1, c1) in areas
                 if r0 <= r <= r1 and c0 <= c <= c1), None)


def _rename_everywhere(pkg: Package, renames: Renames,
                       areas: dict[str, list[tuple[str, tuple[int, int, int, int]]]]) -> None:
    for sheet in pkg.sheets():
        if not pkg.has(sheet.part) or not sheet.part.startswith("xl/worksheets/"):
            continue
        root = pkg.xml(sheet.part)
        touched = False
        for el in root.iter():
            if _local(el) not in _FORMULA_TAGS or not el.text or "[" not in el.text:
                continue
            parent = el.getparent()
            own = _own(areas.get(sheet.part, []), parent.get("r")) \
                if parent is not None and _local(parent) == "c" else None
            new = rename_structured(el.text, renames, own)
            if new != el.text:
                el.text = new
                touched = True
        if touched:
            pkg.touch(sheet.part)
    wb = pkg.xml(WORKBOOK)
    touched = False
    for el in wb.iter():
        if _local(el) == "definedName" and el.text and "[" in el.text:
            new = rename_structured(el.text, renames)
            if new != el.text:
                el.text, touched = new, True
    if touched:
        pkg.touch(WORKBOOK)
    for part in [p for p in pkg.names() if p.startswith("xl/tables/")]:
        root = pkg.xml(part)  # the parts' own formulas: unqualified names are their table's
        own = (root.get("displayName") or root.get("name") or "").casefold()
        touched = False
        for el in root.iter():
            if _local(el) in ("calculatedColumnFormula", "totalsRowFormula") and el.text:
                new = rename_structured(el.text, renames, own)
                if new != el.text:
                    el.text, touched = new, True
        if touched:
            pkg.touch(part)

"""An xlsx/xlsm package held in memory: parts, content types, relationships, sheets.

Parts the product does not touch are written back with exactly the bytes they had.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .xlsx_sniff import open_package, read_part

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def rels_path(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` -> ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(part: str, target: str) -> str:
    """A relationship target relative to ``part`` -> package path."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def relative_target(part: str, target_part: str) -> str:
    """Package path -> target relative to ``part``'s folder."""
    return posixpath.relpath(target_part, posixpath.dirname(part))


@dataclass
class SheetEntry:
    """A sheet of the workbook: its name, id, relationship and part."""

    name: str
    sheet_id: int
    rid: str
    part: str
    state: str


class Package:
    """The parts of a workbook package, editable, written back deterministically."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        with open_package(path) as zf:
            self.infos: list[zipfile.ZipInfo] = zf.infolist()
            self.parts: dict[str, bytes] = {i.filename: read_part(zf, i.filename, self.path)
                                            for i in self.infos if not i.is_dir()}
        self.original = dict(self.parts)

    # ---------------------------------------------------------------- parts
    def has(self, name: str) -> bool:
        return name in self.parts

    def get(self, name: str) -> bytes:
        return self.parts[name]

    def xml(self, name: str) -> etree._Element:
        """Parse a part (raises if missing)."""
        return etree.fromstring(self.parts[name])

    def put(self, name: str, data: bytes | etree._Element) -> None:
        """Set a part's bytes (an element is serialised with an XML declaration)."""
        if not isinstance(data, bytes):
            data = etree.tostring(data, xml_declaration=True, encoding="UTF-8",
                                  standalone=True)
        self.parts[name] = data

    def delete(self, name: str) -> None:
        self.parts.pop(name, None)
        rels = rels_path(name)
        if rels in self.parts:
            del self.parts[rels]
        self.remove_override(name)

    def changed_parts(self) -> list[str]:
        """Parts added, modified or removed compared with the input."""
        names = set(self.parts) | set(self.original)
        return sorted(n for n in names if self.parts.get(n) != self.original.get(n))

    def unique_name(self, pattern: str) -> str:
        """The first free ``pattern.format(n)`` for n = 1, 2, ..."""
        n = 1
        while pattern.format(n) in self.parts:
            n += 1
        return pattern.format(n)

    # -------------------------------------------------------- content types
    def _put_types(self, ct: etree._Element) -> None:
        """Write [Content_Types].xml with Defaults first and Overrides sorted (stable)."""
        defaults = [e for e in ct if etree.QName(e).localname == "Default"]
        overrides = sorted((e for e in ct if etree.QName(e).localname == "Override"),
                           key=lambda e: e.get("PartName", ""))
        for e in list(ct):
            ct.remove(e)
        for e in defaults + overrides:
            ct.append(e)
        self.put("[Content_Types].xml", ct)

    def add_override(self, part: str, content_type: str) -> None:
        ct = self.xml("[Content_Types].xml")
        name = "/" + part
        for o in ct.iterfind(f"{{{NS_CT}}}Override"):
            if o.get("PartName") == name:
                o.set("ContentType", content_type)
                break
        else:
            etree.SubElement(ct, f"{{{NS_CT}}}Override", PartName=name,
                             ContentType=content_type)
        self._put_types(ct)

    def remove_override(self, part: str) -> None:
        if "[Content_Types].xml" not in self.parts:
            return
        ct = self.xml("[Content_Types].xml")
        changed = False
        for o in list(ct.iterfind(f"{{{NS_CT}}}Override")):
            if o.get("PartName") == "/" + part:
                ct.remove(o)
                changed = True
        if changed:
            self._put_types(ct)

    def ensure_default(self, extension: str, content_type: str) -> None:
        ct = self.xml("[Content_Types].xml")
        if any(d.get("Extension", "").lower() == extension
               for d in ct.iterfind(f"{{{NS_CT}}}Default")):
            return
        ct.insert(0, etree.Element(f"{{{NS_CT}}}Default", Extension=extension,
                                   ContentType=content_type))
        self._put_types(ct)

    # -------------------------------------------------------- relationships
    def rels(self, part: str) -> etree._Element:
        path = rels_path(part)
        if path in self.parts:
            return self.xml(path)
        return etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL})

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """[(Id, Type, resolved target part)] of a part."""
        return [(r.get("Id"), r.get("Type"), resolve_target(part, r.get("Target", "")))
                for r in self.rels(part).iterfind(f"{{{NS_PKG_REL}}}Relationship")
                if r.get("TargetMode") != "External"]

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> str:
        """Add a relationship from ``part``; returns its new Id."""
        root = self.rels(part)
        ids = {r.get("Id") for r in root}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(root, f"{{{NS_PKG_REL}}}Relationship", Id=rid, Type=REL + rel_type,
                         Target=relative_target(part, target_part))
        self.put(rels_path(part), root)
        return rid

    def remove_relationship(self, part: str, rid: str) -> None:
        root = self.rels(part)
        for r in list(root):
            if r.get("Id") == rid:
                root.remove(r)
        if len(root):
            self.put(rels_path(part), root)
        else:
            self.parts.pop(rels_path(part), None)

    # --------------------------------------------------------------- sheets
    def sheets(self) -> list[SheetEntry]:
        """The workbook's sheets in tab order."""
        wb = self.xml("xl/workbook.xml")
        targets = {rid: target for rid, _t, target in self.relationships("xl/workbook.xml")}
        out = []
        for sh in wb.iterfind(f"{{{NS_MAIN}}}sheets/{{{NS_MAIN}}}sheet"):
            rid = sh.get(f"{{{NS_R}}}id", "")
            out.append(SheetEntry(sh.get("name", ""), int(sh.get("sheetId", "0")), rid,
                                  targets.get(rid, ""), sh.get("state", "visible")))
        return out

    def sheet(self, name: str) -> SheetEntry | None:
        low = name.casefold()
        return next((s for s in self.sheets() if s.name.casefold() == low), None)

    # ---------------------------------------------------------------- write
    def write(self, fh) -> None:
        """Write the package to an open binary file, deterministically."""
        order = [i.filename for i in self.infos if i.filename in self.parts]
        order += sorted(n for n in self.parts if n not in set(order))
        original = {i.filename: i for i in self.infos}
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in order:
                src = original.get(name)
                date = src.date_time if src is not None and \
                    self.parts[name] == self.original.get(name) else FIXED_DATE
                info = zipfile.ZipInfo(name, date_time=date)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                zf.writestr(info, self.parts[name])


def xml_escape_attr(text: str) -> str:
    """Escape text for an XML attribute."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """Remove characters XML 1.0 cannot carry."""
    return _ILLEGAL_XML.sub("", text)

"""An xlsx/xlsm package held in memory: parts, content types and relationships.

Parts are read lazily. A part nobody changes is written back as the very bytes it was
stored with (raw compressed copy, same CRC and date); a part that is changed is
serialised again, and if the result equals the original content it is copied raw after
all (so a no-op edit is no change). Parsed XML trees are cached: whoever edits one calls
:meth:`Package.touch` (or :meth:`Package.put`) so it is written.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..errors import WorkbookReadError
from .safe_xml import parse_part
from .xlsx_sniff import open_package, read_part
from .zip_write import FIXED_DATE, Entry, NewEntry, RawEntry, raw_bytes, write_zip

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"

_RELS = f"{{{NS_PKG_REL}}}Relationship"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rels_path(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` -> ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(part: str, target: str) -> str:
    """A relationship target relative to ``part`` -> package path."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def relative_target(part: str, target_part: str) -> str:
    """Package path -> target relative to ``part``'s folder."""
    return posixpath.relpath(target_part, posixpath.dirname(part) or ".")


def clean_text(text: str) -> str:
    """Remove characters XML 1.0 cannot carry."""
    return _ILLEGAL_XML.sub("", text)


def serialise(root: etree._Element) -> bytes:
    """An XML part as Office writes it: UTF-8, declaration, standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass(frozen=True)
class Rel:
    """One relationship of a part."""

    rid: str
    type: str
    target: str  # resolved package path (or the raw target when external)
    external: bool

    def is_type(self, short: str) -> bool:
        """``rel.is_type("comments")``, whatever the namespace (transitional or strict)."""
        return self.type.rsplit("/", 1)[-1] == short


@dataclass
class SheetEntry:
    """A sheet of the workbook: its name, id, relationship, part, state and position."""

    name: str
    sheet_id: int
    rid: str
    part: str
    state: str
    position: int


class Package:
    """The parts of a workbook package, editable, written back deterministically."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        with open_package(path) as zf:  # Italian errors for anything that is not a workbook
            infos = [i for i in zf.infolist() if not i.is_dir()]
        self._archive = Path(path).read_bytes()
        self._zip = zipfile.ZipFile(io.BytesIO(self._archive))
        self._infos = {i.filename: i for i in infos}
        self._order = list(self._infos)
        self._original: dict[str, bytes] = {}
        self._written: dict[str, bytes | None] = {}  # None: deleted
        self._trees: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        self._check_transitional()

    def _check_transitional(self) -> None:
        root = self.xml(WORKBOOK)
        if etree.QName(root).namespace == NS_STRICT:
            raise WorkbookReadError(
                "la cartella è salvata nel formato «Strict Open XML», che non so modificare "
                "senza perdite: salvarla in Excel come «Cartella di lavoro di Excel (.xlsx)» e "
                "riprovare.", file=self.path)

    # ---------------------------------------------------------------- parts
    def original(self, name: str) -> bytes | None:
        """The content the part had in the input (None if it did not exist)."""
        if name not in self._infos:
            return None
        if name not in self._original:
            self._original[name] = read_part(self._zip, name, self.path)
        return self._original[name]

    def has(self, name: str) -> bool:
        if name in self._dirty:
            return True
        if name in self._written:
            return self._written[name] is not None
        return name in self._infos

    def names(self) -> list[str]:
        """Current part names: the input's order, then new parts sorted."""
        kept = [n for n in self._order if self.has(n)]
        known = set(self._order)
        return kept + sorted(n for n in set(self._written) | self._dirty
                             if n not in known and self.has(n))

    def read(self, name: str) -> bytes:
        """Current content of a part (raises KeyError if missing)."""
        if name in self._dirty:
            return serialise(self._trees[name])
        if name in self._written:
            data = self._written[name]
            if data is None:
                raise KeyError(name)
            return data
        data = self.original(name)
        if data is None:
            raise KeyError(name)
        return data

    def xml(self, name: str) -> etree._Element:
        """The parsed part, cached: edit it, then :meth:`touch` it."""
        if name not in self._trees:
            self._trees[name] = parse_part(self.read(name), name, self.path)
        return self._trees[name]

    def touch(self, name: str) -> None:
        """Mark a cached tree as edited."""
        if name not in self._trees:
            raise KeyError(name)
        self._dirty.add(name)

    def put(self, name: str, data: bytes | etree._Element) -> None:
        """Set a part's content (bytes, or an element serialised at write time)."""
        if isinstance(data, bytes):
            self._written[name] = data
            self._trees.pop(name, None)
            self._dirty.discard(name)
        else:
            self._trees[name] = data
            self._dirty.add(name)
            self._written.pop(name, None)

    def delete(self, name: str) -> None:
        """Remove a part, its relationships part and its content-type override."""
        self._written[name] = None
        self._trees.pop(name, None)
        self._dirty.discard(name)
        rels = rels_path(name)
        if self.has(rels):
            self.delete(rels)
        self.remove_override(name)

    def unique_name(self, pattern: str) -> str:
        """The first free ``pattern.format(n)`` for n = 1, 2, ... (case-insensitive)."""
        taken = {n.casefold() for n in self.names()}
        n = 1
        while pattern.format(n).casefold() in taken:
            n += 1
        return pattern.format(n)

    # -------------------------------------------------------- content types
    def _types(self) -> etree._Element:
        return self.xml(CONTENT_TYPES)

    def content_type(self, part: str) -> str | None:
        """The declared content type of a part (override, else extension default)."""
        ct = self._types()
        for o in ct.iterfind(f"{{{NS_CT}}}Override"):
            if o.get("PartName", "").lstrip("/").casefold() == part.casefold():
                return o.get("ContentType")
        ext = part.rsplit(".", 1)[-1].casefold()
        for d in ct.iterfind(f"{{{NS_CT}}}Default"):
            if d.get("Extension", "").casefold() == ext:
                return d.get("ContentType")
        return None

    def _types_changed(self) -> None:
        """Overrides in PartName order: whatever was added or removed in which order,
        the same set of parts gives the same bytes (idempotent writes)."""
        ct = self._types()
        overrides = [e for e in ct if etree.QName(e).localname == "Override"]
        ordered = sorted(overrides, key=lambda e: e.get("PartName", "").casefold())
        if overrides != ordered:
            for e in overrides:
                ct.remove(e)
            ct.extend(ordered)
        self.touch(CONTENT_TYPES)

    def add_override(self, part: str, content_type: str) -> None:
        ct = self._types()
        for o in ct.iterfind(f"{{{NS_CT}}}Override"):
            if o.get("PartName") == "/" + part:
                if o.get("ContentType") != content_type:
                    o.set("ContentType", content_type)
                    self.touch(CONTENT_TYPES)
                return
        etree.SubElement(ct, f"{{{NS_CT}}}Override", PartName="/" + part,
                         ContentType=content_type)
        self._types_changed()

    def remove_override(self, part: str) -> None:
        if not self.has(CONTENT_TYPES):
            return
        ct = self._types()
        for o in list(ct.iterfind(f"{{{NS_CT}}}Override")):
            if o.get("PartName", "").casefold() == ("/" + part).casefold():
                ct.remove(o)
                self._types_changed()

    def ensure_default(self, extension: str, content_type: str) -> None:
        ct = self._types()
        if any(d.get("Extension", "").casefold() == extension
               for d in ct.iterfind(f"{{{NS_CT}}}Default")):
            return
        defaults = list(ct.iterfind(f"{{{NS_CT}}}Default"))
        new = etree.Element(f"{{{NS_CT}}}Default", Extension=extension,
                            ContentType=content_type)
        if defaults:
            defaults[-1].addnext(new)
        else:
            ct.insert(0, new)
        self.touch(CONTENT_TYPES)

    # -------------------------------------------------------- relationships
    def rels(self, part: str) -> etree._Element | None:
        """The parsed relationships of a part, or None when it has none."""
        path = rels_path(part)
        return self.xml(path) if self.has(path) else None

    def relationships(self, part: str) -> list[Rel]:
        root = self.rels(part)
        if root is None:
            return []
        out = []
        for r in root.iterfind(_RELS):
            external = r.get("TargetMode") == "External"
            target = r.get("Target", "")
            out.append(Rel(r.get("Id", ""), r.get("Type", ""),
                           target if external else resolve_target(part, target), external))
        return out

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> str:
        """Add a relationship from ``part`` (``rel_type`` short, e.g. "worksheet")."""
        path = rels_path(part)
        root = self.rels(part)
        if root is None:
            root = etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL})
            self.put(path, root)
        ids = {r.get("Id") for r in root}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(root, _RELS, Id=rid, Type=REL + rel_type,
                         Target=relative_target(part, target_part))
        self.touch(path)
        return rid

    def remove_relationship(self, part: str, rid: str) -> None:
        root = self.rels(part)
        if root is None:
            return
        for r in list(root):
            if r.get("Id") == rid:
                root.remove(r)
                self.touch(rels_path(part))
        if len(root) == 0:
            self.delete(rels_path(part))

    def inbound(self, target: str) -> list[str]:
        """Parts holding a relationship to ``target``."""
        sources = []
        for name in self.names():
            if not name.endswith(".rels"):
                continue
            folder = posixpath.dirname(posixpath.dirname(name))
            source = posixpath.join(folder, posixpath.basename(name)[:-5])
            if any(not r.external and r.target == target for r in self.relationships(source)):
                sources.append(source)
        return sources

    # --------------------------------------------------------------- sheets
    def sheets(self) -> list[SheetEntry]:
        """The workbook's sheets in tab order."""
        wb = self.xml(WORKBOOK)
        targets = {r.rid: r.target for r in self.relationships(WORKBOOK)}
        out = []
        for i, sh in enumerate(wb.iterfind(f"{{{NS_MAIN}}}sheets/{{{NS_MAIN}}}sheet")):
            rid = sh.get(f"{{{NS_R}}}id", "")
            sheet_id = sh.get("sheetId", "0")
            out.append(SheetEntry(sh.get("name", ""), int(sheet_id) if sheet_id.isdigit() else 0,
                                  rid,
                                  targets.get(rid, ""), sh.get("state", "visible"), i))
        return out

    def sheet(self, name: str) -> SheetEntry | None:
        """A sheet by name (case-insensitive, as Excel compares names)."""
        low = name.casefold()
        return next((s for s in self.sheets() if s.name.casefold() == low), None)

    # ------------------------------------------------------------- changes
    def _flush(self) -> None:
        """Serialise the edited trees once (the trees stay cached for reading)."""
        for name in sorted(self._dirty):
            self._written[name] = serialise(self._trees[name])
        self._dirty.clear()

    def _final(self, name: str) -> bytes | None:
        if name in self._dirty:
            return serialise(self._trees[name])
        if name in self._written:
            return self._written[name]
        return None  # untouched

    def changes(self) -> tuple[list[str], list[str], list[str]]:
        """(added, modified, removed) parts compared with the input."""
        self._flush()
        added, modified, removed = [], [], []
        for name in sorted(set(self._written) | self._dirty):
            data = self._final(name)
            if name not in self._infos:
                if data is not None:
                    added.append(name)
            elif data is None:
                removed.append(name)
            elif data != self.original(name):
                modified.append(name)
        return added, modified, removed

    # ---------------------------------------------------------------- write
    def _entries(self) -> Iterator[Entry]:
        self._flush()
        for name in self.names():
            info = self._infos.get(name)
            data = self._final(name)
            if info is not None and (data is None or data == self.original(name)):
                raw = raw_bytes(self._archive, info)
                if raw is not None:
                    yield RawEntry(info, raw)
                    continue
                yield NewEntry(name, self.read(name), info.date_time)
                continue
            yield NewEntry(name, data if data is not None else self.read(name), FIXED_DATE)

    def write(self, fh: BinaryIO) -> None:
        """Write the package to an open binary file, deterministically."""
        write_zip(fh, self._entries())

    def close(self) -> None:
        self._zip.close()

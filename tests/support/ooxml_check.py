"""Structural checks of an xlsx package, the ones Excel's "repair" trips over.

- every internal relationship resolves to a part of the package;
- every part has a content type (an Override, or a Default for its extension), and
  every Override names a part that exists;
- comments and VML pair: a sheet with comments has a ``<legacyDrawing>`` whose VML holds
  one note shape per comment (same row and column), and no note shape lives in the
  header/footer VML (``<legacyDrawingHF>``);
- VML shape numbers (``id`` and ``o:spid``) are unique across the workbook;
- style indexes are in range: every cell's ``s`` within ``cellXfs``, every xf's font,
  fill and border within their lists, every custom number format id declared.

:func:`problems` lists what is wrong (empty: fine); :func:`assert_valid` raises.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_SHAPE_NUMBER_RE = re.compile(r"_x0000_s(\d+)$")
_S_RE = re.compile(rb'<c\b[^>]*?\bs="(\d+)"')
_BUILTIN_NUMFMT_MAX = 163


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _source_of(rels: str) -> str:
    folder = posixpath.dirname(posixpath.dirname(rels))
    return posixpath.join(folder, posixpath.basename(rels)[:-5])


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _a1(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters):]), col


class _Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = [n for n in self.zip.namelist() if not n.endswith("/")]
        self.set = set(self.names)

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8", "surrogateescape")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def vml(self, name: str) -> etree._Element:
        """A VML part (Excel's is not always well-formed: ``<br>``), parsed leniently."""
        return etree.fromstring(self.zip.read(name), etree.XMLParser(recover=True))

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """rId -> (type, target part, external)."""
        path = _rels_of(part)
        if path not in self.set:
            return {}
        out = {}
        for r in self.xml(path).iter(_PR + "Relationship"):
            external = r.get("TargetMode") == "External"
            target = r.get("Target", "")
            out[r.get("Id", "")] = (r.get("Type", "").rsplit("/", 1)[-1],
                                    target if external else _target(part, target), external)
        return out


def _relationships(pkg: _Package) -> list[str]:
    out = []
    for name in pkg.names:
        if not name.endswith(".rels"):
            continue
        source = _source_of(name)
        if source and source not in pkg.set:
            out.append(f"{name}: relazioni di una parte che non esiste ({source})")
        for rid, (_kind, target, external) in pkg.rels(source).items():
            if not external and target not in pkg.set:
                out.append(f"{name} {rid}: la destinazione {target} non esiste")
    return out


def _content_types(pkg: _Package) -> list[str]:
    if "[Content_Types].xml" not in pkg.set:
        return ["manca [Content_Types].xml"]
    ct = pkg.xml("[Content_Types].xml")
    defaults = {d.get("Extension", "").casefold() for d in ct.iter(_CT + "Default")}
    overrides = {o.get("PartName", "").lstrip("/").casefold() for o in ct.iter(_CT + "Override")}
    out = [f"Override per una parte che non esiste: {o}" for o in sorted(overrides)
           if o not in {n.casefold() for n in pkg.names}]
    for name in pkg.names:
        if name == "[Content_Types].xml":
            continue
        if name.casefold() not in overrides and name.rsplit(".", 1)[-1].casefold() not in defaults:
            out.append(f"{name}: nessun tipo di contenuto")
    return out


def _sheets(pkg: _Package) -> list[str]:
    wb_rels = pkg.rels("xl/workbook.xml")
    return [target for kind, target, external in wb_rels.values()
            if kind == "worksheet" and not external and target in pkg.set]


def _notes(pkg: _Package) -> list[str]:
    out = []
    for sheet in _sheets(pkg):
        root = pkg.xml(sheet)
        rels = pkg.rels(sheet)
        comments = [t for kind, t, ext in rels.values() if kind == "comments" and not ext]
        legacy = root.find(_M + "legacyDrawing")
        legacy_hf = root.find(_M + "legacyDrawingHF")
        if legacy_hf is not None:
            hf = rels.get(legacy_hf.get(_R + "id") or "")
            if hf and hf[1] in pkg.set and _note_cells(pkg.vml(hf[1])):
                out.append(f"{sheet}: note nel VML delle immagini di intestazione ({hf[1]})")
        if not comments:
            continue
        if legacy is None:
            out.append(f"{sheet}: commenti senza <legacyDrawing>")
            continue
        vml = rels.get(legacy.get(_R + "id") or "")
        if vml is None or vml[0] != "vmlDrawing" or vml[1] not in pkg.set:
            out.append(f"{sheet}: <legacyDrawing> non punta a un VML")
            continue
        if legacy_hf is not None and legacy_hf.get(_R + "id") == legacy.get(_R + "id"):
            out.append(f"{sheet}: commenti e immagini di intestazione nello stesso VML")
        shapes = _note_cells(pkg.vml(vml[1]))
        refs = {c.get("ref") for c in pkg.xml(comments[0]).iter(_M + "comment")}
        for ref in sorted(r for r in refs if r and _a1(r) not in shapes):
            out.append(f"{sheet}: il commento in {ref} non ha la sua forma VML")
    return out


def _shapes(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if e.tag in (_V + "shape", _V + "rect", _V + "oval")]


def _note_cells(root: etree._Element) -> set[tuple[int, int]]:
    """(row, col), 1-based, of the note shapes of a VML part."""
    out = set()
    for shape in _shapes(root):
        data = shape.find(_X + "ClientData")
        if data is None or data.get("ObjectType") != "Note":
            continue
        row, col = data.findtext(_X + "Row"), data.findtext(_X + "Column")
        if row is not None and col is not None:
            out.add((int(row) + 1, int(col) + 1))
    return out


def _shape_ids(pkg: _Package) -> list[str]:
    """Each shape's number (its ``o:spid``, else its ``id``) once in the workbook."""
    seen: dict[int, str] = {}
    out = []
    for name in pkg.names:
        if not name.casefold().endswith(".vml"):
            continue
        for shape in _shapes(pkg.vml(name)):
            m = _SHAPE_NUMBER_RE.match(shape.get(_O + "spid") or shape.get("id") or "")
            if m is None:
                continue
            n = int(m.group(1))
            if n in seen:
                out.append(f"forma _x0000_s{n} ripetuta in {seen[n]} e {name}")
            seen.setdefault(n, name)
    return out


def _styles(pkg: _Package) -> list[str]:
    if "xl/styles.xml" not in pkg.set:
        return []
    st = pkg.xml("xl/styles.xml")
    out = []

    def count(tag: str, item: str) -> int:
        el = st.find(_M + tag)
        return 0 if el is None else len(el.findall(_M + item))

    fonts, fills, borders = count("fonts", "font"), count("fills", "fill"), count("borders",
                                                                                  "border")
    numfmts = {int(n.get("numFmtId", "-1")) for n in st.iter(_M + "numFmt")}
    xfs = st.find(_M + "cellXfs")
    n_xfs = 0 if xfs is None else len(xfs)
    for i, xf in enumerate([] if xfs is None else xfs):
        for attr, limit in (("fontId", fonts), ("fillId", fills), ("borderId", borders)):
            if int(xf.get(attr, "0")) >= max(limit, 1):
                out.append(f"styles.xml cellXfs[{i}]: {attr}={xf.get(attr)} fuori intervallo")
        fmt = int(xf.get("numFmtId", "0"))
        if fmt > _BUILTIN_NUMFMT_MAX and fmt not in numfmts:
            out.append(f"styles.xml cellXfs[{i}]: numFmtId={fmt} non dichiarato")
    for sheet in _sheets(pkg):
        used = {int(s) for s in _S_RE.findall(pkg.zip.read(sheet))}
        bad = sorted(s for s in used if s >= n_xfs)
        if bad:
            out.append(f"{sheet}: indici di stile {bad[:5]} oltre cellXfs ({n_xfs})")
    return out


def problems(source: str | Path | bytes) -> list[str]:
    """Everything structurally wrong with the package (empty list: nothing)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    pkg = _Package(data)
    return (_relationships(pkg) + _content_types(pkg) + _notes(pkg) + _shape_ids(pkg)
            + _styles(pkg))


def assert_valid(source: str | Path | bytes) -> None:
    """Raise AssertionError listing the problems, if any."""
    found = problems(source)
    assert not found, "\n".join(found)

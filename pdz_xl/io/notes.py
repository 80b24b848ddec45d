"""Cell notes (legacy comments) that the product adds, updates and removes.

A note is two things in the package: a ``<comment>`` in the sheet's comments part and a
VML shape (``ObjectType="Note"``) in its legacy drawing. Ours carry the author
``pdz-xl``; the user's own comments are never changed, and a cell that already has a
user's note keeps it (ours is not added there).

The VML drawing is edited as text, not parsed: Excel writes VML that is not always
well-formed XML (``<br>`` in text boxes), and the user's shapes must keep their bytes.
Our shapes declare their own namespaces, are numbered as Excel numbers shapes
(``_x0000_s<n>``, after every shape already there) and are inserted before the closing
tag; a note's shape is found again by its ``x:Row``/``x:Column`` (which survive a re-save
in Excel), not by its id.

The comments' VML is the part behind the sheet's ``<legacyDrawing r:id>``, never the
header/footer pictures' VML (``<legacyDrawingHF>``): a sheet without a legacyDrawing gets a
VML part of its own. New shape numbers avoid every ``id`` and ``o:spid`` of every VML part
of the workbook, in an id block (``o:idmap``) no other part uses.
"""

from __future__ import annotations

import re

from lxml import etree

from ..cells import parse_a1
from .package import CT_COMMENTS, CT_VML, NS_MAIN, NS_R, Package, clean_text
from .sheet_xml import SheetDoc, child

AUTHOR = "pdz-xl"
_M = f"{{{NS_MAIN}}}"
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_X = "urn:schemas-microsoft-com:office:excel"
_NS = f'xmlns:v="{_V}" xmlns:o="{_O}" xmlns:x="{_X}"'
_SHAPETYPE = (f'<v:shapetype {_NS} id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_SHAPE_RE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)
_FRAME_RE = re.compile(r"<v:shapetype\b.*?</v:shapetype>|<o:shapelayout\b.*?</o:shapelayout>",
                       re.S)
_ROW_RE = re.compile(r"<x:Row>\s*(\d+)\s*</x:Row>")
_COL_RE = re.compile(r"<x:Column>\s*(\d+)\s*</x:Column>")
_SPID_RE = re.compile(r'(?:\bid|:spid)="_x0000_s(\d+)"')
_IDMAP_RE = re.compile(rb"<o:idmap\b[^>]*\bdata=\"([0-9, ]+)\"")


_NOTE_CHARS = 48  # characters per line of a note box 260pt wide (9pt Tahoma)


def note_lines(text: str) -> int:
    """Lines a note's text takes in its box (each paragraph wrapped)."""
    return sum(max(1, -(-len(part) // _NOTE_CHARS)) for part in text.split("\n"))


def _shape(ref: str, shape_id: int, text: str = "") -> str:
    """Our VML note shape for a cell (hidden until the pointer is over the cell), tall
    enough for its text."""
    row, col = parse_a1(ref)
    lines = note_lines(text)
    height = 12 * lines + 10  # points
    rows = -(-height // 15)  # rows of 15pt the box spans
    return (f'<v:shape {_NS} id="_x0000_s{shape_id}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;'
            f'height:{height}pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{col}, 15, {max(row - 2, 0)}, 2, {col + 5}, 15, '
            f'{max(row - 2, 0) + rows}, 16'
            f'</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row>'
            f'<x:Column>{col - 1}</x:Column></x:ClientData></v:shape>')


def comment_text(comment: etree._Element) -> str:
    """The text of a ``<comment>`` (its runs joined, phonetic runs left out)."""
    return "".join(t.text or "" for t in comment.iter(_M + "t")
                   if etree.QName(t.getparent()).localname != "rPh")


def _plain(text: str) -> str:
    """A note's text for comparison: spaces and line ends as any spreadsheet keeps them."""
    return " ".join(clean_text(text).split())


def _note_cell(shape: str) -> tuple[int, int] | None:
    """(row, col), 1-based, of a VML note shape; None for any other shape."""
    if 'ObjectType="Note"' not in shape:
        return None
    row, col = _ROW_RE.search(shape), _COL_RE.search(shape)
    return (int(row.group(1)) + 1, int(col.group(1)) + 1) if row and col else None


def _first_free_id(vml: str, taken: set[int]) -> int:
    """A shape number in the drawing's id block (as Excel numbers them: block ``idmap``
    x 1024 + n), after every one in the drawing and free in the whole workbook."""
    used = [int(n) for n in _SPID_RE.findall(vml)]
    block = _IDMAP_RE.search(vml.encode("utf-8", "surrogateescape"))
    first = int(block.group(1).split(b",")[0]) * 1024 if block else 1024
    n = max([first, *used]) + 1
    while n in taken:
        n += 1
    return n


def _shape_ids(pkg: Package) -> set[int]:
    """Every VML shape number (``id`` and ``o:spid``) in the workbook."""
    taken: set[int] = set()
    for name in pkg.names():
        if name.casefold().endswith(".vml"):
            text = pkg.read(name).decode("utf-8", "surrogateescape")
            taken.update(int(n) for n in _SPID_RE.findall(text))
    return taken


class SheetNotes:
    """The comments part and VML drawing of one sheet, edited together."""

    def __init__(self, pkg: Package, sheet_part: str, sheet: SheetDoc) -> None:
        self.pkg = pkg
        self.sheet_part = sheet_part
        self.sheet = sheet
        self.comments_part = self.vml_part = None
        legacy = sheet.root.find(_M + "legacyDrawing")
        legacy_rid = legacy.get(f"{{{NS_R}}}id") if legacy is not None else None
        for rel in pkg.relationships(sheet_part):
            if rel.external:
                continue
            if rel.is_type("comments"):
                self.comments_part = rel.target
            elif rel.is_type("vmlDrawing") and rel.rid == legacy_rid:
                self.vml_part = rel.target  # (never the header/footer pictures' VML)

    # ------------------------------------------------------------ reading
    def _comments(self) -> etree._Element | None:
        return self.pkg.xml(self.comments_part) if self.comments_part else None

    def _author_id(self, comments: etree._Element, create: bool) -> str | None:
        authors = comments.find(_M + "authors")
        names = [a.text for a in authors]
        if AUTHOR not in names:
            if not create:
                return None
            etree.SubElement(authors, _M + "author").text = AUTHOR
            names.append(AUTHOR)
        return str(names.index(AUTHOR))

    def user_notes(self) -> set[str]:
        """Cells carrying a note that is not ours."""
        comments = self._comments()
        if comments is None:
            return set()
        ours = self._author_id(comments, create=False)
        return {c.get("ref") for c in comments.iterfind(f"{_M}commentList/{_M}comment")
                if c.get("authorId") != ours}

    # ------------------------------------------------------------ writing
    def _create_parts(self) -> None:
        if self.comments_part is None:
            comments = etree.Element(_M + "comments", nsmap={None: NS_MAIN})
            etree.SubElement(comments, _M + "authors")
            etree.SubElement(comments, _M + "commentList")
            self.comments_part = self.pkg.unique_name("xl/comments{}.xml")
            self.pkg.put(self.comments_part, comments)
            self.pkg.add_override(self.comments_part, CT_COMMENTS)
            self.pkg.add_relationship(self.sheet_part, "comments", self.comments_part)
        if self.vml_part is None:
            self.vml_part = self.pkg.unique_name("xl/drawings/vmlDrawing{}.vml")
            self.pkg.put(self.vml_part, self._empty_vml())
            self.pkg.ensure_default("vml", CT_VML)
            rid = self.pkg.add_relationship(self.sheet_part, "vmlDrawing", self.vml_part)
            child(self.sheet.root, "legacyDrawing").set(f"{{{NS_R}}}id", rid)
            self.sheet.changed = True

    def _empty_vml(self) -> bytes:
        """A VML drawing with a shape-id block no other drawing of the workbook uses."""
        used = {0}
        for name in self.pkg.names():
            if name.endswith(".vml"):
                for m in _IDMAP_RE.finditer(self.pkg.read(name)):
                    used.update(int(x) for x in m.group(1).replace(b" ", b"").split(b",") if x)
        used.update(n // 1024 for n in _shape_ids(self.pkg))  # blocks of shapes seen
        return (f'<xml {_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
                f'data="{max(used) + 1}"/></o:shapelayout>{_SHAPETYPE}</xml>').encode()

    def put(self, notes: dict[str, str]) -> set[str]:
        """Write our notes (replacing our earlier text); returns the cells noted.

        A cell with a user's note keeps it and is left out of the result.
        """
        if not notes:
            return set()
        theirs = self.user_notes()
        wanted = {ref: text for ref, text in notes.items() if ref not in theirs}
        if not wanted:
            return set()
        self._create_parts()
        comments = self._comments()
        author = self._author_id(comments, create=True)
        clist = comments.find(_M + "commentList")
        existing = {c.get("ref"): c for c in clist if c.get("authorId") == author}
        vml = self.pkg.read(self.vml_part).decode("utf-8", "surrogateescape")
        drawn = {_note_cell(shape) for shape in _SHAPE_RE.findall(vml)}
        taken = _shape_ids(self.pkg)
        next_id = _first_free_id(vml, taken)
        shapes = []
        for ref, text in sorted(wanted.items(), key=lambda kv: parse_a1(kv[0])):
            comment = existing.get(ref)
            if comment is None:
                comment = etree.SubElement(clist, _M + "comment", ref=ref, authorId=author)
            for node in list(comment):
                comment.remove(node)
            t = etree.SubElement(etree.SubElement(comment, _M + "text"), _M + "t")
            t.text = clean_text(text)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if parse_a1(ref) not in drawn:
                shapes.append(_shape(ref, next_id, text))
                next_id += 1
                while next_id in taken:
                    next_id += 1
        self.pkg.touch(self.comments_part)
        if shapes:
            if 'id="_x0000_t202"' not in vml:
                shapes.insert(0, _SHAPETYPE)
            end = vml.rstrip().rfind("</")
            vml = vml[:end] + "".join(shapes) + vml[end:]
            self.pkg.put(self.vml_part, vml.encode("utf-8", "surrogateescape"))
        return set(wanted)

    def remove(self, expected: dict[str, str | None]) -> set[str]:
        """Remove our notes: at each cell of ``expected`` the note whose text is still the
        one given (whoever the author: LibreOffice drops it when it saves), or, for a text
        not known (None), the note whose author is ``pdz-xl``. A note the user rewrote
        stays. Drops the parts when nothing is left in them; returns the cells cleared."""
        comments = self._comments()
        if comments is None or not expected:
            return set()
        author = self._author_id(comments, create=False)
        clist = comments.find(_M + "commentList")

        def ours(c: etree._Element) -> bool:
            ref = c.get("ref")
            if ref not in expected:
                return False
            text = expected[ref]
            if text is None:
                return author is not None and c.get("authorId") == author
            return _plain(comment_text(c)) == _plain(text)

        gone = [c for c in clist if ours(c)]
        if not gone:
            return set()
        for c in gone:
            clist.remove(c)
        authors = comments.find(_M + "authors")
        if author is not None and int(author) == len(authors) - 1 and not any(
                c.get("authorId") == author for c in clist):
            authors.remove(authors[-1])  # our author entry was appended last: take it back
        self.pkg.touch(self.comments_part)
        self._remove_shapes({parse_a1(c.get("ref")) for c in gone})
        if len(clist) == 0:
            self._drop_comments()
        return {c.get("ref") for c in gone}

    def _remove_shapes(self, cells: set[tuple[int, int]]) -> None:
        if self.vml_part is None:
            return
        vml = self.pkg.read(self.vml_part).decode("utf-8", "surrogateescape")

        def keep(m: re.Match[str]) -> str:
            return "" if _note_cell(m.group(0)) in cells else m.group(0)

        new = _SHAPE_RE.sub(keep, vml)
        if new == vml:
            return
        if "<v:" not in _FRAME_RE.sub("", new):  # nothing left but layout and shapetypes
            self._drop_vml()
            return
        self.pkg.put(self.vml_part, new.encode("utf-8", "surrogateescape"))

    def _unlink(self, target: str) -> str | None:
        rid = None
        for rel in self.pkg.relationships(self.sheet_part):
            if not rel.external and rel.target == target:
                self.pkg.remove_relationship(self.sheet_part, rel.rid)
                rid = rel.rid
        self.pkg.delete(target)
        return rid

    def _drop_comments(self) -> None:
        self._unlink(self.comments_part)
        self.comments_part = None

    def _drop_vml(self) -> None:
        rid = self._unlink(self.vml_part)
        legacy = self.sheet.root.find(_M + "legacyDrawing")
        if legacy is not None and legacy.get(f"{{{NS_R}}}id") == rid:
            self.sheet.root.remove(legacy)
            self.sheet.changed = True
        self.vml_part = None


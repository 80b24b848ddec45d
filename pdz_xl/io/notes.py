"""Cell notes (legacy comments + their VML shapes) that the product adds and removes.

Our comments carry the author ``pdz-xl`` and our VML shapes an id starting with
``_pdz_``, so removing ours never touches the user's own comments.
"""

from __future__ import annotations

from lxml import etree

from ..cells import parse_a1
from .package import CT_COMMENTS, CT_VML, NS_MAIN, NS_R, Package, SheetEntry, clean_text
from .sheet_xml import child

AUTHOR = "pdz-xl"
_M = f"{{{NS_MAIN}}}"
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_X = "urn:schemas-microsoft-com:office:excel"
_VML_EMPTY = (
    f'<xml xmlns:v="{_V}" xmlns:o="{_O}" xmlns:x="{_X}"><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="9"/></o:shapelayout><v:shapetype id="_x0000_t202" '
    'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>'
).encode()


def _parts(pkg: Package, entry: SheetEntry) -> tuple[str | None, str | None]:
    comments = vml = None
    for _rid, rtype, target in pkg.relationships(entry.part):
        if rtype.endswith("/comments"):
            comments = target
        elif rtype.endswith("/vmlDrawing"):
            vml = target
    return comments, vml


def _shape(ref: str, text_id: int) -> etree._Element:
    row, col = parse_a1(ref)
    shape = etree.Element(f"{{{_V}}}shape", id=f"_pdz_{row}_{col}", type="#_x0000_t202",
                          style="position:absolute;margin-left:80pt;margin-top:2pt;"
                                "width:220pt;height:80pt;z-index:1;visibility:hidden",
                          fillcolor="#ffffe1")
    shape.set(f"{{{_O}}}insetmode", "auto")
    etree.SubElement(shape, f"{{{_V}}}fill", color2="#ffffe1")
    etree.SubElement(shape, f"{{{_V}}}shadow", on="t", color="black", obscured="t")
    path = etree.SubElement(shape, f"{{{_V}}}path")
    path.set(f"{{{_O}}}connecttype", "none")
    etree.SubElement(etree.SubElement(shape, f"{{{_V}}}textbox",
                                      style="mso-direction-alt:auto"), "div",
                     style="text-align:left")
    data = etree.SubElement(shape, f"{{{_X}}}ClientData", ObjectType="Note")
    etree.SubElement(data, f"{{{_X}}}MoveWithCells")
    etree.SubElement(data, f"{{{_X}}}SizeWithCells")
    etree.SubElement(data, f"{{{_X}}}Anchor").text = \
        f"{col}, 15, {max(row - 2, 0)}, 2, {col + 3}, 15, {row + 3}, 16"
    etree.SubElement(data, f"{{{_X}}}AutoFill").text = "False"
    etree.SubElement(data, f"{{{_X}}}Row").text = str(row - 1)
    etree.SubElement(data, f"{{{_X}}}Column").text = str(col - 1)
    return shape


def add_notes(pkg: Package, entry: SheetEntry, sheet_root: etree._Element,
              notes: dict[str, str]) -> bool:
    """Add our notes to a sheet (its XML root is edited in place). False if impossible."""
    if not notes:
        return True
    comments_part, vml_part = _parts(pkg, entry)
    if vml_part is not None:
        try:
            vml = etree.fromstring(pkg.get(vml_part))
        except etree.XMLSyntaxError:
            return False  # a VML drawing we cannot edit safely: fill only
    else:
        vml = etree.fromstring(_VML_EMPTY)
        vml_part = pkg.unique_name("xl/drawings/vmlDrawing{}.vml")
        pkg.ensure_default("vml", CT_VML)
        rid = pkg.add_relationship(entry.part, "vmlDrawing", vml_part)
        legacy = child(sheet_root, "legacyDrawing")
        legacy.set(f"{{{NS_R}}}id", rid)
    if comments_part is not None:
        comments = etree.fromstring(pkg.get(comments_part))
    else:
        comments = etree.Element(_M + "comments", nsmap={None: NS_MAIN})
        etree.SubElement(comments, _M + "authors")
        etree.SubElement(comments, _M + "commentList")
        comments_part = pkg.unique_name("xl/comments{}.xml")
        pkg.add_override(comments_part, CT_COMMENTS)
        pkg.add_relationship(entry.part, "comments", comments_part)
    authors = comments.find(_M + "authors")
    names = [a.text for a in authors]
    if AUTHOR not in names:
        etree.SubElement(authors, _M + "author").text = AUTHOR
        names.append(AUTHOR)
    author_id = str(names.index(AUTHOR))
    clist = comments.find(_M + "commentList")
    taken = {c.get("ref") for c in clist}
    for ref, text in sorted(notes.items(), key=lambda kv: parse_a1(kv[0])):
        if ref in taken:
            continue  # the user already has a note there: keep theirs, the fill still shows
        comment = etree.SubElement(clist, _M + "comment", ref=ref, authorId=author_id)
        run = etree.SubElement(etree.SubElement(comment, _M + "text"), _M + "t")
        run.text = clean_text(text)
        run.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        vml.append(_shape(ref, len(clist)))
    pkg.put(comments_part, comments)
    pkg.put(vml_part, etree.tostring(vml))
    return True


def remove_notes(pkg: Package, entry: SheetEntry, sheet_root: etree._Element,
                 refs: set[str]) -> None:
    """Remove our notes at ``refs``; drop the parts if nothing else is left in them."""
    comments_part, vml_part = _parts(pkg, entry)
    if comments_part is None:
        return
    comments = etree.fromstring(pkg.get(comments_part))
    authors = [a.text for a in comments.find(_M + "authors")]
    ours = str(authors.index(AUTHOR)) if AUTHOR in authors else None
    clist = comments.find(_M + "commentList")
    for c in list(clist):
        if c.get("authorId") == ours and c.get("ref") in refs:
            clist.remove(c)
    vml = None
    if vml_part is not None:
        try:
            vml = etree.fromstring(pkg.get(vml_part))
        except etree.XMLSyntaxError:
            vml = None
    if vml is not None:
        wanted = {"_pdz_{}_{}".format(*parse_a1(r)) for r in refs}
        for shape in list(vml.iter(f"{{{_V}}}shape")):
            if shape.get("id") in wanted:
                shape.getparent().remove(shape)
    if len(clist) == 0:
        _drop(pkg, entry, sheet_root, comments_part, vml_part, vml)
        return
    pkg.put(comments_part, comments)
    if vml is not None and vml_part is not None:
        pkg.put(vml_part, etree.tostring(vml))


def _drop(pkg: Package, entry: SheetEntry, sheet_root, comments_part: str,
          vml_part: str | None, vml) -> None:
    """No comment left: remove the comments part, and the VML if it held only notes."""
    for rid, _t, target in pkg.relationships(entry.part):
        if target == comments_part:
            pkg.remove_relationship(entry.part, rid)
    pkg.delete(comments_part)
    if vml_part is not None and vml is not None and not list(vml.iter(f"{{{_V}}}shape")):
        for rid, _t, target in pkg.relationships(entry.part):
            if target == vml_part:
                pkg.remove_relationship(entry.part, rid)
                legacy = sheet_root.find(_M + "legacyDrawing")
                if legacy is not None and legacy.get(f"{{{NS_R}}}id") == rid:
                    sheet_root.remove(legacy)
        pkg.delete(vml_part)

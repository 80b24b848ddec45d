"""Marks on user cells: a fill (``MARK_FILLS``) and a note, undone exactly on the next run.

A mark is found again by its cell and by what it wrote, not by a style index (Excel and
LibreOffice renumber styles when they save): the fill is ours while the cell still has
the mark's solid colour, the note while its text is still the one we wrote. Undoing a mark
puts back the cell's original fill (keeping everything else of the cell's style as it is
now), removes the cell if the mark created it, and removes our note (never the user's).
A cell whose fill the user changed keeps it, a note the user rewrote stays; both are
counted in the Italian remark the clearing returns. The registry of marks lives in the
veryHidden sheet ``_pdz_segni`` (see :mod:`.marks_registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..changeset import MARK_FILLS, CellStyle, Mark, marks_by_cell
from ..errors import WorkbookReadError
from ..plurals import plural
from .marks_registry import REGISTRY_SHEET, MarkRecord
from .notes import SheetNotes
from .package import NS_MAIN, Package, SheetEntry, clean_text
from .safe_xml import parse_part
from .sheet_xml import SheetDoc
from .styles_append import StyleBook, fill_colour, is_solid, same_fill

_M = f"{{{NS_MAIN}}}"
_SHOWN = 5  # cells named in the remark on marks left to the user


@dataclass
class MarkContext:
    """What marking needs from the editor: the package, styles, editable sheets."""

    pkg: Package
    styles: StyleBook
    doc: Callable[[SheetEntry], SheetDoc]
    notes: Callable[[SheetEntry], SheetNotes]
    remarks: list[str] = field(default_factory=list)


@dataclass
class Cleared:
    """What undoing the marks of a previous run found."""

    found: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # "Foglio!A1 (colore)" left to the user
    missing: int = 0  # sheet or cell no longer there

    def remark(self) -> str:
        """The Italian account: found, removed, left because the user changed them."""
        if not self.found and not self.missing:
            return "nessun segno di pdz-xl da togliere."
        text = (f"segni di pdz-xl: {plural(self.found, 'trovato', 'trovati')}, "
                f"{plural(self.removed, 'rimosso', 'rimossi')}")
        if self.kept:
            shown = ", ".join(self.kept[:_SHOWN]) + (" ..." if len(self.kept) > _SHOWN
                                                      else "")
            text += (f"; {plural(len(self.kept), 'lasciato', 'lasciati')} perché cambiati "
                     f"dall'utente: {shown}")
        if self.missing:
            text += (f"; {plural(self.missing, 'cella non più trovata', 'celle non più trovate')}"
                     " (foglio rinominato o tolto)")
        return text + "."


def _is_empty(c: etree._Element) -> bool:
    return len(c) == 0 and "t" not in c.attrib


def _original_fill(rec: MarkRecord, pkg: Package) -> etree._Element | str | None:
    """The fill the cell had before the mark: a ``<fill>``, None for no fill, or "?" when
    the registry does not say (an older registry: only the style index is known)."""
    if rec.fill_xml:
        try:
            fill = parse_part(rec.fill_xml.encode("utf-8"), REGISTRY_SHEET, pkg.path)
        except WorkbookReadError:  # a damaged registry cell: the colour says enough
            fill = None
        if fill is not None and etree.QName(fill).text == f"{{{NS_MAIN}}}fill":
            return fill
    if rec.fill is None:
        return "?"
    if not rec.fill:
        return None
    fill = etree.Element(_M + "fill")
    pattern = etree.SubElement(fill, _M + "patternFill", patternType="solid")
    etree.SubElement(pattern, _M + "fgColor", rgb="FF" + rec.fill.upper())
    etree.SubElement(pattern, _M + "bgColor", indexed="64")
    return fill


def _ours(rec: MarkRecord, ctx: MarkContext, style: int) -> bool:
    """Whether the cell's fill is still the mark's."""
    current = ctx.styles.fill_of(style)
    if rec.mark_fill:
        return is_solid(current, rec.mark_fill)
    if rec.applied is not None:  # older registry: the style index of the mark
        return style == rec.applied
    return any(is_solid(current, colour) for colour in MARK_FILLS.values())


def _restore_fill(rec: MarkRecord, ctx: MarkContext, doc: SheetDoc,
                  cell: etree._Element) -> None:
    """Put the original fill back on a cell still showing the mark's."""
    style = int(cell.get("s", "0"))
    original = _original_fill(rec, ctx.pkg)
    if isinstance(original, str):  # older registry: the original index is all there is
        if rec.style is not None:
            doc.set_style(cell, rec.style)
        return
    styles = ctx.styles
    if (rec.style is not None and styles.same_but_fill(rec.style, style)
            and same_fill(styles.fill_of(rec.style), original)):
        doc.set_style(cell, rec.style)  # the original style itself: not saved again since
        return
    doc.set_style(cell, styles.with_fill(style, original))


def clear_marks(ctx: MarkContext, records: list[MarkRecord]) -> Cleared:
    """Undo the marks of a previous run; returns what was found and removed."""
    done = Cleared()
    by_sheet: dict[str, list[MarkRecord]] = {}
    for rec in records:
        by_sheet.setdefault(rec.sheet, []).append(rec)
    for sheet_name, recs in by_sheet.items():
        entry = ctx.pkg.sheet(sheet_name)
        if entry is None:
            done.missing += len(recs)  # renamed or deleted since: nothing to undo there
            continue
        doc = ctx.doc(entry)
        expected = {r.cell: r.note_text for r in recs if r.our_note}
        noted = ctx.notes(entry).remove(expected)
        for rec in recs:
            cell = doc.find(rec.cell)
            if cell is None:
                done.missing += 1
                continue
            done.found += 1
            changed = []
            if _ours(rec, ctx, int(cell.get("s", "0"))):
                if rec.created and _is_empty(cell):
                    doc.remove(rec.cell)
                else:
                    _restore_fill(rec, ctx, doc, cell)
            else:
                changed.append("colore")
            if rec.our_note and rec.note_text is not None and rec.cell not in noted:
                changed.append("nota")
            if changed:
                done.kept.append(f"{entry.name}!{rec.cell} ({' e '.join(changed)})")
            else:
                done.removed += 1
    return done


def apply_marks(ctx: MarkContext, marks: list[Mark]) -> list[MarkRecord]:
    """Mark cells (fill + note); returns the registry records of what was done."""
    records: list[MarkRecord] = []
    for sheet_name, cells in marks_by_cell(marks).items():
        entry = ctx.pkg.sheet(sheet_name)
        if entry is None:
            ctx.remarks.append(f"segni non applicati: il foglio «{sheet_name}» non esiste.")
            continue
        doc = ctx.doc(entry)
        marked = []
        for ref, (severity, _note) in cells.items():
            cell = doc.find(ref)
            created = cell is None
            if created:
                cell = etree.Element(_M + "c", r=ref)
                doc.put(cell, extend=False)
            original = int(cell.get("s", "0"))
            fill = ctx.styles.fill_of(original)
            applied = ctx.styles.xf_for(original, CellStyle(fill=MARK_FILLS[severity]))
            doc.set_style(cell, applied)
            xml = (None if same_fill(fill, None)  # no fill: the empty colour says it
                   else etree.tostring(fill, encoding="unicode"))
            marked.append((ref, original, applied, created, fill_colour(fill), xml,
                           MARK_FILLS[severity]))
        noted = ctx.notes(entry).put({ref: note for ref, (_s, note) in cells.items()})
        skipped = sorted(set(cells) - noted)
        if skipped:
            ctx.remarks.append(f"foglio «{entry.name}», {', '.join(skipped)}: c'è già una nota "
                               "dell'utente, lasciata com'è; il segno resta come colore.")
        records += [MarkRecord(entry.name, ref, original, applied, ref in noted, created,
                               fill=colour, mark_fill=mark, fill_xml=xml,
                               note_text=clean_text(cells[ref][1]) if ref in noted else None)
                    for ref, original, applied, created, colour, xml, mark in marked]
    return records

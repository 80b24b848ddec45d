"""Marks on user cells: a fill (``MARK_FILLS``) and a note, undone exactly on the next run.

Undoing a mark puts back the cell's original style index, removes the cell if the mark
created it, and removes our note (never the user's). A cell whose style the user changed
after it was marked keeps the user's style. The registry of marks lives in the
veryHidden sheet ``_pdz_segni`` (see :mod:`.marks_registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..changeset import MARK_FILLS, NO_FILL, CellStyle, Mark, marks_by_cell
from .marks_registry import MarkRecord
from .notes import SheetNotes
from .package import NS_MAIN, Package, SheetEntry
from .sheet_xml import SheetDoc
from .styles_append import StyleBook

_M = f"{{{NS_MAIN}}}"


@dataclass
class MarkContext:
    """What marking needs from the editor: the package, styles, editable sheets."""

    pkg: Package
    styles: StyleBook
    doc: Callable[[SheetEntry], SheetDoc]
    notes: Callable[[SheetEntry], SheetNotes]
    remarks: list[str] = field(default_factory=list)


def _is_empty(c: etree._Element) -> bool:
    return len(c) == 0 and "t" not in c.attrib


def clear_marks(ctx: MarkContext, records: list[MarkRecord]) -> None:
    """Undo the marks of a previous run."""
    by_sheet: dict[str, list[MarkRecord]] = {}
    for rec in records:
        by_sheet.setdefault(rec.sheet, []).append(rec)
    for sheet_name, recs in by_sheet.items():
        entry = ctx.pkg.sheet(sheet_name)
        if entry is None:
            continue  # the sheet was renamed or deleted since: nothing to undo there
        doc = ctx.doc(entry)
        for rec in recs:
            cell = doc.find(rec.cell)
            if cell is None:
                continue
            if rec.applied is not None and int(cell.get("s", "0")) != rec.applied:
                continue  # restyled by the user after the mark: their style stays
            if rec.created and _is_empty(cell):
                doc.remove(rec.cell)
            elif rec.style is None:  # marked in Excel: only the fill goes back
                fill = CellStyle(fill=rec.fill or NO_FILL)
                doc.set_style(cell, ctx.styles.xf_for(int(cell.get("s", "0")), fill))
            else:
                doc.set_style(cell, rec.style)
        ctx.notes(entry).remove({r.cell for r in recs if r.our_note})


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
            applied = ctx.styles.xf_for(original, CellStyle(fill=MARK_FILLS[severity]))
            doc.set_style(cell, applied)
            marked.append((ref, original, applied, created))
        noted = ctx.notes(entry).put({ref: note for ref, (_s, note) in cells.items()})
        skipped = sorted(set(cells) - noted)
        if skipped:
            ctx.remarks.append(f"foglio «{entry.name}», {', '.join(skipped)}: c'è già una nota "
                               "dell'utente, lasciata com'è; il segno resta come colore.")
        records += [MarkRecord(entry.name, ref, original, applied, ref in noted, created)
                    for ref, original, applied, created in marked]
    return records

"""The write path every command uses: apply a Changeset to an xlsx/xlsm surgically.

Never an openpyxl load/save (it drops cached values, charts, images...). The ZIP package
is edited part by part (:class:`~.package.Package`):

- **Byte-identical**: every part the product does not own is copied as the very bytes it
  was stored with (raw compressed copy): other sheets, charts, images, drawings, pivot
  tables and caches, ``vbaProject.bin``, comments of other sheets, tables, external links,
  custom XML, printer settings, ``sharedStrings.xml``, ``docProps/*``...
- **Owned sheets** (``changeset.sheets``) are created (``<sheet>`` in workbook.xml,
  relationship, content type; placed after ``after`` or last; marked as the product's,
  :mod:`.owned_names`) or replaced whole, keeping the existing sheet's sheetId, r:id and
  tab position; a sheet of that name the user made is never replaced (refused). Their
  notes and charts get parts of their own; the parts the previous version linked to are
  removed (unless another part still uses them, e.g. a pivot cache).
- **Patched cells** of user sheets (``changeset.cells``) are inserted or replaced in
  their row, in column order, keeping the cell's style unless a CellStyle is given (then
  a new xf derived from the cell's own is appended). Overwriting the master cell of a
  shared formula first gives every dependent its own translated formula; a cell inside a
  multi-cell array formula is refused.
- **Styles** are appended to styles.xml (fonts, fills, number formats, cellXfs), never
  rewritten; identical requests share one appended entry, also across runs.
- **Marks** (``changeset.marks``) are recorded in the veryHidden sheet ``_pdz_segni``; a
  second run undoes the previous marks before marking anew; ``marks=[]`` clears them,
  putting back each cell's original fill and removing only our notes, found by what was
  written (the mark's colour, the note's text), so also after Excel or LibreOffice saved
  the file again (:mod:`.marks`). Every write makes the registry veryHidden again.
- **calcChain / recalculation**: when a formula cell is written or overwritten, or a
  sheet holding formulas is replaced or removed, ``xl/calcChain.xml`` (a cache of Excel's
  calculation order, which would then point at wrong cells) is removed with its
  relationship and content type; Excel rebuilds it. When formulas are written,
  ``<calcPr fullCalcOnLoad="1"/>`` is set in workbook.xml so Excel recalculates on
  opening; every formula also carries its cached value, for readers that do not calculate.
- ``docProps/app.xml`` (the sheet-name list Excel shows in file properties) is left as it
  was: Excel does not need it to match and rewrites it on the next save.

Writes are atomic (:mod:`.atomic`): a temporary file in the destination folder, fsync,
``os.replace``; a failure leaves the input untouched and no half-written file. In-place
writes keep a timestamped backup unless told otherwise. Same input and Changeset, same
bytes: parts we write have a fixed ZIP date and stable order, and a part that comes out
equal to what it was is copied raw.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cells import parse_a1, split_sheet_ref
from ..changeset import CellValue, CellWrite, Changeset, OwnedSheet
from ..errors import PdzError, WorkbookWriteError
from .atomic import backup_path, write_atomically
from .drawing_chart import add_charts
from .formula_shift import shift_formula
from .locks import (
    open_note,
    refuse_if_open,
    refuse_unwritable_folder,
    refuse_wrong_extension,
)
from .marks import MarkContext, apply_marks, clear_marks
from .marks_registry import REGISTRY_SHEET, read_registry, registry_sheet
from .notes import SheetNotes
from .owned_names import mark_owned, refuse_foreign
from .owned_sheet import render_owned
from .package import CT_WORKSHEET, NS_MAIN, WORKBOOK, Package, SheetEntry
from .sheet_xml import SheetDoc, cell_element
from .styles_append import StyleBook
from .table_parts import sync_table_headers
from .user_columns import set_column_widths
from .workbook_xml import (
    add_sheet_entry,
    check_sheet_name,
    drop_calc_chain,
    full_calc_on_load,
    remove_sheet_entry,
    set_print_names,
    set_sheet_state,
)

_M = f"{{{NS_MAIN}}}"
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class WriteResult:
    """What a write did."""

    dest: Path
    backup: Path | None = None
    added_parts: list[str] = field(default_factory=list)
    modified_parts: list[str] = field(default_factory=list)
    removed_parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Italian remarks for the user
    unchanged: bool = False  # in place and nothing to change: the file was not written

    @property
    def changed_parts(self) -> list[str]:
        """Every part added, modified or removed (all other parts are byte-identical)."""
        return sorted(self.added_parts + self.modified_parts + self.removed_parts)


def apply_changeset(src: str | Path, changeset: Changeset, dest: str | Path | None = None, *,
                    in_place: bool = False, backup: bool = True) -> WriteResult:
    """Apply ``changeset`` to the workbook ``src`` and write ``dest``.

    ``dest`` None (or equal to ``src``) or ``in_place=True`` writes over ``src``, after a
    timestamped copy ``name.YYYYMMDD-HHMMSS.bak.xlsx`` beside it unless ``backup=False``.
    An in-place write that would change nothing writes nothing (no backup either):
    ``result.unchanged``. Raises :class:`WorkbookReadError` for an input that is not a
    workbook (corrupt, .xls, password-protected...) and :class:`WorkbookWriteError` when
    the destination is open in Excel or LibreOffice, the folder is read-only or the write
    fails; the input is never damaged. Reading an open workbook to write elsewhere is
    allowed, with a remark in ``result.notes``.
    """
    src = Path(src)
    if in_place or dest is None:
        dest = src
    dest = Path(dest)
    in_place = os.path.realpath(dest) == os.path.realpath(src)
    refuse_if_open(dest)  # reading an open workbook is fine, writing over one is not
    refuse_unwritable_folder(dest)
    pkg = Package(src)
    try:
        refuse_wrong_extension(pkg, dest)
        remarks = _Editor(pkg).apply(changeset)
        added, modified, removed = pkg.changes()
        result = WriteResult(dest=dest, added_parts=added, modified_parts=modified,
                             removed_parts=removed, notes=remarks)
        if not in_place and (note := open_note(src)):
            result.notes.insert(0, note)
        if in_place and not result.changed_parts:  # nothing to change: no write, no backup
            result.unchanged = True
            return result
        if in_place and backup:
            result.backup = backup_path(src)
        write_atomically(dest, pkg.write, mode_from=src,
                         backup=(src, result.backup) if result.backup else None)
    finally:
        pkg.close()
    return result


class _Editor:
    """Applies one Changeset to a Package."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.styles = StyleBook(pkg)
        self.docs: dict[str, SheetDoc] = {}  # part -> editable sheet
        self.sheet_notes: dict[str, SheetNotes] = {}
        self.written: dict[str, dict[tuple[int, int], CellValue]] = {}  # owned cell values
        self.formulas_touched = False
        self.sheets_replaced = False
        self.remarks: list[str] = []

    # ------------------------------------------------------------- driver
    def apply(self, cs: Changeset) -> list[str]:
        """Apply everything; returns Italian remarks for the user."""
        marks = MarkContext(self.pkg, self.styles, self.doc, self.notes, self.remarks)
        if cs.marks is not None:
            cleared = clear_marks(marks, read_registry(self.pkg))
            if not cs.marks or cleared.kept:  # clearing, or marks the user changed
                self.remarks.append(cleared.remark())
        for owned in cs.sheets:
            self.written[owned.name.casefold()] = {parse_a1(w.cell): w.value
                                                   for w in owned.cells}
        for owned in cs.sheets:
            if owned.name.casefold() == REGISTRY_SHEET.casefold():
                raise PdzError(f"il nome «{REGISTRY_SHEET}» è riservato.", file=self.pkg.path)
            self.owned_sheet(owned)
        for name in cs.remove_sheets:
            self.remove_sheet(name)
        for sheet_name, writes in cs.cells.items():
            self.patch_cells(sheet_name, writes)
        if cs.cells and sync_table_headers(self.pkg, cs.cells):
            self.formulas_touched = True
        for sheet_name, widths in cs.column_widths.items():
            doc = self.doc(self.entry(sheet_name))
            doc.changed |= set_column_widths(doc.root, widths)
        if cs.marks is not None:
            records = apply_marks(marks, cs.marks)
            if records:
                self.owned_sheet(registry_sheet(records))
            else:
                self.remove_sheet(REGISTRY_SHEET)
        if not cs.is_empty():
            self._registry_very_hidden()
        self._finish()
        return self.remarks

    def _registry_very_hidden(self) -> None:
        """The marks registry back to veryHidden (a LibreOffice save makes it hidden)."""
        entry = self.pkg.sheet(REGISTRY_SHEET)
        if entry is not None and entry.state != "veryHidden":
            set_sheet_state(self.pkg, entry.name, "veryHidden")

    def _finish(self) -> None:
        for part, doc in self.docs.items():
            if doc.changed and self.pkg.has(part):
                doc.grow_dimension()
                self.pkg.touch(part)
        if self.formulas_touched or self.sheets_replaced:
            drop_calc_chain(self.pkg)
        if self.formulas_touched:
            full_calc_on_load(self.pkg)

    # ------------------------------------------------------------ helpers
    def entry(self, name: str) -> SheetEntry:
        entry = self.pkg.sheet(name)
        if entry is None:
            raise PdzError("il foglio non esiste nella cartella.", file=self.pkg.path,
                           sheet=name)
        return entry

    def doc(self, entry: SheetEntry) -> SheetDoc:
        """The editable XML of a sheet (parsed once per write)."""
        if entry.part not in self.docs:
            if self.pkg.content_type(entry.part) != CT_WORKSHEET:
                raise WorkbookWriteError("non è un foglio di lavoro (forse un foglio "
                                         "grafico): non posso scriverci celle.",
                                         file=self.pkg.path, sheet=entry.name)
            self.docs[entry.part] = SheetDoc(self.pkg.xml(entry.part))
        return self.docs[entry.part]

    def notes(self, entry: SheetEntry) -> SheetNotes:
        if entry.part not in self.sheet_notes:
            self.sheet_notes[entry.part] = SheetNotes(self.pkg, entry.part, self.doc(entry))
        return self.sheet_notes[entry.part]

    def _lookup(self, sheet: str, row: int, col: int) -> CellValue:
        return self.written.get(sheet.casefold(), {}).get((row, col))

    # -------------------------------------------------------------- cells
    def patch_cells(self, sheet_name: str, writes: list[CellWrite]) -> None:
        """Write cells into a user sheet, keeping everything else in it."""
        entry = self.entry(sheet_name)
        doc = self.doc(entry)
        notes: dict[str, str] = {}
        for w in writes:
            ref = w.cell.replace("$", "").upper()
            parse_a1(ref)
            array = doc.array_range(ref)
            if array is not None:
                raise WorkbookWriteError(
                    f"la cella fa parte della formula matrice {array}: non la modifico "
                    "(andrebbe riscritta tutta la matrice).", file=self.pkg.path,
                    sheet=entry.name, cell=ref)
            old = doc.find(ref)
            base = int(old.get("s", "0")) if old is not None else 0
            if w.style_from:
                source = doc.find(w.style_from.replace("$", "").upper())
                base = int(source.get("s", "0")) if source is not None else base
            if old is not None and old.find(_M + "f") is not None:
                self._unshare(doc, old)
                self.formulas_touched = True
            style = self.styles.xf_for(base, w.style) if w.style else base
            doc.put(cell_element(ref, w, style))
            if w.formula:
                self.formulas_touched = True
            if w.hyperlink:
                self._link(entry, doc, ref, w)
            if w.note is not None:
                notes[ref] = w.note
        if notes:
            kept = notes.keys() - self.notes(entry).put(notes)
            if kept:
                self.remarks.append(f"foglio «{entry.name}», {', '.join(sorted(kept))}: c'è già "
                                    "una nota dell'utente, lasciata com'è; quella di pdz-xl "
                                    "non è stata scritta.")

    def _link(self, entry: SheetEntry, doc: SheetDoc, ref: str, w: CellWrite) -> None:
        dropped = doc.set_hyperlink(ref, w.hyperlink.lstrip("#"),
                                    "" if w.value is None else str(w.value))
        still_used = doc.hyperlink_rids()
        for rid in dropped:
            if rid not in still_used:
                self.pkg.remove_relationship(entry.part, rid)

    def _unshare(self, doc: SheetDoc, cell) -> None:
        """Overwriting the master of a shared formula: give dependents their own formula."""
        f = cell.find(_M + "f")
        if f.get("t") != "shared" or not f.text:
            return
        si = f.get("si")
        brow, bcol = parse_a1(cell.get("r"))
        for g in doc.data.iter(_M + "f"):
            if g is f or g.get("t") != "shared" or g.get("si") != si or g.text:
                continue
            row, col = parse_a1(g.getparent().get("r"))
            g.text = shift_formula(f.text, row - brow, col - bcol)
            for attr in ("t", "si", "ref"):
                g.attrib.pop(attr, None)
        doc.changed = True

    # ------------------------------------------------------- owned sheets
    def owned_sheet(self, owned: OwnedSheet) -> None:
        """Create the sheet, or replace the whole part of the sheet with that name."""
        doc = render_owned(owned, self.styles)
        if any(w.formula for w in owned.cells):
            self.formulas_touched = True
        entry = self.pkg.sheet(owned.name)
        if entry is not None:
            refuse_foreign(self.pkg, entry)  # a user's sheet with our name stays the user's
            if self.pkg.content_type(entry.part) != CT_WORKSHEET:
                raise WorkbookWriteError("esiste già un foglio con questo nome che non è un "
                                         "foglio di lavoro: rinominarlo e riprovare.",
                                         file=self.pkg.path, sheet=owned.name)
            self.sheets_replaced |= self._has_formulas(entry.part)
            self._delete_linked(entry.part)
            part = entry.part
        else:
            check_sheet_name(owned.name, self.pkg.path)
            part = self.pkg.unique_name("xl/worksheets/sheet{}.xml")
            self.pkg.put(part, doc.root)
            self.pkg.add_override(part, CT_WORKSHEET)
            rid = self.pkg.add_relationship(WORKBOOK, "worksheet", part)
            add_sheet_entry(self.pkg, owned.name, rid, owned.after)
            if owned.after and self.pkg.sheet(owned.after) is None:
                self.remarks.append(f"il foglio «{owned.after}» non esiste: «{owned.name}» è "
                                    "stato aggiunto in fondo.")
        self.docs.pop(part, None)
        self.sheet_notes.pop(part, None)
        self.pkg.put(part, doc.root)
        self.docs[part] = doc
        notes = {w.cell.replace("$", "").upper(): w.note for w in owned.cells
                 if w.note is not None}
        if notes:
            entry = self.entry(owned.name)
            self.notes(entry).put(notes)
        if owned.charts:
            add_charts(self.pkg, part, doc.root, owned, self._lookup)
            self._check_chart_refs(owned)
        mark_owned(self.pkg, self.entry(owned.name))
        state = ("veryHidden" if owned.name == REGISTRY_SHEET else
                 "hidden" if owned.hidden else "visible")
        set_sheet_state(self.pkg, self.entry(owned.name).name, state)
        if owned.page is not None:  # without print settings, names stay as they are
            set_print_names(self.pkg, self.entry(owned.name).name, owned.page.print_titles,
                            owned.page.print_area)

    def _check_chart_refs(self, owned: OwnedSheet) -> None:
        for chart in owned.charts:
            for ref in [chart.categories] + [s.values for s in chart.series]:
                sheet, _ = split_sheet_ref(ref.lstrip("="))
                if sheet and self.pkg.sheet(sheet) is None:
                    self.remarks.append(f"grafico «{chart.title}»: il foglio «{sheet}» dei "
                                        "dati non esiste.")

    def remove_sheet(self, name: str) -> None:
        """Remove a sheet, the parts only it used, and the names scoped to it."""
        entry = self.pkg.sheet(name)
        if entry is None:
            return
        self.sheets_replaced |= self._has_formulas(entry.part)
        remove_sheet_entry(self.pkg, entry)
        self.pkg.remove_relationship(WORKBOOK, entry.rid)
        self._delete_linked(entry.part)
        self.pkg.delete(entry.part)
        self.docs.pop(entry.part, None)
        self.sheet_notes.pop(entry.part, None)

    def _has_formulas(self, part: str) -> bool:
        """Whether a sheet holds formulas (then calcChain.xml may point into it)."""
        return self.pkg.has(part) and _FORMULA_RE.search(self.pkg.read(part)) is not None

    def _delete_linked(self, part: str) -> None:
        """Unlink what ``part`` links to; delete the targets no other part uses."""
        for rel in self.pkg.relationships(part):
            self.pkg.remove_relationship(part, rel.rid)
            if rel.external or not self.pkg.has(rel.target) or self.pkg.inbound(rel.target):
                continue
            self._delete_linked(rel.target)
            self.pkg.delete(rel.target)

"""The write path every command uses: apply a Changeset to an xlsx/xlsm surgically.

Never an openpyxl load/save (it drops cached values, charts, images...). The package is
edited part by part:

- parts the product does not own are written back byte for byte (other sheets, charts,
  images, pivot caches, VBA projects, comments, data validation, defined names, tables...);
- owned sheets (report, triennial, rules...) are created or replaced whole;
- owned cells in user sheets are patched in place, keeping each cell's style unless the
  Changeset gives one (new styles are appended to styles.xml, never rewritten);
- marks (fill + note) are recorded in the veryHidden sheet ``_pdz_segni`` so a second run
  replaces them and ``marks=[]`` restores every cell's original style;
- when formulas are written ``xl/calcChain.xml`` (a cache Excel rebuilds) is dropped and
  ``fullCalcOnLoad`` is set; every formula carries its cached value for other readers.

Writes are atomic: a temporary file in the destination folder, fsync, ``os.replace``.
A failure leaves the input untouched and no half-written file. In-place writes keep a
timestamped backup unless told otherwise. Same input, same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..changeset import MARK_FILLS, CellStyle, CellWrite, Changeset, OwnedSheet
from ..errors import PdzError, WorkbookWriteError
from .marks_registry import REGISTRY_SHEET, read_registry, registry_sheet
from .notes import add_notes, remove_notes
from .package import CT_WORKSHEET, NS_MAIN, NS_R, Package, SheetEntry
from .sheet_xml import (
    cell_element,
    child,
    clear_row_indexes,
    find_cell,
    put_cell,
    render_owned,
)
from .styles_append import StyleBook
from .xlsx_sniff import lock_file_for

_M = f"{{{NS_MAIN}}}"


@dataclass
class WriteResult:
    """What a write did."""

    dest: Path
    backup: Path | None = None
    changed_parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Italian remarks for the user


def apply_changeset(src: str | Path, changeset: Changeset, dest: str | Path | None = None, *,
                    in_place: bool = False, backup: bool = True) -> WriteResult:
    """Apply ``changeset`` to ``src`` and write ``dest`` (or ``src`` itself, in place)."""
    src = Path(src)
    dest = Path(dest) if dest is not None else src
    in_place = in_place or dest.resolve() == src.resolve()
    for path in {src, dest}:
        if lock_file_for(path).exists():
            lock = lock_file_for(path).name
            raise WorkbookWriteError(
                f"la cartella è aperta in Excel (c'è il file di blocco «{lock}»): chiuderla e "
                "riprovare.", file=str(path))
    pkg = Package(src)
    editor = _Editor(pkg)
    try:
        notes = editor.apply(changeset)
    finally:
        clear_row_indexes()
    result = WriteResult(dest=dest, changed_parts=pkg.changed_parts(), notes=notes)
    if in_place and backup:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        result.backup = src.with_name(f"{src.stem}.{stamp}.bak{src.suffix}")
    _atomic_write(pkg, dest, src, result.backup)
    return result


def _atomic_write(pkg: Package, dest: Path, src: Path, backup: Path | None) -> None:
    folder = dest.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~pdz-", suffix=dest.suffix, dir=folder)
    except OSError as exc:
        raise WorkbookWriteError(
            f"non posso scrivere nella cartella «{folder}» ({exc.strerror or exc}).",
            file=str(dest)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            pkg.write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if backup is not None:
            shutil.copy2(src, backup)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookWriteError(f"scrittura non riuscita ({exc.strerror or exc}); il file "
                                 "originale non è stato toccato.", file=str(dest)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class _Editor:
    """Applies one Changeset to a Package."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.styles = StyleBook(pkg)
        self.sheet_roots: dict[str, etree._Element] = {}  # part -> parsed XML (user sheets)
        self.formulas_touched = False
        self.notes: list[str] = []

    # ------------------------------------------------------------- driver
    def apply(self, cs: Changeset) -> list[str]:
        if cs.marks is not None:
            self._marks(cs)
        for sheet_name, writes in cs.cells.items():
            self._patch_cells(sheet_name, writes)
        for owned in cs.sheets:
            self._owned_sheet(owned)
        for name in cs.remove_sheets:
            self._remove_sheet(name)
        for part, root in self.sheet_roots.items():
            self.pkg.put(part, root)
        if self.formulas_touched:
            self._recalc_on_load()
        self.styles.save()
        return self.notes

    def _entry(self, name: str) -> SheetEntry:
        entry = self.pkg.sheet(name)
        if entry is None:
            raise PdzError(f"il foglio «{name}» non esiste nella cartella.", file=self.pkg.path)
        return entry

    def _root(self, entry: SheetEntry) -> etree._Element:
        if entry.part not in self.sheet_roots:
            self.sheet_roots[entry.part] = self.pkg.xml(entry.part)
        return self.sheet_roots[entry.part]

    # -------------------------------------------------------------- cells
    def _patch_cells(self, sheet_name: str, writes: list[CellWrite]) -> None:
        entry = self._entry(sheet_name)
        data = child(self._root(entry), "sheetData")
        for w in writes:
            old = find_cell(data, w.cell)
            base = int(old.get("s", "0")) if old is not None else 0
            if old is not None and old.find(_M + "f") is not None:
                self._unshare(data, old)
                self.formulas_touched = True
            style = self.styles.xf_for(base, w.style) if w.style else base
            put_cell(data, cell_element(w.cell, w, style))
            if w.formula:
                self.formulas_touched = True

    def _unshare(self, data: etree._Element, cell: etree._Element) -> None:
        """Overwriting the master of a shared formula: give dependents their own formula."""
        f = cell.find(_M + "f")
        if f.get("t") != "shared" or not f.text:
            return
        from ..cells import parse_a1
        from .xlsx_reader import _shift_formula

        si = f.get("si")
        brow, bcol = parse_a1(cell.get("r"))
        for row in data:
            for c in row:
                g = c.find(_M + "f")
                if c is cell or g is None or g.get("t") != "shared" or g.get("si") != si:
                    continue
                r, col = parse_a1(c.get("r"))
                g.text = _shift_formula(f.text, r - brow, col - bcol)
                for attr in ("t", "si", "ref"):
                    g.attrib.pop(attr, None)

    # -------------------------------------------------------------- marks
    def _marks(self, cs: Changeset) -> None:
        previous = read_registry(self.pkg)
        by_sheet: dict[str, list] = {}
        for rec in previous:
            by_sheet.setdefault(rec.sheet, []).append(rec)
        for sheet_name, recs in by_sheet.items():
            entry = self.pkg.sheet(sheet_name)
            if entry is None:
                continue
            root = self._root(entry)
            data = child(root, "sheetData")
            for rec in recs:
                cell = find_cell(data, rec.cell)
                if cell is not None:
                    if rec.style:
                        cell.set("s", str(rec.style))
                    else:
                        cell.attrib.pop("s", None)
            remove_notes(self.pkg, entry, root, {r.cell for r in recs if r.our_note})
        new_records = []
        grouped: dict[str, list] = {}
        for m in cs.marks or []:
            grouped.setdefault(m.sheet, []).append(m)
        for sheet_name, marks in grouped.items():
            entry = self.pkg.sheet(sheet_name)
            if entry is None:
                self.notes.append(f"segno non applicato: il foglio «{sheet_name}» non esiste.")
                continue
            root = self._root(entry)
            data = child(root, "sheetData")
            texts: dict[str, str] = {}
            for m in marks:
                if m.cell in texts:  # several findings on one cell: one mark, joined notes
                    texts[m.cell] += "\n" + m.note
                    continue
                cell = find_cell(data, m.cell)
                original = int(cell.get("s", "0")) if cell is not None else 0
                if cell is None:
                    cell = etree.Element(_M + "c", r=m.cell)
                    put_cell(data, cell)
                style = self.styles.xf_for(original, CellStyle(fill=MARK_FILLS[m.severity]))
                cell.set("s", str(style))
                texts[m.cell] = m.note
                new_records.append((sheet_name, m.cell, original))
            ok = add_notes(self.pkg, entry, root, texts)
            if not ok:
                self.notes.append(f"note non aggiunte al foglio «{sheet_name}»: il suo disegno "
                                  "VML non è modificabile; restano i colori.")
        records = [(s, c, o, True) for s, c, o in new_records]
        if records:
            self._owned_sheet(registry_sheet(records))
        elif self.pkg.sheet(REGISTRY_SHEET) is not None:
            self._remove_sheet(REGISTRY_SHEET)

    # ------------------------------------------------------- owned sheets
    def _owned_sheet(self, owned: OwnedSheet) -> None:
        root = render_owned(owned, self.styles)
        if any(w.formula for w in owned.cells):
            self.formulas_touched = True
        entry = self.pkg.sheet(owned.name)
        if entry is not None:
            self._delete_children(entry.part)
            part = entry.part
        else:
            part = self.pkg.unique_name("xl/worksheets/sheet{}.xml")
            self.pkg.add_override(part, CT_WORKSHEET)
            rid = self.pkg.add_relationship("xl/workbook.xml", "worksheet", part)
            self._add_sheet_entry(owned, rid)
        self.sheet_roots.pop(part, None)
        if owned.charts:
            from .charts import add_charts

            add_charts(self.pkg, part, root, owned)
        self.pkg.put(part, root)
        self._set_state(owned.name, "veryHidden" if owned.name == REGISTRY_SHEET else
                        ("hidden" if owned.hidden else "visible"))

    def _add_sheet_entry(self, owned: OwnedSheet, rid: str) -> None:
        wb = self.pkg.xml("xl/workbook.xml")
        sheets = wb.find(_M + "sheets")
        ids = [int(s.get("sheetId", "0")) for s in sheets]
        new = etree.SubElement(sheets, _M + "sheet", name=owned.name,
                               sheetId=str(max(ids, default=0) + 1))
        new.set(f"{{{NS_R}}}id", rid)
        self.pkg.put("xl/workbook.xml", wb)

    def _set_state(self, name: str, state: str) -> None:
        wb = self.pkg.xml("xl/workbook.xml")
        for s in wb.iterfind(f"{_M}sheets/{_M}sheet"):
            if s.get("name") == name:
                current = s.get("state", "visible")
                if current == state:
                    return
                if state == "visible":
                    s.attrib.pop("state", None)
                else:
                    s.set("state", state)
        self.pkg.put("xl/workbook.xml", wb)

    def _remove_sheet(self, name: str) -> None:
        entry = self.pkg.sheet(name)
        if entry is None:
            return
        wb = self.pkg.xml("xl/workbook.xml")
        sheets = wb.find(_M + "sheets")
        position = next(i for i, s in enumerate(sheets) if s.get("name") == entry.name)
        sheets.remove(sheets[position])
        names = wb.find(_M + "definedNames")
        if names is not None:
            for dn in list(names):
                local = dn.get("localSheetId")
                if local is None:
                    continue
                if int(local) == position:
                    names.remove(dn)
                elif int(local) > position:
                    dn.set("localSheetId", str(int(local) - 1))
            if len(names) == 0:
                wb.remove(names)
        for view in wb.iterfind(f"{_M}bookViews/{_M}workbookView"):
            for attr in ("activeTab", "firstSheet"):
                if view.get(attr) is not None and int(view.get(attr)) >= position:
                    view.set(attr, str(max(0, int(view.get(attr)) - 1)))
        self.pkg.put("xl/workbook.xml", wb)
        self._delete_children(entry.part)
        self.pkg.delete(entry.part)
        self.sheet_roots.pop(entry.part, None)
        self.pkg.remove_relationship("xl/workbook.xml", entry.rid)

    def _delete_children(self, part: str) -> None:
        """Remove the parts an owned part links to (drawings, their charts, notes)."""
        for rid, _t, target in self.pkg.relationships(part):
            if self.pkg.has(target):
                self._delete_children(target)
                self.pkg.delete(target)
            self.pkg.remove_relationship(part, rid)

    # -------------------------------------------------------------- recalc
    def _recalc_on_load(self) -> None:
        if self.pkg.has("xl/calcChain.xml"):
            for rid, _t, target in self.pkg.relationships("xl/workbook.xml"):
                if target == "xl/calcChain.xml":
                    self.pkg.remove_relationship("xl/workbook.xml", rid)
            self.pkg.delete("xl/calcChain.xml")
        wb = self.pkg.xml("xl/workbook.xml")
        calc = wb.find(_M + "calcPr")
        if calc is None:
            calc = etree.Element(_M + "calcPr", calcId="191029")
            order = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                     "bookViews", "sheets", "functionGroups", "externalReferences",
                     "definedNames"]
            index = 0
            for i, node in enumerate(wb):
                if etree.QName(node).localname in order:
                    index = i + 1
            wb.insert(index, calc)
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self.pkg.put("xl/workbook.xml", wb)

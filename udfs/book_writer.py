"""Apply a :class:`~pdz_xl.changeset.Changeset` to a workbook open in Excel (``xw.Book``).

The same Changeset the command line writes into the xlsx package is written here through
xlwings' public API, so a button and ``pdz-xl`` produce the same cells. Under xlwings Lite
/ Server every operation becomes an action sent back to Office.js; in the classic add-in
they are COM calls. Writes are batched: an owned sheet is one block write, the cells of a
user sheet one write per run of adjacent cells in a row.

Marks (fill + note on user cells) are recorded in the veryHidden ``_pdz_segni`` sheet, as
the xlsx writer does, so marks made by a button are cleared by the CLI and the other way
round. A mark made here keeps the cell's original fill in column G (empty: no fill), the
mark's colour in H and our note's text in I: clearing puts the fill back only where the
cell still shows the mark's colour and deletes a note only while its text is ours (where
the engine can read them; xlwings Lite cannot read either synchronously, so there what
the registry lists is undone), and says how many marks it found, removed and left.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pdz_xl.cells import col_letters, parse_a1
from pdz_xl.changeset import (
    MARK_FILLS,
    CellStyle,
    CellWrite,
    Changeset,
    Mark,
    OwnedSheet,
    marks_by_cell,
)
from pdz_xl.grid import WorkbookGrid
from pdz_xl.io.marks import Cleared
from pdz_xl.io.marks_registry import HEADERS as REGISTRY_HEADERS
from pdz_xl.io.marks_registry import REGISTRY_SHEET

_SHEET_VERY_HIDDEN = 2  # xlSheetVeryHidden (Excel's COM API)
_LOOKS_PARSED = re.compile(r"^\s*[-+=@]|^\s*[\d.,]+\s*%?\s*$|^\s*(vero|falso|true|false)\s*$",
                           re.I)


def excel_input(value: object) -> object:
    """A value as it must be handed to Excel so it stays what the Changeset says: text
    that Excel would turn into a number, a formula or a boolean gets the «'» prefix."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and _LOOKS_PARSED.match(value):
        return "'" + value
    return value


def _cell_input(w: CellWrite) -> object:
    return w.formula if w.formula else ("" if w.value is None else excel_input(w.value))


def _hex(rgb: str) -> str:
    return "#" + rgb[-6:]


class BookWriter:
    """Writes Changesets into one open workbook."""

    def __init__(self, book: Any, grid: WorkbookGrid | None = None) -> None:
        self.book = book
        self.grid = grid
        self.remarks: list[str] = []

    # -- sheets ---------------------------------------------------------------------
    def _sheet(self, name: str):
        low = name.casefold()
        return next((s for s in self.book.sheets if s.name.casefold() == low), None)

    def apply(self, cs: Changeset) -> list[str]:
        """Write everything; returns Italian remarks on what could not be done."""
        for name in cs.remove_sheets:
            sheet = self._sheet(name)
            if sheet is not None:
                sheet.delete()
        for owned in cs.sheets:
            self.write_owned(owned)
        for sheet_name, writes in cs.cells.items():
            self.write_cells(sheet_name, writes)
        for sheet_name, widths in cs.column_widths.items():
            self.set_widths(sheet_name, widths)
        if cs.marks is not None:
            self.replace_marks(cs.marks)
        return self.remarks

    def write_owned(self, owned: OwnedSheet) -> None:
        """Create (or empty) the sheet and write its cells in one block."""
        sheet = self._sheet(owned.name)
        if sheet is None:
            after = self._sheet(owned.after) if owned.after else None
            after = after or self.book.sheets[len(self.book.sheets) - 1]
            sheet = self.book.sheets.add(name=owned.name, after=after)
        else:
            sheet.clear()
        if owned.cells:
            cells = {parse_a1(w.cell): w for w in owned.cells}
            rows = max(r for r, _ in cells)
            cols = max(c for _, c in cells)
            block = [["" for _ in range(cols)] for _ in range(rows)]
            for (r, c), w in cells.items():
                block[r - 1][c - 1] = _cell_input(w)
            sheet.range((1, 1), (rows, cols)).formula = block
            self._decorate(sheet, owned.cells)
        for letters, width in owned.column_widths.items():
            sheet.range(f"{letters}:{letters}").column_width = width
        for row, height in owned.row_heights.items():
            sheet.range(f"{row}:{row}").row_height = height
        if owned.autofilter:
            with contextlib.suppress(Exception):  # classic Excel only; the data stay
                sheet.range(owned.autofilter).api.AutoFilter(1)
        for ref in owned.merged:
            sheet.range(ref).merge()
        if owned.freeze:
            self._freeze(sheet, owned.freeze)
        if owned.charts:
            self.remarks.append(f"«{owned.name}»: i grafici si aggiungono con pdz-xl "
                                "(riga di comando); qui sono scritti i dati.")
        if owned.name == REGISTRY_SHEET:
            _very_hidden(sheet)
        elif owned.hidden:
            sheet.visible = False

    def write_cells(self, sheet_name: str, writes: list[CellWrite]) -> None:
        """Write cells of a user sheet, one block per run of adjacent cells in a row."""
        sheet = self._sheet(sheet_name)
        if sheet is None:
            self.remarks.append(f"celle non scritte: il foglio «{sheet_name}» non esiste.")
            return
        by_row: dict[int, dict[int, CellWrite]] = {}
        for w in writes:
            r, c = parse_a1(w.cell)
            by_row.setdefault(r, {})[c] = w
        for r, cells in by_row.items():
            for first, last in _runs(cells, lambda _a, _b: True):
                run = [_cell_input(cells[k]) for k in range(first, last + 1)]
                sheet.range((r, first), (r, last)).formula = [run]
        for w in writes:
            if w.style_from:
                _copy_format(sheet, w.style_from, w.cell)
        self._decorate(sheet, writes)

    def set_widths(self, sheet_name: str, widths: dict[str, float]) -> None:
        """Column widths of a user sheet."""
        sheet = self._sheet(sheet_name)
        if sheet is None:
            return
        for letters, width in widths.items():
            sheet.range(f"{letters}:{letters}").column_width = width

    # -- formatting -----------------------------------------------------------------
    def _decorate(self, sheet, writes: list[CellWrite]) -> None:
        """Styles (one call per run of equally styled cells in a row), links, notes."""
        styled: dict[int, dict[int, CellStyle]] = {}
        for w in writes:
            r, c = parse_a1(w.cell)
            if w.style is not None:
                styled.setdefault(r, {})[c] = w.style
            if w.hyperlink:
                sheet.range(w.cell).add_hyperlink("#" + w.hyperlink,
                                                  text_to_display=_text(w))
            if w.note:
                self._note(sheet.range(w.cell), w.note)
        for r, cells in styled.items():
            for first, last in _runs(cells, lambda a, b: a == b):
                _style(sheet.range((r, first), (r, last)), cells[first])

    def _note(self, rng, text: str) -> bool:
        try:
            if rng.note is not None:
                return False
            rng.add_note(text)
        except NotImplementedError:
            self.remarks.append("note non supportate da questa versione di Excel.")
            return False
        return True

    @staticmethod
    def _freeze(sheet, cell: str) -> None:
        r, c = parse_a1(cell)
        if r <= 1 and c <= 1:
            return
        if c <= 1:
            frozen = f"1:{r - 1}"
        elif r <= 1:
            frozen = f"A:{col_letters(c - 1)}"
        else:
            frozen = f"A1:{col_letters(c - 1)}{r - 1}"
        with contextlib.suppress(NotImplementedError, AttributeError):
            sheet.freeze_panes.freeze_at(frozen)  # no panes: the sheet is still complete

    # -- marks ----------------------------------------------------------------------
    def _registry(self) -> list[list[object]]:
        """The rows of ``_pdz_segni`` (without the header), from the grid read at start."""
        if self.grid is None:
            return []
        sheet = self.grid.sheet(REGISTRY_SHEET)
        if sheet is None:
            return []
        out = []
        for r, cells in sheet.iter_rows():
            if r == 1:
                continue
            out.append([cells[c].value if c in cells else None
                        for c in range(1, len(REGISTRY_HEADERS) + 1)])
        return out

    def clear_marks(self) -> Cleared:
        """Undo the marks listed in ``_pdz_segni`` that are still ours: the fill back
        where the cell shows the mark's colour, our notes removed while their text is
        ours; what the user changed stays. Returns what was found and removed."""
        done = Cleared()
        for row in self._registry():
            sheet_name, ref, _style, _applied, our_note, _created, fill, mark, text = row[:9]
            sheet = self._sheet(str(sheet_name or ""))
            if sheet is None or not ref:
                done.missing += 1
                continue
            done.found += 1
            rng = sheet.range(str(ref))
            changed = []
            current = _read_fill(rng)
            if mark and current and current != str(mark).upper():
                changed.append("colore")  # the user's colour now
            else:
                rng.color = _hex(str(fill)) if fill else None
            if our_note in (1, 1.0, "1", None):
                note = rng.note
                if note is not None and _same_text(note, text):
                    note.delete()
                elif note is not None:
                    changed.append("nota")
            if changed:
                done.kept.append(f"{sheet.name}!{ref} ({' e '.join(changed)})")
            else:
                done.removed += 1
        return done

    def replace_marks(self, marks: list[Mark]) -> None:
        """Clear the previous marks, then mark anew and rewrite the registry."""
        cleared = self.clear_marks()
        if not marks or cleared.kept:
            self.remarks.append(cleared.remark())
        records: list[list[object]] = []
        for sheet_name, cells in marks_by_cell(marks).items():
            sheet = self._sheet(sheet_name)
            if sheet is None:
                self.remarks.append(f"segni non applicati: il foglio «{sheet_name}» non "
                                    "esiste.")
                continue
            for ref, (severity, text) in cells.items():
                rng = sheet.range(ref)
                original = _read_fill(rng)
                rng.color = _hex(MARK_FILLS[severity])
                noted = self._note(rng, text)
                records.append([sheet.name, ref, None, None, int(noted), 0, original,
                                MARK_FILLS[severity], text if noted else None])
        self._write_registry(records)

    def _write_registry(self, records: list[list[object]]) -> None:
        header = list(REGISTRY_HEADERS)
        cells = [CellWrite(cell=f"{col_letters(j + 1)}1", value=h)
                 for j, h in enumerate(header)]
        for i, rec in enumerate(records, start=2):
            cells += [CellWrite(cell=f"{col_letters(j + 1)}{i}", value=v)
                      for j, v in enumerate(rec) if v not in (None, "")]
        if records:
            self.write_owned(OwnedSheet(name=REGISTRY_SHEET, cells=cells, hidden=True))
        elif (registry := self._sheet(REGISTRY_SHEET)) is not None:
            registry.delete()  # no marks left: no registry, as the file door does


def _runs(cells: dict[int, Any], same: Callable[[Any, Any], bool]
          ) -> list[tuple[int, int]]:
    """(first, last) columns of the runs of adjacent cells of one row whose values are
    ``same`` as the run's first: one Excel call per run instead of one per cell."""
    runs: list[tuple[int, int]] = []
    for col in sorted(cells):
        if runs and col == runs[-1][1] + 1 and same(cells[runs[-1][0]], cells[col]):
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs


def _copy_format(sheet, source: str, target: str) -> None:
    """The look of ``source`` on ``target``: its fill and bold (what every runtime can read
    back; the file door copies the whole style)."""
    src, dst = sheet.range(source), sheet.range(target)
    fill = _read_fill(src)
    if fill:
        dst.color = _hex(fill)
    with contextlib.suppress(NotImplementedError, AttributeError):
        bold = src.font.bold
        if bold is not None:
            dst.font.bold = bool(bold)


def _very_hidden(sheet) -> None:
    """Make ``sheet`` veryHidden (not listed by «Scopri»): an Office.js action under
    xlwings Lite / Server, the COM property in the classic add-in; plain hidden where
    neither is there."""
    impl = getattr(sheet, "impl", None)
    if hasattr(impl, "append_json_action"):
        impl.append_json_action(func="setSheetVisibility", args="VeryHidden")
        impl.api["visibility"] = "VeryHidden"
        return
    try:
        sheet.api.Visible = _SHEET_VERY_HIDDEN
    except Exception:  # an engine without the COM property (or a COM error)
        sheet.visible = False


def _same_text(note, text: object) -> bool:
    """Whether a note still says ``text`` (True when the engine cannot read note texts,
    or the registry does not say: then what it lists is ours)."""
    if not text:
        return True
    try:
        current = note.text
    except NotImplementedError:
        return True
    return " ".join(str(current or "").split()) == " ".join(str(text).split())


def _text(w: CellWrite) -> str | None:
    return None if w.value is None else str(w.value)


def _read_fill(rng) -> str:
    """The cell's fill as RRGGBB where the engine can read it synchronously, else ""."""
    try:
        color = rng.color
    except NotImplementedError:
        return ""
    if not color:
        return ""
    if isinstance(color, tuple):
        return "".join(f"{int(x):02X}" for x in color[:3])
    return str(color).lstrip("#").upper()


def _style(rng, style: CellStyle) -> None:
    if style.number_format is not None:
        rng.number_format = style.number_format
    if style.bold is not None:
        rng.font.bold = style.bold
    if style.italic is not None:
        rng.font.italic = style.italic
    if style.font_color is not None:
        rng.font.color = _hex(style.font_color)
    if style.font_size is not None:
        rng.font.size = style.font_size
    if style.fill is not None:
        rng.color = _hex(style.fill)
    if style.align is not None:
        rng.horizontal_alignment = style.align
    if style.wrap is not None:
        rng.wrap_text = style.wrap


def apply_changeset(book: Any, cs: Changeset, grid: WorkbookGrid | None = None) -> list[str]:
    """Write ``cs`` into ``book`` (``grid``: the book as read, for the marks registry)."""
    return BookWriter(book, grid).apply(cs)

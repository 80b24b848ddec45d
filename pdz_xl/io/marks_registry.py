"""Where the product remembers its marks: the veryHidden sheet ``_pdz_segni``.

One row per marked cell: sheet, cell, the cell's original style index, the style index the
mark gave it, whether the note is ours, whether the cell was created by the mark, and what
was written and what was there, by content: the original fill colour (``RRGGBB``, empty for
none), the mark's fill colour, the text of our note, the original ``<fill>`` as XML. A
later run reads it to undo the marks exactly before marking anew (or clearing).

Style indexes are valid only while styles.xml is the one the mark was made in: Excel and
LibreOffice renumber the styles when they save the file. So a mark is found again by its
cell and by what was written — the fill is ours while the cell still shows the mark's
colour, the note while its text is still ours — and the original fill is put back from
its description; the style index is used only when it still describes the cell's style
with the original fill (a file not saved again since).

Why a sheet: it travels with the workbook (copies, e-mail, backups), every door can read
and write it (the xlsx patcher here, xlwings in the open workbook), and ``veryHidden``
keeps it out of the user's way (it is not listed by Excel's «Scopri»; a LibreOffice save
makes it plain hidden, and our next write makes it veryHidden again).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..changeset import CellWrite, OwnedSheet
from .package import NS_MAIN, WORKBOOK, Package

REGISTRY_SHEET = "_pdz_segni"
HEADERS = ("Foglio", "Cella", "Stile originale", "Stile del segno", "Nota nostra",
           "Cella creata", "Colore originale", "Colore del segno", "Testo della nota",
           "Riempimento originale")
_M = f"{{{NS_MAIN}}}"
_COLS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class MarkRecord:
    """A marked cell, what the mark wrote and what the cell was before."""

    sheet: str
    cell: str
    style: int | None  # original style index (None: marked in Excel, see ``fill``)
    applied: int | None = None  # style index of the mark (None: unknown, older registry)
    our_note: bool = True
    created: bool = False
    fill: str | None = None  # the original fill colour RRGGBB, "" for none (None: unknown)
    mark_fill: str | None = None  # the mark's fill colour RRGGBB (None: older registry)
    note_text: str | None = None  # the text of our note (None: older registry)
    fill_xml: str | None = None  # the original <fill> element (xlsx door only)


def registry_sheet(records: list[MarkRecord]) -> OwnedSheet:
    """The registry as an owned (veryHidden) sheet."""
    cells = [CellWrite(cell=f"{c}1", value=h) for c, h in zip(_COLS, HEADERS, strict=True)]
    for i, r in enumerate(records, start=2):
        values = (r.sheet, r.cell, r.style, r.applied, int(r.our_note), int(r.created),
                  r.fill, r.mark_fill, r.note_text if r.our_note else None, r.fill_xml)
        cells += [CellWrite(cell=f"{c}{i}", value=v)
                  for c, v in zip(_COLS, values, strict=True) if v not in (None, "")]
    return OwnedSheet(name=REGISTRY_SHEET, cells=cells, hidden=True)


def _int(text: str | None, default: int | None) -> int | None:
    try:
        return int(float(text)) if text not in (None, "") else default
    except ValueError:
        return default


def read_registry(pkg: Package) -> list[MarkRecord]:
    """The marks of the previous run (empty when there were none)."""
    entry = pkg.sheet(REGISTRY_SHEET)
    if entry is None or not pkg.has(entry.part):
        return []
    root = pkg.xml(entry.part)
    strings = _shared_strings(pkg)
    rows = [_row_values(row, strings) for row in root.iterfind(f"{_M}sheetData/{_M}row")]
    if not rows:
        return []
    legacy = rows[0].get("D") == "Nota"  # first layout: A-D = sheet, cell, style, note
    described = rows[0].get("H") == HEADERS[7]  # written with the mark's colour and text
    out = []
    for values in rows[1:]:
        if not (values.get("A") and values.get("B")):
            continue
        if legacy:
            out.append(MarkRecord(values["A"], values["B"], _int(values.get("C"), 0) or 0,
                                  our_note=_int(values.get("D"), 1) == 1))
            continue
        style = _int(values.get("C"), None)
        fill = values.get("G") or ""
        out.append(MarkRecord(
            sheet=values["A"], cell=values["B"], style=style,
            applied=_int(values.get("D"), None), our_note=_int(values.get("E"), 1) == 1,
            created=_int(values.get("F"), 0) == 1,
            fill=fill if described or style is None else None,
            mark_fill=(values.get("H") or "").upper() or None,
            note_text=values.get("I") if described else None,
            fill_xml=values.get("J") or None))
    return out


def _shared_strings(pkg: Package) -> list[str]:
    """The workbook's shared strings (LibreOffice and Excel store the registry's texts
    there when they save the file)."""
    part = next((r.target for r in pkg.relationships(WORKBOOK)
                 if r.is_type("sharedStrings") and not r.external), None)
    if part is None or not pkg.has(part):
        return []
    return ["".join(t.text or "" for t in si.iter(_M + "t")
                    if etree.QName(t.getparent()).localname != "rPh")
            for si in pkg.xml(part).iterfind(_M + "si")]


def _row_values(row: etree._Element, strings: list[str]) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for c in row.iterfind(_M + "c"):
        col = "".join(ch for ch in c.get("r", "") if ch.isalpha())
        inline = c.find(f"{_M}is")
        v = c.find(_M + "v")
        if inline is not None:
            values[col] = "".join(t.text or "" for t in inline.iter(_M + "t"))
        elif v is not None and c.get("t") == "s":
            index = int(v.text) if (v.text or "").isdigit() else -1
            values[col] = strings[index] if 0 <= index < len(strings) else None
        else:
            values[col] = v.text if v is not None else None
    return values

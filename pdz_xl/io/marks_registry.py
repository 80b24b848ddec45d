"""Where the product remembers its marks: the veryHidden sheet ``_pdz_segni``.

One row per marked cell: sheet, cell, the cell's original style index, the style index the
mark gave it, whether the note is ours, whether the cell was created by the mark. A later
run reads it to undo the marks exactly before marking anew (or clearing).

Why a sheet: it travels with the workbook (copies, e-mail, backups), every door can read
and write it (the xlsx patcher here, xlwings in the open workbook), and ``veryHidden``
keeps it out of the user's way (it is not listed by Excel's «Scopri»). The style indexes
are only valid for this workbook's styles.xml, which is exactly where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..changeset import CellWrite, OwnedSheet
from .package import NS_MAIN, Package

REGISTRY_SHEET = "_pdz_segni"
HEADERS = ("Foglio", "Cella", "Stile originale", "Stile del segno", "Nota nostra",
           "Cella creata")
_M = f"{{{NS_MAIN}}}"
_COLS = "ABCDEF"


@dataclass(frozen=True)
class MarkRecord:
    """A marked cell and what it was before the mark."""

    sheet: str
    cell: str
    style: int | None  # original style index (None: marked in Excel, see ``fill``)
    applied: int | None = None  # style index of the mark (None: unknown, older registry)
    our_note: bool = True
    created: bool = False
    fill: str | None = None  # marked in Excel (xlwings): the original fill, "" for none


def registry_sheet(records: list[MarkRecord]) -> OwnedSheet:
    """The registry as an owned (veryHidden) sheet."""
    cells = [CellWrite(cell=f"{c}1", value=h) for c, h in zip(_COLS, HEADERS, strict=True)]
    for i, r in enumerate(records, start=2):
        values = (r.sheet, r.cell, r.style, r.applied, int(r.our_note), int(r.created))
        cells += [CellWrite(cell=f"{c}{i}", value=v)
                  for c, v in zip(_COLS, values, strict=True) if v is not None]
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
    rows = [_row_values(row) for row in root.iterfind(f"{_M}sheetData/{_M}row")]
    if not rows:
        return []
    legacy = rows[0].get("D") == "Nota"  # first layout: A-D = sheet, cell, style, note
    out = []
    for values in rows[1:]:
        if not (values.get("A") and values.get("B")):
            continue
        if legacy:
            out.append(MarkRecord(values["A"], values["B"], _int(values.get("C"), 0) or 0,
                                  our_note=_int(values.get("D"), 1) == 1))
            continue
        style = _int(values.get("C"), None)
        out.append(MarkRecord(
            sheet=values["A"], cell=values["B"], style=style,
            applied=_int(values.get("D"), None), our_note=_int(values.get("E"), 1) == 1,
            created=_int(values.get("F"), 0) == 1,
            fill=None if style is not None else (values.get("G") or "")))
    return out


def _row_values(row: etree._Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for c in row.iterfind(_M + "c"):
        col = "".join(ch for ch in c.get("r", "") if ch.isalpha())
        t = c.find(f"{_M}is/{_M}t")
        v = c.find(_M + "v")
        values[col] = t.text if t is not None else (v.text if v is not None else None)
    return values

"""Where the product remembers its marks: the veryHidden sheet ``_pdz_segni``.

One row per marked cell: sheet, cell, the cell's original style index, whether the note
is ours. A second run reads it to restore styles and remove notes before marking anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..changeset import CellWrite, OwnedSheet
from .package import NS_MAIN, Package

REGISTRY_SHEET = "_pdz_segni"
_M = f"{{{NS_MAIN}}}"


@dataclass(frozen=True)
class MarkRecord:
    """A marked cell and what it was before."""

    sheet: str
    cell: str
    style: int
    our_note: bool


def registry_sheet(records: list[tuple[str, str, int, bool]]) -> OwnedSheet:
    """The registry as an owned (veryHidden) sheet."""
    cells = [CellWrite(cell="A1", value="Foglio"), CellWrite(cell="B1", value="Cella"),
             CellWrite(cell="C1", value="Stile originale"), CellWrite(cell="D1", value="Nota")]
    for i, (sheet, cell, style, note) in enumerate(records, start=2):
        cells += [CellWrite(cell=f"A{i}", value=sheet), CellWrite(cell=f"B{i}", value=cell),
                  CellWrite(cell=f"C{i}", value=style), CellWrite(cell=f"D{i}", value=int(note))]
    return OwnedSheet(name=REGISTRY_SHEET, cells=cells, hidden=True)


def read_registry(pkg: Package) -> list[MarkRecord]:
    """The marks of the previous run (empty when there were none)."""
    entry = pkg.sheet(REGISTRY_SHEET)
    if entry is None or not pkg.has(entry.part):
        return []
    root = etree.fromstring(pkg.get(entry.part))
    out = []
    for row in root.iterfind(f"{_M}sheetData/{_M}row"):
        if row.get("r") == "1":
            continue
        values = {}
        for c in row:
            col = "".join(ch for ch in c.get("r", "") if ch.isalpha())
            t = c.find(f"{_M}is/{_M}t")
            v = c.find(_M + "v")
            values[col] = t.text if t is not None else (v.text if v is not None else None)
        if values.get("A") and values.get("B"):
            out.append(MarkRecord(values["A"], values["B"], int(float(values.get("C") or 0)),
                                  values.get("D") in ("1", "1.0")))
    return out

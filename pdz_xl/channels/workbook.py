"""Extend the channel catalog from a "Canali PDZ" sheet in the workbook.

Header row (any order): Codice | Nome | Tipo | Vincolato | Alias | Confluisce in.
Aliases are ``;``-separated. A row with an existing code overrides that entry.
"""

from __future__ import annotations

from ..grid import WorkbookGrid
from ..plan import ReadNote
from .catalog import KIND_LABELS_IT, Catalog, ChannelInfo, normalise_label

CATALOG_SHEET = "Canali PDZ"

_COLUMNS = {
    "codice": "code", "nome": "name", "tipo": "kind", "vincolato": "restricted",
    "alias": "aliases", "confluisce in": "parent", "canale": "parent",
}
_KINDS = {normalise_label(v): k for k, v in KIND_LABELS_IT.items()} | {k: k for k in KIND_LABELS_IT}


def extend_from_workbook(catalog: Catalog, grid: WorkbookGrid) -> list[ReadNote]:
    """Add the user's channels to ``catalog``; return notes on rows it could not use."""
    sheet = grid.sheet(CATALOG_SHEET)
    notes: list[ReadNote] = []
    if sheet is None:
        return notes
    header: dict[int, str] = {}
    for row, cells in sheet.iter_rows():
        texts = {c: normalise_label(str(cell.value)) for c, cell in cells.items()
                 if cell.value is not None}
        if not header:
            header = {c: _COLUMNS[t] for c, t in texts.items() if t in _COLUMNS}
            if "code" not in header.values():
                header = {}
            continue
        rec = {field: cells[c].value for c, field in header.items()
               if c in cells and cells[c].value not in (None, "")}
        if not rec.get("code"):
            continue
        code = str(rec["code"]).strip().upper().replace(" ", "_")
        kind = _KINDS.get(normalise_label(str(rec.get("kind", ""))), "other")
        restricted = normalise_label(str(rec.get("restricted", ""))) in ("si", "sì", "s", "x",
                                                                          "vero", "true", "1")
        aliases = [a.strip() for a in str(rec.get("aliases", "")).split(";") if a.strip()]
        parent = str(rec["parent"]).strip().upper().replace(" ", "_") if rec.get("parent") \
            else None
        if parent and parent not in catalog and parent != code:
            notes.append(ReadNote(code="PDZ009", severity="avviso",
                                  cell=f"{sheet.name}!A{row}",
                                  message=f"il canale {code} confluisce in «{parent}», che non "
                                          "è nel catalogo: ignorato il collegamento."))
            parent = None
        catalog.add(ChannelInfo(code=code, name=str(rec.get("name") or code), kind=kind,
                                restricted=restricted, parent=parent, aliases=aliases,
                                user_defined=True))
    return notes

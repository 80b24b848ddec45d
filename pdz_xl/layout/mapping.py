"""The layout in the words of the ``_pdz`` sheet, both ways.

:func:`column_role_text` writes what a column holds (``voce``, ``gruppo azione``,
``budget 2021``, ``canale FNPS`` ...) and :func:`parse_column_role` reads it back;
:func:`layout_rows` lists every decision of a :class:`WorkbookLayout` as ``_pdz`` rows,
so that reading with those rows gives the same Plan.
"""

from __future__ import annotations

import re

from ..cells import a1, col_letters
from ..changeset import CellStyle, CellWrite, OwnedSheet
from ..channels.catalog import normalise_label
from .config import CONFIG_HEADER, CONFIG_SHEET
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_CHANNEL_NAME,
    COL_CODE,
    COL_GROUP,
    COL_IGNORE,
    COL_NOTE,
    COL_TRIENNIO,
    COL_UNKNOWN,
    COL_VOCE,
    COL_YEAR_NAME,
    KIND_COST,
    LEVELS,
    SURE_HIGH,
    SURE_STATED,
    ColumnRole,
    Decision,
    TableLayout,
    WorkbookLayout,
)
from .vocabulary import YEAR_KINDS

_YEAR = re.compile(r"(19[89]\d|20\d\d|21\d\d)")


def column_role_text(role: ColumnRole) -> str:
    """How ``_pdz`` writes a column role."""
    if role.role == COL_GROUP:
        return f"gruppo {role.level or 'azione'}"
    if role.role == COL_AMOUNT:
        kind = role.kind or "importo"
        return f"{kind} {role.year}" if role.year else kind
    if role.role == COL_CHANNEL:
        return f"canale {role.channel}"
    if role.role in (COL_VOCE, COL_CODE, COL_NOTE, COL_IGNORE, COL_TRIENNIO, COL_CHANNEL_NAME,
                     COL_YEAR_NAME):
        return role.role
    return COL_UNKNOWN  # read again as unknown (and noted); write what it is to say so


def parse_column_role(text: str, col: int, header: str, resolve) -> ColumnRole | None:
    """A ``_pdz`` column value -> a ColumnRole (None when it says nothing we know)."""
    raw = str(text).strip()
    n = normalise_label(raw)
    why = "indicato nel foglio «_pdz»"
    if n in ("voce", COL_CODE, "note", "nota", COL_IGNORE, COL_TRIENNIO, COL_CHANNEL_NAME,
             "canale nome", "fonte", "anno"):
        role = {"nota": COL_NOTE, "canale nome": COL_CHANNEL_NAME, "fonte": COL_CHANNEL_NAME,
                "note": COL_NOTE, "anno": COL_YEAR_NAME}.get(n, n)
        return ColumnRole(col, role, header, sure=SURE_STATED, why=why)
    if n.startswith("gruppo"):
        level = n.split(" ", 1)[1] if " " in n else "azione"
        if level not in LEVELS:
            return None
        return ColumnRole(col, COL_GROUP, header, level=level, sure=SURE_STATED, why=why)
    m = _YEAR.search(n)
    if m:
        kind_words = n.replace(m.group(1), "").strip()
        kind = YEAR_KINDS.get(kind_words) if kind_words else "importo"
        if kind is not None:
            return ColumnRole(col, COL_AMOUNT, header, year=int(m.group(1)), kind=kind,
                              sure=SURE_STATED, why=why)
    if n in YEAR_KINDS:
        return ColumnRole(col, COL_AMOUNT, header, kind=YEAR_KINDS[n], sure=SURE_STATED,
                          why=why)
    name = raw[len("canale"):].strip() if n.startswith("canale ") else raw
    code, year = resolve(name)
    if code is None and re.fullmatch(r"[A-Z0-9_?]+", name.strip().upper()) and \
            n.startswith("canale "):
        code = name.strip().upper()
    if code is not None:
        return ColumnRole(col, COL_CHANNEL, header, year=year, channel=code, sure=SURE_STATED,
                          why=why)
    return None


def table_decisions(t: TableLayout) -> list[Decision]:
    """Every decision about one table, as ``_pdz`` rows (inferred ones carry their
    certainty and alternatives)."""
    kind = next((d for d in t.decisions if d.key.startswith("tabella ")), None)
    out = [Decision(f"tabella {_anchor(t)}", t.kind, kind.sure if kind else SURE_HIGH,
                    kind.why if kind else (t.title or ""))]
    if len(t.header_rows) > 1:
        out.append(Decision(f"intestazione {_anchor(t)}",
                            f"{t.header_rows[0]}:{t.header_row}", SURE_HIGH,
                            "intestazione su più righe"))
    out.append(Decision(f"colonne {_anchor(t)}",
                        f"{col_letters(t.first_col)}:{col_letters(t.last_col)}", SURE_HIGH,
                        "da dove a dove va la tabella"))
    out.append(Decision(f"fine {_anchor(t)}", str(t.last_row), SURE_HIGH, "ultima riga"))
    for c, role in sorted(t.columns.items()):
        out.append(Decision(f"colonna {ref_sheet(t.sheet)}!{a1(t.header_row, c)}",
                            column_role_text(role), role.sure,
                            role.why or (f"intestazione «{role.header}»" if role.header else "")))
    if t.kind == KIND_COST:
        if t.levels:
            out.append(Decision(f"livelli {_anchor(t)}", "; ".join(t.levels), SURE_HIGH,
                                "livelli dei titoli, dal più esterno"))
        extra = [d for d in t.decisions if d.key.startswith("totali ")]
        out.extend(extra or [Decision(f"totali {_anchor(t)}", t.totals, SURE_HIGH,
                                      "nessun totale da verificare")])
    out.extend(d for d in t.decisions if not d.key.startswith(("totali ", "tabella ")))
    return out


def _anchor(t: TableLayout) -> str:
    return t.anchor


def layout_rows(layout: WorkbookLayout) -> list[Decision]:
    """The whole layout as ``_pdz`` rows, workbook keys first."""
    out = list(layout.decisions)
    for sheet in layout.sheets:
        for t in sheet.tables:
            out.extend(table_decisions(t))
    return out


def ref_sheet(name: str) -> str:
    """A sheet name as a ``_pdz`` reference writes it (quoted when it holds ``!`` or
    ``'``)."""
    return "'" + name.replace("'", "''") + "'" if "!" in name or "'" in name else name


_HEAD = CellStyle(bold=True, fill="D9E1F2")
_SURE_FILL = {SURE_STATED: "DDEBF7", "alta": "E2EFDA", "media": "FFF2CC", "bassa": "F8CBAD"}


def mapping_sheet(layout: WorkbookLayout) -> OwnedSheet:
    """The ``_pdz`` sheet describing the whole layout, one decision per row: correcting a
    value (column B) and reading again applies it; the other columns say how sure the
    reading was and what else it considered."""
    cells = [
        CellWrite(cell="A1", value="Mappa della cartella per pdz-xl",
                  style=CellStyle(bold=True, font_size=13)),
        CellWrite(cell="A2", value="Ogni riga è una decisione della lettura: correggere il "
                  "valore nella colonna B e rileggere. «indicata» = scritta da voi; alta / "
                  "media / bassa = quanto la lettura è sicura."),
    ]
    for i, text in enumerate(CONFIG_HEADER):
        cells.append(CellWrite(cell=f"{'ABCDE'[i]}4", value=text, style=_HEAD))
    row = 5
    for d in layout_rows(layout):
        cells += [
            CellWrite(cell=f"A{row}", value=d.key),
            CellWrite(cell=f"B{row}", value=d.value),
            CellWrite(cell=f"C{row}", value=d.sure,
                      style=CellStyle(fill=_SURE_FILL.get(d.sure, "FFFFFF"))),
            CellWrite(cell=f"D{row}", value="; ".join(d.alternatives)),
            CellWrite(cell=f"E{row}", value=d.why),
        ]
        row += 1
    return OwnedSheet(name=CONFIG_SHEET, cells=cells, freeze="A5",
                      column_widths={"A": 42, "B": 28, "C": 11, "D": 48, "E": 60})


__all__ = ["CONFIG_SHEET", "column_role_text", "layout_rows", "mapping_sheet",
           "parse_column_role"]

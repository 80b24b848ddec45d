"""The "Proiezioni PDZ" table: how years two and three follow from year one.

One row per cost group (area or obiettivo) and per revenue channel:
Tipo (costo | ricavo) | Voce | Regola | Crescita % | Anno 1 | Anno 2 | Anno 3.
Rules: ``uguale`` (as year 1), ``crescita`` (year 1 grown by the rate, compounded),
``importi`` (the typed amounts), ``bilancia`` (revenue only: absorbs the difference so each
year balances). A typed «Anno 1» replaces the amount computed from the detail (the
document's own figure, e.g. a management estimate); it is used as written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel

from ..changeset import CellStyle, CellWrite, OwnedSheet
from ..channels.catalog import normalise_label
from ..grid import SheetGrid
from ..money import EUR_FORMAT, AmountError, Cents, parse_amount, to_decimal

PROJECTIONS_SHEET = "Proiezioni PDZ"
HEADERS = ["Tipo", "Voce", "Regola", "Crescita %", "Anno 1", "Anno 2", "Anno 3"]
Rule = Literal["uguale", "crescita", "importi", "bilancia"]
_RULES = {"uguale": "uguale", "come anno 1": "uguale", "crescita": "crescita",
          "importi": "importi", "importo": "importi", "bilancia": "bilancia",
          "bilanciamento": "bilancia"}


class Projection(BaseModel):
    """One row of the projections table."""

    kind: Literal["costo", "ricavo"]
    key: str  # group key ("area:..." / "obiettivo:n") or channel code
    label: str
    rule: Rule = "uguale"
    growth: Decimal | None = None  # percent per year
    year1: Cents | None = None
    year2: Cents | None = None
    year3: Cents | None = None
    row: int | None = None  # row in the projections sheet, for formulas


def _cents(value: object) -> Cents | None:
    try:
        return parse_amount(value)
    except AmountError:
        return None


def parse_projections(sheet: SheetGrid | None, resolve_key) -> list[Projection]:
    """Rows of the projections sheet; ``resolve_key(kind, label) -> key | None``."""
    if sheet is None:
        return []
    out: list[Projection] = []
    header: dict[int, str] = {}
    names = {normalise_label(h): h for h in HEADERS}
    for row, cells in sheet.iter_rows():
        texts = {c: normalise_label(str(cell.value or "")) for c, cell in cells.items()}
        if not header:
            if "tipo" in texts.values() and "voce" in texts.values():
                header = {c: names[t] for c, t in texts.items() if t in names}
            continue
        rec = {h: cells[c].value for c, h in header.items() if c in cells}
        kind = normalise_label(str(rec.get("Tipo") or ""))
        label = str(rec.get("Voce") or "").strip()
        if kind not in ("costo", "ricavo") or not label:
            continue
        key = resolve_key(kind, label)
        if key is None:
            continue
        rule = _RULES.get(normalise_label(str(rec.get("Regola") or "uguale")), "uguale")
        try:
            growth = Decimal(str(rec.get("Crescita %")).replace(",", ".").replace("%", "")) \
                if rec.get("Crescita %") not in (None, "") else None
        except InvalidOperation:
            growth = None
        out.append(Projection(kind=kind, key=key, label=label, rule=rule, growth=growth,
                              year1=_cents(rec.get("Anno 1")), year2=_cents(rec.get("Anno 2")),
                              year3=_cents(rec.get("Anno 3")), row=row))
    return out


def projections_sheet(rows: list[Projection]) -> OwnedSheet:
    """The projections table written when the workbook has none (defaults, editable)."""
    head = CellStyle(bold=True, fill="D9E1F2")
    money = CellStyle(number_format=EUR_FORMAT)
    cells = [CellWrite(cell="A1", value="Proiezioni per gli anni 2 e 3 del piano: regola "
                                        "uguale, crescita (% annua), importi (scritti qui), "
                                        "bilancia (un solo canale di ricavo, pareggia "
                                        "ogni anno). «Anno 1» scritto sostituisce il dettaglio.",
                       style=CellStyle(italic=True))]
    cells += [CellWrite(cell=f"{chr(65 + i)}3", value=h, style=head)
              for i, h in enumerate(HEADERS)]
    for r, p in enumerate(rows, start=4):
        p.row = r
        values = [p.kind, p.label, p.rule, p.growth]
        cells += [CellWrite(cell=f"{chr(65 + i)}{r}", value=v) for i, v in enumerate(values)
                  if v is not None]
        for col, v in (("E", p.year1), ("F", p.year2), ("G", p.year3)):
            if v is not None:
                cells.append(CellWrite(cell=f"{col}{r}", value=to_decimal(v), style=money))
    return OwnedSheet(name=PROJECTIONS_SHEET, cells=cells, freeze="A4",
                      column_widths={"A": 9, "B": 46, "C": 12, "D": 11, "E": 18, "F": 18,
                                     "G": 18})

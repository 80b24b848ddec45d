"""The "Proiezioni PDZ" table: how years two and three follow from year one.

One row per cost group (area or obiettivo) and per revenue channel, under the header
``Tipo | Voce | Regola | Crescita % | Anno 1 | Anno 2 | Anno 3 | Chiave``:

- Tipo: ``costo`` or ``ricavo``.
- Voce: the group or channel as the workbook names it (``12: VIOLENZA DI GENERE``,
  ``OBIETTIVO 12``, ``AREA PROGETTAZIONE``, ``ALTRI FONDI``, ``FNPS`` ...).
- Regola: ``come anno 1`` (also ``uguale``), ``crescita`` (year 1 grown by the rate each
  year, rounded to the cent), ``importi`` (the amounts typed in Anno 2 / Anno 3; a blank
  one stays as year 1), ``bilanciamento`` (revenue only, one channel: it absorbs the
  difference so that years 2 and 3 balance).
- Crescita %: the yearly rate in percent (``2,5`` = 2.5 %; a cell formatted as a
  percentage is read as such).
- Anno 1: blank, or a typed figure that replaces the one read from the detail.
- Chiave: written by pdz-xl (``obiettivo:12``, ``area:...``, channel code); matched first,
  so relabelling a Voce keeps the row.

Header and columns are found by name, anywhere in the sheet; rows that name no group or
channel of the plan are reported, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, Field

from ..cells import col_letters
from ..changeset import CellStyle, CellWrite, OwnedSheet
from ..channels.catalog import normalise_label
from ..grid import Cell, SheetGrid
from ..money import EUR_FORMAT, AmountError, Cents, parse_amount, to_decimal

PROJECTIONS_SHEET = "Proiezioni PDZ"
HEADERS = ["Tipo", "Voce", "Regola", "Crescita %", "Anno 1", "Anno 2", "Anno 3", "Chiave"]
Rule = Literal["uguale", "crescita", "importi", "bilancia"]
RULE_TEXT: dict[str, str] = {"uguale": "come anno 1", "crescita": "crescita",
                             "importi": "importi", "bilancia": "bilanciamento"}
_RULES: dict[str, Rule] = {normalise_label(k): v for k, v in {
    "uguale": "uguale", "come anno 1": "uguale", "costante": "uguale", "invariato": "uguale",
    "crescita": "crescita", "crescita %": "crescita", "tasso": "crescita",
    "importi": "importi", "importo": "importi", "importi digitati": "importi",
    "bilancia": "bilancia", "bilanciamento": "bilancia",
    "canale di bilanciamento": "bilancia",
}.items()}
_FIELDS = {"crescita": "growth", "anno 1": "year1", "anno 2": "year2", "anno 3": "year3"}
_CENT = Decimal("0.01")

Resolver = Callable[[str, str, str], str | None]
"""``resolve(kind, label, key) -> group key or channel code`` (None: not in the plan)."""


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
    cells: dict[str, str] = Field(default_factory=dict)
    """Numeric cells of the row a formula may point at: growth/year1/year2/year3 -> A1."""
    growth_is_fraction: bool = False  # the rate cell is formatted as a percentage

    def cell(self, name: str) -> str | None:
        """The A1 cell holding ``name`` (growth, year1, year2, year3) as a number, if any."""
        return self.cells.get(name)


def _number(cell: Cell | None) -> Decimal | None:
    """A numeric cell as Decimal (None for blanks and text)."""
    if cell is None or isinstance(cell.value, bool):
        return None
    if isinstance(cell.value, (int, float)):
        return Decimal(repr(cell.value)) if isinstance(cell.value, float) else Decimal(cell.value)
    return None


def _amount(cell: Cell | None) -> Cents | None:
    """A typed amount in cents, rounded as the sheet's ``ROUND(x, 2)`` rounds."""
    number = _number(cell)
    if number is not None:
        return int(number.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)
    if cell is None or cell.value in (None, ""):
        return None
    try:
        return parse_amount(cell.value)
    except AmountError:
        return None


def _rate(cell: Cell | None) -> tuple[Decimal | None, bool]:
    """(percent, formatted as a percentage) from the Crescita % cell."""
    number = _number(cell)
    if number is not None:
        fraction = "%" in (cell.number_format or "") if cell else False
        return (number * 100 if fraction else number), fraction
    if cell is None or cell.value in (None, ""):
        return None, False
    text = str(cell.value).replace("%", "").replace(",", ".").strip()
    try:
        return Decimal(text), False
    except InvalidOperation:
        return None, False


def _header(cells: dict[int, Cell]) -> dict[int, str]:
    names = {normalise_label(h): h for h in HEADERS}
    found = {c: names[normalise_label(str(cell.value))] for c, cell in cells.items()
             if isinstance(cell.value, str) and normalise_label(cell.value) in names}
    return found if {"Tipo", "Voce"} <= set(found.values()) else {}


def parse_projections(sheet: SheetGrid | None, resolve: Resolver
                      ) -> tuple[list[Projection], list[str]]:
    """The rows of the projections sheet, and Italian notes on rows that were not used."""
    if sheet is None:
        return [], []
    out: list[Projection] = []
    problems: list[str] = []
    header: dict[int, str] = {}
    for row, cells in sheet.iter_rows():
        if not header:
            header = _header(cells)
            continue
        rec = {h: cells.get(c) for c, h in header.items()}
        kind = normalise_label(str(_value(rec.get("Tipo")) or ""))
        label = str(_value(rec.get("Voce")) or "").strip()
        if kind not in ("costo", "ricavo") or not label:
            continue
        key = resolve(kind, label, str(_value(rec.get("Chiave")) or ""))
        if key is None:
            problems.append(f"{PROJECTIONS_SHEET} riga {row}: «{label}» non è "
                            f"{'un gruppo di costo' if kind == 'costo' else 'un canale'} "
                            f"del piano; riga ignorata")
            continue
        rule = _RULES.get(normalise_label(str(_value(rec.get("Regola")) or "come anno 1")))
        if rule is None:
            problems.append(f"{PROJECTIONS_SHEET} riga {row}: regola «{_value(rec.get('Regola'))}"
                            f"» sconosciuta; uso «come anno 1»")
            rule = "uguale"
        growth, fraction = _rate(rec.get("Crescita %"))
        numeric = {}
        for col, name in header.items():
            field = _FIELDS.get(normalise_label(name))
            if field and _number(cells.get(col)) is not None:
                numeric[field] = f"{col_letters(col)}{row}"
        out.append(Projection(
            kind=kind, key=key, label=label, rule=rule, growth=growth,  # type: ignore[arg-type]
            year1=_amount(rec.get("Anno 1")), year2=_amount(rec.get("Anno 2")),
            year3=_amount(rec.get("Anno 3")), row=row, cells=numeric,
            growth_is_fraction=fraction))
    return out, problems


def _value(cell: Cell | None) -> object:
    return cell.value if cell is not None else None


def projections_sheet(rows: list[Projection], years: list[int] | None = None) -> OwnedSheet:
    """The projections table written when the workbook has none (defaults, editable).

    Sets ``row`` on each projection (the formulas of the triennial sheet point there).
    """
    head = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
    money = CellStyle(number_format=EUR_FORMAT)
    span = f" {years[0]}-{years[2]}" if years else ""
    cells = [
        CellWrite(cell="A1", value=f"PROIEZIONI DEL PIANO TRIENNALE{span}",
                  style=CellStyle(bold=True, font_size=13)),
        CellWrite(cell="A2", value="Regola: «come anno 1», «crescita» (tasso annuo in "
                                   "Crescita %, es. 2,5), «importi» (scritti in Anno 2 e "
                                   "Anno 3), «bilanciamento» (un solo canale di ricavo: "
                                   "pareggia gli anni 2 e 3). Un «Anno 1» scritto sostituisce "
                                   "il valore letto dal dettaglio.",
                  style=CellStyle(italic=True))]
    cells += [CellWrite(cell=f"{col_letters(i + 1)}3", value=h, style=head)
              for i, h in enumerate(HEADERS)]
    for r, p in enumerate(rows, start=4):
        p.row = r
        p.cells = {}
        cells += [CellWrite(cell=f"A{r}", value=p.kind), CellWrite(cell=f"B{r}", value=p.label),
                  CellWrite(cell=f"C{r}", value=RULE_TEXT[p.rule]),
                  CellWrite(cell=f"H{r}", value=p.key, style=CellStyle(font_color="808080"))]
        if p.growth is not None:
            cells.append(CellWrite(cell=f"D{r}", value=p.growth))
            p.cells["growth"] = f"D{r}"
        for col, name in (("E", "year1"), ("F", "year2"), ("G", "year3")):
            v = getattr(p, name)
            if v is not None:
                cells.append(CellWrite(cell=f"{col}{r}", value=to_decimal(v), style=money))
                p.cells[name] = f"{col}{r}"
    return OwnedSheet(name=PROJECTIONS_SHEET, cells=cells, freeze="C4",
                      column_widths={"A": 9, "B": 46, "C": 16, "D": 12, "E": 18, "F": 18,
                                     "G": 18, "H": 28})

"""The "Proiezioni PDZ" table: how years two and three follow from year one.

One row per cost group (area or obiettivo) and per revenue channel, under the header
``Tipo | Voce | Regola | Crescita % | Anno 2021 | Anno 2022 | Anno 2023 | Fonte | Chiave``
(the plan's years; ``Anno 1``, ``Anno 2``, ``Anno 3`` are read too):

- Tipo: ``costo`` or ``ricavo``.
- Voce: the group or channel as the workbook names it (``12: VIOLENZA DI GENERE``,
  ``OBIETTIVO 12``, ``AREA PROGETTAZIONE``, ``ALTRI FONDI``, ``FNPS`` ...).
- Regola (a drop-down list): ``come anno 1`` (also ``uguale``), ``solo anno 1`` (zero in
  years 2 and 3: the surplus of the year before), ``crescita`` (year 1 grown by the rate
  each year, rounded to the cent), ``importi`` (the amounts in the year-2 / year-3 columns;
  a blank one stays as year 1), ``bilanciamento`` (revenue only, one channel: it absorbs
  the difference so that years 2 and 3 balance).
- Crescita %: the yearly rate in percent (``2,5`` = 2.5 %; a cell formatted as a
  percentage is read as such).
- the year-1 column: blank, or a typed figure that replaces the one read from the detail.
- Fonte: where the figures of the row come from (written by pdz-xl; free text).
- Chiave (hidden): written by pdz-xl (``obiettivo:12``, ``area:...``, channel code);
  matched first, so relabelling a Voce keeps the row.

Header and columns are found by name, anywhere in the sheet; rows that name no group or
channel of the plan are reported, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, Field

from ..cells import col_letters
from ..changeset import CellStyle, CellWrite, ListValidation, OwnedSheet, PageSetup
from ..channels.catalog import normalise_label
from ..grid import Cell, SheetGrid
from ..money import EUR_FORMAT, AmountError, Cents, parse_amount, to_decimal
from .formulas import fits, parts, sum_of

PROJECTIONS_SHEET = "Proiezioni PDZ"
Rule = Literal["uguale", "solo_anno1", "crescita", "importi", "bilancia"]
RULE_TEXT: dict[str, str] = {"uguale": "come anno 1", "solo_anno1": "solo anno 1",
                             "crescita": "crescita", "importi": "importi",
                             "bilancia": "bilanciamento"}
_RULES: dict[str, Rule] = {normalise_label(k): v for k, v in {
    "uguale": "uguale", "come anno 1": "uguale", "costante": "uguale", "invariato": "uguale",
    "solo anno 1": "solo_anno1", "solo primo anno": "solo_anno1", "una tantum": "solo_anno1",
    "crescita": "crescita", "crescita %": "crescita", "tasso": "crescita",
    "importi": "importi", "importo": "importi", "importi digitati": "importi",
    "bilancia": "bilancia", "bilanciamento": "bilancia",
    "canale di bilanciamento": "bilancia",
}.items()}
_NAMED = {"tipo": "kind", "voce": "label", "regola": "rule", "crescita": "growth",
          "fonte": "origin", "chiave": "key", "anno 1": "year1", "anno 2": "year2",
          "anno 3": "year3"}
_YEAR_HEADER = re.compile(r"^(?:anno\s+)?((?:19|20)\d{2})$")
_FIELDS = ("year1", "year2", "year3")
_CENT = Decimal("0.01")
_RULE_ROWS = 500  # the Regola drop-down covers rows added under the table too

Resolver = Callable[[str, str, str], str | None]
"""``resolve(kind, label, key) -> group key or channel code`` (None: not in the plan)."""
Ref = tuple[str, int, Cents]


def headers(years: list[int] | None) -> list[str]:
    """The header row for the plan's three years (``Anno 1..3`` when unknown)."""
    names = [f"Anno {y}" for y in years] if years else ["Anno 1", "Anno 2", "Anno 3"]
    return ["Tipo", "Voce", "Regola", "Crescita %", *names, "Fonte", "Chiave"]


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
    origin: str | None = None  # «Fonte»: where the row's figures come from (Italian)
    refs: dict[str, list[Ref]] = Field(default_factory=dict)
    """year2/year3 -> the workbook cells a seeded amount adds up (its formula)."""

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


def _header(cells: dict[int, Cell], years: list[int] | None,
            problems: list[str], row: int) -> dict[int, str]:
    """Column -> field of a header row (empty when the row is not the header)."""
    found: dict[int, str] = {}
    odd: list[str] = []
    for c, cell in cells.items():
        if cell.value is None or isinstance(cell.value, bool):
            continue
        text = normalise_label(str(int(cell.value)) if isinstance(cell.value, float)
                               and cell.value.is_integer() else str(cell.value))
        if text in _NAMED:
            found[c] = _NAMED[text]
            continue
        m = _YEAR_HEADER.match(text)
        if m and years:
            year = int(m.group(1))
            if year in years:
                found[c] = _FIELDS[years.index(year)]
            else:
                odd.append(str(year))
    if not {"kind", "label"} <= set(found.values()):
        return {}
    if odd:
        span = f"{years[0]}-{years[2]}" if years else ""
        problems.append(f"«{PROJECTIONS_SHEET}» riga {row}: le colonne {', '.join(odd)} non "
                        f"sono anni del piano {span}; ignorate")
    return found


def parse_projections(sheet: SheetGrid | None, resolve: Resolver,
                      years: list[int] | None = None) -> tuple[list[Projection], list[str]]:
    """The rows of the projections sheet, and Italian notes on rows that were not used.
    ``years``: the plan's three years (for headers such as «Anno 2021»)."""
    if sheet is None:
        return [], []
    out: list[Projection] = []
    problems: list[str] = []
    header: dict[int, str] = {}
    for row, cells in sheet.iter_rows():
        if not header:
            header = _header(cells, years, problems, row)
            continue
        rec = {name: cells.get(c) for c, name in header.items()}
        kind = normalise_label(str(_value(rec.get("kind")) or ""))
        label = str(_value(rec.get("label")) or "").strip()
        if kind not in ("costo", "ricavo") or not label:
            continue
        key = resolve(kind, label, str(_value(rec.get("key")) or ""))
        if key is None:
            problems.append(f"«{PROJECTIONS_SHEET}» riga {row}: «{label}» non è "
                            f"{'un gruppo di costo' if kind == 'costo' else 'un canale'} "
                            f"del piano; riga ignorata")
            continue
        written = _value(rec.get("rule"))
        rule = _RULES.get(normalise_label(str(written or "come anno 1")))
        if rule is None:
            problems.append(f"«{PROJECTIONS_SHEET}» riga {row}: regola «{written}» "
                            f"sconosciuta; uso «come anno 1»")
            rule = "uguale"
        growth, fraction = _rate(rec.get("growth"))
        numeric = {name: f"{col_letters(col)}{row}" for col, name in header.items()
                   if name in ("growth", *_FIELDS) and _number(cells.get(col)) is not None}
        origin = _value(rec.get("origin"))
        out.append(Projection(
            kind=kind, key=key, label=label, rule=rule, growth=growth,  # type: ignore[arg-type]
            year1=_amount(rec.get("year1")), year2=_amount(rec.get("year2")),
            year3=_amount(rec.get("year3")), row=row, cells=numeric,
            growth_is_fraction=fraction,
            origin=str(origin).strip() if origin not in (None, "") else None))
    return out, problems


def _value(cell: Cell | None) -> object:
    return cell.value if cell is not None else None


def _help(years: list[int] | None) -> str:
    y = [str(v) for v in years] if years else ["1", "2", "3"]
    return (f"Regole: come anno 1 · solo anno 1 (zero nel {y[1]} e nel {y[2]}) · crescita "
            f"(tasso annuo in Crescita %) · importi (nelle colonne {y[1]} e {y[2]}) · "
            f"bilanciamento (un canale di ricavo pareggia il {y[1]} e il {y[2]}). Un importo "
            f"scritto nella colonna {y[0]} sostituisce il dettaglio. Fonte: da dove vengono "
            "gli importi (formule verso le tabelle della cartella).")


def projections_sheet(rows: list[Projection], years: list[int] | None = None,
                      ente: str | None = None) -> OwnedSheet:
    """The projections table written when the workbook has none (defaults and the
    workbook's own later-year figures, editable).

    Sets ``row`` and ``cells`` on each projection (the triennial sheet's formulas point
    there).
    """
    head = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
    money = CellStyle(number_format=EUR_FORMAT)
    note = CellStyle(italic=True, font_color="595959")
    span = f" {years[0]}-{years[2]}" if years else ""
    names = headers(years)
    cells = [
        CellWrite(cell="A1", value=f"PROIEZIONI DEL PIANO TRIENNALE{span}",
                  style=CellStyle(bold=True, font_size=13)),
        CellWrite(cell="A2", value=_help(years), style=note)]
    cells += [CellWrite(cell=f"{col_letters(i + 1)}3", value=h, style=head)
              for i, h in enumerate(names)]
    for r, p in enumerate(rows, start=4):
        p.row = r
        p.cells = {}
        cells += [CellWrite(cell=f"A{r}", value=p.kind), CellWrite(cell=f"B{r}", value=p.label),
                  CellWrite(cell=f"C{r}", value=RULE_TEXT[p.rule]),
                  CellWrite(cell=f"I{r}", value=p.key, style=CellStyle(font_color="808080"))]
        if p.origin:
            cells.append(CellWrite(cell=f"H{r}", value=p.origin, style=note))
        if p.growth is not None:
            cells.append(CellWrite(cell=f"D{r}", value=p.growth))
            p.cells["growth"] = f"D{r}"
        for col, name in zip("EFG", _FIELDS, strict=True):
            v = getattr(p, name)
            if v is None:
                continue
            formula = _link(p.refs.get(name))
            cells.append(CellWrite(cell=f"{col}{r}", value=to_decimal(v), formula=formula,
                                   style=money))
            p.cells[name] = f"{col}{r}"
    last = max(4, 3 + len(rows))
    page = PageSetup(orientation="landscape", fit_width=1, fit_height=0, print_titles="3:3",
                     header=f"&L{_escape(ente)}&RProiezioni{span}" if ente else None,
                     footer="&CPagina &P di &N")
    return OwnedSheet(
        name=PROJECTIONS_SHEET, cells=cells, freeze="C4", hidden_columns=["I"], page=page,
        validations=[ListValidation(
            cells=f"C4:C{max(last, _RULE_ROWS)}", options=list(RULE_TEXT.values()),
            prompt="Come si ottengono gli anni 2 e 3 della riga.",
            error="Regola non prevista: scegliere dall'elenco.")],
        column_widths={"A": 9, "B": 46, "C": 16, "D": 12, "E": 18, "F": 18, "G": 18,
                       "H": 40, "I": 28})


def _link(refs: list[Ref] | None) -> str | None:
    """The formula of a seeded amount (None when it has no cells or is too long)."""
    if not refs:
        return None
    items = parts(refs)
    return sum_of(items) if fits(items) else None


def _escape(text: str | None) -> str:
    """Text for an Excel header/footer section («&» doubled)."""
    return (text or "").replace("&", "&&")

"""Read amount cells into cents, turning what is not an amount into reader notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from ..cells import sheet_ref
from ..formula_locale import display_formula
from ..grid import ErrorValue, SheetGrid, TemporalNumber
from ..money import AmountError, Cents, format_eur, parse_amount
from ..plan import ReadNote


@dataclass
class AmountReader:
    """Parses amount cells; collects notes (PDZ001 text, PDZ002 error, PDZ006 sub-cent)."""

    notes: list[ReadNote] = field(default_factory=list)

    def note(self, code: str, severity: str, cell: str | None, message: str,
             value: str | None = None) -> None:
        self.notes.append(ReadNote(code=code, severity=severity, cell=cell, message=message,
                                   value=value))

    def read(self, sheet: SheetGrid, row: int, col: int, *, text_ok: bool = False
             ) -> Cents | None:
        """The cents in a cell; None when blank or not an amount (then a note is kept)."""
        cell = sheet.get(row, col)
        if cell is None:
            return None
        v = cell.value
        unit = sheet.cents_per_unit  # 100: euro; 100_000: thousands of euro
        if type(v) is float:  # the hot path: a number holding whole cents
            scaled = v * unit
            if abs(scaled) < 1e13:  # (False for NaN and the infinities)
                nearest = round(scaled)
                if abs(scaled - nearest) < 1e-6:
                    return int(nearest)
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        ref = sheet_ref(sheet.name, row, col)
        if isinstance(v, ErrorValue):
            self.note("PDZ002", "errore", ref,
                      f"la cella contiene l'errore {display_formula(str(v))}"
                      + (f" (formula {display_formula(cell.formula)})" if cell.formula
                         else "")
                      + ": importo non leggibile, considerato vuoto.", str(v))
            return None
        if isinstance(v, bool):
            self.note("PDZ001", "errore", ref,
                      f"valore logico {'VERO' if v else 'FALSO'} in una cella importo.",
                      str(v))
            return None
        if isinstance(v, str):
            try:
                cents = parse_amount(v)
            except AmountError:
                if text_ok:
                    return None
                self.note("PDZ001", "errore", ref,
                          f"il testo «{v.strip()}» non è un importo: considerato vuoto.", v)
                return None
            if cents is not None and unit != 100:
                cents = cents * unit // 100
            if cents is not None and v.strip() not in ("-", "€ -", "€ -"):
                self.note("PDZ001", "avviso", ref,
                          f"importo scritto come testo «{v.strip()}»: letto come "
                          f"{format_eur(cents)}; meglio un numero.", v)
            return cents
        if isinstance(v, TemporalNumber):
            self.note("PDZ001", "errore", ref,
                      f"la cella ha un formato data, ora o durata («{cell.number_format}»), "
                      "non di importo: considerata vuota (dare alla cella un formato "
                      "numerico o di valuta).", repr(float(v)))
            return None
        if unit != 100 and isinstance(v, (int, float)):
            return self._in_unit(v, unit, ref)
        try:
            cents = parse_amount(v)
        except AmountError as exc:
            self.note("PDZ001", "errore", ref,
                      f"il valore {exc}: considerato vuoto.", str(v)[:40])
            return None
        if isinstance(v, float) and _real_fraction_of_cent(v):
            self.note("PDZ006", "avviso", ref,
                      f"l'importo {v!r} ha frazioni di centesimo: arrotondato a "
                      f"{format_eur(cents or 0)}.", repr(v))
        return cents


    def _in_unit(self, v: int | float, unit: int, ref: str) -> Cents | None:
        """A number written in thousands (or millions) of euro, in cents."""
        if isinstance(v, float) and not math.isfinite(v):
            return self.read_number_error(v, ref)
        exact = Decimal(repr(v)) * unit
        cents = int(exact.to_integral_value(ROUND_HALF_EVEN))
        if exact != cents:
            self.note("PDZ006", "avviso", ref,
                      f"l'importo {v!r} ha frazioni di centesimo: arrotondato a "
                      f"{format_eur(cents)}.", repr(v))
        return cents

    def read_number_error(self, v: float, ref: str) -> None:
        self.note("PDZ001", "errore", ref, f"il valore {v!r} non è un importo: considerato "
                  "vuoto.", repr(v))
        return None


def _real_fraction_of_cent(v: float) -> bool:
    """True for 10.005 (a typed fraction of a cent); False for binary noise such as
    1093183.9600000002 that a cached SUM result carries."""
    scaled = v * 100
    return abs(scaled - round(scaled)) > 1e-3

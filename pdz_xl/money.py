"""Exact money: amounts are integer euro-cents; parsing and Italian formatting.

Real sheets hold amounts as numbers, as text like ``€ 1.234,56`` or ``€ -`` (zero),
as ``(1.234,56)`` for negatives, or as blanks. Everything is converted to ``int`` cents
through ``Decimal`` so no binary float ever enters a sum.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

Cents = int

_CENT = Decimal("0.01")
_DASHES = {"-", "–", "—", "−"}
_MINUS_SIGNS = "-–—−"


class AmountError(ValueError):
    """Text that is not an amount; the message is Italian and names the text."""

    def __init__(self, text: str, reason: str = "non è un importo") -> None:
        self.text = text
        super().__init__(f"«{text}» {reason}")


MAX_AMOUNT = 10**13
"""Ten thousand billion euro: a cell holding more is no amount (and past it Decimal's
cents would lose digits)."""
OUT_OF_SCALE = "è fuori scala per un importo (oltre diecimila miliardi)"


def cents_from_decimal(value: Decimal) -> Cents:
    """Convert a Decimal to cents, rounding half-even to the cent."""
    return int((value.quantize(_CENT, rounding=ROUND_HALF_EVEN) * 100).to_integral_value())


def cents_from_number(value: float | int | Decimal) -> Cents:
    """Convert a cell number to cents.

    Floats come from the spreadsheet file as their shortest decimal representation
    (``repr``), which is what Excel stored and displays; that text is converted exactly.
    """
    if isinstance(value, bool):
        raise AmountError(str(value), "è un valore logico, non un importo")
    if isinstance(value, int):
        if abs(value) >= MAX_AMOUNT:
            raise AmountError(str(value), OUT_OF_SCALE)
        return value * 100
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(str(value), "non è un numero finito, non un importo")
        if abs(value) >= MAX_AMOUNT:
            raise AmountError(repr(value), OUT_OF_SCALE)
        scaled = value * 100
        nearest = round(scaled)
        if abs(scaled - nearest) < 1e-6 and abs(scaled) < 1e13:
            return int(nearest)  # a whole number of cents (the common case)
        return cents_from_decimal(Decimal(repr(value)))
    return cents_from_decimal(value)


def is_sub_cent(value: float | int | Decimal) -> bool:
    """True when a number carries more precision than a cent (e.g. 10.005)."""
    if isinstance(value, bool):
        return False
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return d != d.quantize(_CENT)


_NUMBER_RE = re.compile(r"^[0-9.,' ]*[0-9][0-9.,' ]*$")


def _normalise_number_text(body: str) -> Decimal:
    """Turn ``1.234,56`` / ``1234,56`` / ``1,234.56`` / ``1234.56`` into a Decimal."""
    body = body.replace(" ", "").replace("\u00a0", "").replace("'", "")
    if not _NUMBER_RE.match(body):
        raise InvalidOperation(body)
    has_comma, has_dot = "," in body, "." in body
    if has_comma and has_dot:
        # the later separator is the decimal one
        if body.rfind(",") > body.rfind("."):
            body = body.replace(".", "").replace(",", ".")
        else:
            body = body.replace(",", "")
    elif has_comma:
        parts = body.split(",")
        if len(parts) == 2 and len(parts[1]) != 3:
            body = body.replace(",", ".")
        elif len(parts) == 2 and len(parts[0]) <= 3 and parts[0] != "0":
            # "1,234": ambiguous; Italian sheets use the comma as decimal mark
            body = body.replace(",", ".")
        else:
            body = body.replace(",", "")
    elif has_dot:
        parts = body.split(".")
        if len(parts) > 2 or (len(parts[1]) == 3 and parts[0] not in ("", "0")):
            # Italian thousands separators: 1.234 or 1.234.567
            body = body.replace(".", "")
    return Decimal(body)


def _strip_currency(s: str) -> tuple[str, bool]:
    """Remove a leading or trailing euro mark; report whether one was there."""
    for symbol in ("€", "EUR", "Euro", "euro", "Eur", "eur"):
        if s.startswith(symbol):
            return s[len(symbol) :].strip(), True
        if s.endswith(symbol):
            return s[: -len(symbol)].strip(), True
    return s, False


def parse_amount_text(text: str) -> Cents | None:
    """Parse an amount typed as text; ``None`` for blank; raises AmountError otherwise.

    Accepts ``€ 1.234,56``, ``1.234,56``, ``1234.56``, ``€ -`` (zero), ``-€ 5,00``,
    ``€ -5,00``, ``(1.234,56)`` (negative) and ``1.234,56 €``.
    """
    s = text.strip().replace("\u00a0", " ")
    if not s:
        return None
    if s in _DASHES:
        return 0
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in _MINUS_SIGNS and len(s) > 1:
        negative, s = not negative, s[1:].strip()
    s, had_currency = _strip_currency(s)
    if s in _DASHES and had_currency:
        return 0
    if s[:1] in _MINUS_SIGNS and len(s) > 1:
        negative, s = not negative, s[1:].strip()
    if not s:
        raise AmountError(text)
    try:
        value = cents_from_decimal(_normalise_number_text(s))
    except (InvalidOperation, IndexError):
        raise AmountError(text) from None
    return -value if negative else value


def parse_amount(value: object) -> Cents | None:
    """Parse whatever a cell holds into cents (``None`` for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_amount_text(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return cents_from_number(value)
    raise AmountError(str(value))


def to_decimal(cents: Cents) -> Decimal:
    """Cents as a Decimal quantized to the cent."""
    return (Decimal(cents) / 100).quantize(_CENT)


def to_decimal_str(cents: Cents) -> str:
    """Cents as a plain decimal string for machines: ``1234.56``."""
    return str(to_decimal(cents))


def from_decimal_str(text: str) -> Cents:
    """Inverse of :func:`to_decimal_str` (also accepts integers)."""
    return cents_from_decimal(Decimal(text))


def format_eur(cents: Cents, symbol: bool = True) -> str:
    """Italian format for people: ``€ 1.234,56``, ``-€ 5,00``, ``€ 0,00``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", ".")
    body = f"{grouped},{frac:02d}"
    return f"{sign}€ {body}" if symbol else f"{sign}{body}"


EUR_FORMAT = '_-[$€-410] * #,##0.00_-;-[$€-410] * #,##0.00_-;_-[$€-410] * "-"??_-;_-@_-'
"""Excel number format for euro amounts as Italian offices use it (zero shows ``€ -``)."""

EUR_PLAIN_FORMAT = "[$€-410] #,##0.00;-[$€-410] #,##0.00"
"""Excel number format for euro amounts that always shows the digits."""

"""Values a user types on the command line, read the Italian way, refused in Italian.

- amounts in euro with Italian decimals, as the «tolleranza» key of the «_pdz» sheet:
  ``0,05``, ``€ 0,05``, ``0.05``; or in cents with the unit: ``5 cent``, ``5 centesimi``;
- dates as ``AAAA-MM-GG`` or ``GG/MM/AAAA``, real calendar dates only.
"""

from __future__ import annotations

import re
from datetime import date

from .italiano import ItalianValueError

_CENTS = re.compile(r"^\s*(\d+)\s*(?:cent|centesimi|centesimo|ct)\.?\s*$", re.IGNORECASE)


def parse_euro_tolerance(text: str | None) -> int | None:
    """A tolerance typed in euro (or «N cent») -> cents; ``None`` when not given."""
    from ..money import AmountError, parse_amount_text

    if text is None:
        return None
    m = _CENTS.match(text)
    if m:
        return int(m.group(1))
    try:
        cents = parse_amount_text(text)
    except AmountError:
        cents = None
    if cents is None or cents < 0:
        raise ItalianValueError(f"«{text}» non è un importo in euro (esempi: 0,05 oppure "
                                "€ 0,05 oppure 5 cent).")
    return cents


def parse_date(text: str | None) -> str | None:
    """A date typed as AAAA-MM-GG or GG/MM/AAAA -> ``AAAA-MM-GG``; ``None`` when not given."""
    if text is None:
        return None
    s = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or None
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
        parts = (m.group(3), m.group(2), m.group(1)) if m else None
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        raise ItalianValueError(f"«{text}» non è una data: scriverla come AAAA-MM-GG "
                                "(per esempio 2025-03-31) oppure GG/MM/AAAA.") from None

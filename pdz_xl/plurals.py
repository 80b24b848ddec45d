"""Italian counts with grammatical number: «1 riga», «2 righe», «1 file pulito».

Every count a user reads goes through :func:`plural`, so no text says «1 righe» or
«1 non elaborati». Zero takes the plural, as in Italian («0 errori»); thousands get the
Italian separator («1.234 righe»).
"""

from __future__ import annotations


def number(n: int) -> str:
    """``1234`` -> ``1.234``."""
    return f"{n:,}".replace(",", ".")


def plural(n: int, one: str, many: str) -> str:
    """``n`` followed by ``one`` when ``n`` is 1, else by ``many``: ``plural(2, "riga
    allocata", "righe allocate")`` -> ``2 righe allocate``."""
    return f"{number(n)} {one if n == 1 else many}"


def word(n: int, one: str, many: str) -> str:
    """The word alone, agreeing with ``n`` (for a count written elsewhere in the text)."""
    return one if n == 1 else many

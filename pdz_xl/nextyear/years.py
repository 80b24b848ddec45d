"""Years written in texts, moved on by one («FNPS 2021» → «FNPS 2022»).

A year is a four-digit number between 1990 and 2099 standing alone. Two years joined by
«-» or «/» one year apart (a comparison, «Confronto 2020-2021») both move; years further
apart (a triennium, «2021-2023») stay, since the triennium still holds the new year.
"""

from __future__ import annotations

import re

_YEAR = r"(?:19[9]\d|20\d\d)"
_TOKEN = re.compile(rf"(?<![0-9]){_YEAR}(?:\s*[-/–]\s*{_YEAR})?(?![0-9])")
_PAIR = re.compile(rf"({_YEAR})(\s*[-/–]\s*)({_YEAR})")


def move_years(text: str, years: set[int], step: int = 1) -> str:
    """``text`` with every year of ``years`` moved by ``step``; pairs one year apart move
    when either of their years is in ``years``, wider ranges stay."""

    def moved(m: re.Match[str]) -> str:
        token = m.group(0)
        pair = _PAIR.fullmatch(token)
        if pair is None:
            year = int(token)
            return str(year + step) if year in years else token
        a, sep, b = int(pair.group(1)), pair.group(2), int(pair.group(3))
        if abs(a - b) == 1 and (a in years or b in years):
            return f"{a + step}{sep}{b + step}"
        return token

    return _TOKEN.sub(moved, text)


def has_year(text: str, year: int) -> bool:
    """True when ``year`` stands alone in ``text`` (not inside a longer number)."""
    return re.search(rf"(?<![0-9]){year}(?![0-9])", text) is not None

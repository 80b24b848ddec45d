"""Rule patterns against a line's path: ``*`` wildcards, case, accents and punctuation
ignored, an empty pattern matches everything.

A line offers, per field, every text it is known by: for the area/obiettivo field the
heading as written («OBIETTIVO 10: MISURE DISTRETTUALI E REGIONALI») and its label
(«MISURE DISTRETTUALI E REGIONALI»), likewise for servizio and azione; the voce as written.
A pattern matches a field when it matches any of its texts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..channels.catalog import normalise_label
from ..plan import Line

FIELDS = ("group", "servizio", "azione", "voce")
_LEVELS = {"group": ("area", "obiettivo"), "servizio": ("servizio",), "azione": ("azione",)}

Texts = tuple[str, ...]


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The regex of a pattern over normalised text; None when it matches everything."""
    text = pattern.strip()
    if not text or not text.replace("*", "").strip():
        return None
    parts = [normalise_label(p) for p in text.split("*")]
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def line_texts(line: Line) -> tuple[Texts, Texts, Texts, Texts]:
    """The normalised texts of a line per field (FIELDS order)."""
    out: dict[str, list[str]] = {"group": [], "servizio": [], "azione": []}
    for g in line.groups:
        for field, levels in _LEVELS.items():
            if g.level in levels:
                for t in (g.text, g.label):
                    if t:
                        n = normalise_label(t)
                        if n not in out[field]:
                            out[field].append(n)
    return (tuple(out["group"]), tuple(out["servizio"]), tuple(out["azione"]),
            (normalise_label(line.voce),))


def texts_match(pattern: re.Pattern[str] | None, texts: Texts) -> bool:
    """True when the pattern (None: everything) matches one of the texts."""
    return pattern is None or any(pattern.fullmatch(t) for t in texts)


def line_matches(group: str, servizio: str, azione: str, voce: str, line: Line) -> bool:
    """True when each pattern matches its field of the line."""
    texts = line_texts(line)
    return all(texts_match(compile_pattern(p), t)
               for p, t in zip((group, servizio, azione, voce), texts, strict=True))

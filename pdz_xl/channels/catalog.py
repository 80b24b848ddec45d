"""The channel catalog: canonical codes, aliases, kinds, restriction, parent channel.

The catalog is data (``pdz_xl/data/channels.json``), extendable from a workbook sheet
("Canali PDZ"). A header such as ``FSOL 2021`` resolves to the code ``FSOL`` and the
year 2021; a revenue item such as ``Proximity`` resolves to its own code and, through
``parent``, to the channel column it feeds when the workbook has no column of its own.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["national", "regional", "municipal", "ats", "surplus", "project", "provincial",
               "other"]

KIND_LABELS_IT: dict[str, str] = {
    "national": "nazionale", "regional": "regionale", "municipal": "comunale", "ats": "ATS",
    "surplus": "avanzo", "project": "progetto", "provincial": "provinciale", "other": "altro",
}

_YEAR_RE = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")


class ChannelInfo(BaseModel):
    """One catalog entry."""

    code: str
    name: str
    kind: Kind = "other"
    restricted: bool = False
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    user_defined: bool = False


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """Casefold, drop accents and punctuation, collapse spaces: for matching labels."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def split_year(text: str) -> tuple[str, int | None]:
    """``FSOL 2021`` -> (``FSOL``, 2021); the year is parsed, not part of the name."""
    years = _YEAR_RE.findall(str(text))
    stripped = _YEAR_RE.sub(" ", str(text))
    stripped = re.sub(r"\s+", " ", stripped).strip(" -–")
    return stripped, (int(years[-1]) if years else None)


class Catalog:
    """Resolves headers and revenue labels to canonical channel codes."""

    def __init__(self, entries: list[ChannelInfo]) -> None:
        self._entries: dict[str, ChannelInfo] = {}
        self._alias: dict[str, str] = {}
        self._keyword_order: list[tuple[str, re.Pattern[str]]] = []
        self._cache: dict[tuple[str, bool], tuple[str | None, int | None]] = {}
        for e in entries:
            self.add(e)

    def add(self, entry: ChannelInfo) -> None:
        """Add or replace an entry (user entries from the workbook override defaults)."""
        self._entries[entry.code] = entry
        self._cache = {}
        for alias in [entry.code, entry.code.replace("_", " "), entry.name, *entry.aliases]:
            key = normalise_label(split_year(alias)[0])
            if key:
                self._alias[key] = entry.code
        self._rebuild_keywords()

    def _depth(self, code: str) -> int:
        depth, seen = 0, set()
        while code in self._entries and self._entries[code].parent and code not in seen:
            seen.add(code)
            code = self._entries[code].parent or ""
            depth += 1
        return depth

    def _rebuild_keywords(self) -> None:
        order = sorted(self._entries.values(),
                       key=lambda e: (not e.user_defined, -self._depth(e.code)))
        self._keyword_order = [
            (e.code, re.compile(k)) for e in order for k in e.keywords
        ]

    def __contains__(self, code: str) -> bool:
        return code in self._entries

    def __iter__(self):
        return iter(self._entries.values())

    def get(self, code: str) -> ChannelInfo | None:
        """The entry of a code."""
        return self._entries.get(code)

    @property
    def codes(self) -> list[str]:
        return list(self._entries)

    def resolve(self, text: str, *, keywords: bool = True) -> tuple[str | None, int | None]:
        """A header or label -> (canonical code or None, year or None)."""
        key = (text, keywords)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(text, keywords)
        return hit

    def _resolve(self, text: str, keywords: bool) -> tuple[str | None, int | None]:
        name, year = split_year(text)
        key = normalise_label(name)
        if not key:
            return None, year
        code = self._alias.get(key)
        if code is None and keywords:
            code = next((c for c, rx in self._keyword_order if rx.search(key)), None)
        return code, year

    def column_for(self, code: str, columns: set[str] | list[str]) -> str | None:
        """The channel column a source feeds: itself if present, else up its parents."""
        present = set(columns)
        seen: set[str] = set()
        current: str | None = code
        while current and current not in seen:
            if current in present:
                return current
            seen.add(current)
            entry = self._entries.get(current)
            current = entry.parent if entry else None
        return None

    def is_restricted(self, code: str) -> bool:
        """True for restricted funds (avanzo vincolato, FNA, project funds...)."""
        e = self._entries.get(code)
        return bool(e and e.restricted)

    def label(self, code: str) -> str:
        """A human label for a code."""
        e = self._entries.get(code)
        return e.name if e else code

    def copy(self) -> Catalog:
        """An independent copy (to extend from one workbook without touching the default)."""
        return Catalog([e.model_copy(deep=True) for e in self._entries.values()])


@lru_cache(maxsize=1)
def _default_entries() -> tuple[ChannelInfo, ...]:
    raw = resources.files("pdz_xl.data").joinpath("channels.json").read_text(encoding="utf-8")
    return tuple(ChannelInfo(**e) for e in json.loads(raw)["channels"])


def default_catalog() -> Catalog:
    """A fresh copy of the built-in catalog."""
    return Catalog([e.model_copy(deep=True) for e in _default_entries()])

"""The channel catalog: canonical codes, aliases, kinds, restriction, parent channel.

The catalog is data (``pdz_xl/data/channels.json``), extendable from a workbook sheet
("Canali PDZ"). A header such as ``FSOL 2021`` resolves to the code ``FSOL`` and the
year 2021; a revenue item such as ``Proximity`` resolves to its own code and, through
``parent``, to the channel column it feeds when the workbook has no column of its own.

Offices write the same channel many ways (``A.T.S.``, ``F. N. A.``, ``PRO.V.I``,
``Fondo Sociale Reg.le``, ``FNPS anno 2021``, ``Avanzo vinc. 2020``...). ``resolve``
therefore matches aliases on a *compact key*: casefolded, accents dropped, years and
year words («anno 2021», «2021/2023», «2020-2021») removed, common abbreviations
expanded (vinc., reg.le, naz.le, prov.le, f.do...), then every non-alphanumeric
character removed, so dots, spaces, hyphens, dashes and parentheses do not matter. A
label whose parenthesised part is only a qualifier («COMUNI (quote capitarie)») also
matches on the part outside the parentheses. Law references («L. 112/2016») are not
years. When no alias matches, the entries' keyword expressions are tried on the same
text with spaces kept (deepest revenue sources first, so a specific source wins over
the channel it feeds). ``normalise_label`` itself is unchanged: it is a matching key
elsewhere.

``resolve`` names funds; it does not decide whether a row is a revenue. A cost label
that names its fund («Azione 2: Gestione FSR», «FNA - Voucher», «PON 2019») resolves to
that fund (as «Gestione FSR» always has): a table is read as a revenue table only when
most of its labels resolve and it has no azione headings (``layout.tables``). Aliases and keywords
must not catch cost labels that do not name a fund (``tests/test_channels.py`` pins the
cost labels of the two reference plans that resolve).
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


# -- the catalog's own matching key (normalise_label stays as it is) ----------------------

# «L. 112/2016», «Legge 328/00», «DGR 6465/2017»: an act's number and year, not a year.
_LAW_REF_RE = re.compile(
    r"(?i)(?<![0-9a-z])(legge|l\.?\s*r|l|d\.?\s*g\.?\s*r|dpcm|d\.?\s*lgs|d\.?\s*m|decreto)"
    r"\s*\.?\s*(?:n\s*\.?\s*|nr\s*\.?\s*)?([0-9]{1,5})\s*/\s*((?:19|20)[0-9]{2}|[0-9]{2})"
    r"(?![0-9])")
# «2021/23», «2021-23»: a short range, read as «2021/2023».
_SHORT_RANGE_RE = re.compile(r"(?<![0-9])((?:19|20)([0-9]{2}))\s*([/\-–])\s*([0-9]{2})(?![0-9])")
# «anno 2021», «esercizio 2021», «annualità 2021»: the word goes with the year.
_YEAR_WORD_RE = re.compile(
    r"(?i)(?<![0-9a-z])(?:anno|anni|annualit[aà]|esercizio|competenza|a\.\s*s\.)\s*"
    r"(?=(?:19|20)[0-9]{2}(?![0-9]))")
# Abbreviations on the normalised (space-separated) text.
_ABBREVIATIONS: dict[str, str] = {
    "fdo": "fondo", "regle": "regionale", "regli": "regionali", "nazle": "nazionale",
    "nazli": "nazionali", "provle": "provinciale", "provli": "provinciali",
    "comle": "comunale", "comli": "comunali", "ammne": "amministrazione",
    "vinc": "vincolato", "autosuff": "autosufficienza",
}
_ABBREVIATION_RE = re.compile(
    r"\b(?:f ?do|reg ?l[ei]|naz ?l[ei]|prov ?l[ei]|com ?l[ei]|amm ?ne|vinc|autosuff)\b")
# «a t s», «f n p s»: spelled-out letters (from «A.T.S.», «F. N. P. S.») make one word.
_SPELLED_RE = re.compile(r"\b[a-z0-9](?: [a-z0-9]\b)+")
_LEADING_ANCHOR_RE = re.compile(r"^(?:\^|\\b|\(\?<!?[^()]*\))+")
_PARENTHESISED_RE = re.compile(r"\([^()]*\)")
_LAW_KINDS = {"l": "legge", "legge": "legge"}


def _law_token(m: re.Match[str]) -> str:
    kind = re.sub(r"[^a-z]", "", m.group(1).casefold())
    year = m.group(3)
    if len(year) == 2:
        year = ("20" if int(year) <= 50 else "19") + year
    # digits glued to the number: no longer a free-standing year for split_year
    return f" {_LAW_KINDS.get(kind, kind)}{m.group(2)}{year} "


def _expand_short_range(m: re.Match[str]) -> str:
    return f"{m.group(1)}{m.group(3)}{m.group(1)[:2]}{m.group(4)}"


def _prepare(text: str) -> str:
    """Raw text with law references made yearless, short ranges expanded, year words
    dropped: ready for :func:`split_year`."""
    if "/" in text:
        text = _LAW_REF_RE.sub(_law_token, text)
    if "/" in text or "-" in text or "–" in text:
        text = _SHORT_RANGE_RE.sub(_expand_short_range, text)
    return _YEAR_WORD_RE.sub(" ", text)


def _spaced_key(name: str) -> str:
    """A year-free name -> normalised words with abbreviations expanded."""
    n = normalise_label(name)
    if not n:
        return n
    n = _SPELLED_RE.sub(_glue, n)
    return _ABBREVIATION_RE.sub(_expand_abbreviation, n)


def _glue(m: re.Match[str]) -> str:
    return m.group().replace(" ", "")


def _expand_abbreviation(m: re.Match[str]) -> str:
    return _ABBREVIATIONS[m.group().replace(" ", "")]


@lru_cache(maxsize=8192)
def compact_key(text: str) -> str:
    """The catalog's alias key: ``F.N.P.S. anno 2021``, ``fnps`` and ``FNPS - 2021`` all
    give ``fnps``. Case, accents, dots, spaces, hyphens, parentheses and years do not
    count; abbreviations are expanded. (Not :func:`normalise_label`, which keeps
    spaces and years.)"""
    name, _year = split_year(_prepare(str(text)))
    return _spaced_key(name).replace(" ", "")


class Catalog:
    """Resolves headers and revenue labels to canonical channel codes."""

    def __init__(self, entries: list[ChannelInfo]) -> None:
        self._entries: dict[str, ChannelInfo] = {}
        self._alias: dict[str, str] = {}
        self._keyword_order: list[tuple[str, re.Pattern[str]]] = []
        self._any_keyword: re.Pattern[str] | None = None
        self._cache: dict[tuple[str, bool], tuple[str | None, int | None]] = {}
        for e in entries:
            self._add(e)
        self._rebuild_keywords()

    def add(self, entry: ChannelInfo) -> None:
        """Add or replace an entry (user entries from the workbook override defaults)."""
        self._add(entry)
        self._rebuild_keywords()

    def _add(self, entry: ChannelInfo) -> None:
        self._entries[entry.code] = entry
        self._cache = {}
        for alias in [entry.code, entry.name, *entry.aliases]:
            key = compact_key(alias)
            if key:
                self._alias[key] = entry.code

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
        # One pass rules out the many labels no keyword matches (most cost labels). Leading
        # anchors are dropped so the regex engine can skip ahead on the first letters: a
        # looser test, the exact patterns decide.
        self._any_keyword = re.compile("|".join(
            f"(?:{_LEADING_ANCHOR_RE.sub('', rx.pattern)})" for _c, rx in self._keyword_order
        )) if self._keyword_order else None

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
        name, year = split_year(_prepare(str(text)))
        spaced = _spaced_key(name)
        if not spaced:
            return None, year
        code = self._alias.get(spaced.replace(" ", ""))
        if code is None and "(" in name:
            # «COMUNI (quote capitarie)»: the part in parentheses qualifies the name
            outer = _spaced_key(_PARENTHESISED_RE.sub(" ", name)).replace(" ", "")
            code = self._alias.get(outer) if outer else None
        if code is None and keywords and self._any_keyword is not None \
                and self._any_keyword.search(spaced):
            code = next((c for c, rx in self._keyword_order if rx.search(spaced)), None)
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

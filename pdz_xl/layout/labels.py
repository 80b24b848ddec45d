"""What a row label says: a total, a group heading (by its word or its numbering)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..channels.catalog import normalise_label

_TOTAL_RE = re.compile(r"^(totale|totali|tot|subtotale|sub totale|subtot|somma|sommano)\b")
_AZIONE_RE = re.compile(r"^\s*azione\s*n?[°º.]?\s*(\d+)\s*[:.\-–—)]?\s*(.*)$", re.I | re.S)
_OBIETTIVO_RE = re.compile(
    r"^\s*(?:obiettivo|ob\.)\s*n?[°º.]?\s*(\d+)\s*[:.\-–—)]?\s*(.*)$", re.I | re.S)
_NUMBERED_RE = re.compile(r"^\s*(\d{1,2})\s*[.:)\-–]\s+(\D.*)$", re.S)
_AREA_RE = re.compile(r"^\s*area\b\s*[:.\-–]?\s*(.*)$", re.I | re.S)
_SERVIZIO_RE = re.compile(r"^\s*servizio\b\s*[:.\-–]?\s*(.*)$", re.I | re.S)
_NUMBERING_RE = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{1,3}){0,5})(?:\s*[.):\-–]\s*|\s+)(\S.*)$", re.S)


_NOTE_RE = re.compile(r"^\s*(n\.?\s?b\.?\b|nota\b|note\b|\*|\(\*+\)|fonte:|importi (in|espressi)"
                      r"|valori (in|espressi)|legenda\b|avvertenz|attenzione:)", re.I)


_PART_RE = re.compile(r"^[\s\-–—•*(]*(di cui|dei quali|delle quali|di questi|di queste)\b",
                      re.IGNORECASE)


def is_part_label(text: str) -> bool:
    """``di cui ...``, ``- di cui quota FNPS``, ``(dei quali ...)``: a part of the line
    above, already in its amount."""
    text = str(text)
    first = text[:1]
    if not first or (first not in "dD-–—•*(" and not first.isspace()):
        return False  # (what the pattern can start with, checked before matching it)
    return bool(_PART_RE.match(text))


def is_note_text(text: str) -> bool:
    """A remark under a table («N.B.: importi IVA compresa», «(*) stima»)."""
    return bool(_NOTE_RE.match(str(text)))


@dataclass(frozen=True, slots=True)
class Heading:
    """A group heading: level, number, label without numbering, text as written."""

    level: str
    number: int | None
    label: str
    text: str


# Distinct labels remembered by each cache: those of a 10,000-line budget; past that an
# entry (about 130 bytes) costs more than the label it spares, read once or twice.
_LABEL_CACHE = 16384
_TOTAL_SUFFIX_RE = re.compile(r"\s(totale|totali|tot|subtotale)$")


@lru_cache(maxsize=_LABEL_CACHE)
def is_total_label(text: str) -> bool:
    """``TOTALE ...``, ``Totale avanzo 2020``, ``TOT. AREA``, ``Subtotale``, and the
    ``CARTELLA SOCIALE Totale`` rows of Excel's Subtotals command."""
    t = str(text).strip()
    head = t[:3].lower()
    if head in ("tot", "sub", "som") and _TOTAL_RE.match(normalise_label(t)):
        return True
    return t[-3:].lower() in ("ale", "ali", "tot") and \
        bool(_TOTAL_SUFFIX_RE.search(normalise_label(t)))


def total_subject(text: str) -> str:
    """What a total's label names, without the total word (``TOTALE SERVIZIO TM`` ->
    ``servizio tm``; ``CARTELLA SOCIALE Totale`` -> ``cartella sociale``)."""
    n = normalise_label(text)
    n = _TOTAL_RE.sub("", n).strip()
    return _TOTAL_SUFFIX_RE.sub("", " " + n).strip()


def total_level(text: str) -> str | None:
    """The level a TOTALE row names: azione/servizio/area/obiettivo/grand, or None."""
    n = normalise_label(text)
    rest = _TOTAL_RE.sub("", n).strip()
    rest = re.sub(r"^(budget|costi|complessivo|generale)\s+(?=\w)", "", rest) \
        if re.match(r"^(budget|costi) (obiettivo|azione|servizio|area)", rest) else rest
    if rest.startswith(("obiettivo", "ob ")):
        return "obiettivo"
    if rest.startswith("azione"):
        return "azione"
    if rest.startswith(("servizio", "servizi ")):
        return "servizio"
    if rest.startswith(("area", "aree")):
        return "area"
    if rest.startswith(("generale", "complessivo", "piano", "po ", "costi", "budget",
                        "spese", "uscite", "progetto")) or rest in ("po", "costi", "", "budget"):
        return "grand" if rest.startswith(("generale", "complessivo")) else None
    return None


_HEADING_FIRST = "aAoOsS\u017f"  # what «azione», «obiettivo», «area», «servizio» start with
# (ignoring case, «s» matches the long s too)


@lru_cache(maxsize=_LABEL_CACHE)
def heading_of(text: str, bold: bool = False) -> Heading | None:
    """A heading named by its word (``Azione 3: ...``, ``OBIETTIVO 1: ...``, ``AREA ...``,
    ``SERVIZIO ...``, ``15. UFFICIO DI PIANO``), or None. ``Area``/``Servizio`` in
    mixed case count only on a bold row or with a separator (``Servizio: TM``):
    «Servizio sociale comunale» is a voce."""
    t = str(text).strip()
    if not t:
        return None
    first = t[0]
    if first not in _HEADING_FIRST and not first.isdecimal():
        return None  # (no pattern below can match: checked before matching them)
    m = _AZIONE_RE.match(t)
    if m:
        return Heading("azione", int(m.group(1)), m.group(2).strip() or t, t)
    m = _OBIETTIVO_RE.match(t)
    if m:
        return Heading("obiettivo", int(m.group(1)), m.group(2).strip() or t, t)
    m = _NUMBERED_RE.match(t)
    if m and m.group(2).strip().upper() == m.group(2).strip():
        return Heading("obiettivo", int(m.group(1)), m.group(2).strip(), t)
    for level, rx, word in (("area", _AREA_RE, "area"), ("servizio", _SERVIZIO_RE, "servizio")):
        m = rx.match(t)
        if not m:
            continue
        head = t[: len(word)]
        rest = t[len(word):].lstrip()
        if head.isupper() or bold or rest[:1] in (":", "-", "–", "."):
            return Heading(level, None, t, t)
    return None


@dataclass(frozen=True, slots=True)
class Numbering:
    """A numbered label: ``7.1.2 Sistema cartella sociale`` -> (7, 1, 2), the rest."""

    parts: tuple[int, ...]
    rest: str

    @property
    def depth(self) -> int:
        return len(self.parts)


@lru_cache(maxsize=_LABEL_CACHE)
def numbering_of(text: str) -> Numbering | None:
    """The numbering at the start of a label, if any («5 per mille» is not numbered)."""
    text = str(text)
    first = text[:1]
    if not first or not (first.isdecimal() or first.isspace()):
        return None  # (the pattern starts with a digit, after any spaces)
    m = _NUMBERING_RE.match(text)
    if not m:
        return None
    parts = tuple(int(p) for p in m.group(1).split("."))
    rest = m.group(2).strip()
    sep = str(text)[len(m.group(1)):len(str(text)) - len(m.group(2))].strip()
    if len(parts) == 1 and not sep and not (rest.upper() == rest and len(rest) > 3):
        return None  # «5 per mille», «2 operatori»
    if not re.search(r"[^\W\d_]", rest):
        return None
    return Numbering(parts, rest)


def strip_numbering(text: str) -> str:
    """The label without ``OBIETTIVO n:`` / ``7.1`` / ``1.`` numbering."""
    t = str(text).strip()
    m = _OBIETTIVO_RE.match(t)
    if m and m.group(2).strip():
        return m.group(2).strip()
    n = numbering_of(t)
    if n is not None:
        return n.rest
    m = _NUMBERED_RE.match(t)
    return m.group(2).strip() if m else t


def summary_group_key(text: str, resolve_channel=None) -> str | None:
    """``1: CARTELLA SOCIALE`` -> ``obiettivo:1``; ``AREA X`` -> ``area:area x``."""
    t = str(text).strip()
    m = _OBIETTIVO_RE.match(t) or _NUMBERED_RE.match(t)
    if m:
        return f"obiettivo:{int(m.group(1))}"
    if _AREA_RE.match(t):
        return f"area:{normalise_label(t)}"
    h = heading_of(t, bold=True)
    if h is not None and h.level in ("servizio", "azione"):
        return f"{h.level}:{normalise_label(t)}"
    if resolve_channel is not None:
        code, _ = resolve_channel(t)
        if code:
            return f"channel:{code}"
    return None


def clear_label_caches() -> None:
    """Forget the labels read so far (the caches grow with the lines of a workbook)."""
    for cached in (is_total_label, heading_of, numbering_of):
        cached.cache_clear()

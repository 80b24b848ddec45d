"""Recognise what a row label or a header cell says: totals, group headings, years."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..channels.catalog import normalise_label

_TOTAL_RE = re.compile(r"^(totale|totali|tot)\b")
_AZIONE_RE = re.compile(r"^\s*azione\s*n?[°º.]?\s*(\d+)\s*[:.\-–—)]?\s*(.*)$", re.I | re.S)
_OBIETTIVO_RE = re.compile(
    r"^\s*(?:obiettivo|ob\.)\s*n?[°º.]?\s*(\d+)\s*[:.\-–—)]?\s*(.*)$", re.I | re.S)
_NUMBERED_RE = re.compile(r"^\s*(\d{1,2})\s*[.:)]\s+(\D.*)$", re.S)
_AREA_RE = re.compile(r"^\s*area\b", re.I)
_SERVIZIO_RE = re.compile(r"^\s*servizio\b", re.I)
_YEAR_HEADER_RE = re.compile(
    r"^(budget|anno|preventivo|bilancio|importo|importi|po|piano operativo|pre ?consuntivo"
    r"|consuntivo|previsione|previsionale|stanziamento|costo|costi)\s*(19\d\d|20\d\d)$")
_TRIENNIO_RE = re.compile(r"^(totale )?(triennio|triennale|totale triennio)( \d{4} \d{4})?$")
_PLAIN_AMOUNT_RE = re.compile(r"^(budget|importo|importi|importo euro|euro|eur|totale euro)$")

IGNORABLE_HEADERS = frozenset(
    normalise_label(h) for h in [
        "note", "note/commenti", "commenti", "commento", "descrizione", "riferimento",
        "riferimenti", "codice", "cod.", "n.", "n", "nr", "cig", "cup", "responsabile",
        "referente", "stato", "osservazioni", "annotazioni", "id",
    ]
)


@dataclass(frozen=True)
class Heading:
    """A group heading row: level, number, label without numbering, text as written."""

    level: str
    number: int | None
    label: str
    text: str


def is_total_label(text: str) -> bool:
    """``TOTALE ...``, ``Totale avanzo 2020``, ``TOT. AREA``."""
    head = str(text).lstrip()[:3].lower()
    return head == "tot" and bool(_TOTAL_RE.match(normalise_label(text)))


def total_level(text: str) -> str:
    """The level a TOTALE row closes: azione/servizio/area/obiettivo/grand/table."""
    n = normalise_label(text)
    rest = _TOTAL_RE.sub("", n).strip()
    if rest.startswith("obiettivo") or rest.startswith("ob "):
        return "obiettivo"
    if rest.startswith("azione"):
        return "azione"
    if rest.startswith("servizio") or rest.startswith("servizi "):
        return "servizio"
    if rest.startswith("area"):
        return "area"
    if rest.startswith(("generale", "complessivo", "budget", "piano", "po ", "costi")) \
            or rest in ("po", "costi", ""):
        return "grand" if rest else "table"
    return "table"


def heading_of(text: str) -> Heading | None:
    """Classify a text-only row as a group heading, or None."""
    t = str(text).strip()
    if not t:
        return None
    m = _AZIONE_RE.match(t)
    if m:
        return Heading("azione", int(m.group(1)), m.group(2).strip() or t, t)
    m = _OBIETTIVO_RE.match(t)
    if m:
        return Heading("obiettivo", int(m.group(1)), m.group(2).strip() or t, t)
    m = _NUMBERED_RE.match(t)
    if m and m.group(2).strip().upper() == m.group(2).strip():
        return Heading("obiettivo", int(m.group(1)), m.group(2).strip(), t)
    if _AREA_RE.match(t):
        return Heading("area", None, t, t)
    if _SERVIZIO_RE.match(t):
        return Heading("servizio", None, t, t)
    return None


@dataclass(frozen=True)
class ColumnHeader:
    """What a header cell announces."""

    kind: str  # year | triennio | amount | channel | ignore | label | unknown
    year: int | None = None
    key: str | None = None  # summary column key ("2018", "po_2020", "triennio")
    code: str | None = None  # channel code
    prefix: str | None = None  # "budget", "po", "preconsuntivo"...


def classify_header(text: object, resolve_channel) -> ColumnHeader:
    """Classify one header cell; ``resolve_channel(text) -> (code|None, year|None)``."""
    if text is None:
        return ColumnHeader("unknown")
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        year = int(text)
        if 1990 <= year <= 2100 and float(text).is_integer():
            return ColumnHeader("year", year=year, key=str(year), prefix="anno")
        return ColumnHeader("unknown")
    n = normalise_label(str(text))
    if not n:
        return ColumnHeader("unknown")
    m = _YEAR_HEADER_RE.match(n)
    if m:
        prefix = m.group(1).replace(" ", "")
        if prefix == "piano operativo":
            prefix = "po"
        return ColumnHeader("year", year=int(m.group(2)), key=f"{prefix}_{m.group(2)}",
                            prefix=prefix)
    if re.fullmatch(r"(19|20)\d\d", n):
        return ColumnHeader("year", year=int(n), key=n, prefix="anno")
    if _TRIENNIO_RE.match(n):
        return ColumnHeader("triennio", key="triennio")
    if _PLAIN_AMOUNT_RE.match(n):
        return ColumnHeader("amount", key="importo")
    if n in IGNORABLE_HEADERS:
        return ColumnHeader("ignore")
    code, year = resolve_channel(str(text))
    if code:
        return ColumnHeader("channel", year=year, code=code)
    return ColumnHeader("unknown")


def summary_group_key(text: str, resolve_channel=None) -> str | None:
    """``1: CARTELLA SOCIALE`` -> ``obiettivo:1``; ``AREA X`` -> ``area:area x``."""
    t = str(text).strip()
    m = _OBIETTIVO_RE.match(t) or _NUMBERED_RE.match(t)
    if m:
        return f"obiettivo:{int(m.group(1))}"
    if _AREA_RE.match(t):
        return f"area:{normalise_label(t)}"
    if resolve_channel is not None:
        code, _ = resolve_channel(t)
        if code:
            return f"channel:{code}"
    return None

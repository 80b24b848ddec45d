"""What a header cell announces, in the words Italian budgets use.

``Budget 2021``, ``Previsione 2021``, ``Assestato 2020``, ``Consuntivo 2019``, ``2021``,
``Totale triennio``, ``FNPS 2021``, ``Voce di budget``, ``Area``, ``Fonte di
finanziamento``, ``Scostamento %`` ... Label words are checked before amount words, so
``Voce di budget`` is the voce column, never an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..channels.catalog import normalise_label
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_CHANNEL_NAME,
    COL_CODE,
    COL_GROUP,
    COL_IGNORE,
    COL_NOTE,
    COL_TRIENNIO,
    COL_UNKNOWN,
    COL_VOCE,
    COL_YEAR_NAME,
)

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d|21\d\d)(?!\d)")

# amount kinds: normalised words -> kind
YEAR_KINDS: dict[str, str] = {
    "budget": "budget", "bdg": "budget", "bilancio": "budget", "budget previsionale": "budget",
    "bilancio di previsione": "previsione", "bilancio preventivo": "preventivo",
    "preventivo": "preventivo", "prev": "preventivo", "piano": "budget",
    "previsione": "previsione", "previsionale": "previsione", "previsioni": "previsione",
    "assestato": "assestato", "assestamento": "assestato", "budget assestato": "assestato",
    "preventivo assestato": "assestato", "previsione assestata": "assestato",
    "consuntivo": "consuntivo", "cons": "consuntivo", "rendiconto": "consuntivo",
    "consuntivo presunto": "preconsuntivo", "preconsuntivo": "preconsuntivo",
    "pre consuntivo": "preconsuntivo", "pre consuntivo presunto": "preconsuntivo",
    "po": "po", "piano operativo": "po", "anno": "anno", "esercizio": "anno",
    "importo": "importo", "importi": "importo", "importo euro": "importo", "stanziamento": "budget",
    "costo": "importo", "costi": "importo", "spesa": "importo", "spese": "importo",
    "budget anno": "budget", "previsione anno": "previsione", "totale": "importo",
    "totale budget": "budget", "costo totale": "importo", "euro": "importo", "eur": "importo",
    "valore": "importo", "budget di spesa": "budget", "quota": "importo",
}
PLAN_KINDS = frozenset({"budget", "previsione", "preventivo", "anno", "importo", "assestato"})
"""Kinds that can hold the plan year (consuntivo, pre-consuntivo and PO look back)."""

# amount headers without a year
_PLAIN_AMOUNTS = frozenset({
    "importo", "importi", "importo euro", "euro", "eur", "budget", "totale", "costo",
    "costo totale", "spesa", "totale budget", "valore", "importo totale", "totale euro",
    "ammontare", "stanziamento", "totale costi", "costi",
})
_TRIENNIO = re.compile(r"^(totale )?(triennio|triennale|pluriennale|totale triennio)\b")
_IGNORE_WORDS = re.compile(
    r"\b(scostamento|scostamenti|variazione|variazioni|differenza|differenze|delta|diff"
    r"|incidenza|percentuale|perc|var|aumento|diminuzione|confronto)\b")

# label columns: phrase -> (role, level); checked as whole words inside the header
_LABEL_PHRASES: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(p), role, level) for p, role, level in [
        # codes first: «Cod. voce» is a code, «Voce» the voce
        (r"^(codice|cod|n|nr|num|numero|id|n riga|riga|progressivo|rif|riferimento|ordine"
         r"|n ordine|cod voce|codice voce|cod intervento|codice intervento|cod sioss"
         r"|codice sioss)$", COL_CODE, None),
        # an accounting program's classification: «Missione | Programma | Capitolo | Art.»
        (r"^(capitolo|cap|capitolo articolo|cap art|art|articolo|missione|programma"
         r"|titolo|macroaggregato|piano dei conti|pdc|codice bilancio)$", COL_CODE, None),
        (r"\bvoc[ei]\b|\bdescrizione\b|\bdettaglio\b|\bdenominazione\b|\boggetto\b"
         r"|\bdescrizione spesa\b", COL_VOCE, None),
        (r"^(fonte|fonti|canale|canali|fondo|fondi|finanziamento|finanziamenti)"
         r"( di finanziamento| finanziamento)?$|\bfonte di finanziamento\b"
         r"|\bfonti di finanziamento\b|\bcanale di finanziamento\b", COL_CHANNEL_NAME, None),
        (r"^(canali di finanziamento|entrate|ricavi)\b", COL_CHANNEL_NAME, None),
        (r"^(macro ?are[ae]|are[ae]|are[ae] di intervento)$", COL_GROUP, "area"),
        (r"^(obiettiv[oi]|ob|obiettivo strategico|obiettivi strategici|macro obiettivo)$",
         COL_GROUP, "obiettivo"),
        (r"^(servizi[oi]?|unita di offerta|servizio unita di offerta)$", COL_GROUP, "servizio"),
        (r"^(azion[ei]|intervent[oi]|progett[oi]|linea di azione|linee di azione)$",
         COL_GROUP, "azione"),
        (r"^(note|nota|commenti|commento|osservazioni|annotazioni|motivazione|motivazioni"
         r"|descrizione variazione|responsabile|referente|stato|cig|cup)$", COL_NOTE, None),
        (r"^(anno|esercizio|annualita|anno di riferimento)$", COL_YEAR_NAME, None),
    ]
]
_LEVEL_WORDS = {"area": r"\bare[ae]\b", "obiettivo": r"\bobiettiv[oi]\b",
                "servizio": r"\bservizi[oi]?\b", "azione": r"\bazion[ei]\b"}


@dataclass(frozen=True, slots=True)
class HeaderMeaning:
    """What a header cell says its column holds."""

    role: str
    level: str | None = None
    year: int | None = None
    kind: str | None = None
    channel: str | None = None
    levels: tuple[str, ...] = ()  # a voce header naming the hierarchy («Obiettivi / Azioni / Voci»)

    @property
    def is_value(self) -> bool:
        return self.role in (COL_AMOUNT, COL_CHANNEL, COL_TRIENNIO)


UNKNOWN = HeaderMeaning(COL_UNKNOWN)


def header_meaning(text: object, resolve_channel) -> HeaderMeaning:
    """Classify one header cell; ``resolve_channel(text) -> (code | None, year | None)``.
    A resolver with a ``meanings`` dict keeps each text's meaning there (its answers
    never change for a text)."""
    cache = getattr(resolve_channel, "meanings", None)
    if cache is None:
        return _meaning(text, resolve_channel)
    key = (type(text), text)
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = _meaning(text, resolve_channel)
    return hit


def _meaning(text: object, resolve_channel) -> HeaderMeaning:
    if text is None:
        return UNKNOWN
    if isinstance(text, bool):
        return UNKNOWN
    if isinstance(text, (int, float)):
        if float(text).is_integer() and 1980 <= text <= 2199:
            return HeaderMeaning(COL_AMOUNT, year=int(text), kind="anno")
        return UNKNOWN
    raw = str(text).strip()
    n = normalise_label(raw)
    if not n:
        return UNKNOWN
    if "%" in raw or _IGNORE_WORDS.search(n):
        return HeaderMeaning(COL_IGNORE)
    if _TRIENNIO.match(n):
        return HeaderMeaning(COL_TRIENNIO)
    years = _YEAR.findall(n)
    rest = re.sub(r"\s+", " ", _YEAR.sub(" ", n)).strip()
    if years and len(years) > 1 and not rest.startswith(("budget", "bilancio", "previsione")) \
            and (re.search(r"\btrienn|\bplurienn|\btotale\b", rest) or not rest):
        return HeaderMeaning(COL_TRIENNIO)
    if not years:
        for rx, role, level in _LABEL_PHRASES:
            if rx.search(n):
                levels = _named_levels(n) if role == COL_VOCE else ()
                return HeaderMeaning(role, level=level, levels=levels)
        if n in _PLAIN_AMOUNTS:
            return HeaderMeaning(COL_AMOUNT, kind="importo")
    else:
        year = int(years[-1])
        kind = YEAR_KINDS.get(rest.replace(" anno", "").strip()) if rest else "anno"
        if kind is None and rest.endswith(" anno"):
            kind = YEAR_KINDS.get(rest[:-5])
        if kind is not None:
            return HeaderMeaning(COL_AMOUNT, year=year, kind=kind)
        if rest in ("totale triennio", "triennio"):
            return HeaderMeaning(COL_TRIENNIO)
    code, year = resolve_channel(raw)
    if code:
        return HeaderMeaning(COL_CHANNEL, year=year, channel=code)
    if years:  # «Entrate previsionali esercizio 2021»: a title over a label column
        for rx, role, level in _LABEL_PHRASES:
            if rx.search(rest):
                return HeaderMeaning(role, level=level)
    return UNKNOWN


def _named_levels(n: str) -> tuple[str, ...]:
    """«obiettivi azioni voci di costo» -> (obiettivo, azione): the hierarchy it names."""
    found = [(m.start(), level) for level, rx in _LEVEL_WORDS.items()
             for m in [re.search(rx, n)] if m]
    return tuple(level for _, level in sorted(found))


def kind_label(kind: str | None) -> str:
    """How the ``_pdz`` sheet writes an amount kind."""
    return {"pre consuntivo": "preconsuntivo"}.get(kind or "importo", kind or "importo")

"""The «Regole PDZ» of the 2018 sample (Piano Operativo 2018, ambito cremasco).

The document gives each line one amount and the channels only in total (the «preventivo
triennale» revenues); these rules are what a planner would write to split the lines so
that every channel is spent exactly as the document says:

- FNA (restricted) only on the FNA measures of obiettivo 10;
- ALTRI FONDI (project and earmarked money: Dopo di Noi, PRO-VI, the regional measures,
  FAMI, the Cariplo and other projects, the REI/PON staff) only there, Dopo di Noi first;
- PROVINCIA only on the provincial plan's internships;
- ATS (health agency) only on the socio-sanitary services: the CDD first, then the
  network of disability services;
- FRS (Fondo Sociale Regionale) on the network of unità d'offerta and the services in
  gestione associata, its own azione «Gestione FSR» first;
- COMUNI and FSOL first on the services in gestione associata, with the municipalities
  paying at least half of the accredited services;
- FNPS first on the social service, child protection and the plan's office;
- RESIDUI anywhere, after the others, never more than half of a line.

Import :data:`RULES_2018` (Rule objects) or :func:`rows_2018` (sheet rows in
:data:`~.rules.HEADERS` order) — the sample builder writes the rows.
"""

from __future__ import annotations

from decimal import Decimal

from .rules import HEADERS, Rule, rule_rows

OB10 = "*MISURE DISTRETTUALI*"
GA = "*GESTIONE ASSOCIATA*"
RETE = "*RETE UNITA*"


def _r(channel: str, group: str = "", azione: str = "", voce: str = "", *,
       allowed: bool = True, priority: int = 50, low: str | None = None,
       high: str | None = None, note: str = "", servizio: str = "") -> Rule:
    return Rule(channel=channel, group=group, servizio=servizio, azione=azione, voce=voce,
                allowed=allowed, priority=priority,
                min_share=Decimal(low) if low else None,
                max_share=Decimal(high) if high else None, note=note)


RULES_2018: list[Rule] = [
    _r("FNA", OB10, "*FNA*", priority=1, note="Fondo non autosufficienza: misure FNA"),
    _r("FNA", OB10, "*Titoli sociali*", "*FNA*", priority=1,
       note="buoni sociali a integrazione FNA"),
    _r("ALTRI_FONDI", OB10, "*Dopo di noi*", priority=1,
       note="fondo Dopo di Noi (L. 112/2016)"),
    _r("ALTRI_FONDI", OB10, "*PRO-VI*", priority=2, note="progetto regionale vita indipendente"),
    _r("ALTRI_FONDI", OB10, "*reddito di autonomia*", priority=2, note="misure regionali"),
    _r("ALTRI_FONDI", "*INTEGRAZIONE CITTADINI STRANIERI*", "*FAMI*", priority=2,
       note="fondi europei FAMI"),
    _r("ALTRI_FONDI", "PROGETTAZIONE", priority=3, note="fondi dei progetti (Cariplo, Banca "
                                                         "dell'Acqua...)"),
    _r("ALTRI_FONDI", "REI*", priority=3, note="quota servizi PON/REI"),
    _r("ALTRI_FONDI", allowed=False, note="altrove no: solo progetti e misure finalizzate"),
    _r("PROVINCIA", voce="*Provincial*", priority=1, note="piano provinciale tirocini"),
    _r("PROVINCIA", allowed=False, note="altrove no"),
    _r("ATS", GA, "*CDD*", priority=1, high="50", note="quota sanitaria del CDD, al più metà"),
    _r("ATS", RETE, "*Disabilit*", priority=2, note="rete dei servizi per la disabilità"),
    _r("ATS", allowed=False, note="solo servizi socio-sanitari"),
    _r("FSR", RETE, priority=1, note="Fondo Sociale Regionale: unità d'offerta sociali"),
    _r("FSR", GA, "*rette*", priority=5, note="rette delle comunità per minori"),
    _r("FSR", allowed=False, note="solo unità d'offerta e rette"),
    _r("COMUNI", GA, "*servizi accreditati*", priority=5, low="50",
       note="i Comuni pagano almeno metà dei servizi accreditati"),
    _r("COMUNI", GA, priority=5, note="servizi in gestione associata"),
    _r("COMUNI", priority=60, note="altrove dopo gli altri canali"),
    _r("FSOL", GA, priority=5, note="fondo di solidarietà: gestione associata"),
    _r("FSOL", priority=40, note="altrove dopo FNPS e residui"),
    _r("FNPS", "*MODELLO UNITARIO*", priority=5, note="servizio sociale"),
    _r("FNPS", "*TUTELA MINORI*", priority=5, note="tutela minori e affidi"),
    _r("FNPS", "*INSERIMENTO LAVORATIVO*", priority=5, note="inserimento lavorativo"),
    _r("FNPS", "*UFFICIO DI PIANO*", priority=5, note="ufficio di piano"),
    _r("FNPS", "*CARTELLA SOCIALE*", priority=5, note="cartella sociale"),
    _r("RESIDUI", "*SERVIZI ABITATIVI*", priority=10, note="emergenza abitativa"),
    _r("RESIDUI", OB10, priority=20, note="quota non coperta dai fondi finalizzati"),
    _r("RESIDUI", "PROGETTAZIONE", priority=20, note="quota non coperta dai fondi dei "
                                                     "progetti"),
    _r("RESIDUI", priority=30, note="residui degli anni precedenti: il resto"),
]
"""The 2018 rules, in sheet order (first match per channel wins)."""

CHANNEL_TEXT_2018 = {"FSR": "FRS", "ALTRI_FONDI": "ALTRI FONDI"}
"""The 2018 document's own spelling of the channels (its revenue table says «FRS»)."""


def rows_2018() -> list[list[object]]:
    """The 2018 rules as «Regole PDZ» rows, in :data:`HEADERS` order (Decimal shares)."""
    return rule_rows(RULES_2018, CHANNEL_TEXT_2018)


__all__ = ["CHANNEL_TEXT_2018", "HEADERS", "RULES_2018", "rows_2018"]

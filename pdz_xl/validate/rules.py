"""The rule catalog: stable codes, families, severities, categories and Italian titles.

Codes never change meaning and are never reused. Families: ``lettura`` (what the reader
met), ``righe`` (cost lines), ``totali`` (stated TOTALE rows), ``riepiloghi`` (summary
tables and the revenue table), ``canali`` (funding channels, restricted funds and the
balance of costs and revenues).

Categories (a stable JSON field) say what kind of problem a finding is: ``errore``
(amounts that disagree or cannot be), ``arrotondamento`` (a difference within the rounding
tolerance: always an avviso, kept apart from real errors), ``lettura`` (reading), ``formula``
(a total's formula does not add up its group), ``residuo`` (money of a channel left
unassigned), ``vincolo`` (restricted money used outside its purpose), ``doppione``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["errore", "avviso"]


@dataclass(frozen=True)
class Rule:
    """One rule of the catalog."""

    code: str
    name: str
    family: str
    severity: Severity  # default severity (reading notes keep their own)
    title: str
    category: str = "errore"  # default category when the difference is not rounding


def _lettura(code: str, name: str, severity: Severity, title: str) -> Rule:
    return Rule(code, name, "lettura", severity, title, "lettura")


RULES: dict[str, Rule] = {r.code: r for r in [
    _lettura("PDZ001", "testo-in-importo", "errore", "Testo in una cella importo"),
    _lettura("PDZ002", "valore-errore", "errore", "Valore di errore (#REF!, #DIV/0!...)"),
    _lettura("PDZ003", "colonna-sconosciuta", "avviso",
             "Intestazione di colonna non riconosciuta"),
    _lettura("PDZ004", "celle-unite", "avviso", "Celle unite dentro una tabella"),
    _lettura("PDZ005", "riga-nascosta", "avviso", "Riga nascosta con importi"),
    _lettura("PDZ006", "frazione-centesimo", "avviso", "Importo con frazioni di centesimo"),
    _lettura("PDZ007", "entrata-senza-canale", "avviso",
             "Voce di entrata non associata a un canale"),
    _lettura("PDZ009", "catalogo-canali", "avviso", "Riga del foglio «Canali PDZ» non usata"),
    _lettura("PDZ010", "mappa-pdz", "avviso", "Indicazione del foglio «_pdz» non usata"),
    _lettura("PDZ011", "importi-non-letti", "avviso",
             "Importi fuori dalle tabelle lette o in colonne ignorate"),
    _lettura("PDZ012", "lettura-ambigua", "avviso",
             "La disposizione della tabella si presta a più letture"),
    _lettura("PDZ013", "importo-contato-due-volte", "errore",
             "La stessa cella letta due volte (riga e riepilogo, due tabelle sovrapposte)"),
    _lettura("PDZ014", "riga-di-cui", "avviso",
             "Riga «di cui»: parte della riga sopra, non contata di nuovo"),
    _lettura("PDZ015", "importi-in-migliaia", "errore",
             "Importi in migliaia (o milioni) di euro: unità da indicare nel foglio «_pdz»"),
    Rule("PDZ101", "ripartizione-diversa", "righe", "errore",
         "La ripartizione sui canali non è uguale al budget della riga"),
    Rule("PDZ102", "budget-senza-ripartizione", "righe", "errore",
         "Riga con budget ma senza ripartizione sui canali"),
    Rule("PDZ103", "ripartizione-senza-budget", "righe", "errore",
         "Ripartizione sui canali su una riga senza budget"),
    Rule("PDZ104", "importo-negativo", "righe", "errore", "Importo negativo"),
    Rule("PDZ105", "riga-doppia", "righe", "avviso",
         "La stessa riga due volte nella stessa azione", "doppione"),
    Rule("PDZ201", "totale-diverso", "totali", "errore",
         "Il totale dichiarato non è uguale alla somma delle sue righe"),
    Rule("PDZ202", "somma-manca-riga", "totali", "errore",
         "La formula SOMMA del totale non comprende una riga del gruppo", "formula"),
    Rule("PDZ203", "somma-include-totale", "totali", "errore",
         "La formula SOMMA del totale comprende un altro totale (righe contate due volte)",
         "formula"),
    Rule("PDZ204", "totale-digitato", "totali", "avviso",
         "Totale scritto come numero dove gli altri totali sono formule", "formula"),
    Rule("PDZ301", "riepilogo-diverso-dal-dettaglio", "riepiloghi", "errore",
         "Una riga del riepilogo non è uguale al dettaglio"),
    Rule("PDZ302", "totale-riepilogo", "riepiloghi", "errore",
         "Il totale del riepilogo non è uguale alla somma delle sue righe"),
    Rule("PDZ303", "triennio", "riepiloghi", "errore",
         "Il totale del triennio non è uguale alla somma dei tre anni"),
    Rule("PDZ304", "totale-riepilogo-dettaglio", "riepiloghi", "errore",
         "Il totale del riepilogo non è uguale al totale delle righe di costo"),
    Rule("PDZ305", "subtotale-entrate", "riepiloghi", "errore",
         "Un totale delle entrate non è uguale alla somma delle sue voci"),
    Rule("PDZ306", "totale-netto-entrate", "riepiloghi", "errore",
         "Il totale netto delle entrate non è uguale al totale meno le quote non applicate"),
    Rule("PDZ307", "riepilogo-canali", "riepiloghi", "errore",
         "Un canale del riepilogo delle entrate non è uguale alla tabella delle entrate"),
    Rule("PDZ401", "costi-entrate", "canali", "errore",
         "Il totale dei costi non è uguale al totale delle entrate"),
    Rule("PDZ402", "canale-sforato", "canali", "errore",
         "Le righe usano un canale oltre quanto il canale ha"),
    Rule("PDZ403", "canale-non-usato", "canali", "avviso",
         "Parte di un canale non è assegnata a nessuna riga", "residuo"),
    Rule("PDZ404", "vincolato-fuori-finalita", "canali", "errore",
         "Fondo vincolato usato fuori dalla sua finalità", "vincolo"),
]}

FAMILIES = ("lettura", "righe", "totali", "riepiloghi", "canali")


def rule(code: str) -> Rule:
    """The rule with this code."""
    return RULES[code]


def catalog_rows() -> list[dict[str, str]]:
    """The catalog as plain rows (docs, ``--regole``, the report sheet legend)."""
    return [{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity,
             "category": r.category, "title": r.title} for r in RULES.values()]

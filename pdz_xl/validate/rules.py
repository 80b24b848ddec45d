"""The rule catalog: stable codes, families, severities and Italian titles.

Codes never change meaning. Families: lettura (what the reader met), righe (cost lines),
totali (stated totals), riepiloghi (summary and revenue tables), canali (funding channels
and the balance of costs and revenues).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule of the catalog."""

    code: str
    name: str
    family: str
    severity: str  # default severity: errore | avviso
    title: str


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("PDZ001", "testo-in-importo", "lettura", "errore", "Testo in una cella importo"),
    Rule("PDZ002", "valore-errore", "lettura", "errore", "Valore di errore (#REF!, #DIV/0!...)"),
    Rule("PDZ003", "colonna-sconosciuta", "lettura", "avviso",
         "Intestazione di colonna non riconosciuta"),
    Rule("PDZ004", "celle-unite", "lettura", "avviso", "Celle unite dentro una tabella"),
    Rule("PDZ005", "riga-nascosta", "lettura", "avviso", "Riga nascosta con importi"),
    Rule("PDZ006", "frazione-centesimo", "lettura", "avviso", "Importo con frazioni di centesimo"),
    Rule("PDZ007", "entrata-senza-canale", "lettura", "avviso",
         "Voce di entrata non associata a un canale"),
    Rule("PDZ009", "catalogo-canali", "lettura", "avviso",
         "Riga del foglio «Canali PDZ» non usata"),
    Rule("PDZ101", "ripartizione-diversa", "righe", "errore",
         "La ripartizione sui canali non è uguale al budget della riga"),
    Rule("PDZ102", "budget-senza-ripartizione", "righe", "errore",
         "Riga con budget ma senza ripartizione sui canali"),
    Rule("PDZ103", "ripartizione-senza-budget", "righe", "errore",
         "Ripartizione sui canali su una riga senza budget"),
    Rule("PDZ104", "importo-negativo", "righe", "errore", "Importo negativo"),
    Rule("PDZ105", "riga-doppia", "righe", "avviso",
         "La stessa riga due volte nella stessa azione"),
    Rule("PDZ201", "totale-diverso", "totali", "errore",
         "Il totale dichiarato non è uguale alla somma delle sue righe"),
    Rule("PDZ202", "somma-manca-riga", "totali", "errore",
         "La formula SOMMA del totale non comprende una riga del gruppo"),
    Rule("PDZ203", "somma-include-totale", "totali", "errore",
         "La formula SOMMA del totale comprende un altro totale"),
    Rule("PDZ204", "totale-digitato", "totali", "avviso",
         "Totale scritto come numero dove gli altri totali sono formule"),
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
    Rule("PDZ401", "costi-entrate", "canali", "errore",
         "Il totale dei costi non è uguale al totale delle entrate"),
    Rule("PDZ402", "canale-sforato", "canali", "errore",
         "Le righe usano un canale oltre quanto il canale ha"),
    Rule("PDZ403", "canale-non-usato", "canali", "avviso",
         "Parte di un canale non è assegnata a nessuna riga"),
    Rule("PDZ404", "vincolato-fuori-finalita", "canali", "errore",
         "Fondo vincolato usato fuori dalla sua finalità"),
]}


def rule(code: str) -> Rule:
    """The rule with this code."""
    return RULES[code]

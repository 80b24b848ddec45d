"""The words offices write: channel headers, year headers, headings, amounts as text.

One job: every user-facing string a layout writes (Italian, as the documents have them).
"""

from __future__ import annotations

from .dataset import Group

CHANNEL_HEADERS = {
    # as the 2021 document prints them
    "documento": {
        "FNPS": "FNPS 2021", "FSOL": "FSOL 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI",
        "ATS": "FONDI ATS", "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
        "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
        "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"},
    # under a «BUDGET 2021» group header the year is not repeated
    "senza-anno": {
        "FNPS": "FNPS", "FSOL": "FSOL", "FSR": "FSR", "COMUNI": "COMUNI", "ATS": "FONDI ATS",
        "AVANZO_VINCOLATO": "AVANZO VINCOLATO", "AVANZO_NON_VINCOLATO": "AVANZO NON VINCOLATO",
        "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"},
    # abbreviations with dots, as other offices write them
    "puntati": {
        "FNPS": "F.N.P.S.", "FSOL": "F.SOL", "FSR": "F.S.R.", "COMUNI": "Comuni",
        "ATS": "A.T.S.", "AVANZO_VINCOLATO": "Avanzo vinc. 2020",
        "AVANZO_NON_VINCOLATO": "Avanzo non vinc. 2020",
        "ALTRI_FONDI_PROGETTUALI": "Altri fondi progettuali"},
}

REVENUE_LABELS_PUNTATI = {
    "Avanzo gestionale 2020 vincolato": "Avanzo vinc. 2020",
    "Avanzo gestionale 2020 - non vincolato": "Avanzo non vinc. 2020",
    "FNPS 2021": "F.N.P.S. 2021",
    "FSOL 2021": "F.SOL 2021",
    "FSR 2021": "F.S.R. 2021",
    "ATS Fondo sanitario Misura 6 Minori": "A.T.S. Fondo sanitario Misura 6 Minori",
    "Fondi ATS": "Fondi A.T.S.",
}
"""Revenue-table labels written with the same dotted abbreviations (others unchanged)."""

YEAR_WORDS = {
    # vocabulary -> (word before the comparison year, word before the plan year)
    "budget": ("BUDGET", "BUDGET"),
    "assestato": ("ASSESTATO", "PREVISIONE"),
    "preventivo": ("PREVENTIVO", "PREVISIONE"),
    "importo": ("IMPORTO", "IMPORTO"),
}

TITLES = {
    "2021": ["PIANO PROGRAMMA 2021-2023 – BUDGET 2021",
             "Comunità Sociale Cremasca – Ambito distrettuale di Crema", "Importi in euro"],
    "2018": ["PIANO OPERATIVO 2018",
             "Comunità Sociale Cremasca – Ambito distrettuale di Crema", "Importi in euro"],
}

NOTES = ["da verificare", "stima dell'ufficio di piano", "in attesa di conferma"]
COMMENT = "Importo concordato con l'ufficio di piano"
FOOTNOTE = "N.B.: importi comprensivi di IVA, ove dovuta."


def caps(text: str, upper: bool) -> str:
    """«BUDGET 2020» or «Budget 2020»."""
    return text if upper else text[:1] + text[1:].lower()


def year_header(vocabulary: str, year: int, plan_year: int, upper: bool) -> str | int:
    """The header of a year column: «BUDGET 2021», «Assestato 2020», or the plain year."""
    if vocabulary in ("anni", "triennio"):
        return year
    word = YEAR_WORDS[vocabulary][1 if year == plan_year else 0]
    return caps(f"{word} {year}", upper)


def obiettivo_heading(group: Group) -> str:
    """The 2018 document's heading: «OBIETTIVO 1: CARTELLA SOCIALE», but «15. UFFICIO DI PIANO»."""
    n = group.number
    return f"{n}. {group.name}" if n == 15 else f"OBIETTIVO {n}: {group.name}"


def numbered(group: Group, parent: Group | None, chapter: int | None) -> str:
    """«7.1 CARTELLA SOCIALE» / «7.1.1 Sistema cartella sociale» (chapter 7), or without the
    chapter «1. CARTELLA SOCIALE» / «1.1 Sistema cartella sociale»."""
    head = f"{chapter}." if chapter is not None else ""
    if group.level == "obiettivo":
        return f"{head}{group.number} {group.name}" if head else \
            f"{group.number}. {group.name}"
    assert parent is not None and parent.number is not None
    return f"{head}{parent.number}.{group.number} {group.bare}"


def money_text(cents: int) -> str:
    """An amount typed as text the Italian way: «€ 1.234,56»; zero is «€ -»."""
    if cents == 0:
        return "€ -"
    sign = "-" if cents < 0 else ""
    euros, cent = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{cent:02d}"

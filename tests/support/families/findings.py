"""The documents' slips, as validation reports them, by component of the workbook.

Pinned from ``validate_plan(load_plan(...))`` on the two sample workbooks in
``workbooks/`` (read right by the reader of the time), as (code, found, expected) in cents,
restricted to severity errore, category arrotondamento and PDZ403. A generated workbook
expects the components it includes; whatever else it adds (per-azione subtotals, grand
totals, summary sheets) reconciles exactly and adds nothing.
"""

from __future__ import annotations

from .expected import ExpectedFinding as F

SLIPS_2021 = (
    # TOTALE SERVIZIO SSD / SST 2021, TOTALE AREA GESTIONE ASSOCIATA. 2021: one cent off
    F("PDZ201", 5912116, 5912115),
    F("PDZ201", 109318397, 109318396),
    F("PDZ201", 833127052, 833127053),
    # TOTALE AREA PROGETTAZIONE 2020 and 2021: lines not in the table
    F("PDZ201", 91616115, 29113316),
    F("PDZ201", 66780008, 24605557),
)
"""The stated TOTALE rows of the 2021 schede."""

REVENUE_2021 = (
    F("PDZ305", 1049816461, 1059816461),  # Totale Entrate 2021 off by 100.000
    F("PDZ401", 1244791848, 1202617397),  # TOTALE PO 2021 vs the cost lines
    F("PDZ403", 124461775, 109425964),  # ALTRI FONDI PROGETTUALI: stated, used
    F("PDZ403", 180056892, 155218252),  # AVANZO VINCOLATO
    F("PDZ403", 8097620, 5797620),  # AVANZO NON VINCOLATO
)
"""The «Canali di finanziamento 2021» revenue table (with the 2021 cost lines' split)."""

CONFRONTO_2021 = (
    F("PDZ304", 1244791848, 1202617397),
)
"""«Confronto 2020 - 2021»: its TOTALE BUDGET 2021 against the cost lines."""

PLURIENNALE_2021 = (
    F("PDZ301", 168912745, 168912744),
    F("PDZ301", 833127052, 833127053),
    F("PDZ301", 66780008, 24605557),
    F("PDZ304", 1244791848, 1202617397),
)
"""«Budget pluriennale 2021-2023»: area rows and total against the cost lines."""

SLIPS_2018: tuple[F, ...] = ()
"""Every TOTALE OBIETTIVO of 2018 reconciles."""

TRIENNALE_2018: tuple[F, ...] = ()
"""The 2018 «Preventivo triennale» reconciles with the lines and with itself."""

SAMPLE_2021 = SLIPS_2021 + REVENUE_2021 + CONFRONTO_2021 + PLURIENNALE_2021
SAMPLE_2018 = SLIPS_2018 + TRIENNALE_2018


def restricted(findings) -> list[F]:
    """The findings the families pin: severity errore, category arrotondamento, PDZ403."""
    return [F(f.code, f.found, f.expected) for f in findings
            if f.severity == "errore" or f.category == "arrotondamento" or f.code == "PDZ403"]

"""The knobs of a wide budget layout (one column per year and per channel).

A ``Layout`` is data: the generic builder (:mod:`.wide`) executes it, the property test
draws it. ``problems()`` names every combination that makes no sense; the builder refuses
those instead of quietly changing a knob, and the property test's strategy never draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

HIERARCHIES = ("prefissi", "numerazione", "rientri", "struttura", "colonne", "scalini")
"""How a line's groups show: bold «Azione n:»/«OBIETTIVO n:» heading rows; numbered headings
(«7.1», «7.1.1»); alignment indent only; Excel outline levels; one column per group level
(a flat list); a «staircase», each level's heading text one column further right."""

HEADING_HIERARCHIES = ("prefissi", "numerazione", "rientri", "struttura", "scalini")
YEARS = {"2021": ("budget", "assestato", "preventivo", "anni"),
         "2018": ("budget", "importo", "anni", "triennio")}
COLUMN_ORDERS = ("anni-canali", "anno-piano-prima", "canali-anni")
TOTAL_POSITIONS = ("sotto", "sopra", "sul-titolo", "nessuno")
EXTRA_COLUMNS = ("numero", "codice", "vuota", "percentuale", "note")
LABEL_HEADERS = ("", "Voce", "Voce di budget", "Descrizione",
                 "OBIETTIVI / AZIONI / VOCI DI COSTO")


@dataclass(frozen=True)
class Layout:
    """How one office lays a budget out."""

    dataset: str  # "2021" | "2018"
    # sheets and tables
    sheets: str = "uno"  # uno | per-gruppo (a sheet per area / obiettivo)
    tables: str = "una"  # una | per-tabella (each document table its own header, stacked)
    servizio_in_header: bool = False  # 2021 per-tabella: servizio in the header's label cell
    # hierarchy
    hierarchy: str = "prefissi"
    bold_headings: bool = True
    numbering_chapter: int | None = None  # numerazione: «7.1 …» with chapter 7
    group_values: str = "ripetuti"  # colonne: ripetuti | solo-primo (pivot style)
    # header
    header_rows: int = 1  # 2: «BUDGET 2021» merged over «Totale | FNPS | …»
    header_caps: bool = True  # «BUDGET 2020» / «Budget 2020»
    label_header: str = ""
    years: str = "budget"  # see YEARS
    column_order: str = "anni-canali"
    channel_names: str = "documento"  # documento | senza-anno | puntati
    # totals
    totals: str = "sotto"  # the document's totals: sotto | sopra | sul-titolo | nessuno
    total_word: bool = True  # labels say TOTALE (else: the group's name, or blank)
    azione_totals: bool = False  # generated «Totale Azione n» per azione
    totals_of_totals: bool = False  # document totals as SUM of the azione totals
    grand_total: bool = False  # generated TOTALE GENERALE
    formulas: bool = True  # totals that reconcile (and «Totale triennio») as formulas
    # extra columns and cosmetics
    extra_columns: tuple[str, ...] = ()  # see EXTRA_COLUMNS
    label_col: int = 0  # empty columns left of the table
    title_rows: int = 1
    merged_title: bool = False
    title: str | None = None
    text_amounts: bool = False  # every third line typed as text «€ 1.234,56» / «€ -»
    comments: bool = False
    hidden: str = "nessuna"  # nessuna | riga (one line hidden) | gruppo-chiuso (outline)
    blank_rows: bool = False  # a blank row after each azione
    footnotes: bool = False  # a «N.B.» row under each document total
    # the rest of the workbook
    revenue: str = "nessuna"  # 2021: nessuna | foglio | affiancata (right of the costs)
    summaries: bool = False  # 2021 confronto + pluriennale; 2018 preventivo triennale
    summaries_together: bool = False  # 2021: revenue and summaries stacked on one sheet
    summary_sheet: bool = False  # 2018: «Riepilogo» sheet of formulas to the totals

    @property
    def has_document_totals(self) -> bool:
        return self.totals != "nessuno"

    def problems(self) -> list[str]:
        """Why this combination makes no sense ([] when it does)."""
        p: list[str] = []
        d = self.dataset

        def need(cond: bool, why: str) -> None:
            if not cond:
                p.append(why)

        need(d in YEARS, f"dataset {d!r}")
        need(self.sheets in ("uno", "per-gruppo"), f"sheets {self.sheets!r}")
        need(self.tables in ("una", "per-tabella"), f"tables {self.tables!r}")
        need(self.hierarchy in HIERARCHIES, f"hierarchy {self.hierarchy!r}")
        need(self.years in YEARS.get(d, ()), f"years {self.years!r} for {d}")
        need(self.column_order in COLUMN_ORDERS, f"column_order {self.column_order!r}")
        need(self.totals in TOTAL_POSITIONS, f"totals {self.totals!r}")
        need(self.hidden in ("nessuna", "riga", "gruppo-chiuso"), f"hidden {self.hidden!r}")
        need(self.revenue in ("nessuna", "foglio", "affiancata"), f"revenue {self.revenue!r}")
        need(self.channel_names in ("documento", "senza-anno", "puntati"),
             f"channel_names {self.channel_names!r}")
        need(self.group_values in ("ripetuti", "solo-primo"),
             f"group_values {self.group_values!r}")
        need(all(e in EXTRA_COLUMNS for e in self.extra_columns)
             and len(set(self.extra_columns)) == len(self.extra_columns),
             f"extra_columns {self.extra_columns!r}")
        need(0 <= self.label_col <= 3, "label_col 0..3")
        need(0 <= self.title_rows <= 4, "title_rows 0..4")
        need(self.header_rows in (1, 2), "header_rows 1 or 2")
        # the dataset's shape
        if d == "2018":
            need(self.column_order == "anni-canali", "2018 has no channels to reorder")
            need(self.channel_names == "documento", "2018 has no channel columns")
            need(self.header_rows == 1, "a two-row header groups a year's channels: 2021")
            need(not self.servizio_in_header, "2018 has no servizi")
            need(self.revenue == "nessuna", "2018 has no revenue table by line")
            need("percentuale" not in self.extra_columns, "Scostamento % needs two years")
            need(not self.summaries_together, "summaries_together is the 2021 workbook")
        else:
            need(self.hierarchy != "numerazione", "numbered headings are the 2018 chapters")
            need(not self.summary_sheet, "the 2018 Riepilogo points at obiettivo totals")
        need(self.numbering_chapter is None or self.hierarchy == "numerazione",
             "numbering_chapter without numbered headings")
        # tables
        if self.tables == "per-tabella":
            need(self.hierarchy in ("prefissi", "numerazione", "rientri", "struttura"),
                 "stacked tables need heading rows above their headers")
            need(self.totals in ("sotto", "nessuno"),
                 "an area total spans several stacked tables: only below them")
            need(self.column_order != "canali-anni",
                 "stacked tables differ in channel count: year columns must stay aligned")
        need(not self.servizio_in_header or (self.tables == "per-tabella"
                                             and self.hierarchy == "prefissi"),
             "servizio_in_header needs stacked tables with prefixed headings")
        if self.hierarchy in ("colonne", "scalini"):
            need(self.tables == "una", "group columns / staircase: one table")
        if self.hierarchy == "colonne":
            need(self.totals == "nessuno" and not self.azione_totals,
                 "a flat list has no heading rows for group totals")
        need(self.group_values == "ripetuti" or self.hierarchy == "colonne",
             "group_values is for group columns")
        # totals
        need(not self.azione_totals or self.totals != "nessuno",
             "azione totals stand where the document's totals stand")
        need(not self.totals_of_totals or (self.azione_totals and self.formulas),
             "totals of totals need azione totals as formulas")
        need(not self.grand_total or self.totals != "sul-titolo",
             "a grand total has no heading row")
        need(not self.grand_total or self.sheets == "uno",
             "a grand total closes one sheet (the Riepilogo sums sheets)")
        need(self.totals != "sul-titolo" or not self.total_word,
             "a total on its heading row has the heading's text, not TOTALE")
        need(self.total_word or self.totals != "nessuno" or self.grand_total,
             "total_word without any total row")
        need(not self.text_amounts or not self.formulas,
             "SUM ignores amounts typed as text: text amounts need typed totals")
        # cosmetics
        need(not self.merged_title or self.title_rows >= 1, "merged_title without a title")
        need(self.hidden != "gruppo-chiuso" or self.hierarchy == "struttura",
             "a collapsed group needs outline levels")
        need(not self.footnotes or self.totals == "sotto",
             "footnotes stand under the document's totals")
        if self.header_rows == 2:
            need(self.years in ("budget", "assestato", "preventivo", "anni"),
                 "two-row header: a year over its total and channels")
        # the rest
        need(self.revenue != "affiancata" or not self.summaries_together,
             "the revenue table is either beside the costs or with the summaries")
        need(not self.summaries_together or (self.summaries and self.revenue == "foglio"),
             "summaries_together stacks the revenue table and the summaries")
        need(not self.summary_sheet or self.totals != "nessuno",
             "the Riepilogo points at the obiettivo totals")
        need(not (self.summaries and d == "2018" and self.hierarchy == "numerazione"),
             "the triennale's «1: CARTELLA SOCIALE» rows and «7.1» headings disagree")
        need(not (self.summaries and self.years == "triennio"),
             "the triennale raises obiettivi 12-14 in 2019-2020; triennio lines repeat 2018")
        return p

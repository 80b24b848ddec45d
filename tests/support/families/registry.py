"""The named layout families: presets of :class:`.layout.Layout`, or dedicated builders for
layouts that are not wide tables (long exports, an Excel Table, Excel's Subtotals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import exports, lists
from .expected import Generated
from .layout import Layout
from .wide import WideBuilder


@dataclass(frozen=True)
class Family:
    """A named way of laying a budget out."""

    name: str
    dataset: str
    summary: str  # one line: what the layout looks like
    layout: Layout | None = None  # a preset of the generic builder...
    builder: Callable[[Path], Generated] | None = None  # ...or a dedicated one

    def generate(self, path: Path) -> Generated:
        if self.layout is not None:
            return WideBuilder(self.layout).build(path)
        assert self.builder is not None
        return self.builder(path)


SCHEDE_2021 = dict(dataset="2021", sheets="per-gruppo", tables="per-tabella",
                   servizio_in_header=True, merged_title=True, title="BUDGET 2021 – SCHEDE")
"""The 2021 document's schede: a sheet per area, a table per servizio or area section."""


def _f(name: str, summary: str, **knobs) -> Family:
    layout = Layout(**knobs)
    return Family(name, layout.dataset, summary, layout=layout)


_FAMILIES = [
    _f("schede", "2021 as the document: a sheet per area, stacked tables with their own "
       "channel columns, bold «Azione n:» rows, TOTALE rows; revenue, confronto, pluriennale",
       **SCHEDE_2021, revenue="foglio", summaries=True),
    _f("po-classico", "2018 as the document: one sheet, «OBIETTIVO n:» headings, Azione "
       "rows, TOTALE OBIETTIVO n below; the preventivo triennale",
       dataset="2018", merged_title=True, label_header="OBIETTIVI / AZIONI / VOCI DI COSTO",
       summaries=True),
    _f("lista-piatta", "2021 flat list: Area | Servizio | Azione | Voce | Budget 2020 | "
       "Budget 2021 | 8 channels, one line per row, no totals",
       dataset="2021", hierarchy="colonne", totals="nessuno", title_rows=0,
       header_caps=False),
    _f("lista-piatta-codici", "2018 flat list: N. | Obiettivo | Azione | Voce | Importo 2018, "
       "a TOTALE GENERALE formula at the end",
       dataset="2018", hierarchy="colonne", totals="nessuno", extra_columns=("numero",),
       years="importo", header_caps=False, grand_total=True),
    Family("export-lungo", "2021", "2021 long export: ID | Area | Servizio | Azione | Voce | "
           "Budget 2020 | Budget 2021 | Fonte di finanziamento | Importo, one row per line "
           "and channel; a «Riepilogo» of SUMIF formulas per area", builder=exports.long_2021),
    Family("export-lungo-anni", "2018", "2018 long export: Obiettivo | Azione | Voce | Anno | "
           "Importo, one row per line and year (2018 only)", builder=exports.long_2018),
    _f("intestazione-doppia", "2021 schede with a two-row header: «BUDGET 2020» merged down, "
       "«BUDGET 2021» merged over «Totale | FNPS | FSOL …»",
       **SCHEDE_2021, header_rows=2, channel_names="senza-anno"),
    Family("tabella-excel", "2021", "2021 flat list as an Excel Table (ListObject) with its "
           "totals row of SUBTOTAL(109, …)", builder=lists.excel_table_2021),
    _f("anni-italiani", "2021 schede with «ASSESTATO 2020 | PREVISIONE 2021»",
       **SCHEDE_2021, years="assestato"),
    _f("anni-italiani-preventivo", "2021 schede with «PREVENTIVO 2020 | PREVISIONE 2021»",
       **SCHEDE_2021, years="preventivo"),
    _f("anni-semplici-triennio", "2018 with plain years 2018 | 2019 | 2020 | Totale triennio "
       "(2019 and 2020 repeat 2018, triennio a SUM), TOTALE OBIETTIVO below",
       dataset="2018", years="triennio", label_header="Voce"),
    _f("totali-sopra", "2018 with «TOTALE BUDGET OBIETTIVO n» above its azioni and voci, "
       "label column headed «Voce di budget»",
       dataset="2018", totals="sopra", label_header="Voce di budget"),
    _f("affiancate", "2021 stacked cost tables on one sheet with the revenue table beside "
       "them (one blank column between), from the same header row",
       dataset="2021", tables="per-tabella", servizio_in_header=True, revenue="affiancata"),
    _f("fogli-per-obiettivo", "2018, a sheet per obiettivo (azioni, voci, TOTALE OBIETTIVO) "
       "and a first «Riepilogo» sheet of formulas pointing at each sheet's total",
       dataset="2018", sheets="per-gruppo", tables="per-tabella", label_header="Voce",
       summary_sheet=True),
    _f("titoli-numerati", "2018 with numbered headings «7.1 CARTELLA SOCIALE», azioni "
       "«7.1.1 Sistema cartella sociale», no totals",
       dataset="2018", hierarchy="numerazione", numbering_chapter=7, totals="nessuno"),
    _f("rientri", "2021 one table, hierarchy by indent only (area 0, servizio 1, azione 2, "
       "voce 3), nothing bold, TOTALE rows below",
       dataset="2021", hierarchy="rientri", bold_headings=False, label_header="Descrizione"),
    _f("struttura-excel", "2018 hierarchy by outline levels (azioni 1, voci 2), obiettivo 4 "
       "collapsed (its rows hidden)",
       dataset="2018", hierarchy="struttura", bold_headings=False, hidden="gruppo-chiuso"),
    _f("scalini", "2018 staircase: obiettivo in A, azione in B, voce in C, amount in D, "
       "TOTALE OBIETTIVO rows",
       dataset="2018", hierarchy="scalini", label_header="Descrizione"),
    _f("subtotali-azione", "2021 schede with «Totale Azione n» after each azione and the "
       "document's totals summing them",
       **SCHEDE_2021, azione_totals=True, totals_of_totals=True),
    _f("canali-con-punti", "2021 schede with channel headers «F.N.P.S.», «A.T.S.», "
       "«Avanzo vinc. 2020» … and a revenue table labelled likewise",
       **SCHEDE_2021, channel_names="puntati", revenue="foglio"),
    _f("testo-e-colonne-extra", "2021 one table: merged title, amounts partly typed as text, "
       "a blank spacer column, comments, «Scostamento %» and «Note» columns, typed totals",
       dataset="2021", title_rows=2, merged_title=True, text_amounts=True, formulas=False,
       extra_columns=("vuota", "percentuale", "note"), comments=True, label_header="Voce"),
    _f("totali-senza-parola", "2021 schede whose total rows repeat the group's name (no "
       "TOTALE), typed slips kept",
       **SCHEDE_2021, total_word=False),
    _f("titoli-con-importo", "2018 where each heading row carries its total (azione: SUM of "
       "its voci; obiettivo: the document's TOTALE OBIETTIVO), no TOTALE rows",
       dataset="2018", totals="sul-titolo", total_word=False, azione_totals=True),
    _f("tutto-in-un-foglio", "2021 all tables stacked on one sheet; revenue, confronto and "
       "pluriennale stacked on a second sheet",
       dataset="2021", tables="per-tabella", servizio_in_header=True, revenue="foglio",
       summaries=True, summaries_together=True),
    Family("subtotali-excel", "2018", "2018 flat list after Excel's Data ▸ Subtotals: "
           "«CARTELLA SOCIALE Totale» rows of SUBTOTAL(9, …), «Totale complessivo», outline "
           "levels", builder=lists.excel_subtotals_2018),
    _f("note-a-pie", "2021 schede with a blank row after each azione and a «N.B.» footnote "
       "under each TOTALE row",
       **SCHEDE_2021, blank_rows=True, footnotes=True),
    _f("canali-prima", "2021 one table: channel columns before the years, plain year headers "
       "2020 | 2021, labels in column B under three title rows, a «Cod.» column",
       dataset="2021", column_order="canali-anni", years="anni", label_col=1, title_rows=3,
       extra_columns=("codice",)),
    _f("pivot-compatto", "2021 flat list as a pivot export: group values only where they "
       "change, «Totale complessivo» at the end",
       dataset="2021", hierarchy="colonne", group_values="solo-primo", totals="nessuno",
       grand_total=True, title_rows=0, header_caps=False),
]

FAMILIES: dict[str, Family] = {f.name: f for f in _FAMILIES}

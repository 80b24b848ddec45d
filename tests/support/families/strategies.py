"""Hypothesis strategies over the layout knobs: only combinations that make sense.

Each knob is drawn after the ones it depends on, from the values that fit them, so the
strategy never draws what ``Layout.problems()`` rejects (and the builder never has to
change a knob behind the test's back).
"""

from __future__ import annotations

from hypothesis import strategies as st

from .layout import (
    COLUMN_ORDERS,
    EXTRA_COLUMNS,
    HIERARCHIES,
    LABEL_HEADERS,
    TOTAL_POSITIONS,
    YEARS,
    Layout,
)


@st.composite
def layouts(draw, dataset: str | None = None) -> Layout:
    d = dataset or draw(st.sampled_from(["2021", "2018"]))
    pick = lambda values: draw(st.sampled_from(list(values)))  # noqa: E731
    flag = lambda: draw(st.booleans())  # noqa: E731
    # knobs whose conventional value is True are drawn as «not flag()», so that the
    # simplest example hypothesis tries first is the documents' own layout
    hierarchy = pick(h for h in HIERARCHIES if d == "2018" or h != "numerazione")
    tables = "una" if hierarchy in ("colonne", "scalini") else pick(["una", "per-tabella"])
    sheets = pick(["uno", "per-gruppo"])
    if hierarchy == "colonne":
        totals = "nessuno"
    elif tables == "per-tabella":
        totals = pick(["sotto", "nessuno"])
    else:
        totals = pick(TOTAL_POSITIONS)
    azione_totals = totals != "nessuno" and flag()
    formulas = not flag()
    grand_total = totals != "sul-titolo" and sheets == "uno" and flag()
    if totals == "sul-titolo":
        total_word = False
    elif totals == "nessuno" and not grand_total:
        total_word = True
    else:
        total_word = not flag()
    years = pick(YEARS[d])
    if d == "2021":
        header_rows = pick([1, 2])
        orders = [o for o in COLUMN_ORDERS if tables == "una" or o != "canali-anni"]
        column_order = pick(orders)
        channel_names = pick(["documento", "senza-anno", "puntati"])
        revenue = pick(["nessuna", "foglio", "affiancata"])
    else:
        header_rows, column_order, channel_names, revenue = 1, "anni-canali", "documento", \
            "nessuna"
    extras_allowed = [e for e in EXTRA_COLUMNS if d == "2021" or e != "percentuale"]
    extras = draw(st.sets(st.sampled_from(extras_allowed)))
    summaries = flag() and not (d == "2018" and (hierarchy == "numerazione"
                                                 or years == "triennio"))
    title_rows = draw(st.integers(0, 4))
    return Layout(
        dataset=d, sheets=sheets, tables=tables,
        servizio_in_header=(d == "2021" and tables == "per-tabella"
                            and hierarchy == "prefissi" and flag()),
        hierarchy=hierarchy, bold_headings=not flag(),
        numbering_chapter=pick([None, 7]) if hierarchy == "numerazione" else None,
        group_values=pick(["ripetuti", "solo-primo"]) if hierarchy == "colonne" else "ripetuti",
        header_rows=header_rows, header_caps=not flag(), label_header=pick(LABEL_HEADERS),
        years=years, column_order=column_order, channel_names=channel_names,
        totals=totals, total_word=total_word, azione_totals=azione_totals,
        totals_of_totals=azione_totals and formulas and flag(), grand_total=grand_total,
        formulas=formulas,
        extra_columns=tuple(e for e in EXTRA_COLUMNS if e in extras),
        label_col=draw(st.integers(0, 3)), title_rows=title_rows,
        merged_title=title_rows >= 1 and flag(),
        text_amounts=not formulas and flag(), comments=flag(),
        hidden=pick(["nessuna", "riga", "gruppo-chiuso"] if hierarchy == "struttura"
                    else ["nessuna", "riga"]),
        blank_rows=flag(), footnotes=totals == "sotto" and flag(),
        revenue=revenue, summaries=summaries,
        summaries_together=(d == "2021" and revenue == "foglio" and summaries and flag()),
        summary_sheet=d == "2018" and totals != "nessuno" and flag(),
    )

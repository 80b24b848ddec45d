"""The rest of a budget workbook: revenue table, confronto, pluriennale, triennale, Riepilogo.

One job: lay out the documents' other tables from ../shared/data, wherever a family puts
them (own sheet, beside the costs, stacked on one sheet). As in the sample workbooks, a total
that equals its components is a formula with its cached value, one that does not is the
document's number, typed: the slips stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..oracles import cents, rows
from .canvas import EUR, Canvas, SheetCanvas, a1, ref
from .expected import CellRef, Manifest
from .texts import REVENUE_LABELS_PUNTATI

HEADER = (("bg_color", "#D9E1F2"), ("bold", True), ("border", 1), ("text_wrap", True))
TITLE = {"bold": True, "font_size": 13}

REVENUE_CHANNELS = {
    "Avanzo gestionale 2020 vincolato": "AVANZO_VINCOLATO",
    "Avanzo gestionale 2020 - non vincolato": "AVANZO_NON_VINCOLATO",
    "FNPS 2021": "FNPS",
    "FSOL 2021": "FSOL",
    "FSR 2021": "FSR",
    "Comuni 2021": "COMUNI",
    "Fondo POVERTA' - Reddito di Cittadinanza-PON-PAIS": "ALTRI_FONDI_PROGETTUALI",
    "Dopo di noi": "ALTRI_FONDI_PROGETTUALI",
    "Progetto FAMI 2 Lab Impact + Fami linguistico Casalmaggiore": "ALTRI_FONDI_PROGETTUALI",
    "Care Leavers": "ALTRI_FONDI_PROGETTUALI",
    "Azioni di rete": "ALTRI_FONDI_PROGETTUALI",
    "Proximity": "ALTRI_FONDI_PROGETTUALI",
    "Progetto PIPPI": "ALTRI_FONDI_PROGETTUALI",
    "Fondazione Banca dell'Acqua": "ALTRI_FONDI_PROGETTUALI",
    "Doniamo Energia": "ALTRI_FONDI_PROGETTUALI",
    "FNA 2021": "ALTRI_FONDI_PROGETTUALI",
    "Progetto Diocesi": "ALTRI_FONDI_PROGETTUALI",
    "ATS Fondo sanitario Misura 6 Minori": "ATS",
    "Fondi ATS": "ATS",
}
"""The channel column of the schede each revenue item feeds (data/README.md: ALTRI FONDI
PROGETTUALI collects the project funds, FONDI ATS both ATS lines)."""

REVENUE_TOTALS = ("Totale avanzo 2020", "Totale Entrate 2021", "TOTALE BUDGET", "TOTALE PO 2021")
AVANZO = ("Avanzo gestionale 2020 vincolato", "Avanzo gestionale 2020 - non vincolato")
FIRST_ENTRATA, LAST_ENTRATA = "FNPS 2021", "Fondi ATS"


def _span(sheet: str, col: int, first: int, last: int, at: str) -> str:
    head = ref((sheet, first, col), at)
    return head if first == last else f"{head}:{a1(last, col)}"


def _total(sc: SheetCanvas, row: int, col: int, stated: int, formula: str,
           parts: Sequence[int | None], **style) -> CellRef:
    """The document's number: a formula when it equals its parts, else typed."""
    if sum(p or 0 for p in parts) == stated:
        return sc.formula(row, col, formula, stated / 100, **style)
    return sc.money(row, col, stated, **style)


@dataclass
class Revenue:
    """Where the revenue table went and what a reader must find in it."""

    items: list[tuple[str | None, int | None]]
    next_row: int


def revenue_table(canvas: Canvas, sheet: str, row: int, col: int, manifest: Manifest,
                  labels: str = "documento", title: bool = True) -> Revenue:
    """«Canali di finanziamento 2021» with its header at ``row`` (title above when asked)."""
    sc = canvas.sheet(sheet)
    data = rows("pp2021_canali.csv")
    if title:
        sc.text(row - 2, col, "CANALI DI FINANZIAMENTO 2021", **TITLE)
    sc.text(row, col, "ENTRATE PREVISIONALI ESERCIZIO 2021", **dict(HEADER))
    sc.text(row, col + 1, "IMPORTO", **dict(HEADER))
    sc.widths.setdefault(col, 62)
    sc.widths.setdefault(col + 1, 18)
    voci = [r["voce"] for r in data]
    at = {v: row + 1 + i for i, v in enumerate(voci)}
    value = {r["voce"]: cents(r["importo_2021"]) for r in data}
    vc = col + 1
    entrate = voci[voci.index(FIRST_ENTRATA):voci.index(LAST_ENTRATA) + 1]
    quote = [v for v in voci if "Quota vincolata" in v]
    avanzo = _span(sheet, vc, at[AVANZO[0]], at[AVANZO[1]], sheet)
    entrate_span = _span(sheet, vc, at[entrate[0]], at[entrate[-1]], sheet)
    formulas = {
        "Totale avanzo 2020": (f"=SUM({avanzo})", [value[a] for a in AVANZO]),
        "Totale Entrate 2021": (f"=SUM({entrate_span})", [value[e] for e in entrate]),
        "TOTALE BUDGET": (f"=SUM({a1(at['Totale avanzo 2020'], vc)},{entrate_span})",
                          [value["Totale avanzo 2020"], *(value[e] for e in entrate)]),
        "TOTALE PO 2021": ("=" + a1(at["TOTALE BUDGET"], vc)
                           + "".join("-" + a1(at[q], vc) for q in quote),
                           [value["TOTALE BUDGET"], *(-(value[q] or 0) for q in quote)]),
    }
    items: list[tuple[str | None, int | None]] = []
    for voce in voci:
        label = REVENUE_LABELS_PUNTATI.get(voce, voce) if labels == "puntati" else voce
        bold = {"bold": True} if voce in REVENUE_TOTALS else {}
        sc.text(at[voce], col, label, **bold)
        v = value[voce]
        if voce in formulas:
            formula, parts = formulas[voce]
            assert v is not None
            cell = _total(sc, at[voce], vc, v, formula, parts, bold=True, num_format=EUR)
        elif v is not None:
            cell = sc.money(at[voce], vc, v)
        else:
            cell = (sheet, at[voce], vc)
        manifest.revenue.append((cell, v))
        if voce not in REVENUE_TOTALS and voce not in quote:
            if voce not in REVENUE_CHANNELS:
                raise ValueError(f"revenue item {voce!r}: which channel does it feed?")
            items.append((REVENUE_CHANNELS[voce], v))
    return Revenue(items, row + 1 + len(voci))


def _is_amount(text: str) -> bool:
    return text[:1].isdigit() or text[:1] == "-"


def _summary(sc: SheetCanvas, header_row: int, header: list[str], data: list[dict[str, str]],
             label_key: str, value_keys: list[str], total_label: str) -> int:
    """Header, body rows (amounts, or a note kept as text), a TOTALE row; next free row."""
    for k, h in enumerate(header):
        sc.text(header_row, k, h, **dict(HEADER))
    body = [r for r in data if r[label_key] != total_label]
    first = header_row + 1
    for i, r in enumerate(body):
        sc.text(first + i, 0, r[label_key])
        for k, key in enumerate(value_keys):
            if _is_amount(r[key]):
                sc.money(first + i, 1 + k, cents(r[key]) or 0)
            elif r[key]:
                sc.text(first + i, 1 + k, r[key])
    total = next(r for r in data if r[label_key] == total_label)
    total_row = first + len(body)
    sc.text(total_row, 0, total_label, bold=True)
    for k, key in enumerate(value_keys):
        col = 1 + k
        _total(sc, total_row, col, cents(total[key]) or 0,
               f"=SUM({_span(sc.name, col, first, total_row - 1, sc.name)})",
               [cents(r[key]) for r in body if _is_amount(r[key])],
               bold=True, num_format=EUR)
    return total_row + 1


def confronto(canvas: Canvas, sheet: str, row: int) -> int:
    """«Confronto 2020 - 2021» per obiettivo, title at ``row``; next free row."""
    sc = canvas.sheet(sheet)
    sc.text(row, 0, "CONFRONTO 2020 - 2021", **TITLE)
    sc.widths.update({0: max(sc.widths.get(0, 0), 52), 1: 20, 2: 22, 3: 24})
    return _summary(sc, row + 2, ["OBIETTIVI", "PO 2020", "PRE CONSUNTIVO 2020", "BUDGET 2021"],
                    rows("pp2021_confronto.csv"), "obiettivo",
                    ["po_2020", "preconsuntivo_2020", "budget_2021"], "TOTALE BUDGET")


def pluriennale(canvas: Canvas, sheet: str, row: int) -> int:
    """«Budget pluriennale 2021-2023» per area, title at ``row``; next free row."""
    sc = canvas.sheet(sheet)
    sc.text(row, 0, "BUDGET PLURIENNALE 2021-2023", **TITLE)
    sc.widths.update({0: max(sc.widths.get(0, 0), 44), 1: 18, 2: 18, 3: 18})
    return _summary(sc, row + 2, ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"],
                    rows("pp2021_pluriennale.csv"), "area",
                    ["budget_2021", "budget_2022", "budget_2023"], "TOTALE BUDGET")


TRIENNIAL_YEARS = ["anno_2018", "anno_2019", "anno_2020"]


def triennale_2018(canvas: Canvas, sheet: str) -> None:
    """«Piano economico – preventivo triennale»: costs, a blank row, revenues."""
    sc = canvas.sheet(sheet)
    sc.widths.update({0: 46, 1: 18, 2: 18, 3: 18, 4: 20})
    sc.text(0, 0, "PIANO ECONOMICO – PREVENTIVO TRIENNALE", **TITLE)
    nxt = _triennial(sc, 2, "MACRO BUDGET – VOCI DI COSTO", rows("po2018_triennale_costi.csv"))
    _triennial(sc, nxt + 1, "CANALI DI FINANZIAMENTO AGGREGATI RICAVI",
               rows("po2018_triennale_canali.csv"))


def _triennial(sc: SheetCanvas, header_row: int, title: str, data: list[dict[str, str]]) -> int:
    for k, h in enumerate([title, "ANNO 2018", "ANNO 2019", "ANNO 2020", "TRIENNIO"]):
        sc.text(header_row, k, h, **dict(HEADER))
    body = [r for r in data if r["voce"] != "TOTALE"]
    first = header_row + 1
    for row, r in enumerate(body, start=first):
        sc.text(row, 0, r["voce"])
        for k, key in enumerate(TRIENNIAL_YEARS):
            sc.money(row, 1 + k, cents(r[key]) or 0)
        _total(sc, row, 4, cents(r["triennio"]) or 0, f"=SUM({a1(row, 1)}:{a1(row, 3)})",
               [cents(r[k]) for k in TRIENNIAL_YEARS], num_format=EUR)
    total = next(r for r in data if r["voce"] == "TOTALE")
    total_row = first + len(body)
    sc.text(total_row, 0, "TOTALE", bold=True)
    for k, key in enumerate([*TRIENNIAL_YEARS, "triennio"]):
        _total(sc, total_row, 1 + k, cents(total[key]) or 0,
               f"=SUM({_span(sc.name, 1 + k, first, total_row - 1, sc.name)})",
               [cents(r[key]) for r in body], bold=True, num_format=EUR)
    return total_row + 1


def riepilogo(canvas: Canvas, sheet: str, title: str, header: list[str | int],
              body: list[tuple[str, list[tuple[CellRef, int]]]]) -> None:
    """A summary sheet: one row per group whose cells point at the group's total cells
    (``='Obiettivo 1'!B20``, cached values), then a TOTALE row of SUMs."""
    sc = canvas.sheet(sheet)
    sc.widths.update({0: 52, **{k: 18 for k in range(1, len(header))}})
    sc.text(0, 0, title, **TITLE)
    for k, h in enumerate(header):
        if isinstance(h, str):
            sc.text(2, k, h, **dict(HEADER))
        else:
            sc.number(2, k, h, **dict(HEADER))
    first = 3
    sums = [0] * (len(header) - 1)
    for i, (label, cells) in enumerate(body):
        sc.text(first + i, 0, label)
        for k, (cell, value) in enumerate(cells):
            sc.formula(first + i, 1 + k, "=" + ref(cell, sheet), value / 100,
                       num_format=EUR)
            sums[k] += value
    total_row = first + len(body)
    sc.text(total_row, 0, "TOTALE", bold=True)
    for k, value in enumerate(sums):
        sc.formula(total_row, 1 + k,
                   f"=SUM({_span(sheet, 1 + k, first, total_row - 1, sheet)})", value / 100,
                   bold=True, num_format=EUR)

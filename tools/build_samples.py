"""Build the sample workbooks from the real figures in ../shared/data, deterministically.

The workbooks are laid out like the original documents (../shared/seeds): for 2021 one
sheet per area with several tables, each with its own header and channel columns, bold
``Azione n: ...`` rows and ``TOTALE ...`` rows; the revenue table, the 2020-2021 comparison
and the pluriennale; for 2018 the obiettivi with their azioni and lines and the
"Piano economico – preventivo triennale" with the revenue table. A stated total that
equals its lines is a ``SUM`` formula (with its cached value); one that does not is the
document's number, typed — that is how the slips got into the documents.

Run: ``.venv/bin/python tools/build_samples.py [--out DIR]`` (default ``workbooks/``).
Same input, same bytes: fixed document properties, no timestamps.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import xlsxwriter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pdz_xl.money import EUR_FORMAT  # noqa: E402

DATA = Path(os.environ.get("PDZ_SHARED_DATA", REPO.parent / "shared" / "data"))
CREATED = dt.datetime(2021, 3, 1, 9, 0, 0)

CHANNEL_HEADERS = {
    "FNPS": "FNPS 2021", "FSOL": "FSOL 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI",
    "ATS": "FONDI ATS", "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
    "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
    "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI",
}
AREA_SHEETS = {
    "AREA SERVIZI AZIENDALI": "Servizi aziendali",
    "AREA GESTIONE ASSOCIATA SERVIZI": "Gestione associata",
    "AREA PROGETTAZIONE": "Progettazione",
    "AREA MISURE DISTRETTUALI E REGIONALI": "Misure distrettuali",
    "AREA UFFICIO DI PIANO": "Ufficio di piano",
}

# po2018_lines.csv misses one line that the source document has
# (seeds/piano_operativo_2018.txt, obiettivo 10, after "Azione 5: PRO-VI":
# "Azione 6: Sportello badanti / Azione di supporto alla domiciliarità € 10.000,00").
# The document's TOTALE OBIETTIVO 10 (875.733,92) and its triennial table include it.
ERRATA_2018 = [
    {"after": ("10", "Azione 5: PRO-VI", "Provi"),
     "line": {"obiettivo_n": "10", "obiettivo": "MISURE DISTRETTUALI E REGIONALI",
              "azione": "Azione 6: Sportello badanti",
              "voce": "Azione di supporto alla domiciliarità", "importo_2018": "10000.00"}},
]


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a data file."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def dec(text: str) -> Decimal | None:
    """A CSV amount (None when blank)."""
    return Decimal(text) if text.strip() else None


class Book:
    """XlsxWriter workbook with the formats the samples use."""

    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        self.wb.set_properties({"title": path.stem, "author": "pdz-xl",
                                "company": "Comunità Sociale Cremasca", "created": CREATED})
        self.title = self.wb.add_format({"bold": True, "font_size": 13})
        self.bold = self.wb.add_format({"bold": True})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                          "text_wrap": True, "valign": "vcenter"})
        self.money = self.wb.add_format({"num_format": EUR_FORMAT})
        self.money_bold = self.wb.add_format({"num_format": EUR_FORMAT, "bold": True})
        self.text = self.wb.add_format({})

    def sheet(self, name: str, widths: list[float]):
        ws = self.wb.add_worksheet(name)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        return ws

    def amount(self, ws, row: int, col: int, value: Decimal | None, bold: bool = False) -> None:
        if value is not None:
            ws.write_number(row, col, float(value), self.money_bold if bold else self.money)

    def total(self, ws, row: int, col: int, stated: Decimal | None, ranges: list[str],
              parts: list[Decimal | None]) -> None:
        """A stated total: SUM formula when it equals its parts, else the typed number."""
        if stated is None:
            return
        actual = sum((p for p in parts if p is not None), Decimal(0))
        if actual == stated:
            ws.write_formula(row, col, "=SUM(" + ",".join(ranges) + ")", self.money_bold,
                             float(stated))
        else:
            ws.write_number(row, col, float(stated), self.money_bold)

    def close(self) -> None:
        self.wb.close()


def write_azioni(book: Book, ws, row: int, lines: list[dict], amounts) -> int:
    """A bold «Azione n: ...» row before each azione's lines; returns the next free row.
    ``amounts(row, line)`` writes a line's amount cells."""
    azione = None
    for line in lines:
        if line["azione"] != azione:
            azione = line["azione"]
            ws.write(row, 0, azione, book.bold)
            row += 1
        ws.write(row, 0, line["voce"], book.text)
        amounts(row, line)
        row += 1
    return row


def col(c: int) -> str:
    """0 -> A."""
    return xlsxwriter.utility.xl_col_to_name(c)


# ----------------------------------------------------------------------------- 2021
def build_2021(path: Path) -> None:
    lines = read_csv("pp2021_lines.csv")
    totals = {r["area"] + "|" + r["servizio"]: r for r in read_csv("pp2021_totals.csv")}
    book = Book(path)
    for area, area_lines in groupby(lines, key=lambda r: r["area"]):
        _area_sheet_2021(book, area, list(area_lines), totals)
    _revenue_sheet_2021(book)
    _confronto_sheet_2021(book)
    _pluriennale_sheet_2021(book)
    rules_sheet(book, rules_2021())
    book.close()


def _area_sheet_2021(book: Book, area: str, area_lines: list[dict], totals: dict) -> None:
    width = 2 + max(len(r["colonne_canali_della_tabella"].split("|")) for r in area_lines)
    ws = book.sheet(AREA_SHEETS[area], [58] + [16] * width)
    ws.merge_range(0, 0, 0, width, "BUDGET 2021 – SCHEDE", book.title)
    ws.write(1, 0, area, book.bold)
    row = 3
    area_ranges: dict[int, list[str]] = {1: [], 2: []}
    area_parts: dict[int, list] = {1: [], 2: []}
    tables = [list(g) for _, g in groupby(area_lines, key=lambda r: r["tabella"])]
    for t_index, table in enumerate(tables):
        channels = table[0]["colonne_canali_della_tabella"].split("|")
        servizio = table[0]["servizio"]
        ws.write(row, 0, servizio, book.header)
        ws.write_row(row, 1, ["BUDGET 2020", "BUDGET 2021"]
                     + [CHANNEL_HEADERS[c] for c in channels], book.header)
        row += 1
        first = row

        def amounts(r: int, line: dict, channels=channels) -> None:
            book.amount(ws, r, 1, dec(line["budget_2020"]))
            book.amount(ws, r, 2, dec(line["budget_2021"]))
            for k, c in enumerate(channels):
                book.amount(ws, r, 3 + k, dec(line[c]))

        row = write_azioni(book, ws, row, table, amounts)
        last = row - 1
        for c in (1, 2):
            area_ranges[c].append(f"{col(c)}{first + 1}:{col(c)}{last + 1}")
            key = "budget_2020" if c == 1 else "budget_2021"
            area_parts[c].extend(dec(r[key]) for r in table)
        stated = totals.get(area + "|" + servizio) if servizio else None
        is_last = t_index == len(tables) - 1
        if stated is None and is_last:
            stated = totals.get(area + "|")
            ranges, parts = area_ranges, area_parts
        else:
            ranges = {c: [f"{col(c)}{first + 1}:{col(c)}{last + 1}"] for c in (1, 2)}
            parts = {1: [dec(r["budget_2020"]) for r in table],
                     2: [dec(r["budget_2021"]) for r in table]}
        if stated is not None:
            ws.write(row, 0, stated["voce_totale"], book.bold)
            book.total(ws, row, 1, dec(stated["totale_dichiarato_2020"]), ranges[1], parts[1])
            book.total(ws, row, 2, dec(stated["totale_dichiarato_2021"]), ranges[2], parts[2])
            row += 1
        row += 1


def _revenue_sheet_2021(book: Book) -> None:
    rows = read_csv("pp2021_canali.csv")
    ws = book.sheet("Canali 2021", [70, 18])
    ws.write(0, 0, "CANALI DI FINANZIAMENTO 2021", book.title)
    ws.write_row(2, 0, ["ENTRATE PREVISIONALI ESERCIZIO 2021", "IMPORTO"], book.header)
    first = 3
    index = {r["voce"]: first + i for i, r in enumerate(rows)}
    value = {r["voce"]: dec(r["importo_2021"]) for r in rows}
    avanzo = ["Avanzo gestionale 2020 vincolato", "Avanzo gestionale 2020 - non vincolato"]
    entrate = [r["voce"] for r in rows[3:20]]
    quote = [r["voce"] for r in rows if "Quota vincolata" in r["voce"]]
    bold_rows = {"Totale avanzo 2020", "Totale Entrate 2021", "TOTALE BUDGET", "TOTALE PO 2021"}
    for r in rows:
        voce, i = r["voce"], index[r["voce"]]
        ws.write(i, 0, voce, book.bold if voce in bold_rows else book.text)
        stated = value[voce]
        if voce == "Totale avanzo 2020":
            book.total(ws, i, 1, stated, [f"B{index[avanzo[0]] + 1}:B{index[avanzo[1]] + 1}"],
                       [value[a] for a in avanzo])
        elif voce == "Totale Entrate 2021":
            book.total(ws, i, 1, stated, [f"B{index[entrate[0]] + 1}:B{index[entrate[-1]] + 1}"],
                       [value[e] for e in entrate])
        elif voce == "TOTALE BUDGET":
            parts = [value["Totale avanzo 2020"], *[value[e] for e in entrate]]
            book.total(ws, i, 1, stated, [f"B{index['Totale avanzo 2020'] + 1}",
                                          f"B{index[entrate[0]] + 1}:B{index[entrate[-1]] + 1}"],
                       parts)
        elif voce == "TOTALE PO 2021":
            budget = value["TOTALE BUDGET"]
            net = budget - sum(value[q] for q in quote)
            if net == stated:
                formula = f"=B{index['TOTALE BUDGET'] + 1}" + "".join(
                    f"-B{index[q] + 1}" for q in quote)
                ws.write_formula(i, 1, formula, book.money_bold, float(stated))
            else:
                book.amount(ws, i, 1, stated, bold=True)
        else:
            book.amount(ws, i, 1, stated)


def _simple_summary(book: Book, ws, header_row: int, header: list[str], rows: list[dict],
                    label_key: str, value_keys: list[str], total_label: str) -> None:
    """Rows of a summary table with a TOTALE row of SUM formulas where consistent."""
    ws.write_row(header_row, 0, header, book.header)
    body = [r for r in rows if r[label_key] != total_label]
    first = header_row + 1
    for i, r in enumerate(body):
        ws.write(first + i, 0, r[label_key], book.text)
        for k, key in enumerate(value_keys):
            raw = r[key]
            if raw and (raw[0].isdigit() or raw[0] == "-"):
                book.amount(ws, first + i, 1 + k, Decimal(raw))
            elif raw:
                ws.write_string(first + i, 1 + k, raw)
    total = next(r for r in rows if r[label_key] == total_label)
    trow = first + len(body)
    ws.write(trow, 0, total_label, book.bold)
    for k, key in enumerate(value_keys):
        parts = [Decimal(r[key]) for r in body if r[key][:1].isdigit()]
        c = col(1 + k)
        book.total(ws, trow, 1 + k, Decimal(total[key]), [f"{c}{first + 1}:{c}{trow}"], parts)


def _confronto_sheet_2021(book: Book) -> None:
    ws = book.sheet("Confronto 2020-2021", [52, 20, 22, 24])
    ws.write(0, 0, "CONFRONTO 2020 - 2021", book.title)
    _simple_summary(book, ws, 2, ["OBIETTIVI", "PO 2020", "PRE CONSUNTIVO 2020", "BUDGET 2021"],
                    read_csv("pp2021_confronto.csv"), "obiettivo",
                    ["po_2020", "preconsuntivo_2020", "budget_2021"], "TOTALE BUDGET")


def _pluriennale_sheet_2021(book: Book) -> None:
    ws = book.sheet("Budget pluriennale", [44, 18, 18, 18])
    ws.write(0, 0, "BUDGET PLURIENNALE 2021-2023", book.title)
    _simple_summary(book, ws, 2, ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"],
                    read_csv("pp2021_pluriennale.csv"), "area",
                    ["budget_2021", "budget_2022", "budget_2023"], "TOTALE BUDGET")


# ------------------------------------------------------------------------ rules
RULES_HEADER = ["Canale", "Area/Obiettivo", "Servizio", "Azione", "Voce", "Ammesso",
                "Priorità", "Quota min %", "Quota max %"]

# A rule set a planner would recognise for 2018 (the document has no per-line split):
# restricted FNA on the FNA measures, PROVINCIA on the provincial plan, ATS on the CDD and
# the network of services, COMUNI first on the services managed together (gestione
# associata), the regional fund on the network of services, other funds on projects.
RULES_2018 = [
    ("FNA", "*MISURE DISTRETTUALI*", "", "*FNA*", "", "sì", 1),
    ("PROVINCIA", "", "", "", "*Provincia*", "sì", 1),
    ("ATS", "*GESTIONE ASSOCIATA*", "", "*CDD*", "", "sì", 1),
    ("ATS", "*RETE UNITA*", "", "", "", "sì", 2),
    ("COMUNI", "*GESTIONE ASSOCIATA*", "", "", "", "sì", 5),
    ("FRS", "*RETE UNITA*", "", "", "", "sì", 5),
    ("ALTRI FONDI", "*PROGETTAZIONE*", "", "", "", "sì", 5),
    ("RESIDUI", "", "", "", "", "sì", 40),
]


def rules_2021() -> list[tuple]:
    """The purposes the 2021 document gives its restricted funds: each azione where it
    uses AVANZO VINCOLATO or ALTRI FONDI PROGETTUALI."""
    out: dict[tuple, None] = {}
    for r in read_csv("pp2021_lines.csv"):
        for code in ("AVANZO_VINCOLATO", "ALTRI_FONDI_PROGETTUALI"):
            if r[code] and Decimal(r[code]) != 0:
                out[(CHANNEL_HEADERS[code], r["area"], r["servizio"], r["azione"], "", "sì",
                     10)] = None
    return list(out)


def rules_sheet(book: Book, rows: list[tuple]) -> None:
    ws = book.sheet("Regole PDZ", [26, 40, 30, 44, 30, 9, 9, 11, 11])
    ws.write(0, 0, "Regole di allocazione: per ogni riga e canale vale la prima regola che "
                   "corrisponde; «*» vale qualsiasi testo.", book.text)
    ws.write_row(2, 0, RULES_HEADER, book.header)
    for i, row in enumerate(rows):
        ws.write_row(3 + i, 0, list(row))


# ----------------------------------------------------------------------------- 2018
def lines_2018() -> list[dict[str, str]]:
    """The 2018 lines with the errata applied."""
    rows = read_csv("po2018_lines.csv")
    for fix in ERRATA_2018:
        n, azione, voce = fix["after"]
        at = next(i for i, r in enumerate(rows)
                  if (r["obiettivo_n"], r["azione"], r["voce"]) == (n, azione, voce))
        rows.insert(at + 1, dict(fix["line"]))
    return rows


def build_2018(path: Path) -> None:
    book = Book(path)
    _detail_sheet_2018(book)
    _triennale_sheet_2018(book)
    rules_sheet(book, RULES_2018)
    book.close()


def _detail_sheet_2018(book: Book) -> None:
    ws = book.sheet("Piano Operativo 2018", [80, 18])
    ws.merge_range(0, 0, 0, 1, "PIANO OPERATIVO 2018", book.title)
    ws.write_row(1, 0, ["OBIETTIVI / AZIONI / VOCI DI COSTO", "BUDGET 2018"], book.header)
    totals = {r["obiettivo_n"]: dec(r["totale_dichiarato_2018"])
              for r in read_csv("po2018_totals.csv")}
    row = 2
    for n, group in groupby(lines_2018(), key=lambda r: r["obiettivo_n"]):
        group = list(group)
        heading = (f"{n}. {group[0]['obiettivo']}" if n == "15"
                   else f"OBIETTIVO {n}: {group[0]['obiettivo']}")
        ws.write(row, 0, heading, book.bold)
        row += 1
        first = row
        row = write_azioni(book, ws, row, group,
                           lambda r, line: book.amount(ws, r, 1, dec(line["importo_2018"])))
        ws.write(row, 0, f"TOTALE OBIETTIVO {n}", book.bold)
        book.total(ws, row, 1, totals[n], [f"B{first + 1}:B{row}"],
                   [dec(r["importo_2018"]) for r in group])
        row += 2


def _triennale_sheet_2018(book: Book) -> None:
    ws = book.sheet("Preventivo triennale", [46, 18, 18, 18, 20])
    ws.write(0, 0, "PIANO ECONOMICO – PREVENTIVO TRIENNALE", book.title)
    keys = ["anno_2018", "anno_2019", "anno_2020"]
    next_row = _triennial_table(book, ws, 2, "MACRO BUDGET – VOCI DI COSTO",
                                read_csv("po2018_triennale_costi.csv"), keys)
    _triennial_table(book, ws, next_row + 1, "CANALI DI FINANZIAMENTO AGGREGATI RICAVI",
                     read_csv("po2018_triennale_canali.csv"), keys)


def _triennial_table(book: Book, ws, header_row: int, title: str, rows: list[dict],
                     keys: list[str]) -> int:
    ws.write_row(header_row, 0, [title, "ANNO 2018", "ANNO 2019", "ANNO 2020", "TRIENNIO"],
                 book.header)
    body = [r for r in rows if r["voce"] != "TOTALE"]
    first = header_row + 1
    for i, r in enumerate(body):
        row = first + i
        ws.write(row, 0, r["voce"], book.text)
        for k, key in enumerate(keys):
            book.amount(ws, row, 1 + k, Decimal(r[key]))
        book.total(ws, row, 4, Decimal(r["triennio"]), [f"B{row + 1}:D{row + 1}"],
                   [Decimal(r[k]) for k in keys])
    total = next(r for r in rows if r["voce"] == "TOTALE")
    trow = first + len(body)
    ws.write(trow, 0, "TOTALE", book.bold)
    for k, key in enumerate([*keys, "triennio"]):
        c = col(1 + k)
        book.total(ws, trow, 1 + k, Decimal(total[key]), [f"{c}{first + 1}:{c}{trow}"],
                   [Decimal(r[key]) for r in body])
    return trow + 1


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "workbooks")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    build_2018(args.out / "piano_operativo_2018.xlsx")
    build_2021(args.out / "piano_programma_2021.xlsx")
    print(f"scritti {args.out / 'piano_operativo_2018.xlsx'} e "
          f"{args.out / 'piano_programma_2021.xlsx'}")


if __name__ == "__main__":
    main()

"""Build the sample workbooks from the real figures in ../shared/data, deterministically.

The workbooks are laid out like the original documents (../shared/seeds): for 2021 one
sheet per area with several tables, each with its own header and channel columns, bold
``Azione n: ...`` rows and ``TOTALE ...`` rows; the revenue table, the 2020-2021 comparison
and the pluriennale; for 2018 the obiettivi with their azioni and lines and the
"Piano economico – preventivo triennale" with the revenue table. A stated total that
equals its components is a formula (``SUM`` with its cached value); one that does not is
the document's number, typed — that is how the slips got into the documents.

Both workbooks also carry a «Regole PDZ» sheet (allocation rules, see
``pdz_xl/allocate/rules.py``); the allocation and validation suites rely on it.

Run: ``.venv/bin/python tools/build_samples.py [--out DIR]`` (default ``workbooks/``);
the data folder is ``$PDZ_SHARED_DATA`` or ``../shared/data`` next to the repository.
Same input, same bytes: fixed document properties, no timestamps.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pdz_xl.allocate.rules import HEADERS as RULE_HEADERS  # noqa: E402
from pdz_xl.allocate.sample_rules import rows_2018  # noqa: E402
from pdz_xl.money import EUR_FORMAT  # noqa: E402

DATA = Path(os.environ.get("PDZ_SHARED_DATA", REPO.parent / "shared" / "data"))
CREATED = dt.datetime(2021, 3, 1, 9, 0, 0)
"""Fixed creation date in the document properties (keeps the bytes stable)."""

Row = dict[str, str]

CHANNEL_HEADERS = {
    "FNPS": "FNPS 2021", "FSOL": "FSOL 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI",
    "ATS": "FONDI ATS", "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
    "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
    "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI",
}
"""CSV channel column -> the header text the 2021 document prints."""

AREA_SHEETS = {
    "AREA SERVIZI AZIENDALI": "Servizi aziendali",
    "AREA GESTIONE ASSOCIATA SERVIZI": "Gestione associata",
    "AREA PROGETTAZIONE": "Progettazione",
    "AREA MISURE DISTRETTUALI E REGIONALI": "Misure distrettuali",
    "AREA UFFICIO DI PIANO": "Ufficio di piano",
}


# ------------------------------------------------------------------------------ data
def read_csv(name: str) -> list[Row]:
    """Rows of a data file."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def dec(text: str) -> Decimal | None:
    """A CSV amount (None when blank)."""
    return Decimal(text) if text.strip() else None


def is_amount(text: str) -> bool:
    """True when a CSV cell holds a number (summary tables also hold notes as text)."""
    return text[:1].isdigit() or text[:1] == "-"


def decimal_sum(parts: Iterable[Decimal | None]) -> Decimal:
    """Exact sum; blank cells count as nothing."""
    return sum((p for p in parts if p is not None), Decimal(0))


def sum_formula(ranges: Sequence[str]) -> str:
    """``=SUM(C5:C16,C20:C33)``."""
    return "=SUM(" + ",".join(ranges) + ")"


def col_range(col: int, first: int, last: int) -> str:
    """A1 range of one column between two 0-based rows: (2, 4, 15) -> C5:C16."""
    return xl_range(first, col, last, col)


def cell(row: int, col: int) -> str:
    """A1 name of a 0-based cell: (4, 1) -> B5."""
    return xl_rowcol_to_cell(row, col)


# ------------------------------------------------------------------------------ book
class Book:
    """An XlsxWriter workbook with the formats the samples use."""

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

    def sheet(self, name: str, widths: Sequence[float]) -> Worksheet:
        """A new sheet with these column widths (A, B, ...)."""
        ws = self.wb.add_worksheet(name)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        return ws

    def label(self, ws: Worksheet, row: int, text: str, bold: bool = False) -> None:
        """Text in column A."""
        ws.write(row, 0, text, self.bold if bold else self.text)

    def amount(self, ws: Worksheet, row: int, col: int, value: Decimal | None,
               bold: bool = False) -> None:
        """An amount in euro format; a blank stays an empty cell, 0 is the number 0."""
        if value is not None:
            ws.write_number(row, col, float(value), self.money_bold if bold else self.money)

    def total(self, ws: Worksheet, row: int, col: int, stated: Decimal | None, formula: str,
              parts: Iterable[Decimal | None]) -> bool:
        """A stated total: ``formula`` (cached value = stated) when the stated number equals
        the exact sum of ``parts``, else the typed number. Returns True for a formula."""
        if stated is None:
            return False
        if decimal_sum(parts) == stated:
            ws.write_formula(row, col, formula, self.money_bold, float(stated))
            return True
        ws.write_number(row, col, float(stated), self.money_bold)
        return False

    def close(self) -> None:
        """Write the file."""
        self.wb.close()


AmountWriter = Callable[[int, Row], None]


def write_azioni(book: Book, ws: Worksheet, row: int, lines: Sequence[Row],
                 amounts: AmountWriter) -> int:
    """A bold «Azione n: ...» row before each azione's lines, then each line's voce in A and
    its amounts via ``amounts(row, line)``; returns the next free row."""
    for azione, group in groupby(lines, key=lambda r: r["azione"]):
        book.label(ws, row, azione, bold=True)
        row += 1
        for line in group:
            ws.write(row, 0, line["voce"], book.text)
            amounts(row, line)
            row += 1
    return row


# ----------------------------------------------------------------------------- 2021
BUDGET_COLS = {1: "budget_2020", 2: "budget_2021"}
"""Sheet column (0-based) -> CSV column of the two budget years in the schede."""


@dataclass
class Scope:
    """Line ranges and amounts a TOTALE row closes, per budget column."""

    ranges: dict[int, list[str]]
    parts: dict[int, list[Decimal | None]]

    @classmethod
    def empty(cls) -> Scope:
        return cls({c: [] for c in BUDGET_COLS}, {c: [] for c in BUDGET_COLS})

    def add(self, table: Sequence[Row], first: int, last: int) -> None:
        """Add a table whose line rows are ``first..last`` (0-based, azione rows inside)."""
        for c, key in BUDGET_COLS.items():
            self.ranges[c].append(col_range(c, first, last))
            self.parts[c].extend(dec(r[key]) for r in table)


def build_2021(path: Path) -> None:
    """piano_programma_2021.xlsx."""
    lines = read_csv("pp2021_lines.csv")
    totals = {(r["area"], r["servizio"]): r for r in read_csv("pp2021_totals.csv")}
    book = Book(path)
    for area, area_lines in groupby(lines, key=lambda r: r["area"]):
        _area_sheet_2021(book, area, list(area_lines), totals)
    _revenue_sheet_2021(book)
    _confronto_sheet_2021(book)
    _pluriennale_sheet_2021(book)
    rules_sheet(book, rules_2021())
    book.close()


def _area_sheet_2021(book: Book, area: str, area_lines: list[Row],
                     totals: dict[tuple[str, str], Row]) -> None:
    """One area: title, area name, then its tables with their TOTALE rows."""
    last_col = 2 + max(len(r["colonne_canali_della_tabella"].split("|")) for r in area_lines)
    ws = book.sheet(AREA_SHEETS[area], [58] + [16] * last_col)
    ws.merge_range(0, 0, 0, last_col, "BUDGET 2021 – SCHEDE", book.title)
    book.label(ws, 1, area, bold=True)
    row = 3
    area_scope = Scope.empty()
    tables = [list(g) for _, g in groupby(area_lines, key=lambda r: r["tabella"])]
    for index, table in enumerate(tables):
        first, row = _table_2021(book, ws, row, table)
        area_scope.add(table, first, row - 1)
        table_scope = Scope.empty()
        table_scope.add(table, first, row - 1)
        servizio = table[0]["servizio"]
        stated = totals.get((area, servizio)) if servizio else None
        scope = table_scope
        if stated is None and index == len(tables) - 1:
            stated, scope = totals.get((area, "")), area_scope
        if stated is not None:
            _total_row_2021(book, ws, row, stated, scope)
            row += 1
        row += 1


def _table_2021(book: Book, ws: Worksheet, row: int, table: list[Row]) -> tuple[int, int]:
    """Header row (servizio or blank, the two years, the table's own channel columns in the
    document's order), then the azioni; returns (first line row, next free row)."""
    channels = table[0]["colonne_canali_della_tabella"].split("|")
    ws.write(row, 0, table[0]["servizio"], book.header)
    ws.write_row(row, 1, ["BUDGET 2020", "BUDGET 2021"]
                 + [CHANNEL_HEADERS[c] for c in channels], book.header)

    def amounts(r: int, line: Row) -> None:
        for c, key in BUDGET_COLS.items():
            book.amount(ws, r, c, dec(line[key]))
        for k, code in enumerate(channels):
            book.amount(ws, r, 3 + k, dec(line[code]))

    return row + 1, write_azioni(book, ws, row + 1, table, amounts)


def _total_row_2021(book: Book, ws: Worksheet, row: int, stated: Row, scope: Scope) -> None:
    """A bold TOTALE row: amounts in the two budget columns only, channel cells blank."""
    book.label(ws, row, stated["voce_totale"], bold=True)
    for c, year in ((1, "2020"), (2, "2021")):
        book.total(ws, row, c, dec(stated[f"totale_dichiarato_{year}"]),
                   sum_formula(scope.ranges[c]), scope.parts[c])


REVENUE_BOLD = {"Totale avanzo 2020", "Totale Entrate 2021", "TOTALE BUDGET", "TOTALE PO 2021"}
AVANZO = ("Avanzo gestionale 2020 vincolato", "Avanzo gestionale 2020 - non vincolato")
FIRST_ENTRATA, LAST_ENTRATA = "FNPS 2021", "Fondi ATS"


def _revenue_sheet_2021(book: Book) -> None:
    """«Canali di finanziamento 2021»: every revenue row; the four totals are formulas
    where the stated number equals its components."""
    rows = read_csv("pp2021_canali.csv")
    ws = book.sheet("Canali 2021", [70, 18])
    ws.write(0, 0, "CANALI DI FINANZIAMENTO 2021", book.title)
    ws.write_row(2, 0, ["ENTRATE PREVISIONALI ESERCIZIO 2021", "IMPORTO"], book.header)
    labels = [r["voce"] for r in rows]
    at = {voce: 3 + i for i, voce in enumerate(labels)}
    value = {r["voce"]: dec(r["importo_2021"]) for r in rows}
    entrate = labels[labels.index(FIRST_ENTRATA):labels.index(LAST_ENTRATA) + 1]
    quote = [voce for voce in labels if "Quota vincolata" in voce]
    avanzo_range = xl_range(at[AVANZO[0]], 1, at[AVANZO[1]], 1)
    entrate_range = xl_range(at[entrate[0]], 1, at[entrate[-1]], 1)
    totals: dict[str, tuple[str, list[Decimal | None]]] = {
        "Totale avanzo 2020": (sum_formula([avanzo_range]), [value[a] for a in AVANZO]),
        "Totale Entrate 2021": (sum_formula([entrate_range]), [value[e] for e in entrate]),
        "TOTALE BUDGET": (sum_formula([cell(at["Totale avanzo 2020"], 1), entrate_range]),
                          [value["Totale avanzo 2020"], *(value[e] for e in entrate)]),
        "TOTALE PO 2021": (
            "=" + cell(at["TOTALE BUDGET"], 1) + "".join("-" + cell(at[q], 1) for q in quote),
            [value["TOTALE BUDGET"], *(-value[q] for q in quote if value[q] is not None)]),
    }
    for voce in labels:
        book.label(ws, at[voce], voce, bold=voce in REVENUE_BOLD)
        if voce in totals:
            formula, parts = totals[voce]
            book.total(ws, at[voce], 1, value[voce], formula, parts)
        else:
            book.amount(ws, at[voce], 1, value[voce])


def _summary_table(book: Book, ws: Worksheet, header_row: int, header: list[str],
                   rows: list[Row], label_key: str, value_keys: list[str],
                   total_label: str) -> None:
    """Header, body rows (amounts, or a note kept as text) and a TOTALE row of SUM
    formulas where consistent."""
    ws.write_row(header_row, 0, header, book.header)
    body = [r for r in rows if r[label_key] != total_label]
    first = header_row + 1
    for i, r in enumerate(body):
        ws.write(first + i, 0, r[label_key], book.text)
        for k, key in enumerate(value_keys):
            if is_amount(r[key]):
                book.amount(ws, first + i, 1 + k, Decimal(r[key]))
            elif r[key]:
                ws.write_string(first + i, 1 + k, r[key])
    total = next(r for r in rows if r[label_key] == total_label)
    total_row = first + len(body)
    ws.write(total_row, 0, total_label, book.bold)
    for k, key in enumerate(value_keys):
        book.total(ws, total_row, 1 + k, Decimal(total[key]),
                   sum_formula([col_range(1 + k, first, total_row - 1)]),
                   [Decimal(r[key]) for r in body if is_amount(r[key])])


def _confronto_sheet_2021(book: Book) -> None:
    """«Confronto 2020 - 2021» per obiettivo."""
    ws = book.sheet("Confronto 2020-2021", [52, 20, 22, 24])
    ws.write(0, 0, "CONFRONTO 2020 - 2021", book.title)
    _summary_table(book, ws, 2, ["OBIETTIVI", "PO 2020", "PRE CONSUNTIVO 2020", "BUDGET 2021"],
                   read_csv("pp2021_confronto.csv"), "obiettivo",
                   ["po_2020", "preconsuntivo_2020", "budget_2021"], "TOTALE BUDGET")


def _pluriennale_sheet_2021(book: Book) -> None:
    """«Budget pluriennale 2021-2023» per area."""
    ws = book.sheet("Budget pluriennale", [44, 18, 18, 18])
    ws.write(0, 0, "BUDGET PLURIENNALE 2021-2023", book.title)
    _summary_table(book, ws, 2, ["AREE", "BUDGET 2021", "BUDGET 2022", "BUDGET 2023"],
                   read_csv("pp2021_pluriennale.csv"), "area",
                   ["budget_2021", "budget_2022", "budget_2023"], "TOTALE BUDGET")


# ----------------------------------------------------------------------------- rules
RuleRow = tuple[str, str, str, str, str, str, int]

def rules_2021() -> list[RuleRow]:
    """The purposes the 2021 document gives its restricted funds: each azione where it
    uses AVANZO VINCOLATO or ALTRI FONDI PROGETTUALI."""
    out: dict[RuleRow, None] = {}
    for r in read_csv("pp2021_lines.csv"):
        for code in ("AVANZO_VINCOLATO", "ALTRI_FONDI_PROGETTUALI"):
            if r[code] and Decimal(r[code]) != 0:
                out[(CHANNEL_HEADERS[code], r["area"], r["servizio"], r["azione"], "", "sì",
                     10)] = None
    return list(out)


def rules_sheet(book: Book, rules: Sequence[Sequence[object]]) -> None:
    """The «Regole PDZ» sheet the allocation reads (columns as ``rules.HEADERS``)."""
    ws = book.sheet("Regole PDZ", [26, 40, 30, 44, 30, 9, 9, 11, 11, 60])
    ws.write(0, 0, "Regole di allocazione: per ogni riga e canale vale la prima regola che "
                   "corrisponde; «*» vale qualsiasi testo.", book.text)
    ws.write_row(2, 0, RULE_HEADERS, book.header)
    for i, rule in enumerate(rules):
        ws.write_row(3 + i, 0, [float(v) if isinstance(v, Decimal) else v for v in rule])


# ----------------------------------------------------------------------------- 2018
def lines_2018() -> list[Row]:
    """The 2018 lines, as the document has them."""
    return read_csv("po2018_lines.csv")


def obiettivo_heading(n: str, name: str) -> str:
    """The document's heading: «OBIETTIVO 1: CARTELLA SOCIALE», but «15. UFFICIO DI PIANO»."""
    return f"{n}. {name}" if n == "15" else f"OBIETTIVO {n}: {name}"


def build_2018(path: Path) -> None:
    """piano_operativo_2018.xlsx."""
    book = Book(path)
    _detail_sheet_2018(book)
    _triennale_sheet_2018(book)
    rules_sheet(book, rows_2018())
    book.close()


def _detail_sheet_2018(book: Book) -> None:
    """«Piano Operativo 2018»: obiettivi, azioni, lines and TOTALE OBIETTIVO n."""
    ws = book.sheet("Piano Operativo 2018", [80, 18])
    ws.merge_range(0, 0, 0, 1, "PIANO OPERATIVO 2018", book.title)
    ws.write_row(1, 0, ["OBIETTIVI / AZIONI / VOCI DI COSTO", "BUDGET 2018"], book.header)
    totals = {r["obiettivo_n"]: dec(r["totale_dichiarato_2018"])
              for r in read_csv("po2018_totals.csv")}
    row = 2
    for n, group in groupby(lines_2018(), key=lambda r: r["obiettivo_n"]):
        lines = list(group)
        book.label(ws, row, obiettivo_heading(n, lines[0]["obiettivo"]), bold=True)
        first = row + 1
        row = write_azioni(book, ws, first, lines,
                           lambda r, line: book.amount(ws, r, 1, dec(line["importo_2018"])))
        book.label(ws, row, f"TOTALE OBIETTIVO {n}", bold=True)
        book.total(ws, row, 1, totals[n], sum_formula([col_range(1, first, row - 1)]),
                   [dec(r["importo_2018"]) for r in lines])
        row += 2


TRIENNIAL_YEARS = ["anno_2018", "anno_2019", "anno_2020"]


def _triennale_sheet_2018(book: Book) -> None:
    """«Piano economico – preventivo triennale»: the cost table, a blank row, revenues."""
    ws = book.sheet("Preventivo triennale", [46, 18, 18, 18, 20])
    ws.write(0, 0, "PIANO ECONOMICO – PREVENTIVO TRIENNALE", book.title)
    next_row = _triennial_table(book, ws, 2, "MACRO BUDGET – VOCI DI COSTO",
                                read_csv("po2018_triennale_costi.csv"))
    _triennial_table(book, ws, next_row + 1, "CANALI DI FINANZIAMENTO AGGREGATI RICAVI",
                     read_csv("po2018_triennale_canali.csv"))


def _triennial_table(book: Book, ws: Worksheet, header_row: int, title: str,
                     rows: list[Row]) -> int:
    """Header, one row per voce (years typed, TRIENNIO a SUM where consistent) and a
    TOTALE row; returns the next free row."""
    ws.write_row(header_row, 0, [title, "ANNO 2018", "ANNO 2019", "ANNO 2020", "TRIENNIO"],
                 book.header)
    body = [r for r in rows if r["voce"] != "TOTALE"]
    first = header_row + 1
    for row, r in enumerate(body, start=first):
        ws.write(row, 0, r["voce"], book.text)
        for k, key in enumerate(TRIENNIAL_YEARS):
            book.amount(ws, row, 1 + k, Decimal(r[key]))
        book.total(ws, row, 4, Decimal(r["triennio"]), sum_formula([xl_range(row, 1, row, 3)]),
                   [Decimal(r[k]) for k in TRIENNIAL_YEARS])
    total = next(r for r in rows if r["voce"] == "TOTALE")
    total_row = first + len(body)
    ws.write(total_row, 0, "TOTALE", book.bold)
    for k, key in enumerate([*TRIENNIAL_YEARS, "triennio"]):
        book.total(ws, total_row, 1 + k, Decimal(total[key]),
                   sum_formula([col_range(1 + k, first, total_row - 1)]),
                   [Decimal(r[key]) for r in body])
    return total_row + 1


# ------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> None:
    """Build both samples into ``--out``."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "workbooks")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    build_2018(args.out / "piano_operativo_2018.xlsx")
    build_2021(args.out / "piano_programma_2021.xlsx")
    print(f"scritti {args.out / 'piano_operativo_2018.xlsx'} e "
          f"{args.out / 'piano_programma_2021.xlsx'}")


if __name__ == "__main__":
    main()

"""Build the 2021 budget the way other offices lay it out, to test detection.

Knobs: all tables on one sheet, channel columns before the budgets, an extra notes
column, amounts typed as text, a blank row inside tables, a hidden line, the header
on a lower row, a different title.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import xlsxwriter

from pdz_xl.money import EUR_FORMAT, format_eur

from .oracles import rows

HEADERS = {"FNPS": "FNPS 2021", "FSOL": "FSOL 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI",
           "ATS": "FONDI ATS", "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
           "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
           "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"}


@dataclass
class Variant:
    """How to lay the 2021 tables out."""

    one_sheet: bool = False
    channels_first: bool = False
    notes_column: bool = False
    text_amounts: bool = False
    blank_row_in_tables: bool = False
    hidden_line: tuple[str, str] | None = None  # (azione, voce) of a line to hide
    title_rows: int = 3
    label_col: int = 0


def build(path: Path, v: Variant) -> Path:
    """Write the variant workbook; returns its path."""
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": EUR_FORMAT})
    data = rows("pp2021_lines.csv")
    ws = None
    r = 0
    for area, area_rows in groupby(data, key=lambda x: x["area"]):
        if ws is None or not v.one_sheet:
            ws = wb.add_worksheet(area.title()[:31] if not v.one_sheet else "Budget 2021")
            ws.write(0, v.label_col, "PIANO PROGRAMMA – BUDGET 2021", bold)
            r = v.title_rows - 1
        ws.write(r, v.label_col, area, bold)
        r += 1
        for _, table_rows in groupby(list(area_rows), key=lambda x: x["tabella"]):
            table_rows = list(table_rows)
            chans = table_rows[0]["colonne_canali_della_tabella"].split("|")
            amount_cols = ["budget_2020", "budget_2021"]
            cols = (chans + amount_cols) if v.channels_first else (amount_cols + chans)
            header = [{"budget_2020": "BUDGET 2020", "budget_2021": "BUDGET 2021"}.get(c)
                      or HEADERS[c] for c in cols]
            if v.notes_column:
                header.append("NOTE")
            label = table_rows[0]["servizio"] if area == "AREA SERVIZI AZIENDALI" else ""
            ws.write(r, v.label_col, label, bold)
            ws.write_row(r, v.label_col + 1, header, bold)
            r += 1
            azione = None
            for i, line in enumerate(table_rows):
                if line["azione"] != azione:
                    azione = line["azione"]
                    ws.write(r, v.label_col, azione, bold)
                    r += 1
                ws.write(r, v.label_col, line["voce"])
                for k, c in enumerate(cols):
                    raw = line[c]
                    if not raw:
                        continue
                    value = Decimal(raw)
                    if v.text_amounts and (i % 3 == 0):
                        ws.write_string(r, v.label_col + 1 + k,
                                        format_eur(int(value * 100)))
                    else:
                        ws.write_number(r, v.label_col + 1 + k, float(value), money)
                if v.notes_column:
                    ws.write(r, v.label_col + 1 + len(cols), "da verificare" if i % 2 else "")
                if v.hidden_line == (line["azione"], line["voce"]):
                    ws.set_row(r, None, None, {"hidden": True})
                r += 1
                if v.blank_row_in_tables and i == 1:
                    r += 1
            r += 1
    wb.close()
    return path

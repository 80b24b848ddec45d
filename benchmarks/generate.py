"""Generate large budget workbooks laid out like the 2021 document, for benchmarks.

Deterministic (seeded). ``lines`` cost lines in tables of 10 azioni x 10 lines, each
table with its own header and channel columns, TOTALE rows with SUM formulas, and a
revenue table that balances the channels.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from pdz_xl.money import EUR_FORMAT

CHANNEL_HEADERS = ["FNPS 2021", "FSOL 2021", "FSR 2021", "COMUNI", "FONDI ATS",
                   "AVANZO 2020 VINCOLATO", "AVANZO 2020 NON VINCOLATO",
                   "ALTRI FONDI PROGETTUALI"]


def generate_budget(path: Path, lines: int, seed: int = 7) -> Path:
    """Write a workbook with ``lines`` cost lines; returns the path."""
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": __import__("datetime").datetime(2021, 1, 1)})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": EUR_FORMAT})
    bold_money = wb.add_format({"num_format": EUR_FORMAT, "bold": True})
    ws = wb.add_worksheet("Budget")
    ws.write(0, 0, "BUDGET 2021 – SCHEDE", bold)
    ws.write(1, 0, "AREA GENERATA", bold)
    r = 3
    channel_totals = [0] * len(CHANNEL_HEADERS)
    written = 0
    table = 0
    while written < lines:
        table += 1
        chans = sorted(rng.sample(range(len(CHANNEL_HEADERS)), 3))
        ws.write_row(r, 0, [f"SERVIZIO {table}", "BUDGET 2020", "BUDGET 2021"]
                     + [CHANNEL_HEADERS[c] for c in chans], bold)
        r += 1
        first = r
        for a in range(10):
            if written >= lines:
                break
            ws.write(r, 0, f"Azione {a + 1}: attività {table}.{a + 1}", bold)
            r += 1
            for i in range(10):
                if written >= lines:
                    break
                cents = rng.randint(10_000, 10_000_000)
                parts = [cents // 2, cents // 4]
                parts.append(cents - sum(parts))
                ws.write(r, 0, f"Voce {table}-{a + 1}-{i + 1}")
                ws.write_number(r, 1, rng.randint(10_000, 10_000_000) / 100, money)
                ws.write_number(r, 2, cents / 100, money)
                for k, c in enumerate(chans):
                    ws.write_number(r, 3 + k, parts[k] / 100, money)
                    channel_totals[c] += parts[k]
                written += 1
                r += 1
        ws.write(r, 0, f"TOTALE SERVIZIO {table}", bold)
        for col in (1, 2):
            letter = "BC"[col - 1]
            ws.write_formula(r, col, f"=SUM({letter}{first + 1}:{letter}{r})", bold_money, 0)
        r += 2
    rev = wb.add_worksheet("Canali 2021")
    rev.write_row(0, 0, ["ENTRATE PREVISIONALI ESERCIZIO 2021", "IMPORTO"], bold)
    labels = ["FNPS 2021", "FSOL 2021", "FSR 2021", "Comuni 2021", "Fondi ATS",
              "Avanzo gestionale 2020 vincolato", "Avanzo gestionale 2020 - non vincolato",
              "Proximity"]
    for i, (label, cents) in enumerate(zip(labels, channel_totals, strict=True)):
        rev.write(1 + i, 0, label)
        rev.write_number(1 + i, 1, float(Decimal(cents) / 100), money)
    rev.write(1 + len(labels), 0, "TOTALE BUDGET", bold)
    rev.write_formula(1 + len(labels), 1, f"=SUM(B2:B{1 + len(labels)})", bold_money,
                      float(Decimal(sum(channel_totals)) / 100))
    wb.close()
    return path

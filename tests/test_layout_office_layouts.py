"""Layouts seen in other offices' workbooks, built by hand from the oracle figures: each is
read to the oracle, and nothing counts twice or drops without a finding.

- the revenues under the costs, in the same columns, after a title row «ENTRATE»;
- a «di cui» row under a line (part of it, not another line);
- two years side by side each with its own channel split, the plan year first;
- an area column (merged or repeated) with servizio/azione titles in the voce column;
- obiettivo titles with no level word (a code «OB.n» beside them, or nothing), totals
  «Tot. OB.n» under their lines, obiettivi whose names start with «SERVIZIO»;
- SUM formulas saved without their values (a file written by a program).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.oracles import cents, rows

CHANNELS = ("FNPS", "FSOL", "FSR", "COMUNI", "ATS", "AVANZO_VINCOLATO",
            "AVANZO_NON_VINCOLATO", "ALTRI_FONDI_PROGETTUALI")
HEADER = {"FNPS": "FNPS", "FSOL": "FSOL", "FSR": "FSR", "COMUNI": "COMUNI", "ATS": "ATS",
          "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
          "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
          "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"}
BOLD = Font(bold=True)


def _lines(*tables: int) -> list[dict]:
    return [r for r in rows("pp2021_lines.csv") if int(r["tabella"]) in tables]


def _num(text: str) -> float | None:
    return float(Decimal(text)) if text else None


def _used_channels(lines: list[dict]) -> list[str]:
    return [c for c in CHANNELS if any(r[c] for r in lines)]


def _comparable(plan, lines: list[dict], channels: list[str]):
    """(path, voce, 2020, 2021, non-zero split) of the Plan and of the oracle rows."""
    got = [(tuple(ln.path), ln.voce, ln.amounts.get(2020), ln.amounts.get(2021),
            {k: v for k, v in ln.channels.items() if v})
           for ln in plan.lines]
    want = [(tuple(p for p in (r["area"], r["servizio"], r["azione"]) if p), r["voce"],
             cents(r["budget_2020"]), cents(r["budget_2021"]),
             {c: cents(r[c]) for c in channels if cents(r[c])}) for r in lines]
    return got, want


def _cost_sheet(ws, lines: list[dict], channels: list[str], first_row: int = 2,
                area_row: bool = False) -> int:
    """Servizio and azione titles (bold) over their voci; returns the next free row."""
    r = first_row
    for c, name in enumerate(["Voce", "Budget 2020", "Budget 2021",
                              *(HEADER[ch] for ch in channels)], start=1):
        ws.cell(1, c, name).font = BOLD
    for area, in_area in groupby(lines, key=lambda x: x["area"]):
        if area_row:
            ws.cell(r, 1, area).font = BOLD
            r += 1
        for servizio, in_servizio in groupby(in_area, key=lambda x: x["servizio"]):
            if servizio:
                ws.cell(r, 1, servizio).font = BOLD
                r += 1
            for azione, voci in groupby(in_servizio, key=lambda x: x["azione"]):
                ws.cell(r, 1, azione).font = BOLD
                r += 1
                for line in voci:
                    ws.cell(r, 1, line["voce"])
                    ws.cell(r, 2, _num(line["budget_2020"]))
                    ws.cell(r, 3, _num(line["budget_2021"]))
                    for k, ch in enumerate(channels, start=4):
                        if line[ch]:
                            ws.cell(r, k, _num(line[ch]))
                    r += 1
    return r


def _save(wb, path: Path) -> Path:
    wb.save(path)
    return path


@pytest.mark.parametrize("title", ["ENTRATE", "FONTI DI FINANZIAMENTO"])
@pytest.mark.parametrize("matrix", [False, True], ids=["colonna-budget", "anche-nei-canali"])
def test_revenues_under_the_costs_in_the_same_columns(tmp_path, title, matrix):
    lines = _lines(1, 2, 3, 5)
    channels = _used_channels(lines)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    r = _cost_sheet(ws, lines, channels, area_row=True)
    total = sum(Decimal(x["budget_2021"] or 0) for x in lines)
    ws.cell(r, 1, "TOTALE USCITE").font = BOLD
    ws.cell(r, 3, float(total))
    r += 2
    ws.cell(r, 1, title).font = BOLD
    revenue = {ch: sum(Decimal(x[ch] or 0) for x in lines) for ch in channels}
    for ch in channels:
        r += 1
        ws.cell(r, 1, f"{HEADER[ch]} 2021")
        ws.cell(r, 3, float(revenue[ch]))
        if matrix:
            ws.cell(r, 4 + channels.index(ch), float(revenue[ch]))
    ws.cell(r + 1, 1, "TOTALE ENTRATE").font = BOLD
    ws.cell(r + 1, 3, float(total))
    plan = load_plan(_save(wb, tmp_path / "entrate.xlsx"))
    got, want = _comparable(plan, lines, channels)
    assert got == want
    assert sum(ln.amount(2021) for ln in plan.lines) == int(total * 100)
    items = {i.channel: i.amount for i in plan.revenues if i.kind == "item"}
    assert items == {ch: int(v * 100) for ch, v in revenue.items()}
    assert [t.label for t in plan.totals] == ["TOTALE USCITE"]
    assert [f.code for f in validate_plan(plan) if f.severity == "errore"] == []


def test_a_di_cui_row_is_part_of_the_line_above(tmp_path):
    lines = _lines(1)
    channels = _used_channels(lines)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    r = _cost_sheet(ws, lines, channels, area_row=True)
    # «di cui» under the second voce (Equipe ... Assistenti Sociali, 197.429,75)
    ws.insert_rows(7)
    ws.cell(7, 1, "  di cui coordinamento casi complessi")
    ws.cell(7, 3, 20000)
    ws.cell(7, 5, 20000)
    ws.cell(r + 1, 1, "TOTALE SERVIZIO TM").font = BOLD
    ws.cell(r + 1, 3, float(sum(Decimal(x["budget_2021"] or 0) for x in lines)))
    plan = load_plan(_save(wb, tmp_path / "dicui.xlsx"))
    got, want = _comparable(plan, lines, channels)
    assert got == want
    (note,) = [n for n in plan.notes if n.code == "PDZ014"]
    assert (note.cell, note.severity) == ("Budget!A7", "info")
    assert "Equipe Tutela Minori - Assistenti Sociali" in note.message
    assert [f.code for f in validate_plan(plan) if f.severity != "info"] == []


def test_a_part_larger_than_its_line_is_said(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Voce", "Budget 2021"])
    ws.append(["Azione 1: Tutela"])
    ws.append(["Equipe", 100])
    ws.append(["di cui supervisione", 150])
    plan = load_plan(_save(wb, tmp_path / "dicui.xlsx"))
    assert [ln.voce for ln in plan.lines] == ["Equipe"]
    (note,) = [n for n in plan.notes if n.code == "PDZ014"]
    assert note.severity == "avviso" and "la supera" in note.message


def test_two_years_side_by_side_each_with_its_split_plan_year_first(tmp_path):
    lines = _lines(1, 2, 3, 5)
    channels = _used_channels(lines)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    width = len(channels) + 1
    ws.cell(1, 1, "Voce di spesa").font = BOLD
    for b, year in enumerate((2021, 2020)):
        ws.cell(1, 2 + b * width, f"Budget {year}").font = BOLD
        for k, ch in enumerate(channels):
            ws.cell(1, 3 + b * width + k, HEADER[ch]).font = BOLD
    r = 2
    for azione, voci in groupby(lines, key=lambda x: x["azione"]):
        ws.cell(r, 1, azione).font = BOLD
        r += 1
        for line in voci:
            ws.cell(r, 1, line["voce"])
            ws.cell(r, 2, _num(line["budget_2021"]))
            for k, ch in enumerate(channels):
                if line[ch]:
                    ws.cell(r, 3 + k, _num(line[ch]))
            ws.cell(r, 2 + width, _num(line["budget_2020"]))
            if line["budget_2020"]:  # the 2020 split: all on the first channel
                ws.cell(r, 3 + width, _num(line["budget_2020"]))
            r += 1
    plan = load_plan(_save(wb, tmp_path / "due_anni.xlsx"))
    assert plan.plan_year == 2021
    got = [(ln.voce, {k: v for k, v in ln.channels.items() if v}) for ln in plan.lines]
    assert got == [(x["voce"], {c: cents(x[c]) for c in channels if cents(x[c])})
                   for x in lines]
    first = channels[0]
    assert all(ln.other_amounts.get(f"{first}_2020") == cents(x["budget_2020"])
               for ln, x in zip(plan.lines, lines, strict=True) if x["budget_2020"])
    assert [f for f in validate_plan(plan) if f.code.startswith("PDZ1")] == []


@pytest.mark.parametrize("merged", [True, False], ids=["area-unita", "area-ripetuta"])
def test_area_column_with_titles_in_the_voce_column(tmp_path, merged):
    lines = _lines(1, 14)
    channels = _used_channels(lines)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    for c, name in enumerate(["Area", "Voce", "Budget 2020", "Budget 2021",
                              *(HEADER[ch] for ch in channels)], start=1):
        ws.cell(1, c, name).font = BOLD
    r = 2
    for area, in_area in groupby(lines, key=lambda x: x["area"]):
        first = r
        for servizio, in_servizio in groupby(in_area, key=lambda x: x["servizio"]):
            if servizio:
                ws.cell(r, 2, servizio).font = BOLD
                r += 1
            for azione, voci in groupby(in_servizio, key=lambda x: x["azione"]):
                ws.cell(r, 2, azione).font = BOLD
                r += 1
                for line in voci:
                    if not merged:
                        ws.cell(r, 1, area)
                    ws.cell(r, 2, line["voce"])
                    ws.cell(r, 3, _num(line["budget_2020"]))
                    ws.cell(r, 4, _num(line["budget_2021"]))
                    for k, ch in enumerate(channels, start=5):
                        if line[ch]:
                            ws.cell(r, k, _num(line[ch]))
                    r += 1
        if merged:
            ws.cell(first, 1, area)
            ws.merge_cells(start_row=first, end_row=r - 1, start_column=1, end_column=1)
    plan = load_plan(_save(wb, tmp_path / "area.xlsx"))
    got, want = _comparable(plan, lines, channels)
    assert got == want
    assert [g.level for g in plan.lines[0].groups] == ["area", "servizio", "azione"]


def _po2018(n_max: int = 4) -> list[dict]:
    return [x for x in rows("po2018_lines.csv") if int(x["obiettivo_n"]) <= n_max]


@pytest.mark.parametrize("style", ["codice", "nessun-segno", "totale-obiettivo"])
def test_obiettivo_titles_without_the_word(tmp_path, style):
    """«OB.n» in a code column beside the title (or nothing at all); totals «Tot. OB.n»
    (or «Totale obiettivo») under their lines; obiettivi 2-4 are named «SERVIZIO ...»."""
    lines = _po2018()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PO 2018"
    ws["A1"] = "PIANO OPERATIVO 2018"
    for c, name in enumerate(["N.", "Cod.", "Obiettivo / Azione / Voce", "Importo 2018"], 1):
        ws.cell(3, c, name).font = BOLD
    r, n = 4, 0
    totals = []
    for (num, name), group in groupby(lines, key=lambda x: (x["obiettivo_n"], x["obiettivo"])):
        group = list(group)
        if style == "codice":
            ws.cell(r, 2, f"OB.{num}")
        ws.cell(r, 3, name)
        r += 1
        for azione, voci in groupby(group, key=lambda x: x["azione"]):
            ws.cell(r, 3, azione)
            r += 1
            for line in voci:
                n += 1
                ws.cell(r, 1, n)
                ws.cell(r, 3, line["voce"])
                if line["importo_2018"]:
                    amount = Decimal(line["importo_2018"])
                    ws.cell(r, 4, "-" if amount == 0 else float(amount))
                r += 1
        total = sum(Decimal(x["importo_2018"] or 0) for x in group)
        label = "Totale obiettivo" if style == "totale-obiettivo" else f"Tot. OB.{num}"
        ws.cell(r, 3, label)
        ws.cell(r, 4, float(total))
        totals.append((label, int(total * 100), len(group)))
        r += 1
    grand = sum(Decimal(x["importo_2018"] or 0) for x in lines)
    ws.cell(r, 3, "TOTALE GENERALE")
    ws.cell(r, 4, float(grand))
    plan = load_plan(_save(wb, tmp_path / "ob.xlsx"))
    assert [(tuple(ln.path), ln.voce) for ln in plan.lines] == [
        ((x["obiettivo"], x["azione"]), x["voce"]) for x in lines]
    assert [g.level for g in plan.lines[-1].groups] == ["obiettivo", "azione"]
    assert [(t.label, t.amounts[2018], len(t.line_ids)) for t in plan.totals] == [
        *totals, ("TOTALE GENERALE", int(grand * 100), len(lines))]
    assert [f for f in validate_plan(plan) if f.code.startswith("PDZ2")] == []


def test_sums_saved_without_their_values_are_still_checked(tmp_path):
    """openpyxl (like other programs that do not calculate) writes the formulas with no
    value: the cells they add up are checked all the same."""
    lines = _lines(1, 3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Voce", "Budget 2021"])
    r = 2
    groups = [(k, list(g)) for k, g in groupby(lines, key=lambda x: x["servizio"])]
    for i, (servizio, in_servizio) in enumerate(groups):
        ws.cell(r, 1, servizio).font = BOLD
        r += 1
        start = r
        for azione, voci in groupby(in_servizio, key=lambda x: x["azione"]):
            ws.cell(r, 1, azione).font = BOLD
            r += 1
            for line in voci:
                ws.cell(r, 1, line["voce"])
                ws.cell(r, 2, _num(line["budget_2021"]))
                r += 1
        end = r - 2 if i == 1 else r - 1  # the second SUM leaves out its last line
        ws.cell(r, 1, f"TOTALE {servizio}").font = BOLD
        ws.cell(r, 2, f"=SUM(B{start}:B{end})")
        r += 1
    ws.cell(r, 1, "TOTALE GENERALE").font = BOLD
    ws.cell(r, 2, f"=SUM(B2:B{r - 1})")  # the whole column: the subtotals too
    plan = load_plan(_save(wb, tmp_path / "formule.xlsx"))
    assert all(t.amounts[2021] is None for t in plan.totals)
    found = sorted((f.code, f.cell) for f in validate_plan(plan) if f.code.startswith("PDZ2"))
    assert found == [("PDZ202", f"Budget!B{r - 1}"), ("PDZ203", f"Budget!B{r}")]


@pytest.mark.parametrize("slip", [0, 100], ids=["giusto", "sbagliato"])
def test_a_cost_summary_per_channel_is_not_the_revenue(tmp_path, slip):
    """«Riepilogo costi 2021 per fonte»: what each channel pays, checked against the lines;
    the revenues are the «Entrate» sheet alone."""
    lines = _lines(1, 2, 3, 5)
    channels = _used_channels(lines)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    _cost_sheet(ws, lines, channels, area_row=True)
    summary = wb.create_sheet("Riepilogo canali")
    summary["A1"] = "Riepilogo costi 2021 per fonte di finanziamento"
    summary.append([])
    summary.append(["Fonte", "Importo 2021"])
    paid = {ch: sum(Decimal(x[ch] or 0) for x in lines) for ch in channels}
    for i, ch in enumerate(channels):
        summary.append([HEADER[ch], float(paid[ch]) + (slip if i == 0 else 0)])
    revenue = wb.create_sheet("Entrate 2021")
    revenue.append(["Canale", "Importo"])
    for ch in channels:
        revenue.append([f"{HEADER[ch]} 2021", float(paid[ch] + 1000)])
    plan = load_plan(_save(wb, tmp_path / "riepilogo.xlsx"))
    assert {i.channel: i.amount for i in plan.revenues if i.kind == "item"} == {
        ch: int((paid[ch] + 1000) * 100) for ch in channels}
    assert [s.sheet for s in plan.summaries if s.kind == "riepilogo"] == ["Riepilogo canali"]
    wrong = [(f.code, f.cell) for f in validate_plan(plan) if f.code == "PDZ301"]
    assert wrong == ([("PDZ301", "Riepilogo canali!B4")] if slip else [])

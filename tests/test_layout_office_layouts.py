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
from itertools import count

import openpyxl
import pytest

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.office_books import (
    BOLD,
    PO_LEVELS,
    bold_heading,
    channel_columns,
    column_sum,
    line_cells,
    new_book,
    po_lines,
    pp_lines,
    save_book,
    used_channels,
    write_headers,
    write_hierarchy,
)
from tests.support.oracles import cents

HEADER = {"FNPS": "FNPS", "FSOL": "FSOL", "FSR": "FSR", "COMUNI": "COMUNI", "ATS": "ATS",
          "AVANZO_VINCOLATO": "AVANZO 2020 VINCOLATO",
          "AVANZO_NON_VINCOLATO": "AVANZO 2020 NON VINCOLATO",
          "ALTRI_FONDI_PROGETTUALI": "ALTRI FONDI PROGETTUALI"}

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
    write_headers(ws, 1, ["Voce", "Budget 2020", "Budget 2021",
                          *(HEADER[ch] for ch in channels)])
    cells = line_cells(amounts={2: "budget_2020", 3: "budget_2021"},
                       channels=channel_columns(channels, 4))
    return write_hierarchy(ws, lines, first_row, cells,
                           heading=bold_heading(skip=() if area_row else ("area",)))

@pytest.mark.parametrize("title", ["ENTRATE", "FONTI DI FINANZIAMENTO"])
@pytest.mark.parametrize("matrix", [False, True], ids=["colonna-budget", "anche-nei-canali"])
def test_revenues_under_the_costs_in_the_same_columns(tmp_path, title, matrix):
    lines = pp_lines(1, 2, 3, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    r = _cost_sheet(ws, lines, channels, area_row=True)
    total = column_sum(lines, "budget_2021")
    ws.cell(r, 1, "TOTALE USCITE").font = BOLD
    ws.cell(r, 3, float(total))
    r += 2
    ws.cell(r, 1, title).font = BOLD
    revenue = {ch: column_sum(lines, ch) for ch in channels}
    for ch in channels:
        r += 1
        ws.cell(r, 1, f"{HEADER[ch]} 2021")
        ws.cell(r, 3, float(revenue[ch]))
        if matrix:
            ws.cell(r, 4 + channels.index(ch), float(revenue[ch]))
    ws.cell(r + 1, 1, "TOTALE ENTRATE").font = BOLD
    ws.cell(r + 1, 3, float(total))
    plan = load_plan(save_book(wb, tmp_path / "entrate.xlsx"))
    got, want = _comparable(plan, lines, channels)
    assert got == want
    assert sum(ln.amount(2021) for ln in plan.lines) == int(total * 100)
    items = {i.channel: i.amount for i in plan.revenues if i.kind == "item"}
    assert items == {ch: int(v * 100) for ch, v in revenue.items()}
    assert [t.label for t in plan.totals] == ["TOTALE USCITE"]
    assert [f.code for f in validate_plan(plan) if f.severity == "errore"] == []


def test_a_di_cui_row_is_part_of_the_line_above(tmp_path):
    lines = pp_lines(1)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    r = _cost_sheet(ws, lines, channels, area_row=True)
    # «di cui» under the second voce (Equipe ... Assistenti Sociali, 197.429,75)
    ws.insert_rows(7)
    ws.cell(7, 1, "  di cui coordinamento casi complessi")
    ws.cell(7, 3, 20000)
    ws.cell(7, 5, 20000)
    ws.cell(r + 1, 1, "TOTALE SERVIZIO TM").font = BOLD
    ws.cell(r + 1, 3, float(column_sum(lines, "budget_2021")))
    plan = load_plan(save_book(wb, tmp_path / "dicui.xlsx"))
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
    plan = load_plan(save_book(wb, tmp_path / "dicui.xlsx"))
    assert [ln.voce for ln in plan.lines] == ["Equipe"]
    (note,) = [n for n in plan.notes if n.code == "PDZ014"]
    assert note.severity == "avviso" and "la supera" in note.message


def test_two_years_side_by_side_each_with_its_split_plan_year_first(tmp_path):
    lines = pp_lines(1, 2, 3, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    width = len(channels) + 1
    ws.cell(1, 1, "Voce di spesa").font = BOLD
    for b, year in enumerate((2021, 2020)):
        ws.cell(1, 2 + b * width, f"Budget {year}").font = BOLD
        for k, ch in enumerate(channels):
            ws.cell(1, 3 + b * width + k, HEADER[ch]).font = BOLD
    # the 2020 split: all on the first channel
    write_hierarchy(ws, lines, 2, line_cells(
        amounts={2: "budget_2021", 2 + width: "budget_2020"},
        channels={**channel_columns(channels, 3), 3 + width: "budget_2020"}),
        levels=("azione",))
    plan = load_plan(save_book(wb, tmp_path / "due_anni.xlsx"))
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
    lines = pp_lines(1, 14)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    write_headers(ws, 1, ["Area", "Voce", "Budget 2020", "Budget 2021",
                          *(HEADER[ch] for ch in channels)])
    cells = line_cells(2, {3: "budget_2020", 4: "budget_2021"}, channel_columns(channels, 5))

    def line(ws, r, x, at):
        if not merged:
            ws.cell(r, 1, x["area"])
        cells(ws, r, x)

    def merged_area(ws, r, group):
        if merged:
            ws.cell(group.first_row, 1, group.key)
            ws.merge_cells(start_row=group.first_row, end_row=r - 1,
                           start_column=1, end_column=1)
        return 0

    write_hierarchy(ws, lines, 2, line, heading=bold_heading(2, skip=("area",)),
                    footers={"area": merged_area})
    plan = load_plan(save_book(wb, tmp_path / "area.xlsx"))
    got, want = _comparable(plan, lines, channels)
    assert got == want
    assert [g.level for g in plan.lines[0].groups] == ["area", "servizio", "azione"]

@pytest.mark.parametrize("style", ["codice", "nessun-segno", "totale-obiettivo"])
def test_obiettivo_titles_without_the_word(tmp_path, style):
    """«OB.n» in a code column beside the title (or nothing at all); totals «Tot. OB.n»
    (or «Totale obiettivo») under their lines; obiettivi 2-4 are named «SERVIZIO ...»."""
    lines = po_lines(4)
    wb, ws = new_book("PO 2018")
    ws["A1"] = "PIANO OPERATIVO 2018"
    write_headers(ws, 3, ["N.", "Cod.", "Obiettivo / Azione / Voce", "Importo 2018"])
    totals, numbers = [], count(1)

    def heading(ws, r, group):
        if group.level == "azione":
            ws.cell(r, 3, group.key)
            return
        if style == "codice":
            ws.cell(r, 2, f"OB.{group.key[0]}")
        ws.cell(r, 3, group.key[1])

    def line(ws, r, x, at):
        ws.cell(r, 1, next(numbers))
        ws.cell(r, 3, x["voce"])
        if x["importo_2018"]:
            amount = Decimal(x["importo_2018"])
            ws.cell(r, 4, "-" if amount == 0 else float(amount))

    def obiettivo_total(ws, r, group):
        amount = column_sum(group.lines, "importo_2018")
        label = "Totale obiettivo" if style == "totale-obiettivo" else f"Tot. OB.{group.key[0]}"
        ws.cell(r, 3, label)
        ws.cell(r, 4, float(amount))
        totals.append((label, int(amount * 100), len(group.lines)))

    r = write_hierarchy(ws, lines, 4, line, heading=heading, levels=PO_LEVELS,
                        footers={PO_LEVELS[0]: obiettivo_total})
    grand = column_sum(lines, "importo_2018")
    ws.cell(r, 3, "TOTALE GENERALE")
    ws.cell(r, 4, float(grand))
    plan = load_plan(save_book(wb, tmp_path / "ob.xlsx"))
    assert [(tuple(ln.path), ln.voce) for ln in plan.lines] == [
        ((x["obiettivo"], x["azione"]), x["voce"]) for x in lines]
    assert [g.level for g in plan.lines[-1].groups] == ["obiettivo", "azione"]
    assert [(t.label, t.amounts[2018], len(t.line_ids)) for t in plan.totals] == [
        *totals, ("TOTALE GENERALE", int(grand * 100), len(lines))]
    assert [f for f in validate_plan(plan) if f.code.startswith("PDZ2")] == []


def test_sums_saved_without_their_values_are_still_checked(tmp_path):
    """openpyxl (like other programs that do not calculate) writes the formulas with no
    value: the cells they add up are checked all the same."""
    lines = pp_lines(1, 3)
    wb, ws = new_book("Budget")
    ws.append(["Voce", "Budget 2021"])

    def servizio_sum(ws, r, group):
        end = r - 2 if group.at == (2,) else r - 1  # the second SUM leaves out its last line
        ws.cell(r, 1, f"TOTALE {group.key}").font = BOLD
        ws.cell(r, 2, f"=SUM(B{group.first_row + 1}:B{end})")

    r = write_hierarchy(ws, lines, 2, line_cells(amounts={2: "budget_2021"}),
                        levels=("servizio", "azione"), footers={"servizio": servizio_sum})
    ws.cell(r, 1, "TOTALE GENERALE").font = BOLD
    ws.cell(r, 2, f"=SUM(B2:B{r - 1})")  # the whole column: the subtotals too
    plan = load_plan(save_book(wb, tmp_path / "formule.xlsx"))
    assert all(t.amounts[2021] is None for t in plan.totals)
    found = sorted((f.code, f.cell) for f in validate_plan(plan) if f.code.startswith("PDZ2"))
    assert found == [("PDZ202", f"Budget!B{r - 1}"), ("PDZ203", f"Budget!B{r}")]


@pytest.mark.parametrize("slip", [0, 100], ids=["giusto", "sbagliato"])
def test_a_cost_summary_per_channel_is_not_the_revenue(tmp_path, slip):
    """«Riepilogo costi 2021 per fonte»: what each channel pays, checked against the lines;
    the revenues are the «Entrate» sheet alone."""
    lines = pp_lines(1, 2, 3, 5)
    channels = used_channels(lines)
    wb, ws = new_book("Budget")
    _cost_sheet(ws, lines, channels, area_row=True)
    summary = wb.create_sheet("Riepilogo canali")
    summary["A1"] = "Riepilogo costi 2021 per fonte di finanziamento"
    summary.append([])
    summary.append(["Fonte", "Importo 2021"])
    paid = {ch: column_sum(lines, ch) for ch in channels}
    for i, ch in enumerate(channels):
        summary.append([HEADER[ch], float(paid[ch]) + (slip if i == 0 else 0)])
    revenue = wb.create_sheet("Entrate 2021")
    revenue.append(["Canale", "Importo"])
    for ch in channels:
        revenue.append([f"{HEADER[ch]} 2021", float(paid[ch] + 1000)])
    plan = load_plan(save_book(wb, tmp_path / "riepilogo.xlsx"))
    assert {i.channel: i.amount for i in plan.revenues if i.kind == "item"} == {
        ch: int((paid[ch] + 1000) * 100) for ch in channels}
    assert [s.sheet for s in plan.summaries if s.kind == "riepilogo"] == ["Riepilogo canali"]
    wrong = [(f.code, f.cell) for f in validate_plan(plan) if f.code == "PDZ301"]
    assert wrong == ([("PDZ301", "Riepilogo canali!B4")] if slip else [])

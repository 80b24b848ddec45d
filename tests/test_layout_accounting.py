"""Nothing unaccounted, nothing counted twice: a sheet that repeats the lines or the groups
of another is a summary; numbers no table takes, and computed columns, are named."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.oracles import cents, lines_2021, plan_lines, rows

CHANNELS = ["FNPS", "FSOL", "FSR", "COMUNI", "ATS", "AVANZO_VINCOLATO", "AVANZO_NON_VINCOLATO",
            "ALTRI_FONDI_PROGETTUALI"]
HEADERS = ["Area", "Servizio", "Azione", "Voce", "Budget 2020", "Budget 2021", "FNPS 2021",
           "FSOL 2021", "FSR 2021", "COMUNI", "FONDI ATS", "AVANZO 2020 VINCOLATO",
           "AVANZO 2020 NON VINCOLATO", "ALTRI FONDI PROGETTUALI"]


def _filled(lines):
    """Lines with the blank channel cells left out (a flat list has every channel column,
    the document's tables only some)."""
    return [ln.__class__(ln.path, ln.voce, ln.amounts,
                         tuple((c, v) for c, v in ln.channels if v is not None))
            for ln in lines]


def _num(text: str):
    return float(Decimal(text)) if text.strip() else None


def _flat(wb: xlsxwriter.Workbook) -> None:
    ws = wb.add_worksheet("Budget 2021")
    ws.write_row(0, 0, HEADERS)
    for i, r in enumerate(rows("pp2021_lines.csv"), start=1):
        ws.write_row(i, 0, [r["area"], r["servizio"], r["azione"], r["voce"]])
        for j, key in enumerate(["budget_2020", "budget_2021", *CHANNELS]):
            v = _num(r[key])
            if v is not None:
                ws.write_number(i, 4 + j, v)


def _book(path: Path, second) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    _flat(wb)
    second(wb)
    wb.close()
    return path


def test_a_sheet_repeating_every_voce_is_a_summary_not_more_lines(tmp_path):
    def per_voce(wb):
        ws = wb.add_worksheet("Riepilogo per voce")
        ws.write_row(0, 0, ["Voce", "Budget 2021"])
        for i, r in enumerate(rows("pp2021_lines.csv"), start=1):
            ws.write(i, 0, r["voce"])
            if r["budget_2021"].strip():
                ws.write_number(i, 1, _num(r["budget_2021"]))

    plan = load_plan(_book(tmp_path / "doppio.xlsx", per_voce))
    assert _filled(plan_lines(plan)) == _filled(lines_2021())  # read once, not twice
    assert [s.kind for s in plan.summaries] == ["riepilogo"]
    assert any("Riepilogo per voce" in a and "riepilogo" in a for a in plan.assumptions)
    assert sum(ln.amount(2021) for ln in plan.lines) == sum(
        cents(r["budget_2021"]) or 0 for r in rows("pp2021_lines.csv"))


def test_a_typed_summary_of_the_groups_is_a_summary_and_its_slips_are_found(tmp_path):
    sums: dict[str, int] = defaultdict(int)
    for r in rows("pp2021_lines.csv"):
        sums[r["servizio"] or r["area"]] += cents(r["budget_2021"]) or 0
    names = list(sums)

    def per_group(wb):
        ws = wb.add_worksheet("Sintesi")
        ws.write_row(0, 0, ["Servizio o area", "Budget 2021"])
        for i, name in enumerate(names, start=1):
            value = sums[name] + (100 if i == 1 else 0)  # one group off by one euro
            ws.write(i, 0, name)
            ws.write_number(i, 1, value / 100)

    plan = load_plan(_book(tmp_path / "sintesi.xlsx", per_group))
    assert _filled(plan_lines(plan)) == _filled(lines_2021())
    assert [s.kind for s in plan.summaries] == ["riepilogo"]
    assert len(plan.summaries[0].rows) == len(names)
    slips = [(f.code, f.cell, f.difference) for f in validate_plan(plan)
             if f.code == "PDZ301"]
    assert slips == [("PDZ301", "Sintesi!B2", 100)]  # the one euro, nothing else


def test_computed_columns_are_named_as_not_read(tmp_path):
    path = tmp_path / "scostamento.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["Voce", "Budget 2020", "Budget 2021", "Scostamento %"])
    ws.write_row(1, 0, ["Coordinamento", 100, 110, 0.1])
    ws.write_row(2, 0, ["Equipe", 200, 180, -0.1])
    wb.close()
    plan = load_plan(path)
    assert [(ln.voce, ln.amounts) for ln in plan.lines] == [
        ("Coordinamento", {2020: 10000, 2021: 11000}), ("Equipe", {2020: 20000, 2021: 18000})]
    info = [n for n in plan.notes if n.code == "PDZ011"]
    assert [(n.severity, n.cell) for n in info] == [("info", "Budget!D1")]
    assert "Scostamento %" in info[0].message and "2 valori" in info[0].message
    assert validate_plan(plan) == []  # an info note is said, not a finding


def test_an_unknown_numeric_column_is_reported_not_dropped(tmp_path):
    path = tmp_path / "ignota.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["Voce", "Budget 2021", "Quota XYZ"])
    ws.write_row(1, 0, ["Coordinamento", 100, 40])
    wb.close()
    plan = load_plan(path)
    assert [(n.code, n.cell) for n in plan.notes] == [("PDZ003", "Budget!C1")]

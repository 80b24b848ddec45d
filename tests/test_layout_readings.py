"""Readings the layout families leave out: a total that heads its group, year vocabularies
around the plan year, numbered titles in mixed case, formulas over whole columns."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from pathlib import Path

import xlsxwriter

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.oracles import lines_2018, plan_lines, rows


def _book(path: Path, header: list, body: list[list]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, header)
    for i, row in enumerate(body, start=1):
        for j, v in enumerate(row):
            if isinstance(v, tuple):
                ws.write_formula(i, j, v[0], None, v[1])
            elif v is not None:
                ws.write(i, j, v)
    wb.close()
    return path


def test_a_total_naming_its_group_over_the_lines_heads_them(tmp_path):
    """«TOTALE BUDGET OBIETTIVO 1: CARTELLA SOCIALE» first, then its azioni and voci, no
    other heading of the obiettivo: the total row is the obiettivo."""
    stated = {r["obiettivo_n"]: r["totale_dichiarato_2018"] for r in rows("po2018_totals.csv")}
    body: list[list] = []
    for (n, name), group in groupby(rows("po2018_lines.csv"),
                                    key=lambda r: (r["obiettivo_n"], r["obiettivo"])):
        body.append([f"TOTALE BUDGET OBIETTIVO {n}: {name}", float(Decimal(stated[n]))])
        for azione, lines in groupby(group, key=lambda r: r["azione"]):
            body.append([azione])
            body += [[r["voce"], float(Decimal(r["importo_2018"]))
                      if r["importo_2018"] else None] for r in lines]
    plan = load_plan(_book(tmp_path / "sopra.xlsx", ["Voce di budget", "Budget 2018"], body))
    assert plan_lines(plan) == lines_2018()
    assert [(t.level, t.path[0], len(t.line_ids)) for t in plan.totals][:2] == [
        ("obiettivo", "CARTELLA SOCIALE", 6), ("obiettivo", "MODELLO UNITARIO SERVIZIO SOCIALE",
                                               10)]
    assert validate_plan(plan) == []


def test_consuntivo_and_two_budgets_of_one_year(tmp_path):
    plan = load_plan(_book(tmp_path / "anni.xlsx",
                           ["Voce", "Consuntivo 2019", "Preventivo 2020", "Assestato 2020",
                            "Previsione 2021"],
                           [["Azione 1: Tutela"], ["Coordinamento", 90, 100, 110, 120]]))
    assert (plan.plan_year, plan.comparison_year) == (2021, 2020)
    (line,) = plan.lines
    assert line.amounts == {2020: 11000, 2021: 12000}  # the revised budget for 2020
    assert line.other_amounts == {"consuntivo_2019": 9000, "preventivo_2020": 10000}


def test_a_budget_year_before_a_triennium_is_the_comparison(tmp_path):
    plan = load_plan(_book(tmp_path / "quattro.xlsx",
                           ["Voce", 2020, 2021, 2022, 2023, "Totale triennio"],
                           [["Azione 1: Tutela"], ["Coordinamento", 1, 2, 3, 4, 9]]))
    assert (plan.plan_year, plan.comparison_year) == (2021, 2020)


def test_numbered_titles_in_mixed_case_open_their_group(tmp_path):
    path = tmp_path / "titolo.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Obiettivo 1")
    ws.write(0, 0, "7.1 Cartella sociale")
    ws.write_row(2, 0, ["Voce", "Budget 2018"])
    ws.write(3, 0, "7.1.1 Sistema cartella sociale")
    ws.write_row(4, 0, ["Gestione e sviluppo software", 12000])
    wb.close()
    (line,) = load_plan(path).lines
    assert [(g.level, g.label, g.number) for g in line.groups] == [
        ("obiettivo", "Cartella sociale", 1), ("azione", "Sistema cartella sociale", 1)]


def test_a_sum_over_a_whole_column_is_a_total_of_the_table(tmp_path):
    plan = load_plan(_book(tmp_path / "colonna.xlsx", ["Voce", "Budget 2021"], [
        ["Coordinamento", 100], ["Equipe", 200], ["TOTALE", ("=SUM(B2:B1048575)", 300)]]))
    assert [ln.voce for ln in plan.lines] == ["Coordinamento", "Equipe"]
    assert [(t.level, t.line_ids, t.amounts) for t in plan.totals] == [
        ("table", [0, 1], {2021: 30000})]

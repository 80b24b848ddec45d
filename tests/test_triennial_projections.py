"""Projection rules: the table is read by header names wherever it sits, rules and amounts
as users write them; growth rounds like Excel (LibreOffice agrees); long sums are split
within Excel's limits; the command line writes the sheet and the data package."""

import shutil
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from benchmarks.generate import generate_budget
from pdz_xl.changeset import CellStyle, CellWrite, Changeset
from pdz_xl.grid import Cell, SheetGrid
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import (
    TRIENNIAL_SHEET,
    build_triennial,
    default_projections,
    grow,
    triennial_changeset,
)
from pdz_xl.triennial.formulas import MAX_ARGS, MAX_CHARS, chunks, fits, parts, sum_of
from pdz_xl.triennial.groups import cost_groups, resolver, revenue_channels
from pdz_xl.triennial.projections import PROJECTIONS_SHEET, parse_projections, projections_sheet
from tests.support.libreoffice import assert_cached_equals_recalculated
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"


@pytest.fixture(scope="module")
def plan2018():
    return detect_plan(read_workbook(PO2018))


def _sheet(rows: list[list[object]], first_row: int = 1, formats=None) -> SheetGrid:
    s = SheetGrid(PROJECTIONS_SHEET)
    for r, values in enumerate(rows, start=first_row):
        for c, v in enumerate(values, start=1):
            if v is not None:
                s.set(r, c, Cell(value=v, number_format=(formats or {}).get((r, c))))
    return s


def _resolve(plan):
    return resolver(cost_groups(plan, "obiettivo"), revenue_channels(plan))


def test_table_is_read_by_header_names_anywhere(plan2018):
    sheet = _sheet([
        ["Note libere"],
        [],
        ["Voce", "Anno 3", "Anno 2", "Tipo", "Regola", "Crescita %"],
        ["OBIETTIVO 12", 15000, "€ 15.000,00", "costo", "Importi", None],
        ["13: PROTEZIONE GIURIDICA", 30000.004, 30000, "Costo", "importi digitati", None],
        ["Servizi abitativi", None, None, "costo", "Crescita %", "2,5"],
        ["1", None, None, "costo", "tasso", 0.03],
        ["FRS", None, None, "ricavo", "come anno 1", None],
        ["ALTRI FONDI", None, None, "ricavo", "Canale di bilanciamento", None],
        ["Obiettivo inesistente", 1, 1, "costo", "importi", None],
        ["FNPS", None, None, "ricavo", "a sentimento", None],
    ], first_row=3, formats={(9, 6): "0.00%"})
    rows, problems = parse_projections(sheet, _resolve(plan2018))
    by_key = {p.key: p for p in rows}
    assert by_key["obiettivo:12"].rule == "importi"
    assert (by_key["obiettivo:12"].year2, by_key["obiettivo:12"].year3) == (1_500_000,
                                                                            1_500_000)
    assert by_key["obiettivo:12"].cells == {"year3": "B6"}  # text amounts: no cell to link
    assert by_key["obiettivo:13"].year3 == 3_000_000  # rounded to the cent
    assert by_key["obiettivo:14"].rule == "crescita"
    assert by_key["obiettivo:14"].growth == Decimal("2.5")
    assert not by_key["obiettivo:14"].cells  # a text rate is used as a constant
    assert by_key["obiettivo:1"].growth == Decimal("3.00")
    assert by_key["obiettivo:1"].growth_is_fraction
    assert by_key["FSR"].rule == "uguale"
    assert by_key["ALTRI_FONDI"].rule == "bilancia"
    assert by_key["FNPS"].rule == "uguale"
    assert len(problems) == 2
    assert "riga 12" in problems[0] and "Obiettivo inesistente" in problems[0]
    assert "a sentimento" in problems[1]


def test_key_column_wins_over_a_relabelled_voce(plan2018):
    sheet = _sheet([["Tipo", "Voce", "Regola", "Anno 2", "Chiave"],
                    ["costo", "Casa (rinominato)", "importi", 1, "obiettivo:14"]])
    rows, problems = parse_projections(sheet, _resolve(plan2018))
    assert [(p.key, p.year2) for p in rows] == [("obiettivo:14", 100)] and not problems


def test_existing_table_is_never_rewritten_and_gaps_are_reported(plan2018, tmp_path):
    user = projections_sheet([p for p in default_projections(plan2018, "obiettivo")
                              if p.key in ("obiettivo:1", "ALTRI_FONDI")])
    src = tmp_path / "u.xlsx"
    apply_changeset(PO2018, Changeset(sheets=[user]), src)
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), per="obiettivo")
    assert [s.name for s in cs.sheets] == [TRIENNIAL_SHEET]
    missing = [s for s in cs.summary if f"non è in «{PROJECTIONS_SHEET}»" in s]
    assert len(missing) == 14 + 8  # the other obiettivi and channels: from the table
    assert all(s.endswith("importi da «Preventivo triennale»: " + s.split(": ")[-1])
               for s in missing)
    assert data.balance() == [0, 0, 0]


def test_growth_rounds_like_excel():
    assert grow(100_005, Decimal(10)) == 110_006  # 1.100,055 -> 1.100,06 (half up)
    assert grow(-100_005, Decimal(10)) == -110_006  # half away from zero
    assert grow(12_345, Decimal("-1.75")) == 12_129
    assert grow(1, Decimal("49.99")) == 1


@pytest.mark.libreoffice
def test_growth_and_every_rule_recalculate_in_libreoffice(plan2018, tmp_path):
    rates = ["2.5", "3.33", "-1.75", "7.125", "0.5", "10", "1.005", "12.345", "-0.01",
             "4", "33.333", "0.125", "5.55", "99.99", "2"]
    projections = default_projections(plan2018, "obiettivo")
    for p, rate in zip([p for p in projections if p.kind == "costo"], rates, strict=True):
        p.rule, p.growth = "crescita", Decimal(rate)
    fnps = next(p for p in projections if p.key == "FNPS")
    fnps.rule, fnps.year2, fnps.year3 = "importi", 60_000_012, None
    comuni = next(p for p in projections if p.key == "COMUNI")
    comuni.rule, comuni.growth = "crescita", Decimal("1.5")
    table = projections_sheet(projections, [2018, 2019, 2020])
    # obiettivo 1's rate as a percentage-formatted cell (0,025 shown as 2,50%)
    row1 = next(p.row for p in projections if p.key == "obiettivo:1")
    table.cells = [CellWrite(cell=c.cell, value=Decimal("0.025"),
                             style=CellStyle(number_format="0.00%"))
                   if c.cell == f"D{row1}" else c for c in table.cells]
    src = tmp_path / "g.xlsx"
    apply_changeset(PO2018, Changeset(sheets=[table]), src)
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid), per="obiettivo")
    out = tmp_path / "g_out.xlsx"
    apply_changeset(src, cs, out)
    first = data.costs[0]
    assert first.projection.growth_is_fraction
    assert first.years[1] == grow(first.years[0], Decimal("2.5"))
    for row, rate in zip(data.costs[1:], rates[1:], strict=True):
        assert row.years[1] == grow(row.years[0], Decimal(rate))
        assert row.years[2] == grow(row.years[1], Decimal(rate))
    fnps_row = next(r for r in data.revenues if r.key == "FNPS")
    assert fnps_row.years == [58_822_209, 60_000_012, 58_822_209]
    assert data.balance()[1:] == [0, 0]
    assert_cached_equals_recalculated(out, sheets=[TRIENNIAL_SHEET])


def test_partial_sums_stay_within_excel_limits():
    refs = [(f"'Budget lungo'!C{r}", 1, 100) for r in range(1, 4000, 2)]  # 2,000 cells
    items = parts(refs)
    assert len(items) == 2000 and not fits(items)
    groups = chunks(items)
    assert all(len(g) <= MAX_ARGS and len(sum_of(g)) <= MAX_CHARS for g in groups)
    assert [p for g in groups for p in g] == items
    merged = parts([("Budget!C5", 1, 1), ("Budget!C6", 1, 2), ("Budget!C7", 1, 3),
                    ("Budget!D8", 1, 4), ("Budget!C9", -1, 5)])
    assert [(p.text, p.cents) for p in merged] == [("Budget!C5:C7", 6), ("Budget!D8", 4),
                                                   ("Budget!C9", 5)]
    assert sum_of(merged) == "=SUM(Budget!C5:C7)+Budget!D8-Budget!C9"


@pytest.mark.libreoffice
def test_big_group_uses_partial_sums_that_libreoffice_agrees_with(tmp_path):
    src = generate_budget(tmp_path / "big.xlsx", 3_000)
    grid = read_workbook(src)
    plan = detect_plan(grid)
    cs, data = triennial_changeset(grid, plan, per="area", year1="righe")
    assert data.costs[0].years[0] == sum(ln.amount(2021) for ln in plan.lines)
    cells = {c.cell: c for c in cs.sheets[0].cells}
    assert cells["B6"].formula.startswith("=SUM(B") and ":" in cells["B6"].formula
    parts_rows = [c for c in cs.sheets[0].cells if isinstance(c.value, str)
                  and " – parte " in c.value]
    assert len(parts_rows) >= 2
    assert all(len(c.formula or "") <= MAX_CHARS for c in cs.sheets[0].cells)
    out = tmp_path / "big_out.xlsx"
    apply_changeset(src, cs, out)
    assert_cached_equals_recalculated(out, sheets=[TRIENNIAL_SHEET])


def test_build_without_revenue_table_warns(plan2018):
    plan = plan2018.model_copy(update={"revenues": []})
    data = build_triennial(plan, default_projections(plan, "obiettivo"), "obiettivo")
    assert data.revenues == [] and data.balance() == data.cost_totals()
    assert any("nessuna tabella dei ricavi" in w for w in data.warnings)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "triennale", *args],
                          capture_output=True, text=True, cwd=REPO)


def test_command_line_writes_the_sheet_and_the_package(tmp_path):
    src = tmp_path / "po.xlsx"
    shutil.copy(PO2018, src)
    out = tmp_path / "out" / "po_triennale.xlsx"
    proc = _cli(str(src), "-o", str(out), "--per", "obiettivo", "--fdp",
                str(tmp_path / "fdp"), "--data", "2026-11-22", "--ente", "Ambito cremasco")
    assert proc.returncode == 0, proc.stderr
    assert "Triennale PDZ: 15 gruppi di costo (obiettivo)" in proc.stdout
    assert "anni 2019 e 2020 da «Preventivo triennale»" in proc.stdout
    ws = openpyxl.load_workbook(out, data_only=True)[TRIENNIAL_SHEET]
    assert ws["A2"].value == "Ente: Ambito cremasco"
    assert "generato il 2026-11-22" in ws["A3"].value
    assert (tmp_path / "fdp" / "datapackage.json").exists()
    assert src.read_bytes() == PO2018.read_bytes()  # -o leaves the source alone


def test_command_line_says_what_the_balancing_channel_absorbs(tmp_path):
    proc = _cli(str(REPO / "workbooks" / "piano_programma_2021.xlsx"), "-o",
                str(tmp_path / "t.xlsx"), "--ambito", "Ambito cremasco")  # the older name
    assert proc.returncode == 0, proc.stderr
    assert "«ALTRI FONDI PROGETTUALI» pareggia il 2022: assorbe € 2.061.930,81" in proc.stdout
    assert "«AREA PROGETTAZIONE» 2021: dichiarato € 667.800,08" in proc.stdout
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert ws[TRIENNIAL_SHEET]["A2"].value == "Ente: Ambito cremasco"
    assert "Confronto PDZ" in ws.sheetnames


def test_command_line_rejects_a_bad_option(tmp_path):
    proc = _cli(str(PO2018), "-o", str(tmp_path / "x.xlsx"), "--per", "servizio")
    assert proc.returncode == 2 and "--per" in proc.stderr
    proc = _cli(str(PO2018), "-o", str(tmp_path / "x.xlsx"), "--anno1", "boh")
    assert proc.returncode == 2 and "--anno1" in proc.stderr


def test_rules_that_cannot_apply_are_reported(plan2018):
    projections = default_projections(plan2018, "obiettivo")
    projections[0].rule = "crescita"  # no rate
    projections[1].rule = "bilancia"  # a cost cannot balance
    data = build_triennial(plan2018, projections, "obiettivo")
    assert data.costs[0].years == [data.costs[0].years[0]] * 3
    assert data.costs[1].years == [data.costs[1].years[0]] * 3 and not data.costs[1].balancing
    assert any("senza tasso" in w and "1: CARTELLA SOCIALE" in w for w in data.warnings)
    assert any("vale solo per i ricavi" in w for w in data.warnings)


def test_headers_with_the_plan_years_and_the_old_ones(plan2018):
    years = [2018, 2019, 2020]
    for header in (["Tipo", "Voce", "Regola", "Anno 2018", 2019, "2020"],
                   ["Tipo", "Voce", "Regola", "Anno 1", "Anno 2", "Anno 3"]):
        sheet = _sheet([header, ["costo", "OBIETTIVO 12", "importi", 1, 15000, 16000]])
        rows, problems = parse_projections(sheet, _resolve(plan2018), years)
        assert [(p.year1, p.year2, p.year3) for p in rows] == [(100, 1_500_000, 1_600_000)]
        assert rows[0].cells == {"year1": "D2", "year2": "E2", "year3": "F2"}
        assert not problems
    sheet = _sheet([["Tipo", "Voce", "Regola", "Anno 2021", "Anno 2022"],
                    ["costo", "OBIETTIVO 12", "importi", 1, 2]])
    rows, problems = parse_projections(sheet, _resolve(plan2018), years)
    assert rows[0].year2 is None and rows[0].year3 is None
    assert len(problems) == 1 and "2021, 2022" in problems[0] and "2018-2020" in problems[0]


def test_solo_anno_1_rule(plan2018):
    sheet = _sheet([["Tipo", "Voce", "Regola"], ["ricavo", "RESIDUI", "solo anno 1"],
                    ["ricavo", "ALTRI FONDI", "bilanciamento"]])
    rows, problems = parse_projections(sheet, _resolve(plan2018))
    assert [p.rule for p in rows] == ["solo_anno1", "bilancia"] and not problems
    data = build_triennial(plan2018, rows, "obiettivo")
    residui = next(r for r in data.revenues if r.key == "RESIDUI")
    assert residui.years == [65_526_323, 0, 0]
    altri = data.balancing_row()
    assert altri.absorbed == [65_526_323, 65_526_323]  # it takes what RESIDUI no longer gives
    assert data.balance() == [0, 0, 0]
    assert any("«ALTRI FONDI» pareggia il 2019: assorbe € 655.263,23" in w and "RESIDUI"
               in w for w in data.warnings)


def test_written_table_has_the_years_a_drop_down_a_hidden_key_and_linked_seeds(tmp_path):
    out = tmp_path / "p.xlsx"
    grid = read_workbook(PO2018)
    cs, _data = triennial_changeset(grid, detect_plan(grid))
    apply_changeset(PO2018, cs, out)
    ws = openpyxl.load_workbook(out)[PROJECTIONS_SHEET]
    cached = openpyxl.load_workbook(out, data_only=True)[PROJECTIONS_SHEET]
    assert [ws.cell(3, c).value for c in range(1, 10)] == [
        "Tipo", "Voce", "Regola", "Crescita %", "Anno 2018", "Anno 2019", "Anno 2020",
        "Fonte", "Chiave"]
    assert ws.column_dimensions["I"].hidden and not ws.column_dimensions["H"].hidden
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref).startswith("C4:C")
    assert dv.formula1 == '"come anno 1,solo anno 1,crescita,importi,bilanciamento"'
    row12 = next(r for r in range(4, 30) if ws[f"I{r}"].value == "obiettivo:12")
    assert ws[f"C{row12}"].value == "importi"
    assert ws[f"F{row12}"].value == "='Preventivo triennale'!C15"
    assert ws[f"G{row12}"].value == "='Preventivo triennale'!D15"
    assert cached[f"F{row12}"].value == 15000 and ws[f"E{row12}"].value is None
    assert ws[f"H{row12}"].value == "«Preventivo triennale»: C15, D15"
    altri = next(r for r in range(4, 30) if ws[f"I{r}"].value == "ALTRI_FONDI")
    assert ws[f"F{altri}"].value == "='Preventivo triennale'!C30"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    # the triennial sheet follows the table: 2019 of obiettivo 12 is its cell
    tri = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    r12 = next(r for r in range(6, 21) if str(tri[f"A{r}"].value).startswith("12:"))
    assert tri[f"C{r12}"].value == f"=ROUND('{PROJECTIONS_SHEET}'!F{row12},2)"


def test_a_typed_projection_wins_over_the_workbook_tables(plan2018, tmp_path):
    rows = [p for p in default_projections(plan2018, "obiettivo") if p.key == "obiettivo:14"]
    rows[0].rule, rows[0].growth = "crescita", Decimal("10")
    src = tmp_path / "u.xlsx"
    apply_changeset(PO2018, Changeset(sheets=[projections_sheet(rows, [2018, 2019, 2020])]),
                    src)
    grid = read_workbook(src)
    cs, data = triennial_changeset(grid, detect_plan(grid))
    by_key = {r.key: r for r in data.costs}
    assert by_key["obiettivo:14"].years == [12_511_823, 13_763_005, 15_139_306]
    assert by_key["obiettivo:13"].years == [0, 3_000_000, 3_000_000]  # from the table
    assert any("«13: PROTEZIONE GIURIDICA» non è in «Proiezioni PDZ»: importi da "
               "«Preventivo triennale»" in s for s in cs.summary)
    out = tmp_path / "u_out.xlsx"
    apply_changeset(src, cs, out)
    tri = openpyxl.load_workbook(out)[TRIENNIAL_SHEET]
    r13 = next(r for r in range(6, 21) if str(tri[f"A{r}"].value).startswith("13:"))
    assert tri[f"C{r13}"].value == "='Preventivo triennale'!C16"  # straight to the table

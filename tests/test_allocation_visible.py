"""Allocation you can see: new channel columns sized and styled like the table, TOTALE
rows with per-channel SUMs, the «Allocazione PDZ» sheet, who is short when there is no
allocation, equal priorities used in proportion to their means (issue 15, part B)."""

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pdz_xl.allocate.apply import AllocationInfeasible, allocate, allocation_changeset
from pdz_xl.allocate.rules import Rule, RuleSet
from pdz_xl.allocate.sample_rules import RULES_2018
from pdz_xl.allocate.summary_sheet import ALLOCATION_SHEET
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.cli.app import app
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.money import EUR_FORMAT, format_eur
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
COMUNI_2018 = "B27"  # «Preventivo triennale», COMUNI 2018: € 5.750.378,20


def _cut_comuni(src: Path, dest: Path) -> Path:
    apply_changeset(src, Changeset(cells={"Preventivo triennale": [
        CellWrite(cell=COMUNI_2018, value=4750378.20)]}), dest)
    return dest


@pytest.mark.parametrize("rules", [False, True], ids=["regole-predefinite", "regole-2018"])
@pytest.mark.parametrize("solver", ["ortools", "highs"])
def test_comuni_cut_by_a_million_names_comuni(tmp_path, rules, solver):
    src = _cut_comuni(PO2018, tmp_path / "corto.xlsx")
    grid = read_workbook(src)
    assert grid.sheet("Preventivo triennale").value(27, 1) == "COMUNI"
    with pytest.raises(AllocationInfeasible) as info:
        allocation_changeset(grid, detect_plan(grid), solver=solver,
                             rules=RuleSet(rules=RULES_2018) if rules else None)
    exp = info.value.explanation
    assert exp.total == 100_000_000
    assert [(c.code, c.disponibile, c.short) for c in exp.channels] == [
        ("COMUNI", 475_037_820, 100_000_000)]
    text = exp.message
    assert "canale COMUNI: dispone di € 4.750.378,20, mancano € 1.000.000,00" in text
    for other in ("FNPS", "FSR", "FRS", "FNA"):
        assert f"canale {other}" not in text


def test_a_fund_its_lines_alone_may_use_is_named_when_cut():
    """When only FNA may pay the FNA lines, cutting FNA names FNA (nothing can move)."""
    grid = read_workbook(PO2018)
    plan = detect_plan(grid)
    fna = next(r for r in plan.revenues if r.channel == "FNA" and r.kind == "item")
    cut = fna.model_copy(update={"amounts": {**fna.amounts, 2018: 10_000_000}})
    plan = plan.model_copy(update={"revenues": [cut if r.id == fna.id else r
                                                for r in plan.revenues]})
    only = [Rule(channel=c, azione="*FNA*", allowed=False)
            for c in ("RESIDUI", "FNPS", "FSR", "FSOL", "COMUNI", "PROVINCIA", "ATS",
                      "ALTRI_FONDI")]
    res = allocate(plan, RuleSet(rules=[*only, *RULES_2018]))
    assert not res.feasible
    assert [c.code for c in res.explanation.channels] == ["FNA"]
    assert res.explanation.channels[0].disponibile == 10_000_000


@pytest.mark.parametrize("solver", ["ortools", "highs"])
def test_equal_priorities_are_used_in_proportion_to_their_means(solver):
    """2021, «tutto», default rules: COMUNI and FONDI ATS both at priority 50; neither is
    left wholly unused, each uses the same share of its means to a tenth."""
    grid = read_workbook(PP2021)
    _cs, _plan, res = allocation_changeset(grid, detect_plan(grid), mode="tutto",
                                           solver=solver)
    by = {s.code: s for s in res.channels}
    comuni, ats = by["COMUNI"], by["ATS"]
    assert ats.allocato > 0 and comuni.residuo > 0
    share = [s.allocato / s.disponibile for s in (comuni, ats)]
    assert abs(share[0] - share[1]) <= 0.1, share
    assert sum(s.allocato for s in res.channels) == sum(
        ln.amounts[2021] for ln in detect_plan(grid).lines if ln.amounts.get(2021))


def _allocated_2018(tmp_path: Path) -> Path:
    out = tmp_path / "a18.xlsx"
    res = CliRunner().invoke(app, ["alloca", str(PO2018), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_new_columns_are_wide_and_styled_like_the_table_header(tmp_path):
    out = _allocated_2018(tmp_path)
    ws = openpyxl.load_workbook(out)["Piano Operativo 2018"]
    values = openpyxl.load_workbook(out, data_only=True)["Piano Operativo 2018"]
    head = ws["B2"]  # «BUDGET 2018»: the table's own header
    for col in "CDEFGHIJK":
        cell = ws[f"{col}2"]
        assert cell.value and cell.font.b == head.font.b
        assert cell.fill.fgColor.rgb == head.fill.fgColor.rgb
        assert cell.border.bottom.style == head.border.bottom.style
        width = ws.column_dimensions[col].width
        shown = [format_eur(round(Decimal(str(v)) * 100)) for (v,) in values.iter_rows(
            min_row=3, min_col=values[f"{col}1"].column, max_col=values[f"{col}1"].column,
            values_only=True) if isinstance(v, (int, float))]
        assert width >= max(len(t) for t in shown) + 2, col  # no ###: every amount fits
        assert width >= len(cell.value)


def test_totale_rows_get_per_channel_sums_with_exact_caches(tmp_path):
    out = _allocated_2018(tmp_path)
    formulas = openpyxl.load_workbook(out)["Piano Operativo 2018"]
    values = openpyxl.load_workbook(out, data_only=True)["Piano Operativo 2018"]
    plan = detect_plan(read_workbook(out))
    totals = [t for t in plan.totals if t.label.upper().startswith("TOTALE")]
    assert len(totals) == 15
    for t in totals:
        line_sum = {c: 0 for c in plan.channel_codes}
        for i in t.line_ids:
            for c in line_sum:
                line_sum[c] += plan.lines[i].channels.get(c) or 0
        for col in "CDEFGHIJK":
            f = formulas[f"{col}{t.row}"].value
            assert isinstance(f, str) and f.startswith("=SUM("), (t.label, col)
        by_col = {cc.code: cc.col for tb in plan.tables for cc in tb.channel_cols}
        for code, col in by_col.items():
            cached = values.cell(t.row, col).value
            assert round(Decimal(str(cached)) * 100) == line_sum[code], (t.label, code)
        assert sum(t.channels.values()) == t.amounts[2018]


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_the_cached_totals(tmp_path):
    out = _allocated_2018(tmp_path)
    assert formula_mismatches(out, ["Piano Operativo 2018"]) == []


def test_allocazione_sheet_per_channel_and_group_matrix(tmp_path):
    out = _allocated_2018(tmp_path)
    wb = openpyxl.load_workbook(out)
    ws = wb[ALLOCATION_SHEET]
    assert ws["A4"].value == "Canale" and ws["D4"].value == "Residuo"
    rows = {ws.cell(r, 1).value: r for r in range(5, 15)}
    r = rows["FRS"]
    assert [ws.cell(r, c).value for c in (2, 3, 4)] == [824314, 824314, 0]
    assert ws.cell(r, 2).number_format == EUR_FORMAT
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Gruppo")
    groups = [ws.cell(r, 1).value for r in range(head + 1, ws.max_row + 1)]
    assert groups[0] == "CARTELLA SOCIALE" and groups[-1] == "Totale"
    total = ws.cell(ws.max_row, ws.max_column).value
    assert round(Decimal(str(total)) * 100) == 1_008_973_782
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1

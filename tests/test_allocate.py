"""Allocation acceptance: exact to the cent, within the rules, pinned cells kept."""

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdz_xl.allocate.apply import AllocationInfeasible, allocation_changeset
from pdz_xl.allocate.solver import Problem, solve
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import validate_plan
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


def _allocate_file(src, dest, **kw):
    grid = read_workbook(src)
    cs, _plan, result = allocation_changeset(grid, detect_plan(grid), **kw)
    apply_changeset(src, cs, dest)
    return result


def test_2018_channels_equal_the_document_table(tmp_path):
    out = tmp_path / "a18.xlsx"
    result = _allocate_file(PO2018, out)
    table = {r["voce"]: cents(r["anno_2018"]) for r in rows("po2018_triennale_canali.csv")}
    names = {"FSR": "FRS", "ALTRI_FONDI": "ALTRI FONDI"}
    for s in result.channels:
        assert s.allocato == table[names.get(s.code, s.code)] == s.disponibile
    plan = detect_plan(read_workbook(out))
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2018), ln.cell
    assert [f for f in validate_plan(plan) if f.severity == "errore"] == []
    # restricted FNA only on the FNA measures
    fna = [ln for ln in plan.lines if ln.channels.get("FNA")]
    assert fna and all("FNA" in ln.path[1] for ln in fna)


def test_2018_written_file_opens_in_libreoffice(tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(PO2018, out)
    assert formula_mismatches(out) == []


def _emptied_2021(tmp_path, keep_every=None):
    """The 2021 sample with the channel cells emptied (or every other one kept)."""
    plan = detect_plan(read_workbook(PP2021))
    writes, kept = {}, {}
    for k, ln in enumerate(plan.lines):
        if keep_every and k % keep_every == 0 and ln.has_split():
            kept[ln.id] = dict(ln.channels)
            continue
        for ref in ln.channel_cells.values():
            sheet, cell = ref.split("!")
            writes.setdefault(sheet, []).append(CellWrite(cell=cell, value=None))
    path = tmp_path / "vuoto21.xlsx"
    apply_changeset(PP2021, Changeset(cells=writes), path)
    return path, kept


def test_2021_emptied_is_reallocated_within_the_revenue(tmp_path):
    src, _ = _emptied_2021(tmp_path)
    assert not any(ln.has_split() for ln in detect_plan(read_workbook(src)).lines)
    out = tmp_path / "ri21.xlsx"
    result = _allocate_file(src, out)
    plan = detect_plan(read_workbook(out))
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2021), ln.cell
        assert set(c for c, v in ln.channels.items() if v) <= set(ln.channels)
    assert all(s.residuo >= 0 for s in result.channels)
    codes = {f.code for f in validate_plan(plan)}
    assert not codes & {"PDZ101", "PDZ102", "PDZ103", "PDZ402", "PDZ404"}


def test_2021_half_pinned_cells_are_unchanged(tmp_path):
    src, kept = _emptied_2021(tmp_path, keep_every=2)
    out = tmp_path / "pin21.xlsx"
    _allocate_file(src, out)
    plan = detect_plan(read_workbook(out))
    assert kept
    for line_id, channels in kept.items():
        assert plan.lines[line_id].channels == channels
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2021)


def test_infeasible_plan_is_explained_and_nothing_written(tmp_path):
    src = tmp_path / "corto.xlsx"
    apply_changeset(PO2018, Changeset(cells={"Preventivo triennale": [
        CellWrite(cell="B26", value=100000)]}), src)  # FNA cut to 100,000
    before = src.read_bytes()
    grid = read_workbook(src)
    with pytest.raises(AllocationInfeasible) as info:
        allocation_changeset(grid, detect_plan(grid))
    text = str(info.value)
    assert "allocazione impossibile" in text and "Nulla è stato scritto" in text
    assert "€ 283.019,00" in text  # 383,019 - 100,000: exactly what is missing
    assert src.read_bytes() == before


def test_same_input_same_cells(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _allocate_file(PO2018, a)
    _allocate_file(PO2018, b)
    assert a.read_bytes() == b.read_bytes()


def test_both_solvers_are_exact():
    grid = read_workbook(PO2018)
    plan = detect_plan(grid)
    results = [allocation_changeset(grid, plan, solver=s)[2] for s in ("ortools", "highs")]
    for r in results:
        assert [s.allocato for s in r.channels] == [s.disponibile for s in r.channels]


@st.composite
def problems(draw, feasible=True):
    n_lines = draw(st.integers(1, 12))
    n_chan = draw(st.integers(1, 5))
    demand = np.array(draw(st.lists(st.integers(1, 10**8), min_size=n_lines,
                                    max_size=n_lines)), dtype=np.int64)
    arcs = []
    for i in range(n_lines):
        chans = draw(st.lists(st.integers(0, n_chan - 1), min_size=1, max_size=n_chan,
                              unique=True))
        arcs += [(i, c) for c in chans]
    al = np.array([a for a, _ in arcs], dtype=np.int64)
    ac = np.array([c for _, c in arcs], dtype=np.int64)
    # capacities from a known feasible split (first eligible channel takes all)
    first = {}
    for i, c in arcs:
        first.setdefault(i, c)
    cap = np.zeros(n_chan, dtype=np.int64)
    for i, c in first.items():
        cap[c] += demand[i]
    if not feasible:
        cap[draw(st.integers(0, n_chan - 1))] = 0
        cap = cap // 2
    cost = np.array(draw(st.lists(st.integers(1, 100), min_size=len(arcs),
                                  max_size=len(arcs))), dtype=np.int64)
    return Problem(demand, cap, al, ac, cost)


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(["ortools", "highs"]))
def test_random_feasible_plans_allocate_exactly(problem, solver):
    sol = solve(problem, solver)  # verify() inside raises on any inexact result
    assert sol.feasible
    covered = np.bincount(problem.arc_line, weights=sol.flow, minlength=len(problem.demand))
    assert (covered.astype(np.int64) == problem.demand).all()


@settings(max_examples=60, deadline=None)
@given(problems(feasible=False), st.sampled_from(["ortools", "highs"]))
def test_random_infeasible_plans_are_explained(problem, solver):
    sol = solve(problem, solver)
    if sol.feasible:  # halving may still leave room: then it must be exact
        return
    assert sol.uncovered and sum(sol.uncovered.values()) > 0
    used = np.bincount(problem.arc_channel, weights=sol.flow, minlength=len(problem.capacity))
    assert (used <= problem.capacity).all()


def test_openpyxl_sees_the_new_channel_columns(tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(PO2018, out)
    ws = openpyxl.load_workbook(out)["Piano Operativo 2018"]
    assert [ws.cell(2, c).value for c in range(3, 12)] == [
        "RESIDUI", "FNPS", "FRS", "FSOL", "FNA", "COMUNI", "PROVINCIA", "ATS", "ALTRI FONDI"]


def test_like_last_year_keeps_a_feasible_split_as_it_is(tmp_path):
    grid = read_workbook(PP2021)
    plan = detect_plan(grid)
    _cs, updated, result = allocation_changeset(grid, plan, mode="anno-scorso")
    assert result.lines_allocated == sum(1 for ln in plan.lines if ln.amount(2021) > 0)
    for before, after in zip(plan.lines, updated.lines, strict=True):
        if before.amount(2021) > 0:
            assert {c: v for c, v in after.channels.items() if v} == \
                {c: v for c, v in before.channels.items() if v}, before.cell

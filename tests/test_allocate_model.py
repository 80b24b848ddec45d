"""From a Plan to cells: capacities, modes, pins, shares, new columns, explanations, and the
Changeset (only changed cells, formula caches refreshed). Plans are built by hand."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdz_xl.allocate.apply import AllocationInfeasible, allocate, allocation_changeset
from pdz_xl.allocate.model import build_model
from pdz_xl.allocate.rules import RULES_SHEET, Rule, RuleSet
from pdz_xl.allocate.summary_sheet import ALLOCATION_SHEET
from pdz_xl.channels.catalog import default_catalog
from pdz_xl.grid import Cell, SheetGrid, WorkbookGrid
from pdz_xl.money import EUR_FORMAT
from pdz_xl.plan import ChannelColumn
from tests.support.plans import YEAR, PlanBuilder

CHANNELS = ["FNPS", "COMUNI", "FNA"]  # FNA is restricted
OPEN = RuleSet(rules=[Rule(channel="FNA", azione="*FNA*", priority=1)])


def _plan(b: PlanBuilder, capacity: dict[str, int], with_columns: bool = True):
    for code, cents in capacity.items():
        b.revenue(code, "item", cents, channel=code)
    plan = b.build()
    if with_columns:
        plan.tables[0].channel_cols = [ChannelColumn(code=c, header=c, col=4 + k)
                                       for k, c in enumerate(b.channels)]
    else:
        for ln in plan.lines:
            ln.channels, ln.channel_cells = {}, {}
    return plan


def _cells(result):
    return {ln_id: dict(sorted(cells.items())) for ln_id, cells in result.amounts.items()}


def test_capacity_is_items_minus_deductions_of_the_plan_year():
    b = PlanBuilder(channels=CHANNELS)
    b.line("A", 1000)
    b.revenue("FNPS", "item", None, channel="FNPS", amounts={YEAR - 1: 5, YEAR: 700})
    b.revenue("Comuni", "item", None, channel="COMUNI", amounts={YEAR: 900})
    b.revenue("Quota vincolata", "deduction", None, channel="COMUNI", amounts={YEAR: 400})
    plan = b.build()
    model = build_model(plan, OPEN, default_catalog())
    assert dict(zip(model.channels, model.problem.capacity.tolist(), strict=True)) == {
        "FNPS": 700, "COMUNI": 500}
    res = allocate(plan, OPEN)
    assert res.feasible and sum(res.amounts[0].values()) == 1000


def test_empty_mode_keeps_typed_cells_and_completes_partial_lines():
    b = PlanBuilder(channels=CHANNELS)
    full = b.line("piena", 300, {"FNPS": 100, "COMUNI": 200})
    part = b.line("parziale", 500, {"COMUNI": 50})
    zero = b.line("zero", 70, {"FNPS": 0})  # a typed zero is a pin too: FNPS pays nothing
    empty = b.line("vuota", 400)
    plan = _plan(b, {"FNPS": 550, "COMUNI": 1000})
    res = allocate(plan, OPEN, mode="vuote")
    cells = _cells(res)
    assert cells[full] == {"COMUNI": 200, "FNPS": 100}
    assert cells[part] == {"COMUNI": 50, "FNPS": 450}  # 50 typed, 450 filled
    assert cells[zero] == {"COMUNI": 70}
    assert sum(cells[empty].values()) == 400
    assert res.lines_allocated == 3
    assert {s.code: s.allocato for s in res.channels} == {
        "FNPS": 550, "COMUNI": 200 + 50 + 70 + 400 - cells[empty].get("FNPS", 0), "FNA": 0}
    # the same line with every free channel excluded cannot be completed
    b2 = PlanBuilder(channels=CHANNELS)
    b2.line("parziale", 500, {"COMUNI": 50, "FNPS": 0})
    res2 = allocate(_plan(b2, {"FNPS": 1000, "COMUNI": 1000}), OPEN, mode="vuote")
    assert not res2.feasible
    assert "i canali ammessi hanno già la cella compilata" in res2.explanation.message


def test_everything_mode_reallocates_and_clears():
    b = PlanBuilder(channels=CHANNELS)
    b.line("a", 300, {"FNPS": 300})
    b.line("b", 0, {"COMUNI": 0, "FNPS": 20})  # zero line with a stray cell: cleared
    plan = _plan(b, {"FNPS": 0, "COMUNI": 1000})
    cs, updated, res = allocation_changeset(None, plan, mode="tutto", rules=OPEN)
    assert _cells(res) == {0: {"COMUNI": 300}}
    writes = {w.cell: w.value for w in cs.cells["Costi"]}
    assert writes == {"D2": None, "E2": Decimal("3.00"), "D3": None}  # E3 (typed 0) stays
    assert updated.lines[1].channels == {"FNPS": None, "COMUNI": 0, "FNA": None}
    assert all(w.style.number_format == EUR_FORMAT for w in cs.cells["Costi"])


def test_like_last_year_keeps_shares_and_moves_as_little_as_possible():
    b = PlanBuilder(channels=CHANNELS)
    b.line("a", 1000, {"FNPS": 300, "COMUNI": 700})
    b.line("b", 1100, {"FNPS": 500, "COMUNI": 500})  # amount grew 10%
    plan = _plan(b, {"FNPS": 850, "COMUNI": 2000})
    res = allocate(plan, OPEN, mode="anno-scorso")
    assert _cells(res)[0] == {"COMUNI": 700, "FNPS": 300}
    assert _cells(res)[1] == {"COMUNI": 550, "FNPS": 550}
    # FNPS cut: what cannot stay moves, the rest keeps its share
    plan2 = _plan(PlanBuilder(channels=CHANNELS, lines=list(plan.lines)),
                  {"FNPS": 700, "COMUNI": 2000})
    res2 = allocate(plan2, OPEN, mode="anno-scorso")
    assert sum(c.get("FNPS", 0) for c in res2.amounts.values()) == 700
    moved = sum(abs(_cells(res2)[i].get(k, 0) - _cells(res)[i].get(k, 0))
                for i in (0, 1) for k in ("FNPS", "COMUNI"))
    assert moved == 2 * 150


def test_table_columns_limit_the_channels_and_unknown_columns_are_kept():
    b = PlanBuilder(channels=["FNPS", "COMUNI"])
    b.line("a", 1000)
    plan = _plan(b, {"FNPS": 5000, "COMUNI": 5000, "FNA": 5000})
    ln = plan.lines[0]
    ln.channels["?PROVINCIA"], ln.channel_cells["?PROVINCIA"] = 250, "Costi!F2"
    rules = RuleSet(rules=[Rule(channel="FNPS", allowed=False)])
    res = allocate(plan, rules)
    assert _cells(res) == {0: {"COMUNI": 750}}  # FNA has no column here, FNPS excluded


def test_shares_are_cents_of_the_line_rounded_inwards():
    b = PlanBuilder(channels=CHANNELS)
    b.line("a", 999)
    plan = _plan(b, {"FNPS": 5000, "COMUNI": 5000})
    rules = RuleSet(rules=[Rule(channel="FNPS", priority=1, max_share=Decimal("33.4")),
                           Rule(channel="COMUNI", priority=9, min_share=Decimal("10.05"))])
    res = allocate(plan, rules)
    # FNPS at most floor(999 x 33.4%) = 333; COMUNI at least ceil(999 x 10.05%) = 101
    assert _cells(res) == {0: {"COMUNI": 666, "FNPS": 333}}


def test_new_columns_right_of_the_last_used_column_with_headers():
    b = PlanBuilder(channels=["FNPS", "COMUNI"])
    b.line("a", 1000)
    b.line("b", 500)
    plan = _plan(b, {"FNPS": 600, "COMUNI": 900}, with_columns=False)
    plan.revenues[0].label = "F.N.P.S."
    sheet = SheetGrid(name="Costi")
    sheet.set(1, 1, Cell(value="VOCE"))
    sheet.set(1, 3, Cell(value="BUDGET 2021"))
    sheet.set(3, 5, Cell(value="nota a margine"))  # a note column: new columns go after it
    grid = WorkbookGrid(source="x.xlsx", sheets=[sheet])
    cs, updated, _ = allocation_changeset(grid, plan)  # no rules sheet: the defaults
    writes = {w.cell: w for w in cs.cells["Costi"]}
    assert writes["F1"].value == "F.N.P.S." and writes["G1"].value == "COMUNI"
    assert writes["F1"].style.bold and writes["G1"].style.bold
    values = {k: w.value for k, w in writes.items() if k[0] in "FG" and k[1:] != "1"}
    assert sum(values.values()) == Decimal("15.00")
    assert [c.code for c in updated.tables[0].channel_cols] == ["FNPS", "COMUNI"]
    assert updated.lines[0].channel_cells == {"FNPS": "Costi!F2", "COMUNI": "Costi!G2"}
    assert updated.channel_codes == ["FNPS", "COMUNI"]
    assert [s.name for s in cs.sheets] == [RULES_SHEET, ALLOCATION_SHEET]  # ... and the
    # sheet stating them, then the summary of the allocation
    column_a = {w.cell: w.value for w in cs.sheets[0].cells if w.cell[0] == "A"}
    assert [column_a[c] for c in ("A3", "A4", "A5")] == ["Canale", "F.N.P.S.", "COMUNI"]


def test_sum_formulas_over_written_cells_get_new_cached_values():
    b = PlanBuilder(channels=["FNPS", "COMUNI"])
    b.line("a", 1000)
    b.line("b", 500)
    plan = _plan(b, {"FNPS": 100000, "COMUNI": 0})
    sheet = SheetGrid(name="Costi")
    sheet.set(4, 4, Cell(value=0.0, formula="=SUM(D2:D3)"))
    sheet.set(5, 4, Cell(value=0.0, formula="=SUM(D4)*1"))  # not a plain SUM: left alone
    other = SheetGrid(name="Riepilogo")
    other.set(1, 1, Cell(value=0.0, formula="=SUM(Costi!D4,Costi!E4)"))
    grid = WorkbookGrid(source="x.xlsx", sheets=[sheet, other,
                                                 SheetGrid(name=RULES_SHEET)])
    cs, _, _ = allocation_changeset(grid, plan, rules=OPEN)
    d4 = next(w for w in cs.cells["Costi"] if w.cell == "D4")
    assert (d4.formula, d4.value) == ("=SUM(D2:D3)", Decimal("15.00"))
    assert not any(w.cell == "D5" for w in cs.cells["Costi"])
    a1 = cs.cells["Riepilogo"][0]
    assert (a1.cell, a1.formula, a1.value) == ("A1", "=SUM(Costi!D4,Costi!E4)", Decimal("15.00"))
    assert [s.name for s in cs.sheets] == [ALLOCATION_SHEET]  # it has its rules sheet


def test_infeasible_is_explained_in_italian():
    b = PlanBuilder(channels=CHANNELS)
    b.line("Buoni", 800, azione="Azione 2: Misura FNA")
    b.line("Buoni bis", 400, azione="Azione 2: Misura FNA")
    b.line("Segreteria", 100, azione="Azione 9: Altro")
    plan = _plan(b, {"FNA": 1000, "FNPS": 0, "COMUNI": 0})
    rules = RuleSet(rules=[Rule(channel="FNA", azione="*FNA*", priority=1),
                           Rule(channel="FNPS", allowed=False),
                           Rule(channel="COMUNI", allowed=False)])
    with pytest.raises(AllocationInfeasible) as info:
        allocation_changeset(None, plan, rules=rules)
    exp = info.value.explanation
    assert exp.total == 300
    assert [(c.code, c.disponibile, c.short) for c in exp.channels] == [("FNA", 1000, 200)]
    assert [ln.voce for ln in exp.channels[0].lines] == ["Buoni", "Buoni bis"]
    assert [(p.line.voce, p.missing) for p in exp.lines] == [("Segreteria", 100)]
    msg = exp.message
    assert msg.startswith("allocazione impossibile: mancano almeno € 3,00")
    assert "canale FNA: dispone di € 10,00, mancano € 2,00" in msg
    assert "riga «Segreteria» (Costi!A4): scoperti € 1,00, le regole non ammettono nessuno" in msg
    assert msg.endswith("Nulla è stato scritto.")


def test_minimum_shares_over_the_whole_line_are_a_conflict():
    b = PlanBuilder(channels=CHANNELS)
    b.line("a", 100)
    plan = _plan(b, {"FNPS": 500, "COMUNI": 500})
    rules = RuleSet(rules=[Rule(channel="FNPS", min_share=Decimal(60)),
                           Rule(channel="COMUNI", min_share=Decimal(60))])
    res = allocate(plan, rules)
    assert not res.feasible
    assert "le quote minime superano l'importo di € 0,20" in res.explanation.message


def test_negative_lines_are_left_alone_and_said():
    b = PlanBuilder(channels=CHANNELS)
    b.line("rimborso", -500, {"FNPS": -500})
    b.line("a", 100)
    plan = _plan(b, {"FNPS": 100, "COMUNI": 0})
    res = allocate(plan, OPEN)
    assert res.feasible and _cells(res) == {1: {"FNPS": 100}}
    assert any("rimborso" in n and "non allocata" in n for n in res.notes)


@st.composite
def plans(draw, feasible=True):
    """Random plans whose revenue equals a known split; some cells typed; FNA lines need
    FNA. Infeasible variant: FNA cut below what its lines need."""
    n = draw(st.integers(1, 15))
    b = PlanBuilder(channels=CHANNELS)
    totals = dict.fromkeys(CHANNELS, 0)
    fna_need = 0
    for i in range(n):
        amount = draw(st.integers(0, 10**8))
        is_fna = draw(st.booleans())
        if is_fna:
            split = {"FNA": amount}
            fna_need += amount
        else:
            a = draw(st.integers(0, amount))
            split = {"FNPS": a, "COMUNI": amount - a}
        for c, v in split.items():
            totals[c] += v
        typed = {c: v for c, v in split.items() if draw(st.booleans())}
        b.line(f"voce {i}", amount, typed,
               azione="Azione 2: FNA" if is_fna else "Azione 1: Servizi")
    if not feasible:
        if fna_need == 0:
            b.line("FNA extra", 1000, azione="Azione 2: FNA")
            fna_need = 1000
        totals["FNA"] = draw(st.integers(0, fna_need - 1))
    extra = {c: draw(st.integers(0, 1000)) if feasible else 0 for c in CHANNELS}
    return _plan(b, {c: totals[c] + extra[c] for c in CHANNELS})


@settings(max_examples=80, deadline=None)
@given(plans(), st.sampled_from(["vuote", "tutto", "anno-scorso"]),
       st.sampled_from(["ortools", "highs"]))
def test_random_feasible_plans_allocate_exactly(plan, mode, solver):
    cs, updated, res = allocation_changeset(None, plan, mode=mode, solver=solver, rules=OPEN)
    assert res.feasible
    cells = {ref: ln.channels[c] for ln in updated.lines for c, ref in ln.channel_cells.items()}
    for sheet, writes in cs.cells.items():  # every write is what the updated plan reads
        for w in writes:
            want = cells[f"{sheet}!{w.cell}"]
            assert w.value == (None if want is None else Decimal(want) / 100)
    for ln in updated.lines:
        assert ln.split_total() == ln.amount(YEAR), (mode, ln.voce)
        if mode == "vuote":  # typed cells unchanged
            before = plan.lines[ln.id].channels
            assert all(ln.channels[c] == v for c, v in before.items() if v is not None)
    for s in res.channels:
        assert s.allocato <= s.disponibile
        assert s.allocato == sum(ln.channels.get(s.code) or 0 for ln in updated.lines)
    assert not any(ln.channels.get("FNA") for ln in updated.lines
                   if "FNA" not in ln.path[1])


@settings(max_examples=60, deadline=None)
@given(plans(feasible=False), st.sampled_from(["vuote", "tutto"]),
       st.sampled_from(["ortools", "highs"]))
def test_random_infeasible_plans_are_explained_and_write_nothing(plan, mode, solver):
    # FNA lines may use FNA only: then the missing money is FNA's (where another channel
    # may pay them, the shortfall goes to the largest channel that can: tested apart)
    rules = RuleSet(rules=[*OPEN.rules, Rule(channel="FNPS", azione="*FNA*", allowed=False),
                           Rule(channel="COMUNI", azione="*FNA*", allowed=False)])
    res = allocate(plan, rules, mode=mode, solver=solver)
    assert not res.feasible and res.amounts == {}
    exp = res.explanation
    assert exp.total > 0 and "FNA" in [c.code for c in exp.channels]
    assert "allocazione impossibile" in exp.message and "Nulla è stato scritto" in exp.message
    with pytest.raises(AllocationInfeasible):
        allocation_changeset(None, plan, mode=mode, solver=solver, rules=rules)

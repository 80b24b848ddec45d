"""Allocation you can see: who is short when there is no allocation, equal priorities
used in proportion to their means (issue 15, part B)."""

from pathlib import Path

import pytest

from pdz_xl.allocate.apply import AllocationInfeasible, allocate, allocation_changeset
from pdz_xl.allocate.rules import Rule, RuleSet
from pdz_xl.allocate.sample_rules import RULES_2018
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
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

"""Properties on random budgets: a consistent budget has no finding; one line's budget
moved by Δ shows, with difference −Δ, exactly at the line (split), at each total that
closes it and at the balance with the revenues; rounding when |Δ| is within tolerance."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pdz_xl.validate import validate_plan
from pdz_xl.validate.config import DEFAULT_TOLERANCE_CENTS
from tests.support.plans import PlanBuilder

CHANNELS = ["FNPS", "FSR", "COMUNI"]

split_st = st.lists(st.integers(0, 10_000_000), min_size=3, max_size=3)
servizio_st = st.lists(split_st, min_size=1, max_size=6)
budget_st = st.lists(servizio_st, min_size=1, max_size=4)


def _build(budget, moved: tuple[int, int, int] | None = None):
    """Lines (with split), a SUM total per servizio, an area total of the servizio totals,
    a revenue table that balances every channel. ``moved`` = (servizio, line, Δ): that
    line's budget changes by Δ and nothing else does (as a typing slip would)."""
    b = PlanBuilder(channels=CHANNELS)
    total_cells, all_ids, where = [], [], {}
    for s, lines in enumerate(budget):
        first = b.row
        ids = []
        for i, parts in enumerate(lines):
            split = dict(zip(CHANNELS, parts, strict=True))
            delta = moved[2] if moved and moved[:2] == (s, i) else 0
            ids.append(b.line(f"Voce {s}.{i}", sum(parts) + delta, split,
                              azione=f"Azione {s + 1}: Servizio {s}"))
            where[(s, i)] = b.lines[-1].amount_cells[2021]
        stated = sum(sum(p) for p in lines)
        total_cells.append(b.total(f"TOTALE SERVIZIO {s}", stated, ids,
                                   f"=SUM(C{first}:C{b.row - 1})"))
        all_ids += ids
    grand = sum(sum(sum(p) for p in lines) for lines in budget)
    area = b.total("TOTALE AREA", grand, all_ids,
                   "=SUM(" + ",".join(c.split("!")[1] for c in total_cells) + ")")
    for k, code in enumerate(CHANNELS):
        b.revenue(code, "item", sum(p[k] for lines in budget for p in lines), code)
    b.revenue("TOTALE BUDGET", "total", grand, covers=list(range(len(CHANNELS))))
    return b.build(), where, total_cells, area


@settings(max_examples=60, deadline=None)
@given(budget_st)
def test_consistent_budget_has_no_finding(budget):
    plan, *_ = _build(budget)
    assert validate_plan(plan) == []


@settings(max_examples=80, deadline=None)
@given(budget_st, st.data())
def test_one_moved_line_shows_where_it_must(budget, data):
    s = data.draw(st.integers(0, len(budget) - 1))
    i = data.draw(st.integers(0, len(budget[s]) - 1))
    delta = data.draw(st.integers(-1_000_000, 1_000_000).filter(bool))
    if sum(budget[s][i]) + delta < 0:
        delta = -delta  # a negative budget is another rule (PDZ104)
    plan, where, total_cells, area = _build(budget, (s, i, delta))
    findings = validate_plan(plan)
    assert sorted((f.code, f.cell) for f in findings) == sorted([
        ("PDZ101", where[(s, i)]), ("PDZ201", total_cells[s]), ("PDZ201", area),
        ("PDZ401", "Entrate!B5")])
    assert {f.difference for f in findings} == {-delta}
    rounding = abs(delta) <= DEFAULT_TOLERANCE_CENTS
    assert {f.category == "arrotondamento" for f in findings} == {rounding}
    assert {f.severity for f in findings} == {"avviso" if rounding else "errore"}

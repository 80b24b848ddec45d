"""Years 2 and 3 from any table whose columns are the plan's later years, on any layout:
the layout families and random office layouts that carry the documents' triennial or
pluriennale table, a table written elsewhere with other words, multi-year revenue tables,
lines with later-year amounts; what the workbook says first, typed projections above all."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from pdz_xl.changeset import CellWrite, Changeset, OwnedSheet
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.triennial.build import build_triennial, default_projections, triennial_changeset
from pdz_xl.triennial.groups import cost_groups, resolver, revenue_channels
from pdz_xl.triennial.seeds import column_years, find_seeds
from tests.support.families import FAMILIES, Layout, WideBuilder, build
from tests.support.families.strategies import layouts
from tests.support.libreoffice import assert_cached_equals_recalculated
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
SETTINGS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _oracle(dataset: str) -> tuple[list[list[int]], list[list[int]] | None]:
    """The document's three years of costs per group (and of revenues per channel)."""
    if dataset == "2018":
        keys = ("anno_2018", "anno_2019", "anno_2020")
        costs = [[cents(r[k]) for k in keys] for r in rows("po2018_triennale_costi.csv")]
        revenues = [[cents(r[k]) for k in keys] for r in rows("po2018_triennale_canali.csv")]
        return costs[:-1], revenues[:-1]
    keys = ("budget_2021", "budget_2022", "budget_2023")
    return [[cents(r[k]) for k in keys] for r in rows("pp2021_pluriennale.csv")][:-1], None


def _triennial(path: Path, **kw):
    grid = read_workbook(path)
    return triennial_changeset(grid, detect_plan(grid), **kw)


def _check_against_the_document(data, dataset: str) -> None:
    costs, revenues = _oracle(dataset)
    assert [r.years for r in data.costs] == costs
    if revenues is not None and data.revenues:
        assert [r.years for r in data.revenues] == revenues
        assert data.balance() == [0, 0, 0]


@pytest.mark.parametrize("family", ["schede", "po-classico", "tutto-in-un-foglio"])
def test_families_with_the_documents_tables_reproduce_them(family, tmp_path):
    build(family, tmp_path / "b.xlsx")
    cs, data = _triennial(tmp_path / "b.xlsx")
    _check_against_the_document(data, FAMILIES[family].dataset)
    assert data.seeded_from and not any("non corrisponde" in s for s in cs.summary)


@SETTINGS
@given(layouts().filter(lambda layout: layout.summaries))
def test_random_layouts_with_the_documents_tables_reproduce_them(layout: Layout):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "budget.xlsx"
        WideBuilder(layout).build(path)
        _cs, data = _triennial(path)
    _check_against_the_document(data, layout.dataset)


def _previsioni_2021(dest: Path) -> Path:
    """The 2021 sample with its pluriennale replaced by another office's table: at B8,
    «Aree | Previsione 2022 | Previsione 2023» (no 2021 column), areas in another order,
    a total row of formulas."""
    pluriennale = {r["area"]: r for r in rows("pp2021_pluriennale.csv")}
    order = ["AREA UFFICIO DI PIANO", "AREA PROGETTAZIONE", "AREA SERVIZI AZIENDALI",
             "AREA GESTIONE ASSOCIATA SERVIZI", "AREA MISURE DISTRETTUALI E REGIONALI"]
    cells = [CellWrite(cell="B2", value="Previsioni per gli anni successivi"),
             CellWrite(cell="B8", value="Aree"), CellWrite(cell="C8", value="Previsione 2022"),
             CellWrite(cell="D8", value="Previsione 2023")]
    r = 9
    for area in order:
        cells += [CellWrite(cell=f"B{r}", value=area),
                  CellWrite(cell=f"C{r}", value=Decimal(pluriennale[area]["budget_2022"])),
                  CellWrite(cell=f"D{r}", value=Decimal(pluriennale[area]["budget_2023"]))]
        r += 1
    totals = [sum(Decimal(pluriennale[a][f"budget_{y}"]) for a in order) for y in (2022, 2023)]
    cells += [CellWrite(cell=f"B{r}", value="Totale"),
              *(CellWrite(cell=f"{c}{r}", value=t, formula=f"=SUM({c}9:{c}{r - 1})")
                for c, t in zip("CD", totals, strict=True))]
    apply_changeset(PP2021, Changeset(sheets=[OwnedSheet(name="Previsioni", cells=cells)],
                                      remove_sheets=["Budget pluriennale"]), dest)
    return dest


def test_a_table_of_later_years_anywhere_in_other_words(tmp_path):
    path = _previsioni_2021(tmp_path / "v.xlsx")
    cs, data = _triennial(path)
    want = {r["area"]: r for r in rows("pp2021_pluriennale.csv")}
    assert data.seeded_from == ["Previsioni"]
    for r in data.costs:
        assert r.years[1:] == [cents(want[r.label]["budget_2022"]),
                               cents(want[r.label]["budget_2023"])]
    # no 2021 column: year 1 of AREA SERVIZI AZIENDALI is its lines (no statement)
    aziendali = next(r for r in data.costs if r.label == "AREA SERVIZI AZIENDALI")
    assert aziendali.years[0] == 168_912_744 and aziendali.source.kind == "righe"
    out = tmp_path / "v_out.xlsx"
    apply_changeset(path, cs, out)
    assert_cached_equals_recalculated(out, sheets=["Triennale PDZ", "Proiezioni PDZ"])


def test_column_years_of_summary_tables():
    plan = detect_plan(read_workbook(PP2021))
    tables = {s.kind: s for s in plan.summaries}
    assert column_years(tables["pluriennale"]) == {2021: "2021", 2022: "2022", 2023: "2023"}
    assert column_years(tables["confronto"]) == {2020: "po_2020", 2021: "budget_2021"}


def _seeds(plan, per, mode="dichiarati"):
    groups, channels = cost_groups(plan, per), revenue_channels(plan)
    return find_seeds(plan, per, mode, groups, channels, resolver(groups, channels))


def test_a_multi_year_revenue_table_seeds_the_channels_without_a_summary():
    plan = detect_plan(read_workbook(PO2018))
    bare = plan.model_copy(update={"summaries": []})
    seeds = _seeds(bare, "obiettivo")
    assert not seeds.costs and seeds.tables == ["Preventivo triennale"]
    assert seeds.revenues["ALTRI_FONDI"].refs[2019] == [("Preventivo triennale!C30", 1,
                                                         72_690_730)]
    data = build_triennial(bare, default_projections(bare, "obiettivo", seeds=seeds),
                           "obiettivo", seeds=seeds)
    _costs, revenues = _oracle("2018")
    assert [r.years for r in data.revenues] == revenues
    # costs as year 1 (nothing says otherwise), revenues as the table: the gap shows
    assert data.balance()[1:] == [-7_000_000, -7_000_000]
    assert any("costi − ricavi = -€ 70.000,00" in w for w in data.warnings)


def test_lines_with_later_years_seed_their_groups(tmp_path):
    path = tmp_path / "t.xlsx"
    build("anni-semplici-triennio", path)
    plan = detect_plan(read_workbook(path))
    assert {2019, 2020} <= set(plan.years)
    cs, data = _triennial(path)
    assert data.seeded_from == ["righe del dettaglio"]
    for r, g in zip(data.costs, cost_groups(plan, "obiettivo"), strict=True):
        assert r.years[1:] == [sum(ln.amount(y) for ln in g.lines) for y in (2019, 2020)]
    sheet = next(s for s in cs.sheets if s.name == "Proiezioni PDZ")
    linked = [c for c in sheet.cells if c.formula and c.cell.startswith("F")]
    assert len(linked) == len(data.costs)  # every year-2 amount points at its lines
    out = tmp_path / "t_out.xlsx"
    apply_changeset(path, cs, out)
    assert_cached_equals_recalculated(out, sheets=["Triennale PDZ", "Proiezioni PDZ"])


def test_what_comes_first_follows_the_year_1_mode(tmp_path):
    """With both a table and lines for the later years: «dichiarati» takes the table,
    «righe» the lines."""
    path = tmp_path / "t.xlsx"
    build("anni-semplici-triennio", path)  # lines: 2019 and 2020 repeat 2018
    plan = detect_plan(read_workbook(path))
    table = detect_plan(read_workbook(PO2018)).summary("triennale_costi")
    both = plan.model_copy(update={"summaries": [table]})
    stated, summed = _seeds(both, "obiettivo"), _seeds(both, "obiettivo", "righe")
    assert stated.costs["obiettivo:12"].amount(2019) == 1_500_000  # the assembly's raise
    assert summed.costs["obiettivo:12"].amount(2019) == 0  # the lines
    assert stated.tables == ["Preventivo triennale"]
    assert summed.tables[0] == "righe del dettaglio"


def test_a_row_that_names_nothing_of_the_plan_is_reported():
    plan = detect_plan(read_workbook(PP2021))
    table = plan.summary("pluriennale")
    extra = table.rows[0].model_copy(update={"label": "Fondo di riserva", "group_key": None})
    odd = table.model_copy(update={"rows": [*table.rows[:-1], extra, table.rows[-1]]})
    seeds = _seeds(plan.model_copy(update={"summaries": [odd]}), "area")
    assert len(seeds.costs) == 5
    assert seeds.notes == ["tabella «Budget pluriennale», riga «Fondo di riserva»: non "
                           "corrisponde a un gruppo di costo né a un canale; non usata"]


def test_a_table_for_another_grouping_is_left_alone():
    plan = detect_plan(read_workbook(PP2021))
    seeds = _seeds(plan, "obiettivo")  # the pluriennale is per area
    assert not seeds.costs
    assert len([n for n in seeds.notes if "Budget pluriennale" in n]) == 5

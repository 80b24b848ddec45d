"""Detection reads the 2021 budget the same, however an office lays it out."""

import pytest

from pdz_xl.io.load import load_plan
from tests.support.oracles import lines_2021, plan_lines
from tests.support.variants import Variant, build

VARIANTS = {
    "una-scheda-per-area": Variant(),
    "tutto-su-un-foglio": Variant(one_sheet=True),
    "canali-prima-dei-budget": Variant(channels_first=True),
    "colonna-note": Variant(notes_column=True),
    "riga-vuota-nelle-tabelle": Variant(blank_row_in_tables=True),
    "intestazione-piu-in-basso": Variant(title_rows=8),
    "etichette-in-colonna-B": Variant(label_col=1),
    "tutto-insieme": Variant(one_sheet=True, channels_first=True, notes_column=True,
                             blank_row_in_tables=True, title_rows=6, label_col=1),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_reads_to_the_oracle_lines(tmp_path, name):
    plan = load_plan(build(tmp_path / f"{name}.xlsx", VARIANTS[name]))
    assert plan.plan_year == 2021 and plan.comparison_year == 2020
    assert plan_lines(plan) == lines_2021()
    assert [n for n in plan.notes if n.severity != "info"] == []


def test_amounts_typed_as_text_read_the_same_with_a_warning_each(tmp_path):
    plan = load_plan(build(tmp_path / "testo.xlsx", Variant(text_amounts=True)))
    assert plan_lines(plan) == lines_2021()
    assert plan.notes and {n.code for n in plan.notes} == {"PDZ001"}
    assert all(n.severity == "avviso" and n.cell for n in plan.notes)


def test_hidden_line_is_read_and_reported(tmp_path):
    target = ("Azione 15: Gestione del sistema", "Revisori")
    plan = load_plan(build(tmp_path / "nascosta.xlsx", Variant(hidden_line=target)))
    assert plan_lines(plan) == lines_2021()
    hidden = [ln for ln in plan.lines if ln.hidden]
    assert [(ln.path[-1], ln.voce) for ln in hidden] == [target]
    notes = [n for n in plan.notes if n.code == "PDZ005"]
    assert [n.cell for n in notes] == [hidden[0].cell]

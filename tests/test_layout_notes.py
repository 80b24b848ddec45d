"""What detection reports instead of losing data: errors, text, merges, unknown columns,
and the explicit mapping that wins over detection."""

from pathlib import Path

import xlsxwriter

from pdz_xl.io.load import load_plan

HEADER = ["SERVIZIO TM", "BUDGET 2020", "BUDGET 2021", "FNPS 2021", "FSR 2021"]


def _book(path: Path, rows: list[list], *, extra=None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Servizi")
    ws.write(0, 0, "AREA SERVIZI AZIENDALI")
    ws.write_row(2, 0, HEADER)
    ws.write(3, 0, "Azione 1: Tutela")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, tuple):  # (formula, cached)
                ws.write_formula(4 + i, j, v[0], None, v[1])
            elif v is not None:
                ws.write(4 + i, j, v)
    if extra:
        extra(wb, ws)
    wb.close()
    return path


def _codes(plan):
    return [(n.code, n.cell) for n in plan.notes]


def test_error_value_is_reported_at_its_cell(tmp_path):
    plan = load_plan(_book(tmp_path / "e.xlsx", [
        ["Coordinamento", 10, ("=1/0", "#DIV/0!"), 5, 5],
        ["Equipe", 20, ("=#REF!+1", "#REF!"), 20, None],
    ]))
    assert _codes(plan) == [("PDZ002", "Servizi!C5"), ("PDZ002", "Servizi!C6")]
    assert plan.lines[0].amounts[2021] is None
    # shown as an Italian Excel shows them: #RIF! and =#RIF!+1
    assert "#DIV/0!" in plan.notes[0].message and "#RIF!" in plan.notes[1].message
    assert "(formula =#RIF!+1)" in plan.notes[1].message


def test_text_that_is_not_an_amount(tmp_path):
    plan = load_plan(_book(tmp_path / "t.xlsx", [["Coordinamento", 10, "da definire", 5, 5]]))
    assert _codes(plan) == [("PDZ001", "Servizi!C5")]
    assert plan.notes[0].severity == "errore"
    assert "da definire" in plan.notes[0].message


def test_dash_and_euro_text_are_amounts(tmp_path):
    plan = load_plan(_book(tmp_path / "d.xlsx", [["Coordinamento", "€ -", "€ 1.234,56",
                                                  "€ 1.234,56", "€ -"]]))
    ln = plan.lines[0]
    assert ln.amounts == {2020: 0, 2021: 123456}
    assert ln.channels == {"FNPS": 123456, "FSR": 0}


def test_unknown_column_with_amounts_is_reported(tmp_path):
    def extra(wb, ws):
        ws.write(2, 5, "FONDO MISTERO")
        ws.write(4, 5, 3)

    plan = load_plan(_book(tmp_path / "u.xlsx", [["Coordinamento", 10, 10, 5, 2]], extra=extra))
    assert _codes(plan) == [("PDZ003", "Servizi!F3")]
    assert "FONDO MISTERO" in plan.notes[0].message


def test_config_sheet_maps_an_unknown_column_to_a_channel(tmp_path):
    def extra(wb, ws):
        ws.write(2, 5, "FONDO MISTERO")
        ws.write(4, 5, 3)
        cfg = wb.add_worksheet("_pdz")
        cfg.write_row(0, 0, ["colonna FONDO MISTERO", "ALTRI_FONDI_PROGETTUALI"])
        cfg.write_row(1, 0, ["anno_piano", 2021])

    plan = load_plan(_book(tmp_path / "c.xlsx", [["Coordinamento", 10, 10, 5, 2]], extra=extra))
    assert plan.notes == []
    assert plan.lines[0].channels == {"FNPS": 500, "FSR": 200, "ALTRI_FONDI_PROGETTUALI": 300}
    assert plan.config_source == "_pdz"


def test_config_sheet_sets_the_plan_year(tmp_path):
    def extra(wb, ws):
        cfg = wb.add_worksheet("_pdz")
        cfg.write_row(0, 0, ["anno_piano", 2020])

    plan = load_plan(_book(tmp_path / "y.xlsx", [["Coordinamento", 10, 10, 5, 5]], extra=extra))
    assert plan.plan_year == 2020 and plan.comparison_year is None


def test_merged_cells_inside_the_table(tmp_path):
    def extra(wb, ws):
        ws.merge_range(5, 1, 5, 2, 7)

    plan = load_plan(_book(tmp_path / "m.xlsx", [["Coordinamento", 10, 10, 5, 5],
                                                  ["Equipe"]], extra=extra))
    assert ("PDZ004", "Servizi!B6") in _codes(plan)


def test_sub_cent_amount(tmp_path):
    plan = load_plan(_book(tmp_path / "s.xlsx", [["Coordinamento", 10, 10.005, 5, 5.005]]))
    assert {c for c, _ in _codes(plan)} == {"PDZ006"}
    assert plan.lines[0].amounts[2021] == 1000


def test_no_cost_table_is_a_clear_error(tmp_path):
    import pytest

    from pdz_xl.errors import LayoutError

    p = tmp_path / "vuoto.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Note").write(0, 0, "appunti")
    wb.close()
    with pytest.raises(LayoutError) as info:
        load_plan(p)
    assert "tabella dei costi" in str(info.value) and str(p) in str(info.value)


def test_an_amount_that_looks_like_a_year_is_not_a_header(tmp_path):
    plan = load_plan(_book(tmp_path / "anno.xlsx", [["Coordinamento", 10, 10, 5, 5],
                                                     ["Formazione", 2000]]))
    assert [ln.voce for ln in plan.lines] == ["Coordinamento", "Formazione"]
    assert len(plan.tables) == 1

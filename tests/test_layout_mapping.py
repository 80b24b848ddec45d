"""The layout as data: «pdz-xl mappa» writes it into «_pdz», reading with that sheet gives
the same Plan, one edited cell corrects a reading, and the mapping's own keys behave
(lists with commas, sheet names as written, unknown keys and sheets reported)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from pdz_xl.changeset import Changeset
from pdz_xl.cli.app import app
from pdz_xl.errors import LayoutError
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.layout.mapping import layout_rows, mapping_sheet
from tests.support.families import FAMILIES, build
from tests.support.oracles import lines_2021, plan_lines

runner = CliRunner()


def _view(plan) -> dict:
    """The Plan as ``leggi --json`` gives it, without what depends on the mapping itself."""
    d = plan.to_json_dict()
    for key in ("source", "assumptions", "ambiguities"):
        d.pop(key)
    d["notes"] = sorted((n["code"], n["cell"] or "") for n in d["notes"] if n["code"] != "PDZ012")
    return d


def _with_mapping(src: Path, dest: Path) -> Path:
    plan = load_plan(src)
    apply_changeset(src, Changeset(sheets=[mapping_sheet(plan.layout)]), dest)
    return dest


@pytest.mark.parametrize("family", list(FAMILIES))
def test_reading_with_the_written_mapping_gives_the_same_plan(tmp_path, family):
    src = tmp_path / f"{family}.xlsx"
    build(family, src)
    mapped = _with_mapping(src, tmp_path / f"{family}-mappa.xlsx")
    first, again = load_plan(src), load_plan(mapped)
    assert again.config_source == "_pdz"
    assert _view(again) == _view(first)


def test_mappa_writes_a_readable_pdz_sheet_and_keeps_a_backup(tmp_path):
    src = tmp_path / "schede.xlsx"
    build("schede", src)
    result = runner.invoke(app, ["mappa", str(src)])
    assert result.exit_code == 0, result.output
    assert "copia di sicurezza" in result.output and "decisioni" in result.output
    ws = openpyxl.load_workbook(src)["_pdz"]  # a second reader
    header = [c.value for c in ws[4]]
    assert header == ["Chiave", "Valore", "Sicurezza", "Alternative considerate", "Perché"]
    keys = {row[0]: row[1] for row in ws.iter_rows(min_row=5, values_only=True)}
    assert keys["anno_piano"] == "2021" and keys["anno_confronto"] == "2020"
    assert keys["tabella Servizi aziendali!A4"] == "costi"
    assert keys["colonna Servizi aziendali!D4"] == "canale FNPS"
    assert keys["totali Servizi aziendali!A4"] == "sotto"
    assert any(k.startswith("tabella Canali 2021!") and v == "entrate" for k, v in keys.items())
    backups = list(tmp_path.glob("schede.*.bak.xlsx"))  # the original is kept aside
    assert len(backups) == 1 and "_pdz" not in openpyxl.load_workbook(backups[0]).sheetnames


def _ambiguous(path: Path) -> Path:
    """Totals that reconcile as well above their lines as below: each reading leaves one
    total without lines. Only the office knows which one it meant."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["Voce", "BUDGET 2021"])
    rows = [("TOTALE", 100), ("Coordinamento", 50), ("Equipe", 50), ("TOTALE", 100),
            ("Formazione", 60), ("Consulenze", 40), ("TOTALE", 100)]
    for i, (label, value) in enumerate(rows, start=1):
        ws.write(i, 0, label)
        ws.write_number(i, 1, value)
    wb.close()
    return path


def test_a_truly_ambiguous_table_is_said_so_and_one_edited_cell_settles_it(tmp_path):
    src = _ambiguous(tmp_path / "ambiguo.xlsx")
    plan = load_plan(src)
    assert plan.ambiguities and "totali Budget!A1" in plan.ambiguities[0]
    assert [n.code for n in plan.notes] == ["PDZ012"]
    out = runner.invoke(app, ["leggi", str(src)]).output
    assert "Lettura incerta" in out and "da verificare: totali Budget!A1" in out

    mapped = tmp_path / "mappa.xlsx"
    assert runner.invoke(app, ["mappa", str(src), "-o", str(mapped)]).exit_code == 0
    wb = openpyxl.load_workbook(mapped)
    ws = wb["_pdz"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "totali Budget!A1")
    assert row[2].value == "bassa"
    row[1].value = "sotto"  # the office says: totals close the lines above them
    wb.save(mapped)

    fixed = load_plan(mapped)
    assert fixed.ambiguities == [] and [n.code for n in fixed.notes] == []
    assert [len(t.line_ids) for t in fixed.totals] == [0, 2, 2]
    decision = next(d for d in fixed.layout.all_decisions() if d.key == "totali Budget!A1")
    assert (decision.value, decision.sure) == ("sotto", "indicata")


def _two_sheets(path: Path, names: list[str], pdz: list[tuple[str, str]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name in names:
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["Voce", "BUDGET 2021"])
        ws.write(1, 0, f"Voce di {name}")
        ws.write_number(1, 1, 10)
    cfg = wb.add_worksheet("_pdz")
    for i, (k, v) in enumerate(pdz):
        cfg.write(i, 0, k)
        cfg.write(i, 1, v)
    wb.close()
    return path


def test_sheet_lists_accept_commas_and_keep_names_as_written(tmp_path):
    names = ["Area Uno", "Area, Due", "Altro"]
    plan = load_plan(_two_sheets(tmp_path / "f.xlsx", names,
                                 [("fogli", "Area Uno, Area, Due")]))
    assert sorted(ln.voce for ln in plan.lines) == ["Voce di Area Uno", "Voce di Area, Due"]
    plan = load_plan(_two_sheets(tmp_path / "g.xlsx", names,
                                 [("ignora_fogli", "Area Uno; Altro")]))
    assert [ln.voce for ln in plan.lines] == ["Voce di Area, Due"]


def test_unknown_sheets_and_keys_are_reported_never_ignored_in_silence(tmp_path):
    with pytest.raises(LayoutError, match="«Area Tre»") as exc:
        load_plan(_two_sheets(tmp_path / "h.xlsx", ["Area Uno"], [("fogli", "Area Tre")]))
    assert "Area Uno" in str(exc.value)
    plan = load_plan(_two_sheets(tmp_path / "i.xlsx", ["Area Uno", "Area Due"],
                                 [("ignora_fogli", "Area Tre, Area Due"),
                                  ("colore preferito", "blu")]))
    notes = [n.message for n in plan.notes if n.code == "PDZ010"]
    assert any("«Area Tre»" in m for m in notes)
    assert any("«colore preferito»" in m for m in notes)
    assert [ln.voce for ln in plan.lines] == ["Voce di Area Uno"]


def test_a_stated_column_role_corrects_the_reading(tmp_path):
    """Two varying text columns: the voce is a guess; one cell of «_pdz» settles it."""
    path = tmp_path / "due-testi.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["", "", "BUDGET 2021"])
    for i, (a, b, v) in enumerate([("Coordinamento", "Mario", 10), ("Equipe", "Anna", 20),
                                   ("Formazione", "Luca", 30)], start=1):
        ws.write_row(i, 0, [a, b, v])
    wb.close()
    plan = load_plan(path)
    guessed = {d.key: d for d in layout_rows(plan.layout)}
    assert guessed["colonna Budget!A1"].sure != "alta" or \
        guessed["colonna Budget!B1"].sure != "alta"
    mapped = _with_mapping(path, tmp_path / "mappa.xlsx")
    wb2 = openpyxl.load_workbook(mapped)
    for row in wb2["_pdz"].iter_rows(min_row=5):
        if row[0].value == "colonna Budget!A1":
            row[1].value = "voce"
        if row[0].value == "colonna Budget!B1":
            row[1].value = "note"
    wb2.save(mapped)
    fixed = load_plan(mapped)
    assert [ln.voce for ln in fixed.lines] == ["Coordinamento", "Equipe", "Formazione"]
    assert [ln.path for ln in fixed.lines] == [[], [], []]


def test_numbers_outside_every_table_are_reported_with_their_cells(tmp_path):
    path = tmp_path / "fuori.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["Voce", "BUDGET 2021"])
    ws.write_row(1, 0, ["Coordinamento", 100])
    ws.write_row(2, 0, ["TOTALE", 100])
    ws.write(6, 4, 1234.5)
    ws.write(7, 4, 10)
    wb.close()
    plan = load_plan(path)
    notes = [(n.code, n.cell, n.severity) for n in plan.notes]
    assert notes == [("PDZ011", "Budget!E7", "avviso")]
    assert "€ 1.244,50" in plan.notes[0].message


def test_the_2021_lines_survive_a_mapping_round_trip_with_a_user_key_kept(tmp_path):
    src = tmp_path / "schede.xlsx"
    build("schede", src)
    wb = openpyxl.load_workbook(src)
    ws = wb.create_sheet("_pdz")
    ws.append(["tolleranza", "0,02"])
    wb.save(src)
    mapped = _with_mapping(src, tmp_path / "mappa.xlsx")
    again = load_plan(mapped)
    assert again.tolerance_cents == 2
    assert plan_lines(again) == lines_2021()

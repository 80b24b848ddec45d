"""Allocation acceptance on the sample workbooks: exact to the cent, channel totals of the
2018 document, pinned cells kept, infeasibility explained with nothing written."""

from pathlib import Path

import openpyxl
import pytest

from pdz_xl.allocate.apply import AllocationInfeasible, allocation_changeset
from pdz_xl.allocate.rules import RULES_SHEET, parse_rules, rules_sheet
from pdz_xl.allocate.sample_rules import CHANNEL_TEXT_2018, RULES_2018
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.channels.catalog import default_catalog
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import validate_plan
from pdz_xl.validate.config import config_for_grid
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO, cents, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"
NAMES_2018 = {"FSR": "FRS", "ALTRI_FONDI": "ALTRI FONDI"}


def _allocate_file(src: Path, dest: Path, **kw):
    grid = read_workbook(src)
    cs, _plan, result = allocation_changeset(grid, detect_plan(grid), **kw)
    apply_changeset(src, cs, dest)
    return result


@pytest.fixture(scope="module")
def po2018(tmp_path_factory) -> Path:
    """The 2018 sample with the shipped rules (sample_rules) as its «Regole PDZ» sheet."""
    path = tmp_path_factory.mktemp("s18") / "po2018.xlsx"
    apply_changeset(PO2018, Changeset(sheets=[rules_sheet(RULES_2018, CHANNEL_TEXT_2018)]),
                    path)
    return path


def test_shipped_2018_rules_read_back_from_the_sheet(po2018):
    parsed = parse_rules(read_workbook(po2018).sheet(RULES_SHEET), default_catalog())
    assert parsed.issues == []
    fields = ("channel", "group", "servizio", "azione", "voce", "allowed", "priority",
              "min_share", "max_share", "note")
    assert [r.model_dump(include=set(fields)) for r in parsed.rules] == \
        [r.model_dump(include=set(fields)) for r in RULES_2018]


@pytest.mark.parametrize("solver", ["ortools", "highs"])
def test_2018_every_line_exact_and_channels_equal_the_document(po2018, tmp_path, solver):
    out = tmp_path / "a18.xlsx"
    result = _allocate_file(po2018, out, solver=solver)
    table = {r["voce"]: cents(r["anno_2018"]) for r in rows("po2018_triennale_canali.csv")}
    assert len(result.channels) == 9
    for s in result.channels:
        assert s.allocato == s.disponibile == table[NAMES_2018.get(s.code, s.code)], s.code
    grid = read_workbook(out)
    plan = detect_plan(grid)
    assert sum(ln.amount(2018) for ln in plan.lines) == table["TOTALE"]
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2018), ln.cell
    for s in result.channels:  # the cells written add up to the document's table
        assert sum(ln.channels.get(s.code) or 0 for ln in plan.lines) == \
            table[NAMES_2018.get(s.code, s.code)], s.code
    errors = [f for f in validate_plan(plan, config_for_grid(grid)) if f.severity == "errore"]
    assert errors == []


def test_2018_rules_are_followed(po2018, tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(po2018, out)
    plan = detect_plan(read_workbook(out))

    def paying(code):
        return [ln for ln in plan.lines if ln.channels.get(code)]

    assert {ln.path[1] for ln in paying("FNA")} == {"Azione 2: FNA"}
    assert all(ln.path[0] == "GESTIONE ASSOCIATA" or ln.path[0] == "RETE UNITA' D'OFFERTA"
               for ln in paying("ATS"))
    assert [ln.voce for ln in paying("PROVINCIA")] == [
        "Piano Provinciali azioni di sistema -Tirocini Lavorativi"]
    dopo = [ln for ln in plan.lines if ln.path[1] == "Azione 4: Dopo di noi"]
    assert dopo and all(ln.channels == {**{c: None for c in ln.channels},
                                        "ALTRI_FONDI": ln.amount(2018)} for ln in dopo)
    accreditati = [ln for ln in plan.lines if "servizi accreditati" in ln.path[1]]
    assert all(2 * (ln.channels.get("COMUNI") or 0) >= ln.amount(2018) for ln in accreditati)
    gestione = [ln for ln in plan.lines if ln.path[0] == "GESTIONE ASSOCIATA"]
    assert sum(ln.split_total() for ln in gestione) == sum(
        (ln.channels.get("COMUNI") or 0) + (ln.channels.get("FSOL") or 0)
        + (ln.channels.get("ATS") or 0) for ln in gestione)


def test_2018_new_columns_have_the_document_headers(po2018, tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(po2018, out)
    ws = openpyxl.load_workbook(out)["Piano Operativo 2018"]
    assert [ws.cell(2, c).value for c in range(3, 12)] == [
        "RESIDUI", "FNPS", "FRS", "FSOL", "FNA", "COMUNI", "PROVINCIA", "ATS", "ALTRI FONDI"]
    assert all(ws.cell(2, c).font.b for c in range(3, 12))
    assert ws["D5"].number_format == ws["E5"].number_format
    filled = [ws.cell(r, c) for r in range(3, 242) for c in range(3, 12)
              if ws.cell(r, c).value is not None]
    assert filled and all("€" in cell.number_format for cell in filled)


@pytest.mark.libreoffice
def test_2018_written_file_recalculates_in_libreoffice(po2018, tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(po2018, out)
    assert formula_mismatches(out) == []


def test_same_input_same_bytes(po2018, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _allocate_file(po2018, a)
    _allocate_file(po2018, b)
    assert a.read_bytes() == b.read_bytes()


def test_second_run_writes_nothing(po2018, tmp_path):
    out = tmp_path / "a18.xlsx"
    _allocate_file(po2018, out)
    grid = read_workbook(out)
    for mode in ("vuote", "anno-scorso"):
        cs, _plan, result = allocation_changeset(grid, detect_plan(grid), mode=mode)
        assert cs.cells == {} and cs.sheets == [], mode
        assert all(s.residuo == 0 for s in result.channels)


def _emptied_2021(tmp_path: Path, keep=None) -> tuple[Path, dict[str, object]]:
    """The 2021 sample with its channel cells emptied, except those ``keep(k)`` selects
    (k counts the non-blank channel cells); returns the kept cells and their values."""
    plan = detect_plan(read_workbook(PP2021))
    writes: dict[str, list[CellWrite]] = {}
    kept: dict[str, object] = {}
    k = 0
    for ln in plan.lines:
        for code, ref in ln.channel_cells.items():
            if ln.channels.get(code) is None:
                continue
            k += 1
            if keep and keep(k):
                kept[ref] = ln.channels[code]
                continue
            sheet, cell = ref.split("!")
            writes.setdefault(sheet, []).append(CellWrite(cell=cell, value=None))
    path = tmp_path / "vuoto21.xlsx"
    apply_changeset(PP2021, Changeset(cells=writes), path)
    return path, kept


def _within_revenue(result, plan):
    from pdz_xl.validate.revenue import available_by_channel

    available = available_by_channel(plan)
    used = {c: sum(ln.channels.get(c) or 0 for ln in plan.lines) for c in available}
    for code, have in available.items():
        assert used[code] <= have, code
    assert {s.code: s.allocato for s in result.channels} == {
        c: used[c] for c in used if c in {s.code for s in result.channels}}


def test_2021_emptied_is_reallocated_within_the_revenue(tmp_path):
    src, _ = _emptied_2021(tmp_path)
    assert not any(ln.has_split() for ln in detect_plan(read_workbook(src)).lines)
    out = tmp_path / "ri21.xlsx"
    result = _allocate_file(src, out)
    grid = read_workbook(out)
    plan = detect_plan(grid)
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2021), ln.cell
    _within_revenue(result, plan)
    codes = {f.code for f in validate_plan(plan, config_for_grid(grid))
             if f.severity == "errore"}
    assert not codes & {"PDZ101", "PDZ102", "PDZ103", "PDZ402", "PDZ404"}


@pytest.mark.parametrize("every", [2, 3])
def test_2021_pinned_cells_are_unchanged(tmp_path, every):
    src, kept = _emptied_2021(tmp_path, keep=lambda k: k % every == 0)
    out = tmp_path / "pin21.xlsx"
    result = _allocate_file(src, out)
    plan = detect_plan(read_workbook(out))
    assert len(kept) >= 174 // every  # of the 174 non-blank channel cells
    cells = {ref: ln.channels[code] for ln in plan.lines
             for code, ref in ln.channel_cells.items()}
    assert {ref: cells[ref] for ref in kept} == kept
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2021), ln.cell
    _within_revenue(result, plan)


def test_2021_like_last_year_keeps_the_document_split(tmp_path):
    grid = read_workbook(PP2021)
    plan = detect_plan(grid)
    cs, updated, result = allocation_changeset(grid, plan, mode="anno-scorso")
    assert cs.cells == {}
    assert result.lines_allocated == sum(1 for ln in plan.lines if ln.amount(2021) > 0)
    assert [ln.channels for ln in updated.lines] == [ln.channels for ln in plan.lines]


@pytest.mark.parametrize("solver", ["ortools", "highs"])
def test_2021_reallocate_everything_keeps_channels_within_the_revenue(tmp_path, solver):
    out = tmp_path / "tutto21.xlsx"
    result = _allocate_file(PP2021, out, mode="tutto", solver=solver)
    grid = read_workbook(out)
    plan = detect_plan(grid)
    for ln in plan.lines:
        assert ln.split_total() == ln.amount(2021), ln.cell
    _within_revenue(result, plan)

    def errors(g):
        return {f.code for f in validate_plan(detect_plan(g), config_for_grid(g))
                if f.severity == "errore"}

    # the document's own slips stay (PDZ201, 301, 304, 305, 401); allocation adds none
    assert errors(grid) == errors(read_workbook(PP2021))


def test_infeasible_plan_is_explained_and_nothing_written(po2018, tmp_path):
    src = tmp_path / "corto.xlsx"
    apply_changeset(po2018, Changeset(cells={"Preventivo triennale": [
        CellWrite(cell="B26", value=100000)]}), src)  # FNA cut from 383,019 to 100,000
    before = src.read_bytes()
    grid = read_workbook(src)
    assert grid.sheet("Preventivo triennale").value(26, 1) == "FNA"
    with pytest.raises(AllocationInfeasible) as info:
        allocation_changeset(grid, detect_plan(grid))
    text = str(info.value)
    assert text.startswith(str(src))
    assert "allocazione impossibile: mancano almeno € 283.019,00" in text
    # the FNA lines may fall back on COMUNI («altrove dopo gli altri canali»): the money
    # that is missing is put on the largest channel that can pay them
    assert "canale COMUNI: dispone di € 5.750.378,20, mancano € 283.019,00" in text
    assert "Nulla è stato scritto" in text
    exp = info.value.explanation
    assert [c.code for c in exp.channels] == ["COMUNI"]
    assert src.read_bytes() == before


@pytest.mark.libreoffice
def test_sum_totals_under_channel_columns_keep_true_caches(tmp_path):
    """A TOTALE row summing the channel columns: after reallocation its cached values are
    the new sums, and LibreOffice's own recalculation agrees."""
    src, _ = _emptied_2021(tmp_path)
    with_totals = tmp_path / "totali21.xlsx"
    sums = [CellWrite(cell=f"{col}18", formula=f"=SUM({col}5:{col}17)", value=0)
            for col in "DEF"]  # TOTALE SERVIZIO TM, channel columns FNPS, FSOL, FSR
    apply_changeset(src, Changeset(cells={"Servizi aziendali": sums}), with_totals)
    out = tmp_path / "ri21.xlsx"
    _allocate_file(with_totals, out, mode="tutto")
    plan = detect_plan(read_workbook(out))
    total = next(t for t in plan.totals if t.label == "TOTALE SERVIZIO TM")
    lines = [plan.lines[i] for i in total.line_ids]
    assert set(total.channels) == {"FNPS", "FSOL", "FSR"}
    for code, cached in total.channels.items():
        assert cached == sum(ln.channels.get(code) or 0 for ln in lines), code
    assert sum(total.channels.values()) == total.amounts[2021]
    assert formula_mismatches(out) == []

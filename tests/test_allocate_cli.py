"""``pdz-xl alloca``: Italian summary per channel, JSON, exit codes, nothing written when
the allocation is impossible."""

import json

import pytest
from typer.testing import CliRunner

from pdz_xl.allocate.rules import rules_sheet
from pdz_xl.allocate.sample_rules import CHANNEL_TEXT_2018, RULES_2018
from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.cli.app import app
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
runner = CliRunner()


@pytest.fixture
def po2018(tmp_path):
    path = tmp_path / "po2018.xlsx"
    apply_changeset(PO2018, Changeset(sheets=[rules_sheet(RULES_2018, CHANNEL_TEXT_2018)]),
                    path)
    return path


def test_alloca_writes_and_prints_the_channel_table(po2018, tmp_path):
    out = tmp_path / "esiti" / "2018" / "out.xlsx"  # a folder that does not exist yet
    before = po2018.read_bytes()
    res = runner.invoke(app, ["alloca", str(po2018), "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("126 righe allocate (modo vuote, flusso di costo minimo "
                               "(OR-Tools))")
    assert lines[1].split() == ["Canale", "Disponibile", "Allocato", "Residuo"]
    fna = next(ln for ln in lines if ln.startswith("FNA "))
    assert fna.split() == ["FNA", "€", "383.019,00", "€", "383.019,00", "€", "0,00"]
    assert "FRS" in res.output  # the document's own header for FSR
    total = lines[-1].split()
    assert total[:3] == ["Totale", "€", "10.089.737,82"] and total[-1] == "0,00"
    assert po2018.read_bytes() == before
    plan = detect_plan(read_workbook(out))
    assert all(ln.split_total() == ln.amount(2018) for ln in plan.lines)


@pytest.mark.parametrize("solver", ["ortools", "highs"])
def test_alloca_json(po2018, tmp_path, solver):
    out = tmp_path / "out.xlsx"
    res = runner.invoke(app, ["alloca", str(po2018), "-o", str(out), "--json",
                              "--solver", solver, "--modo", "tutto"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["esito"] == "allocato" and data["risolutore"] == solver
    assert data["modo"] == "tutto" and data["righe"] == 126
    fsr = next(c for c in data["canali"] if c["canale"] == "FSR")
    assert fsr == {"canale": "FSR", "intestazione": "FRS", "disponibile": "824314.00",
                   "allocato": "824314.00", "residuo": "0.00"}


def test_alloca_impossible_exits_1_and_writes_nothing(po2018, tmp_path):
    src = tmp_path / "corto.xlsx"
    apply_changeset(po2018, Changeset(cells={"Preventivo triennale": [
        CellWrite(cell="B26", value=100000)]}), src)
    out = tmp_path / "out.xlsx"
    res = runner.invoke(app, ["alloca", str(src), "-o", str(out)])
    assert res.exit_code == 1
    assert "allocazione impossibile" in res.output
    assert "canale COMUNI: dispone di € 5.750.378,20, mancano € 283.019,00" in res.output
    # the other channels the same lines may use, with what they hold, by the workbook's names
    assert "le stesse righe possono usare anche FRS (€ 824.314,00), FSOL (€ 814.405,00)" \
        in res.output
    assert not out.exists()
    res = runner.invoke(app, ["alloca", str(src), "-o", str(out), "--json"])
    assert res.exit_code == 1 and not out.exists()
    data = json.loads(res.stdout)
    assert data["esito"] == "impossibile" and data["mancano"] == "283019.00"
    assert data["canali"][0]["canale"] == "COMUNI" and data["canali"][0]["mancano"] == "283019.00"


def test_alloca_refuses_unknown_options(po2018, tmp_path):
    out = tmp_path / "out.xlsx"
    res = runner.invoke(app, ["alloca", str(po2018), "-o", str(out), "--modo", "boh"])
    assert res.exit_code == 2 and "modo «boh» sconosciuto" in res.output
    res = runner.invoke(app, ["alloca", str(po2018), "-o", str(out), "--solver", "cplex"])
    assert res.exit_code == 2 and "risolutore «cplex» sconosciuto" in res.output
    assert not out.exists()

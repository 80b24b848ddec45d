"""Acceptance of the foundation: both sample workbooks read to the oracle data exactly."""

import json
import subprocess
import sys

import pytest

from pdz_xl.io.load import load_plan
from tests.support.oracles import REPO, cents, lines_2018, lines_2021, plan_lines, rows

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


@pytest.fixture(scope="module")
def plan2018():
    return load_plan(PO2018)


@pytest.fixture(scope="module")
def plan2021():
    return load_plan(PP2021)


def test_2018_lines_equal_the_oracle(plan2018):
    assert plan2018.plan_year == 2018
    assert len(plan2018.lines) == 149  # as in po2018_lines.csv
    assert plan_lines(plan2018) == lines_2018()
    assert [n for n in plan2018.notes] == []


def test_2018_stated_totals(plan2018):
    got = [(t.label, t.level, t.amounts[2018]) for t in plan2018.totals]
    want = [(f"TOTALE OBIETTIVO {r['obiettivo_n']}", "obiettivo",
             cents(r["totale_dichiarato_2018"])) for r in rows("po2018_totals.csv")]
    assert got == want
    for t in plan2018.totals:
        assert {plan2018.lines[i].path[0] for i in t.line_ids} == {t.path[0]}


def test_2018_triennial_tables(plan2018):
    costi = plan2018.summary("triennale_costi")
    assert costi.columns == ["2018", "2019", "2020", "triennio"]
    want = [(r["voce"], [cents(r[k]) for k in ("anno_2018", "anno_2019", "anno_2020",
                                                "triennio")])
            for r in rows("po2018_triennale_costi.csv")]
    got = [(r.label, [r.values[k] for k in costi.columns]) for r in costi.rows]
    assert got == want
    assert [r.group_key for r in costi.rows[:15]] == [f"obiettivo:{n}" for n in range(1, 16)]
    canali = plan2018.summary("triennale_canali")
    want = [(r["voce"], [cents(r[k]) for k in ("anno_2018", "anno_2019", "anno_2020",
                                                "triennio")])
            for r in rows("po2018_triennale_canali.csv")]
    got = [(r.label, [r.values[k] for k in canali.columns]) for r in canali.rows]
    assert got == want


def test_2018_revenues_come_from_the_channel_table(plan2018):
    items = [r for r in plan2018.revenues if r.kind == "item"]
    assert [r.channel for r in items] == ["RESIDUI", "FNPS", "FSR", "FSOL", "FNA", "COMUNI",
                                         "PROVINCIA", "ATS", "ALTRI_FONDI"]
    assert sum(r.amount for r in items) == 1_008_973_782
    total = next(r for r in plan2018.revenues if r.kind == "total")
    assert total.amount == 1_008_973_782 and total.covers == [r.id for r in items]
    assert items[0].amounts == {2018: 65_526_323, 2019: 65_526_323, 2020: 65_526_323}


def test_2021_lines_equal_the_oracle(plan2021):
    assert (plan2021.plan_year, plan2021.comparison_year) == (2021, 2020)
    assert len(plan2021.lines) == 170
    assert plan_lines(plan2021) == lines_2021()
    tables = [[c.code for c in t.channel_cols] for t in plan2021.tables]
    want = []
    for r in rows("pp2021_lines.csv"):
        cols = r["colonne_canali_della_tabella"].split("|")
        if int(r["tabella"]) > len(want):
            want.append(cols)
    assert tables == want
    assert plan2021.notes == []


def test_2021_stated_totals(plan2021):
    got = [(t.label, t.amounts[2020], t.amounts[2021]) for t in plan2021.totals]
    want = [(r["voce_totale"], cents(r["totale_dichiarato_2020"]),
             cents(r["totale_dichiarato_2021"])) for r in rows("pp2021_totals.csv")]
    assert got == want
    by_label = {t.label: t for t in plan2021.totals}
    assert by_label["TOTALE SERVIZIO TM"].level == "servizio"
    assert len(by_label["TOTALE SERVIZIO TM"].line_ids) == 11
    ga = by_label["TOTALE AREA GESTIONE ASSOCIATA."]
    assert ga.level == "area"
    assert {plan2021.lines[i].table for i in ga.line_ids} == {6, 7, 8, 9, 10}


def test_2021_revenue_table(plan2021):
    got = [(r.label, r.amount) for r in plan2021.revenues]
    want = [(r["voce"], cents(r["importo_2021"])) for r in rows("pp2021_canali.csv")]
    assert got == want
    kinds = {r.label: r.kind for r in plan2021.revenues}
    assert kinds["Totale avanzo 2020"] == "subtotal"
    assert kinds["Totale Entrate 2021"] == "subtotal"
    assert kinds["TOTALE BUDGET"] == "total"
    assert kinds["TOTALE PO 2021"] == "net_total"
    assert kinds["Progetto Fami 2 - Quota vincolata 2021"] == "deduction"
    channels = {r.label: r.channel for r in plan2021.revenues}
    assert channels["Proximity"] == "ALTRI_FONDI_PROGETTUALI"
    assert channels["FNA 2021"] == "ALTRI_FONDI_PROGETTUALI"
    assert channels["ATS Fondo sanitario Misura 6 Minori"] == "ATS"
    assert channels["Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2021"] == \
        "AVANZO_VINCOLATO"
    assert all(r.channel for r in plan2021.revenues if r.kind in ("item", "deduction"))


def test_2021_summary_tables(plan2021):
    conf = plan2021.summary("confronto")
    assert conf.columns == ["po_2020", "preconsuntivo_2020", "budget_2021"]
    want = [(r["obiettivo"], [cents(r[k]) if r[k][:1].isdigit() else None for k in
                              ("po_2020", "preconsuntivo_2020", "budget_2021")])
            for r in rows("pp2021_confronto.csv")]
    assert [(r.label, [r.values[k] for k in conf.columns]) for r in conf.rows] == want
    assert conf.rows[11].notes == {"budget_2021": "RISORSE COMUNE DI CREMA"}
    plur = plan2021.summary("pluriennale")
    assert plur.columns == ["2021", "2022", "2023"]
    want = [(r["area"], [cents(r[k]) for k in ("budget_2021", "budget_2022", "budget_2023")])
            for r in rows("pp2021_pluriennale.csv")]
    assert [(r.label, [r.values[k] for k in plur.columns]) for r in plur.rows] == want


def test_leggi_json_contract():
    out = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "leggi", str(PP2021),
                          "--json"], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert data["plan_year"] == 2021
    first = data["lines"][0]
    assert first["cell"].endswith("!A6") or "!" in first["cell"]
    assert first["path"] == ["AREA SERVIZI AZIENDALI", "SERVIZIO TM",
                             "Azione 1: Servizio Tutela Minori"]
    assert first["voce"] == "Coordinamento TM"
    assert first["amounts"] == {"2020": "50000.00", "2021": "50000.00"}
    assert first["channels"] == {"FNPS": "15000.00", "FSOL": None, "FSR": "35000.00"}
    assert {"cell", "label", "amounts"} <= set(data["totals"][0])
    assert {"cell", "label", "channel", "amount"} <= set(data["revenues"][0])

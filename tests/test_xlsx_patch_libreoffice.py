"""LibreOffice headless, an independent engine, opens what the write path produces,
recalculates every formula to our cached values, and finds our charts and notes.

These tests FAIL (never skip) when soffice is missing: tests/support/libreoffice.py
raises LibreOfficeMissing.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pdz_xl.changeset import CellWrite, Changeset, OwnedSheet
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.libreoffice import convert, formula_mismatches, recalculated_csv
from tests.support.patch_books import BUDGET, build_book
from tests.test_xlsx_patch import FULL, REPORT

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module", params=["xlsx", "xlsm"])
def written(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    src = build_book(folder / f"budget.{request.param}", macro=request.param == "xlsm")
    out = folder / "out" / src.name
    out.parent.mkdir()
    apply_changeset(src, FULL, out)
    return out


def test_libreoffice_recalculates_every_formula_to_our_cached_value(written):
    assert formula_mismatches(written) == []


def test_libreoffice_shows_the_written_cells(written):
    sheets = recalculated_csv(written)
    report = sheets[REPORT]
    assert report[0][0] == "Controllo del budget"
    assert report[2] == ["Servizi!C6", "745", "testo & <simboli> «lunghi» da andare a capo"]
    assert report[3][1:] == ["ok", "0.1"] and report[4][1:] == ["TRUE", "-12"]
    assert report[5][1] == "#DIV/0!"
    assert report[8][:2] == ["FNPS", "120"]
    budget = sheets[BUDGET]
    assert [row[6] for row in budget[4:8]] == ["200", "203", "55", "19"]  # G5 ours, G6:G8
    assert budget[8][:5] == ["TOTALE AZIONE 1", "362", "372.5", "120.49", "52.01"]


def test_libreoffice_reads_our_charts_notes_and_links(written, tmp_path):
    again = convert(written, tmp_path / "lo", "xlsx")
    wb = openpyxl.load_workbook(again)
    report = wb[REPORT]
    assert len(report._charts) == 1
    assert report._charts[0].series[0].val.numRef.f == f"'{REPORT}'!$B$9:$B$10"
    assert len(wb[BUDGET]._charts) == 1  # the user's chart too
    assert report["A3"].hyperlink.location.replace("'", "") == "Servizi!C6"
    assert "PDZ101" in wb[BUDGET]["C6"].comment.text
    assert wb[BUDGET]["A5"].comment.text.startswith("Nota dell'utente")
    assert report["A1"].comment.text == "Scritto da pdz-xl"


def test_a_wrong_cached_value_is_caught(tmp_path):
    src = build_book(tmp_path / "budget.xlsx")
    out = tmp_path / "out" / src.name
    out.parent.mkdir()
    wrong = OwnedSheet(name="Sbagliato", cells=[CellWrite(cell="A1", value=999,
                                                          formula="=Servizi!B5*2")])
    apply_changeset(src, Changeset(sheets=[wrong]), out)
    assert any("Sbagliato!A1" in p for p in formula_mismatches(out))

"""Mutations end to end: one cell written into the clean book on disk through the write
path, the file recalculated by LibreOffice (as Excel would on opening), read back and
validated: exactly the same findings as the grid-level mutation tests."""

import pytest

from pdz_xl.changeset import CellWrite, Changeset
from pdz_xl.io.xlsx_patch import apply_changeset
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.layout.detect import detect_plan
from pdz_xl.validate import config_for_grid, validate_plan
from tests.support.libreoffice import convert
from tests.support.validation_books import write_clean_book

pytestmark = pytest.mark.libreoffice


def _found(path):
    grid = read_workbook(path)
    return sorted((f.code, f.cell) for f in validate_plan(detect_plan(grid),
                                                           config_for_grid(grid)))


@pytest.fixture(scope="module")
def clean_file(tmp_path_factory):
    return write_clean_book(tmp_path_factory.mktemp("e2e") / "pulito.xlsx")


def test_clean_file_is_clean_before_and_after_libreoffice(clean_file, tmp_path):
    assert _found(clean_file) == []
    assert _found(convert(clean_file, tmp_path / "lo")) == []


CASES = [
    ("totale digitato sbagliato", "Servizi", CellWrite(cell="B19", value=999),
     [("PDZ201", "Servizi!B19")]),
    ("split diverso dal budget", "Servizi", CellWrite(cell="D5", value=65),
     [("PDZ101", "Servizi!C5"), ("PDZ402", "Canali!B4")]),
    ("SOMMA che salta una riga", "Servizi",
     CellWrite(cell="B17", formula="=SUM(B15:B15)", value=10),
     [("PDZ201", "Servizi!B19"), ("PDZ202", "Servizi!B17")]),
    ("subtotale delle entrate sbagliato", "Canali", CellWrite(cell="B6", value=371),
     [("PDZ305", "Canali!B6")]),
    ("riga del pluriennale diversa", "Pluriennale", CellWrite(cell="B2", value=461),
     [("PDZ301", "Pluriennale!B2"), ("PDZ304", "Pluriennale!B3")]),
]


@pytest.mark.parametrize(("what", "sheet", "write", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_one_cell_written_recalculated_and_validated(clean_file, tmp_path, what, sheet, write,
                                                     expected):
    mutated = tmp_path / "mutato.xlsx"
    apply_changeset(clean_file, Changeset(cells={sheet: [write]}), mutated)
    recalculated = convert(mutated, tmp_path / "lo")
    assert _found(recalculated) == expected

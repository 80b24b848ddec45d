"""Long exports with a year per row, in any order: the rows of a line are paired by its key
(groups, code, voce) wherever they stand, never across groups, and a repeated row of the
same line and year stays two lines (PDZ105)."""

from __future__ import annotations

from collections import Counter

import openpyxl
import pytest

from pdz_xl.io.load import load_plan
from pdz_xl.validate import validate_plan
from tests.support.families import build
from tests.support.oracles import OracleLine, plan_lines


def _rows(path) -> tuple[list, list[list]]:
    ws = openpyxl.load_workbook(path)["Estrazione"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return rows[0], rows[1:]


def _save(path, header: list, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Estrazione"
    for row in [header, *rows]:
        ws.append(row)
    wb.save(path)


def _later(v):
    """The amount of the next year in these tests: not the same, so a wrong pairing shows."""
    return None if v is None else round(v * 1.1 + 1, 2)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The 2018 long export (one row per line, every row 2018) and its oracle lines."""
    path = tmp_path_factory.mktemp("lungo") / "export.xlsx"
    expected = build("export-lungo-anni", path)
    header, rows = _rows(path)
    return header, rows, expected.lines


def _with_2019(lines: list[OracleLine], rows: list[list]) -> list[OracleLine]:
    """The oracle with each line's 2019 amount: the 2019 rows' Importo, in cents."""
    out = []
    for ln, row in zip(lines, rows, strict=True):
        v = _later(row[4])
        cents = None if v is None else round(v * 100)
        out.append(OracleLine(ln.path, ln.voce, (*ln.amounts, (2019, cents)), ln.channels))
    return out


def test_an_export_sorted_by_year_pairs_each_line_across_the_table(export, tmp_path):
    header, rows, lines = export
    later = [[*row[:3], 2019, _later(row[4])] for row in rows]
    path = tmp_path / "per-anno.xlsx"
    _save(path, header, rows + later)  # a line's 2018 and 2019 rows 149 rows apart
    plan = load_plan(path)
    assert (plan.plan_year, plan.comparison_year) == (2019, 2018)
    assert plan_lines(plan) == _with_2019(lines, rows)
    # the same voce in two groups stays two lines: the groups are part of the key
    shared = Counter(ln.voce for ln in lines)
    assert any(len({ln.path for ln in lines if ln.voce == v}) > 1 for v in shared)


def test_the_2019_rows_first_and_sorted_by_voce(export, tmp_path):
    """Year, then voce: a line's rows anywhere; lines of one key (FNA - Buono Sociale
    Assistenza ×4 in one azione) are paired in their order, which a sort keeps."""
    header, rows, lines = export
    later = sorted(([*row[:3], 2019, _later(row[4])] for row in rows), key=lambda r: r[2])
    path = tmp_path / "mescolate.xlsx"
    _save(path, header, later + rows)
    plan = load_plan(path)
    assert (plan.plan_year, plan.comparison_year) == (2019, 2018)
    assert Counter(plan_lines(plan)) == Counter(_with_2019(lines, rows))


def test_a_repeated_row_stays_two_lines_and_a_finding(export, tmp_path):
    header, rows, lines = export
    i = next(i for i, row in enumerate(rows) if row[4])
    doubled = [*rows[:i + 1], rows[i], *rows[i + 1:]]
    later = [[*row[:3], 2019, row[4]] for row in doubled]
    path = tmp_path / "doppione.xlsx"
    _save(path, header, doubled + later)
    plan = load_plan(path)
    assert len(plan.lines) == len(lines) + 1
    twins = [ln for ln in plan.lines if (ln.path, ln.voce) == (list(lines[i].path),
                                                               lines[i].voce)]
    assert len(twins) == 2 and all(len(ln.rows) == 2 for ln in twins)
    found = [f for f in validate_plan(plan) if f.code == "PDZ105"]
    assert len(found) == 1, found


def test_channel_rows_by_year_read_the_plan_year_split(tmp_path):
    """«Anno | Fonte | Importo» sorted by year, then voce: the amount of each year is the
    sum of its rows, the split is the plan year's only (within a year a line's channel
    rows are consecutive, as ever)."""
    header = ["Obiettivo", "Azione", "Voce", "Anno", "Fonte di finanziamento", "Importo"]
    ob, az = "1 - CARTELLA SOCIALE", "Azione 1: Sistema cartella sociale"
    rows = [[ob, az, "Software", 2020, "FNPS", 1000], [ob, az, "Software", 2020, "FSOL", 500],
            [ob, az, "Tablet", 2020, "FNPS", 300],
            [ob, az, "Software", 2021, "FNPS", 800], [ob, az, "Software", 2021, "FSR", 900],
            [ob, az, "Tablet", 2021, "FSOL", 250], [ob, az, "Tablet", 2021, "FNPS", 100]]
    path = tmp_path / "canali.xlsx"
    _save(path, header, rows)
    plan = load_plan(path)
    assert (plan.plan_year, plan.comparison_year) == (2021, 2020)
    got = {ln.voce: (ln.amounts, {k: v for k, v in ln.channels.items() if v is not None})
           for ln in plan.lines}
    assert got == {"Software": ({2020: 150000, 2021: 170000}, {"FNPS": 80000, "FSR": 90000}),
                   "Tablet": ({2020: 30000, 2021: 35000}, {"FSOL": 25000, "FNPS": 10000})}

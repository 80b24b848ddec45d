"""``pdz-xl nuovo-anno``: next year's workbook, read back, validated, recalculated.

On both samples and on the generated layout families: the new workbook reads with the new
plan year, the old plan year as comparison with the original amounts to the cent, the
same lines and groups; validation raises nothing the original did not have except the
expected «canali non ancora allocati» (PDZ102); LibreOffice recalculates every formula to
its cached value; a second run moves on one more year; what the product does not own
survives byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pdz_xl.cells import parse_a1, split_sheet_ref
from pdz_xl.errors import PdzError
from pdz_xl.io.load import load_plan
from pdz_xl.io.xlsx_reader import read_workbook
from pdz_xl.nextyear.run import default_output, next_year_file
from pdz_xl.validate import validate_plan
from tests.support.families import FAMILIES, generate
from tests.support.libreoffice import formula_mismatches
from tests.support.oracles import REPO
from tests.support.rich_books import build_rich

SAMPLES = ["piano_programma_2021.xlsx", "piano_operativo_2018.xlsx"]
UNALLOCATED = {"PDZ102"}  # «budget senza ripartizione»: the new year's channels, to allocate


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "nuovo-anno", *args],
                          capture_output=True, text=True, cwd=REPO)


def _key(f) -> tuple:
    if not f.cell:
        return (f.code, None, None)
    sheet, cell = split_sheet_ref(f.cell)
    return (f.code, sheet, parse_a1(cell)[0])


def new_findings(before: Path, after: Path) -> Counter:
    """Codes of the findings of ``after`` that ``before`` does not have (same rule, sheet and
    row: the rows of the tables do not move)."""
    old = Counter(_key(f) for f in validate_plan(load_plan(before)))
    new = Counter(_key(f) for f in validate_plan(load_plan(after)))
    return Counter(k[0] for k in (new - old).elements())


def moved_on(before: Path, after: Path) -> list[str]:
    """What differs from a faithful move to the next year (empty: all good)."""
    a, b = load_plan(before), load_plan(after)
    out = []
    if (b.plan_year, b.comparison_year) != (a.plan_year + 1, a.plan_year):
        out.append(f"anni {b.plan_year}/{b.comparison_year}, attesi {a.plan_year + 1}/"
                   f"{a.plan_year}")
    if len(a.lines) != len(b.lines) or len(a.tables) != len(b.tables):
        out.append(f"righe {len(a.lines)} -> {len(b.lines)}, tabelle {len(a.tables)} -> "
                   f"{len(b.tables)}")
    for x, y in zip(a.lines, b.lines, strict=False):
        if (x.voce, x.path, [g.level for g in x.groups]) != \
                (y.voce, y.path, [g.level for g in y.groups]):
            out.append(f"{x.cell}: {x.voce} {x.path} -> {y.voce} {y.path}")
        if x.amounts.get(a.plan_year) != y.amounts.get(a.plan_year):
            out.append(f"{x.cell}: {a.plan_year} {x.amounts.get(a.plan_year)} -> "
                       f"{y.amounts.get(a.plan_year)}")
    return out[:10]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each sample moved on once by the command line, and the result once more."""
    out = tmp_path_factory.mktemp("nuovo-anno")
    made = {}
    for name in SAMPLES:
        src = REPO / "workbooks" / name
        first = out / name.replace("20", "X20", 1)
        done = cli(str(src), "-o", str(first), "--data", "2022-01-10")
        assert done.returncode == 0, done.stderr
        second = out / ("second-" + name)
        again = cli(str(first), "-o", str(second))
        assert again.returncode == 0, again.stderr
        made[name] = (first, second)
    return made


@pytest.mark.parametrize("name", SAMPLES)
def test_the_sample_moves_on_one_year(outputs, name):
    src = REPO / "workbooks" / name
    first, _ = outputs[name]
    assert moved_on(src, first) == []
    assert set(new_findings(src, first)) <= UNALLOCATED
    plan = load_plan(first)
    assert "Controlli PDZ" in read_workbook(first).sheet_names
    assert all(not ln.has_split() for ln in plan.lines)  # --canali vuoti


@pytest.mark.parametrize("name", SAMPLES)
def test_a_second_run_moves_on_one_more_year(outputs, name):
    first, second = outputs[name]
    assert moved_on(first, second) == []
    assert set(new_findings(first, second)) <= UNALLOCATED


def test_2021_headers_titles_revenue_and_restricted_quotas(outputs):
    first, _ = outputs["piano_programma_2021.xlsx"]
    grid = read_workbook(first)
    sa = grid.sheet("Servizi aziendali")
    assert [sa.value(4, c) for c in range(2, 7)] == ["BUDGET 2021", "BUDGET 2022",
                                                     "FNPS 2022", "FSOL 2022", "FSR 2022"]
    assert sa.value(1, 1) == "BUDGET 2022 – SCHEDE"
    rev = grid.sheet("Canali 2021")
    labels = {rev.value(r, 1): rev.value(r, 2) for r in range(4, 29)}
    # the quotas held back in 2021 (245.334,60 + 31.791,25) are the 2022 restricted avanzo
    assert labels["Avanzo gestionale 2021 vincolato"] == pytest.approx(277125.85)
    assert labels["Progetto Smart Bear (Avanzo vincolato) - Quota vincolata 2022"] == 0
    assert "FNPS 2022" in labels and "TOTALE PO 2022" in labels
    plan = load_plan(first)
    costs = sum(ln.amount(2022) for ln in plan.lines)
    net = next(r for r in plan.revenues if r.kind == "net_total")
    assert net.amount == costs  # the balancing channel pays what the other channels do not
    # the pluriennale's 2022 per area: each area's lines move to its year 2 (the area
    # stated as its lines: to the cent)
    by_area = Counter()
    for ln in plan.lines:
        by_area[ln.group("area")] += ln.amount(2022)
    assert by_area["AREA UFFICIO DI PIANO"] == 8350409


def test_2018_appends_the_new_year_beside_the_plan_year(outputs):
    first, _ = outputs["piano_operativo_2018.xlsx"]
    grid = read_workbook(first)
    sheet = grid.sheet("Piano Operativo 2018")
    assert (sheet.value(2, 2), sheet.value(2, 3)) == ("BUDGET 2018", "BUDGET 2019")
    assert sheet.get(14, 3).formula == "=SUM(C4:C13)"
    assert sheet.get(14, 3).number_format == sheet.get(14, 2).number_format
    plan = load_plan(first)
    assert sum(ln.amount(2019) for ln in plan.lines) == 1015973782  # the triennale's 2019
    assert validate_plan(plan) == []


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("name", SAMPLES)
def test_libreoffice_recalculates_the_new_year_to_its_cached_values(outputs, name):
    first, second = outputs[name]
    assert formula_mismatches(first) == []
    assert formula_mismatches(second) == []


def test_every_formula_and_everything_not_ours_survives(tmp_path):
    src = build_rich(tmp_path / "ricca.xlsm", macro=True)
    out = next_year_file(src, tmp_path / "ricca 2022.xlsm")[-1].dest
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        kept = {n for n in a.namelist() if n.startswith(("xl/charts/", "xl/media/",
                                                         "xl/tables/", "xl/vbaProject"))}
        assert kept and all(a.read(n) == b.read(n) for n in kept)
        sheet = b.read("xl/worksheets/sheet1.xml").decode()
        assert "dataValidation" in sheet and "conditionalFormatting" in sheet
        assert "TotaleTM" in b.read("xl/workbook.xml").decode()
        assert any("da rivedere" in b.read(n).decode() for n in b.namelist()
                   if "comments" in n)
    before, after = read_workbook(src), read_workbook(out)
    for s in before.sheets:
        for r, cells in s.iter_rows():
            for c, cell in cells.items():
                if cell.formula:
                    assert after.sheet(s.name).get(r, c).formula, (s.name, r, c)
    plan = load_plan(out)
    assert (plan.plan_year, plan.comparison_year) == (2022, 2021)
    assert [ln.amount(2021) for ln in plan.lines] == [10000, 21000, 5000]


def test_channels_like_last_year_keep_the_split_adding_up(tmp_path):
    src = REPO / "workbooks" / "piano_programma_2021.xlsx"
    out = next_year_file(src, tmp_path / "kept.xlsx", channels="come-anno-scorso")[-1].dest
    plan = load_plan(out)
    before = load_plan(src)
    split = [ln for ln in plan.lines if ln.has_split()]
    assert len(split) == sum(1 for ln in before.lines if ln.has_split())
    assert all(ln.split_total() == ln.amount(2022) for ln in split
               if before.lines[ln.id].split_total() == before.lines[ln.id].amount(2021))
    assert "PDZ102" not in {f.code for f in validate_plan(plan)} - \
        {f.code for f in validate_plan(before)}


def test_several_years_at_once_and_the_default_name(tmp_path):
    src = tmp_path / "piano_programma_2021.xlsx"
    src.write_bytes((REPO / "workbooks" / "piano_programma_2021.xlsx").read_bytes())
    steps = next_year_file(src, year=2023)
    assert [s.result.year for s in steps] == [2022, 2023]
    assert steps[-1].dest == tmp_path / "piano_programma_2023.xlsx"
    assert load_plan(steps[-1].dest).plan_year == 2023
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano_programma_2021.xlsx",
                                                          "piano_programma_2023.xlsx"]
    assert default_output(Path("x/budget.xlsx"), 2021, 2022) == Path("x/budget 2022.xlsx")
    with pytest.raises(PdzError, match="anno successivo"):
        next_year_file(src, year=2021)
    done = cli(str(src), "--canali", "tutti")
    assert done.returncode == 2 and "--canali" in done.stderr


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_layout_family_moves_on(tmp_path, family):
    src = tmp_path / f"{family}.xlsx"
    generate(family, src)
    out = next_year_file(src, tmp_path / "nuovo.xlsx")[-1].dest
    assert moved_on(src, out) == [], family
    assert set(new_findings(src, out)) <= UNALLOCATED, family


def test_a_layout_it_cannot_move_is_refused_with_the_reason(tmp_path):
    """An Excel Table with the plan year's column only: the new column would fall outside
    the Table; nothing is written, no temporaries left."""
    import openpyxl
    from openpyxl.worksheet.table import Table

    src = tmp_path / "tabella.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elenco voci"
    for row in (["Voce", "Budget 2021"], ["Software", 1000], ["Tablet", 300]):
        ws.append(row)
    ws.add_table(Table(displayName="Voci", ref="A1:B3"))
    wb.save(src)
    with pytest.raises(PdzError, match=r"Tabella di Excel .*«Voci».*Cosa fare") as refused:
        next_year_file(src, tmp_path / "nuovo.xlsx")
    assert refused.value.describe().startswith(f"{src}: non posso preparare il nuovo anno")
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]  # no temporaries


def test_a_triennial_table_moves_on_to_the_next_column_and_appends_the_third_year(tmp_path):
    """«2018 | 2019 | 2020 | TOTALE TRIENNIO»: 2019 (already there) is the new plan year,
    2021 takes the total's column (2020's amounts, its formulas one column on), the total
    goes one column right and adds up 2019-2021; 2018 stays as the comparison year."""
    src = tmp_path / "triennio.xlsx"
    generate("anni-semplici-triennio", src)
    first = next_year_file(src, tmp_path / "t2019.xlsx")[-1].dest
    sheet = read_workbook(first).sheet("Piano Operativo 2018")
    assert [sheet.value(2, c) for c in range(2, 7)] == [2018, 2019, 2020, 2021,
                                                        "TOTALE TRIENNIO"]
    assert sheet.value(1, 1) == "PIANO OPERATIVO 2019"
    assert (sheet.get(5, 5).value, sheet.get(5, 6).formula) == (12000, "=SUM(C5:E5)")
    assert (sheet.get(14, 5).formula, sheet.get(14, 6).formula) == ("=SUM(E5:E13)",
                                                                     "=SUM(C14:E14)")
    before, after = load_plan(src), load_plan(first)
    assert [ln.amount(2019) for ln in after.lines] == [ln.amount(2019) for ln in before.lines]
    second = next_year_file(first, tmp_path / "t2020.xlsx")[-1].dest
    plan = load_plan(second)
    assert (plan.plan_year, plan.comparison_year) == (2020, 2019)
    sheet = read_workbook(second).sheet("Piano Operativo 2018")
    assert [sheet.value(2, c) for c in range(2, 8)] == [2018, 2019, 2020, 2021, 2022,
                                                        "TOTALE TRIENNIO"]
    assert sheet.get(5, 7).formula == "=SUM(D5:F5)"
    assert moved_on(first, second) == [] and set(new_findings(first, second)) <= UNALLOCATED


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
def test_libreoffice_agrees_on_the_families_with_other_formulas(tmp_path):
    """SUBTOTAL, SUMIF over a long export, cross-sheet links, percentages, SUMs on
    headings: the families whose formulas are not only the samples' SUMs."""
    bad = {}
    for family in ("subtotali-excel", "export-lungo", "fogli-per-obiettivo",
                   "testo-e-colonne-extra", "titoli-con-importo", "anni-semplici-triennio"):
        src = tmp_path / f"{family}.xlsx"
        generate(family, src)
        out = next_year_file(src, tmp_path / f"{family}-nuovo.xlsx")[-1].dest
        if found := formula_mismatches(out):
            bad[family] = found[:3]
    assert bad == {}


def _long_export(path: Path, rows: list[list]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Estrazione"
    ws.append(["Obiettivo", "Azione", "Voce", "Anno", "Fonte di finanziamento", "Importo"])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.mark.parametrize("channels", ["vuoti", "come-anno-scorso"])
def test_a_long_export_by_year_gets_the_new_years_rows_appended(tmp_path, channels):
    """One row per line, channel and year: the 2021 rows are written under the table (the
    2020 ones untouched), one per line with the channel cleared, or one per channel row
    with last year's split; the group written only where it changes stays so."""
    ob = "1 - CARTELLA SOCIALE"
    rows = [[ob, "Azione 1", "Software", 2020, "FNPS", 1000],
            [None, None, "Software", 2020, "FSOL", 500],
            [None, None, "Tablet", 2020, "FNPS", 300],
            [None, "Azione 2", "Tablet", 2020, None, 200]]
    src = tmp_path / "estrazione_2020.xlsx"
    _long_export(src, rows)
    out = next_year_file(src, tmp_path / "estrazione_2021.xlsx", channels=channels)[-1].dest
    assert moved_on(src, out) == [] and set(new_findings(src, out)) <= UNALLOCATED
    sheet = read_workbook(out).sheet("Estrazione")
    assert [[sheet.value(r, c) for c in range(1, 7)] for r in range(2, 6)] == rows
    added = [[sheet.value(r, c) for c in range(1, 7)] for r in range(6, 11)]
    if channels == "vuoti":
        assert added == [[ob, "Azione 1", "Software", 2021, None, 1500],
                         [None, None, "Tablet", 2021, None, 300],
                         [None, "Azione 2", "Tablet", 2021, None, 200],
                         [None] * 6, [None] * 6]
    else:
        assert added[:4] == [[ob, "Azione 1", "Software", 2021, "FNPS", 1000],
                             [None, None, "Software", 2021, "FSOL", 500],
                             [None, None, "Tablet", 2021, "FNPS", 300],
                             [None, "Azione 2", "Tablet", 2021, None, 200]]
    plan = load_plan(out)
    assert (plan.plan_year, plan.comparison_year) == (2021, 2020)
    assert [ln.amounts for ln in plan.lines] == [{2020: 150000, 2021: 150000},
                                                 {2020: 30000, 2021: 30000},
                                                 {2020: 20000, 2021: 20000}]
    split = {"vuoti": {}, "come-anno-scorso": {"FNPS": 100000, "FSOL": 50000}}[channels]
    assert {k: v for k, v in plan.lines[0].channels.items() if v is not None} == split
    again = next_year_file(out, tmp_path / "estrazione_2022.xlsx", channels=channels)[-1].dest
    assert moved_on(out, again) == []


def test_a_long_export_with_something_under_it_is_refused(tmp_path):
    src = tmp_path / "estrazione.xlsx"
    _long_export(src, [["1 - A", "Azione 1", "Software", 2020, None, 1000],
                       ["1 - A", "Azione 1", "Tablet", 2020, None, 300],
                       ["1 - A", "Azione 1", "Stampante", 2020, None, 100]])
    import openpyxl

    wb = openpyxl.load_workbook(src)
    wb["Estrazione"].merge_cells("A6:F7")  # a box left for the signatures
    wb.save(src)
    with pytest.raises(PdzError, match=r"servono 3 righe vuote.*la riga 6 è occupata"):
        next_year_file(src, tmp_path / "nuovo.xlsx")

"""The buttons through the real xlwings dispatch: ``xlwings.server.custom_scripts_call`` on
an ``xw.Book(json=...)`` built from the sample workbooks, the returned Office.js actions
applied to the xlsx, and the result compared, cell by cell, with what the CLI writes."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pdz_xl.cli.app import app
from pdz_xl.io.marks_registry import REGISTRY_SHEET
from tests.support.libreoffice import recalculated_values
from tests.support.xlwings_payload import apply_actions, book_payload

pytestmark = pytest.mark.xlwings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"2018": ROOT / "workbooks" / "piano_operativo_2018.xlsx",
           "2021": ROOT / "workbooks" / "piano_programma_2021.xlsx"}
SCRIPT_OF = {"valida": "valida", "alloca": "alloca", "triennale": "genera_triennale",
             "pulisci": "pulisci_segni"}


def press(src: Path, action: str, dest: Path, *, formulas: bool = True) -> list[dict]:
    """Click a button on ``src`` through the xlwings dispatch; the book after it is
    ``dest``. Returns the actions sent back to Excel. ``formulas``: the payload carries
    the formulas xlwings Lite fetches (False: xlwings Server, values only)."""
    import xlwings as xw
    from xlwings import server

    import udfs.scripts as scripts

    book = xw.Book(json=book_payload(src, formulas=formulas))
    result = asyncio.run(server.custom_scripts_call(
        scripts, SCRIPT_OF[action], typehint_to_value={xw.Book: book}))
    actions = result.json()["actions"]
    apply_actions(src, actions, dest)
    return actions


def cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output


def cli_output(src: Path, action: str, out_dir: Path) -> Path:
    """The same job through the command line."""
    out = out_dir / "cli"
    out.mkdir(exist_ok=True)
    dest = out / src.name
    if action == "valida":
        cli("rigenera", str(src), "-o", str(out))
    elif action == "alloca":
        cli("rigenera", "--alloca", str(src), "-o", str(out))
    elif action == "triennale":
        cli("triennale", str(src), "-o", str(dest))
    elif action == "pulisci":
        cli("valida", "--pulisci", str(src), "-o", str(dest))
    return dest


def _cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row
            if c.value is not None}


def _norm(v: object) -> object:
    if v == "":  # an empty text written to a file; Office.js writes "" as an empty cell
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _copied_header(ws, c) -> bool:
    """A header cell written with the look of the table's own header (same row, B)."""
    ref = ws.cell(c.row, 2)
    return (c.column > 2 and isinstance(c.value, str) and ref.fill.fill_type is not None
            and ref.fill.fgColor.rgb == c.fill.fgColor.rgb and c.comment is None)


def differences(cli_path: Path, button_path: Path) -> list[str]:
    """Cells, sheets, marks (fill, note) that differ between the two results."""
    a, b = openpyxl.load_workbook(cli_path), openpyxl.load_workbook(button_path)
    out = []
    names_a = [n for n in a.sheetnames if n != REGISTRY_SHEET]
    names_b = [n for n in b.sheetnames if n != REGISTRY_SHEET]
    if names_a != names_b:
        out.append(f"fogli: CLI {names_a} / pulsante {names_b}")
    for name in set(names_a) & set(names_b):
        ca, cb = _cells(a[name]), _cells(b[name])
        for ref in sorted(set(ca) | set(cb)):
            va, vb = _norm(ca.get(ref)), _norm(cb.get(ref))
            if va != vb:
                out.append(f"{name}!{ref}: CLI {va!r} / pulsante {vb!r}")
        if a[name].sheet_state != b[name].sheet_state:
            out.append(f"{name}: visibilità {a[name].sheet_state} / {b[name].sheet_state}")
        for row in a[name].iter_rows():
            for c in row:
                d = b[name][c.coordinate]
                fa = c.fill.fgColor.rgb if c.fill.fill_type else None
                fb = d.fill.fgColor.rgb if d.fill.fill_type else None
                if fb is None and fa is not None and _copied_header(a[name], c):
                    fa = None  # a new column's header copies the table's header look:
                    # the file door copies the whole style, xlwings Lite cannot read fills
                if (fa, _text(c.comment)) != (fb, _text(d.comment)):
                    out.append(f"{name}!{c.coordinate}: segno CLI {fa} {_text(c.comment)!r} "
                               f"/ pulsante {fb} {_text(d.comment)!r}")
    return out


def _text(comment) -> str | None:
    return comment.text.strip() if comment is not None else None


@pytest.mark.parametrize("sample", ["2018", "2021"])
@pytest.mark.parametrize("action", ["valida", "alloca", "triennale"])
def test_button_writes_the_cells_the_cli_writes(tmp_path: Path, sample: str, action: str):
    src = tmp_path / SAMPLES[sample].name
    shutil.copy(SAMPLES[sample], src)
    actions = press(src, action, tmp_path / "pulsante.xlsx")
    assert actions, "il pulsante non ha scritto nulla"
    diff = differences(cli_output(src, action, tmp_path), tmp_path / "pulsante.xlsx")
    assert diff == [], "\n".join(diff[:30])


def test_valida_marks_the_2021_cells_and_records_them(tmp_path: Path):
    src = tmp_path / "pp2021.xlsx"
    shutil.copy(SAMPLES["2021"], src)
    press(src, "valida", tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb[REGISTRY_SHEET].sheet_state in ("hidden", "veryHidden")
    c31 = wb["Progettazione"]["C31"]
    assert c31.fill.fgColor.rgb.endswith("FFC7CE")
    assert "421.744,51" in c31.comment.text
    records = [r for r in wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ("Progettazione", "C31") in {(r[0], r[1]) for r in records}


def test_marks_cross_the_doors(tmp_path: Path):
    """Marks written by the CLI are removed by the button, and the other way round."""
    src = tmp_path / "pp2021.xlsx"
    shutil.copy(SAMPLES["2021"], src)
    cli_marked = cli_output(src, "valida", tmp_path)
    press(cli_marked, "pulisci", tmp_path / "cleared_by_button.xlsx")
    press(src, "valida", tmp_path / "marked_by_button.xlsx")
    cleared_by_cli = cli_output(tmp_path / "marked_by_button.xlsx", "pulisci", tmp_path)
    for path in (tmp_path / "cleared_by_button.xlsx", cleared_by_cli):
        wb = openpyxl.load_workbook(path)
        assert "Controlli PDZ" not in wb.sheetnames
        c31 = wb["Progettazione"]["C31"]
        assert c31.comment is None, path
        assert not c31.fill.fill_type or c31.fill.fgColor.rgb in ("00000000", None), path
        original = openpyxl.load_workbook(src)["Progettazione"]["C31"]
        assert c31.number_format == original.number_format
        assert c31.value == original.value


@pytest.mark.libreoffice
def test_triennial_formulas_written_by_the_button_compute_the_cli_values(tmp_path: Path):
    """On xlwings Server (values only, no formulas in the payload) the triennial formulas
    add up the lines where the CLI adds up live servizio totals: LibreOffice recalculates
    the button's formulas (written without cached values) to the CLI's values, to the
    cent."""
    src = tmp_path / "pp2021.xlsx"
    shutil.copy(SAMPLES["2021"], src)
    press(src, "triennale", tmp_path / "b.xlsx", formulas=False)
    cached = openpyxl.load_workbook(cli_output(src, "triennale", tmp_path), data_only=True)
    fresh = recalculated_values(tmp_path / "b.xlsx", ["Triennale PDZ"])["Triennale PDZ"]
    numbers = {c.coordinate: c.value for row in cached["Triennale PDZ"].iter_rows()
               for c in row if isinstance(c.value, (int, float))}
    assert len(numbers) > 30
    wrong = {k: (v, fresh.get(k)) for k, v in numbers.items()
             if round(v * 100) != round((fresh.get(k) or 0) * 100)}
    assert wrong == {}


# -- «Nuovo anno» ---------------------------------------------------------------------
SCRIPT_OF["nuovo_anno"] = "nuovo_anno"


def _printed(capsys) -> str:
    return capsys.readouterr().out


@pytest.mark.parametrize("sample", ["2018", "2021"])
def test_nuovo_anno_moves_the_copy_named_for_the_new_year_as_the_cli_does(
        tmp_path: Path, sample: str, capsys):
    """The office's copy «…_2022.xlsx» (still the 2021 budget) becomes 2022 in the open
    book: the cells the command line writes into its new file, to the value."""
    from pdz_xl.io.load import load_plan

    year = int(sample)
    name = SAMPLES[sample].name.replace(sample, str(year + 1))
    copy = tmp_path / name
    shutil.copy(SAMPLES[sample], copy)
    actions = press(copy, "nuovo_anno", tmp_path / "pulsante.xlsx")
    assert any(a["func"] in ("setValues", "setFormula") for a in actions)
    assert f"budget del {year + 1}" in _printed(capsys)
    (tmp_path / "cli").mkdir()
    cli("nuovo-anno", str(SAMPLES[sample]), "-o", str(tmp_path / "cli" / name))
    diff = differences(tmp_path / "cli" / name, tmp_path / "pulsante.xlsx")
    assert diff == [], "\n".join(diff[:30])
    plan = load_plan(tmp_path / "pulsante.xlsx")
    assert (plan.plan_year, plan.comparison_year) == (year + 1, year)


def test_nuovo_anno_on_last_years_workbook_writes_nothing_and_says_what_to_do(
        tmp_path: Path, capsys):
    src = tmp_path / SAMPLES["2021"].name
    shutil.copy(SAMPLES["2021"], src)
    actions = press(src, "nuovo_anno", tmp_path / "b.xlsx")
    assert [a["func"] for a in actions] == ["alert"]
    text = _printed(capsys)
    assert "«piano_programma_2021.xlsx» è il budget del 2021 e resta com'è" in text
    assert "«piano_programma_2022.xlsx»" in text and "pdz-xl nuovo-anno" in text


class _ClassicBook:
    """What the classic entry point uses of ``xw.Book.caller()``: the file's path, a copy
    of the open book (COM ``SaveCopyAs``), opening a file, the message box."""

    def __init__(self, path: Path) -> None:
        self.fullname, self.name = str(path), path.name
        self.opened: list[str] = []
        self.alerts: list[str] = []
        book = self

        class Api:
            def SaveCopyAs(self, target: str) -> None:  # COM's name
                shutil.copy(path, target)

        class Books:
            def open(self, target: str) -> None:
                book.opened.append(target)

        class App:
            books = Books()

            def alert(self, text: str, title: str = "") -> None:
                book.alerts.append(text)

        self.api, self.app = Api(), App()


def test_classic_nuovo_anno_writes_next_years_file_beside_and_opens_it(
        tmp_path: Path, monkeypatch):
    import xlwings as xw

    import udfs.scripts as scripts
    from pdz_xl.io.load import load_plan

    src = tmp_path / SAMPLES["2018"].name
    shutil.copy(SAMPLES["2018"], src)
    before = src.read_bytes()
    book = _ClassicBook(src)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    scripts.nuovo_anno_da_excel()
    dest = tmp_path / "piano_operativo_2019.xlsx"
    assert book.opened == [str(dest)]
    assert "scritto «piano_operativo_2019.xlsx»" in book.alerts[0]
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name, dest.name]  # no copy left
    plan = load_plan(dest)
    assert (plan.plan_year, plan.comparison_year) == (2019, 2018)
    scripts.nuovo_anno_da_excel()  # again: the 2019 file is there, never written over
    assert "«piano_operativo_2019.xlsx» esiste già" in book.alerts[1]
    assert book.opened == [str(dest)]


def test_nuovo_anno_on_an_excel_table_refuses_in_place_and_writes_the_file_beside(
        tmp_path: Path, monkeypatch, capsys):
    """An Excel Table's columns are renamed by the file write only: the copy named for the
    new year is refused (nothing written, the Italian way on); the classic entry on last
    year's workbook writes next year's file beside it."""
    import xlwings as xw

    import udfs.scripts as scripts
    from pdz_xl.io.load import load_plan
    from tests.support.families import generate

    copy = tmp_path / "elenco_2022.xlsx"
    generate("tabella-excel", copy)
    actions = press(copy, "nuovo_anno", tmp_path / "b.xlsx")
    assert [a["func"] for a in actions] == ["alert"]
    assert "Tabella di Excel" in _printed(capsys)
    src = tmp_path / "elenco_2021.xlsx"
    copy.rename(src)
    book = _ClassicBook(src)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    scripts.nuovo_anno_da_excel()
    dest = tmp_path / "elenco_2022.xlsx"
    assert book.opened == [str(dest)], book.alerts
    plan = load_plan(dest)
    assert (plan.plan_year, plan.comparison_year) == (2022, 2021)

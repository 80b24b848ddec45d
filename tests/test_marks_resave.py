"""Marks that survive a re-save: after LibreOffice saved the marked workbook (renumbering
its styles, as Excel does), ``valida --pulisci`` still removes exactly the product's marks.

Every flow runs on both sample workbooks: the user's own fill and note (added with
openpyxl before marking) stay, our fills go back to what the cells had, our notes go, the
report and the registry go, and the message counts the marks. A second ``--scrivi`` on the
re-saved file marks once (never piling up, never taking our old fill as the original).
The same through the Excel button «Pulisci segni» (the real xlwings dispatch).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from typer.testing import CliRunner

from pdz_xl.cli.app import app
from pdz_xl.io.marks_registry import REGISTRY_SHEET
from pdz_xl.validate.sheet import REPORT_SHEET
from tests.support.libreoffice import convert

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"2018": ROOT / "workbooks" / "piano_operativo_2018.xlsx",
           "2021": ROOT / "workbooks" / "piano_programma_2021.xlsx"}
USER_FILL = "FF00B050"  # a green of the user's own
USER_NOTE = "Nota dell'ufficio: verificare con la ragioneria"


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def look(cell) -> tuple:
    """What a cell's fill shows (pattern and foreground colour, however it is given)."""
    fill = cell.fill
    if not fill.fill_type:
        return (None,)
    fg = fill.fgColor
    return (fill.fill_type, fg.type, fg.value, round(fg.tint or 0, 6))


def note(cell) -> str | None:
    return cell.comment.text.strip() if cell.comment is not None else None


def records(path: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every mark in the registry."""
    wb = openpyxl.load_workbook(path)
    return [(r[0], r[1]) for r in wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True)
            if r[0]]


SLIPS = {"2018": ("Piano Operativo 2018", "B5", -12000)}
"""The 2018 sample is consistent: a negative amount gives it findings to mark."""


def user_workbook(sample: str, folder: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """The sample with a fill and a note of the user's own on cells of no finding, saved
    by openpyxl and then by LibreOffice (which computes the formulas openpyxl leaves
    without a value)."""
    edited = folder / "utente" / SAMPLES[sample].name
    edited.parent.mkdir()
    wb = openpyxl.load_workbook(SAMPLES[sample])
    if sample in SLIPS:
        sheet, ref, value = SLIPS[sample]
        wb[sheet][ref] = value
    first, second = wb.worksheets[0], wb.worksheets[1]
    filled = first.cell(first.max_row + 2, 1)
    filled.fill = PatternFill(fill_type="solid", fgColor=USER_FILL)
    noted = second.cell(second.max_row + 2, 2)
    noted.comment = Comment(USER_NOTE, "Ufficio di piano")
    wb.save(edited)
    src = convert(edited, folder, "xlsx")
    return src, {"fill": (first.title, filled.coordinate),
                 "note": (second.title, noted.coordinate)}


def resaved(path: Path, folder: str) -> Path:
    """The workbook saved once by LibreOffice (xlsx to xlsx)."""
    out = convert(path, path.parent / folder, "xlsx")
    assert openpyxl.load_workbook(out)[REGISTRY_SHEET].sheet_state == "hidden"  # LO's doing
    return out


def assert_clean(cleared: Path, src: Path, marked: list[tuple[str, str]],
                 user: dict[str, tuple[str, str]]) -> None:
    """Our fills back to the original's, our notes gone, the user's kept, no report."""
    after, before = openpyxl.load_workbook(cleared), openpyxl.load_workbook(src)
    assert REPORT_SHEET not in after.sheetnames and REGISTRY_SHEET not in after.sheetnames
    wrong = [f"{s}!{c}: {look(after[s][c])} / {note(after[s][c])!r}, prima "
             f"{look(before[s][c])} / {note(before[s][c])!r}" for s, c in marked
             if (look(after[s][c]), note(after[s][c])) != (look(before[s][c]),
                                                          note(before[s][c]))]
    assert wrong == [], "\n".join(wrong)
    sheet, ref = user["fill"]
    assert look(after[sheet][ref]) == look(before[sheet][ref]) != (None,)
    sheet, ref = user["note"]
    assert note(after[sheet][ref]) == USER_NOTE


@pytest.mark.parametrize("sample", ["2018", "2021"])
def test_pulisci_after_a_libreoffice_save_removes_exactly_our_marks(tmp_path: Path,
                                                                      sample: str):
    src, user = user_workbook(sample, tmp_path)
    marked = tmp_path / "segnato.xlsx"
    cli("valida", str(src), "--scrivi", "-o", str(marked))
    cells = records(marked)
    assert cells and not {user["fill"], user["note"]} & set(cells)
    again = resaved(marked, "lo")
    cleared = tmp_path / "pulito.xlsx"
    out = cli("valida", str(again), "--pulisci", "-o", str(cleared))
    n = len(cells)
    assert f"segni di pdz-xl: {n} trovati, {n} rimossi." in out, out
    assert_clean(cleared, src, cells, user)


@pytest.mark.parametrize("sample", ["2018", "2021"])
def test_a_second_scrivi_after_a_save_marks_once_and_cleans_up(tmp_path: Path, sample: str):
    src, user = user_workbook(sample, tmp_path)
    marked = tmp_path / "segnato.xlsx"
    cli("valida", str(src), "--scrivi", "-o", str(marked))
    first = records(marked)
    second = tmp_path / "segnato2.xlsx"
    out = cli("valida", str(resaved(marked, "lo")), "--scrivi", "-o", str(second))
    assert "lasciat" not in out, out  # nothing taken for the user's
    wb = openpyxl.load_workbook(second)
    assert wb[REGISTRY_SHEET].sheet_state == "veryHidden"
    assert records(second) == first
    original = openpyxl.load_workbook(src)
    registry = list(wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True))
    for row in registry:  # the original fill recorded, never the mark of the first run
        sheet, ref, colour = row[0], row[1], row[6] or ""
        shown = look(original[sheet][ref])
        expected = shown[2][-6:] if shown[0] == "solid" and shown[1] == "rgb" else ""
        assert colour == expected, (sheet, ref, colour, shown)
        assert wb[sheet][ref].comment.author == "pdz-xl"
    for name, folder in (("pulito.xlsx", None), ("pulito_lo.xlsx", "lo2")):
        source = second if folder is None else resaved(second, folder)
        cleared = tmp_path / name
        out = cli("valida", str(source), "--pulisci", "-o", str(cleared))
        assert f"{len(first)} trovati, {len(first)} rimossi." in out, out
        assert_clean(cleared, src, first, user)


def test_what_the_user_changed_on_a_mark_after_the_save_stays(tmp_path: Path):
    src, user = user_workbook("2021", tmp_path)
    marked = tmp_path / "segnato.xlsx"
    cli("valida", str(src), "--scrivi", "-o", str(marked))
    cells = records(marked)
    edited = tmp_path / "modificato.xlsx"
    wb = openpyxl.load_workbook(resaved(marked, "lo"))
    (s1, c1), (s2, c2) = cells[0], cells[1]
    wb[s1][c1].fill = PatternFill(fill_type="solid", fgColor=USER_FILL)
    wb[s2][c2].comment = Comment("Corretto a mano: " + wb[s2][c2].comment.text, "Ufficio")
    wb.save(edited)
    cleared = tmp_path / "pulito.xlsx"
    out = cli("valida", str(edited), "--pulisci", "-o", str(cleared))
    n = len(cells)
    assert re.search(rf"{n} trovati, {n - 2} rimossi; 2 lasciati perché cambiati "
                     rf"dall'utente: .*{re.escape(s1)}!{c1} \(colore\)", out), out
    assert f"{s2}!{c2} (nota)" in out, out
    after = openpyxl.load_workbook(cleared)
    assert look(after[s1][c1])[2] == USER_FILL and note(after[s1][c1]) is None
    assert note(after[s2][c2]).startswith("Corretto a mano: ")
    assert_clean(cleared, src, cells[2:], user)


def test_every_write_makes_the_registry_very_hidden_again(tmp_path: Path):
    src, _user = user_workbook("2021", tmp_path)
    marked = tmp_path / "segnato.xlsx"
    cli("valida", str(src), "--scrivi", "-o", str(marked))
    again = resaved(marked, "lo")
    out = tmp_path / "triennale.xlsx"
    cli("triennale", str(again), "-o", str(out))  # a write that leaves the marks alone
    wb = openpyxl.load_workbook(out)
    assert wb[REGISTRY_SHEET].sheet_state == "veryHidden"
    assert records(out) == records(marked)


@pytest.mark.xlwings
@pytest.mark.parametrize("sample", ["2018", "2021"])
def test_the_button_pulisci_segni_after_a_save(tmp_path: Path, sample: str):
    """Marked by the CLI, saved by LibreOffice, cleared by the button; marked by the
    button (registry veryHidden), saved by LibreOffice, cleared by the CLI."""
    from tests.test_excel_scripts import press

    src, user = user_workbook(sample, tmp_path)
    marked = tmp_path / "segnato.xlsx"
    cli("valida", str(src), "--scrivi", "-o", str(marked))
    cells = records(marked)
    by_button = tmp_path / "pulito_dal_pulsante.xlsx"
    press(resaved(marked, "lo"), "pulisci", by_button)
    assert_clean(by_button, src, cells, user)

    button_marked = tmp_path / "segnato_dal_pulsante.xlsx"
    press(src, "valida", button_marked)
    assert openpyxl.load_workbook(button_marked)[REGISTRY_SHEET].sheet_state == "veryHidden"
    assert set(records(button_marked)) == set(cells)
    cleared = tmp_path / "pulito.xlsx"
    out = cli("valida", str(resaved(button_marked, "lo2")), "--pulisci", "-o", str(cleared))
    assert f"{len(cells)} trovati, {len(cells)} rimossi." in out, out
    assert_clean(cleared, src, cells, user)

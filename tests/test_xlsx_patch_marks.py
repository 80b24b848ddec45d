"""Marks (fill + note) on user cells: replaced on every run, never piled up, cleared exactly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from pdz_xl.changeset import CellWrite, Changeset, Mark
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.patch_books import BUDGET, SUMMARY, M, build_book

SHEET = "xl/worksheets/sheet1.xml"  # Servizi
FIRST = [Mark(sheet=BUDGET, cell="C6", note="PDZ101: la ripartizione non torna"),
         Mark(sheet=BUDGET, cell="B9", note="PDZ201: il totale non torna", severity="avviso"),
         Mark(sheet=BUDGET, cell="A5", note="sulla nota dell'utente"),
         Mark(sheet=BUDGET, cell="Z40", note="una cella che non c'era")]
SECOND = [Mark(sheet=BUDGET, cell="C7", note="PDZ101: un'altra riga"),
          Mark(sheet=BUDGET, cell="B9", note="PDZ201: ancora il totale", severity="avviso")]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def cells(xml: bytes) -> dict[str, tuple]:
    """ref -> (style, type, content) of every cell of a sheet part."""
    root = etree.fromstring(xml)
    return {c.get("r"): (c.get("s", "0"), c.get("t"),
                         b"".join(etree.tostring(x, method="c14n") for x in c))
            for c in root.iter(M + "c")}


def types(data: dict[str, bytes]) -> set[tuple]:
    root = etree.fromstring(data["[Content_Types].xml"])
    return {(etree.QName(e).localname, tuple(sorted(e.attrib.items()))) for e in root}


def c14n(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_book(tmp_path / "budget.xlsx")


def run(src: Path, marks: list[Mark] | None, name: str, **kw) -> Path:
    out = src.parent / name / src.name
    out.parent.mkdir(exist_ok=True)
    apply_changeset(src, Changeset(marks=marks, **kw), out)
    return out


def our_notes(path: Path, sheet: str = BUDGET) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row
            if c.comment is not None and c.comment.author == "pdz-xl"}


def test_marks_fill_and_note_and_a_registry(book):
    out = run(book, FIRST, "1")
    wb = openpyxl.load_workbook(out)
    ws = wb[BUDGET]
    assert ws["C6"].fill.fgColor.rgb == "FFFFC7CE" and ws["B9"].fill.fgColor.rgb == "FFFFEB9C"
    assert ws["A5"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["A5"].comment.text == "Nota dell'utente: da rivedere"  # theirs wins
    assert our_notes(out) == {"C6": FIRST[0].note, "B9": FIRST[1].note, "Z40": FIRST[3].note}
    assert ws["B9"].number_format == openpyxl.load_workbook(book)[BUDGET]["B9"].number_format
    registry = wb["_pdz_segni"]
    assert registry.sheet_state == "veryHidden"
    rows = list(registry.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(BUDGET, "C6"), (BUDGET, "B9"), (BUDGET, "A5"),
                                            (BUDGET, "Z40")]
    assert [r[4] for r in rows] == [1, 1, 0, 1]  # A5: the note there is the user's
    assert [r[5] for r in rows] == [0, 0, 0, 1]  # Z40 was created by the mark


def test_a_second_run_replaces_the_marks_and_does_not_pile_up(book):
    once = run(book, FIRST, "1")
    twice = run(once, SECOND, "2")
    original = cells(parts(book)[SHEET])
    now = cells(parts(twice)[SHEET])
    for ref in ("C6", "A5"):  # marked the first time only: back to the original
        assert now[ref] == original[ref], ref
    assert "Z40" not in now
    assert our_notes(twice) == {"C7": SECOND[0].note, "B9": SECOND[1].note}
    ws = openpyxl.load_workbook(twice)[BUDGET]
    assert ws["C7"].fill.fgColor.rgb == "FFFFC7CE" and ws["B9"].fill.fgColor.rgb == "FFFFEB9C"
    rows = list(openpyxl.load_workbook(twice)["_pdz_segni"].iter_rows(min_row=2,
                                                                       values_only=True))
    assert [r[1] for r in rows] == ["C7", "B9"]
    assert rows[1][2] == int(original["B9"][0])  # the ORIGINAL style, not the first mark's
    thrice = run(twice, SECOND, "3")
    assert thrice.read_bytes() == twice.read_bytes()


def test_clearing_restores_every_cell_and_removes_only_our_notes(book):
    marked = run(run(book, FIRST, "1"), SECOND, "2")
    cleared = run(marked, [], "3")
    before, after = parts(book), parts(cleared)
    assert cells(after[SHEET]) == cells(before[SHEET])
    dimension = (etree.fromstring(x[SHEET]).find(M + "dimension").get("ref")
                 for x in (after, before))
    assert len(set(dimension)) == 1  # a mark on an empty cell did not widen it for good
    assert after["xl/drawings/vmlDrawing1.vml"] == before["xl/drawings/vmlDrawing1.vml"]
    assert c14n(after["xl/comments1.xml"]) == c14n(before["xl/comments1.xml"])
    assert "_pdz_segni" not in openpyxl.load_workbook(cleared).sheetnames
    assert c14n(after["xl/workbook.xml"]) == c14n(before["xl/workbook.xml"])
    assert set(after) == set(before)
    # calcChain is about formulas: marks never drop it
    assert after["xl/calcChain.xml"] == before["xl/calcChain.xml"]
    ws = openpyxl.load_workbook(cleared)[BUDGET]
    assert ws["A5"].comment.text == "Nota dell'utente: da rivedere"
    assert our_notes(cleared) == {}


def test_clearing_a_sheet_without_comments_removes_the_parts_it_needed(book):
    marks = [Mark(sheet=SUMMARY, cell="B2", note="canale sovrautilizzato")]
    marked = run(book, marks, "1")
    added = set(parts(marked)) - set(parts(book))
    assert {"xl/comments2.xml", "xl/drawings/vmlDrawing2.vml",
            "xl/worksheets/_rels/sheet3.xml.rels"} <= added
    assert our_notes(marked, SUMMARY) == {"B2": "canale sovrautilizzato"}
    cleared = run(marked, [], "2")
    before, after = parts(book), parts(cleared)
    assert set(after) == set(before)
    assert c14n(after["xl/worksheets/sheet3.xml"]) == c14n(before["xl/worksheets/sheet3.xml"])
    assert types(after) == types(before)  # the same declarations (overrides sorted)


def test_a_cell_restyled_by_the_user_keeps_the_users_style(book, tmp_path):
    marked = run(book, FIRST, "1")
    data = parts(marked)
    root = etree.fromstring(data[SHEET])
    user_style = next(c.get("s") for c in root.iter(M + "c") if c.get("r") == "A1")
    for c in root.iter(M + "c"):
        if c.get("r") == "C6":
            c.set("s", user_style)  # as if the user had restyled C6 in Excel
    data[SHEET] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    edited = tmp_path / "edited" / book.name
    edited.parent.mkdir()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    cleared = run(edited, [], "2")
    now, original = cells(parts(cleared)[SHEET]), cells(parts(book)[SHEET])
    assert now["C6"][0] == user_style
    assert now["B9"] == original["B9"]


def test_several_findings_on_one_cell_make_one_mark(book):
    marks = [Mark(sheet=BUDGET, cell="C6", note="primo", severity="avviso"),
             Mark(sheet=BUDGET, cell="$C$6", note="secondo", severity="errore")]
    out = run(book, marks, "1")
    assert our_notes(out) == {"C6": "primo\nsecondo"}
    assert openpyxl.load_workbook(out)[BUDGET]["C6"].fill.fgColor.rgb == "FFFFC7CE"


def test_a_missing_sheet_is_reported_and_the_rest_is_marked(book):
    out = book.parent / "1" / book.name
    out.parent.mkdir()
    result = apply_changeset(book, Changeset(marks=[
        Mark(sheet="Non esiste", cell="A1", note="x"), FIRST[0]]), out)
    assert any("Non esiste" in n for n in result.notes)
    assert our_notes(out) == {"C6": FIRST[0].note}


def test_marks_none_leaves_the_marks_alone(book):
    marked = run(book, FIRST, "1")
    later = run(marked, None, "2", cells={BUDGET: [CellWrite(cell="F6", value="ok")]})
    assert our_notes(later) == our_notes(marked)
    assert openpyxl.load_workbook(later)[BUDGET]["C6"].fill.fgColor.rgb == "FFFFC7CE"
    cleared = run(later, [], "3")
    assert cells(parts(cleared)[SHEET])["C6"] == cells(parts(book)[SHEET])["C6"]


def test_style_entries_do_not_grow_from_run_to_run(book):
    once = run(book, FIRST, "1")
    twice = run(run(once, [], "2"), FIRST, "3")
    assert parts(twice)["xl/styles.xml"] == parts(once)["xl/styles.xml"]

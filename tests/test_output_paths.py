"""One output rule for every verb: -o file or folder, mirrored folders, clashes refused
before any write, the output folder never read again, conflicting options refused, an
unchanged in-place run writes nothing; open workbooks; owned sheet names."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pdz_xl.batch.outputs import plan_outputs
from pdz_xl.changeset import CellWrite, Changeset, OwnedSheet
from pdz_xl.errors import PdzError
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def _sheets(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        wb = z.read("xl/workbook.xml").decode()
    return [part.split('"')[0] for part in wb.split('<sheet name="')[1:]]


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def comuni(tmp_path):
    """Two offices, each with a workbook of the same name."""
    root = tmp_path / "in"
    for office, sample in (("comuneA", PO2018), ("comuneB", PP2021)):
        (root / office).mkdir(parents=True)
        shutil.copy(sample, root / office / "budget.xlsx")
    return root


def test_same_names_in_subfolders_mirror_into_the_output(comuni, tmp_path):
    out = tmp_path / "out"
    proc = _cli("rigenera", comuni, "-o", out, "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr  # the 2021 document has errori
    assert _files(out) == ["comuneA/budget.xlsx", "comuneB/budget.xlsx"]
    written = {r["output"]: r["errori"] for r in data["files"]}
    assert written == {str(out / "comuneA/budget.xlsx"): 0, str(out / "comuneB/budget.xlsx"): 7}
    for office in ("comuneA", "comuneB"):
        assert "Controlli PDZ" in _sheets(out / office / "budget.xlsx")


def test_two_inputs_for_one_output_are_refused_before_anything_is_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PO2018, folder / "Budget.xlsx")
    shutil.copy(PP2021, folder / "budget.xlsx")  # one file on Windows or macOS
    out = tmp_path / "out"
    proc = _cli("rigenera", folder, "-o", out, "--json")
    assert proc.returncode == 2
    message = json.loads(proc.stdout)["errore"]
    assert "stesso file" in message and "Budget.xlsx" in message and "nulla" in message
    assert not out.exists()


def test_output_over_an_input_is_refused(comuni):
    before = {p: p.read_bytes() for p in comuni.rglob("*.xlsx")}
    proc = _cli("rigenera", comuni, "-o", comuni)
    assert proc.returncode == 2 and "sopra il file d'ingresso" in proc.stderr
    assert {p: p.read_bytes() for p in comuni.rglob("*.xlsx")} == before


def test_the_default_output_folder_is_never_read_again(comuni):
    for _ in range(2):
        proc = _cli("rigenera", comuni, "--json")
        assert proc.returncode == 1, proc.stderr
        assert len(json.loads(proc.stdout)["files"]) == 2
    assert _files(comuni) == ["comuneA/budget.xlsx", "comuneB/budget.xlsx",
                              "pdz-output/comuneA/budget.xlsx",
                              "pdz-output/comuneB/budget.xlsx"]


def test_an_output_folder_inside_the_inputs_is_not_read(comuni):
    out = comuni / "risultati"
    _cli("rigenera", comuni, "-o", out)
    proc = _cli("rigenera", comuni, "-o", out, "--json")
    assert [Path(r["file"]).parent.name for r in json.loads(proc.stdout)["files"]] == [
        "comuneA", "comuneB"]


@pytest.mark.parametrize("args, words", [
    (["--in-place", "-o", "x"], "--in-place e -o non vanno insieme"),
    (["--no-backup"], "--no-backup vale solo con --in-place"),
    (["--no-backup", "-o", "x"], "--no-backup vale solo con --in-place"),
])
def test_conflicting_options_are_refused_in_italian(comuni, tmp_path, args, words):
    before = {p: p.read_bytes() for p in comuni.rglob("*.xlsx")}
    proc = _cli("rigenera", comuni, *args, cwd=tmp_path)
    assert proc.returncode == 2 and words in proc.stderr
    assert {p: p.read_bytes() for p in comuni.rglob("*")
            if p.is_file()} == before and not (tmp_path / "x").exists()


def test_in_place_run_that_changes_nothing_writes_nothing(comuni):
    first = _cli("rigenera", comuni, "--in-place", "--json")
    assert first.returncode == 1
    after_first = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in comuni.rglob("*.xlsx")}
    assert len([p for p in after_first if ".bak." in p.name]) == 2
    second = _cli("rigenera", comuni, "--in-place", "--json")
    data = json.loads(second.stdout)
    assert second.returncode == 1 and len(data["files"]) == 2  # backups are not inputs
    assert all(r["backup"] is None for r in data["files"])
    assert all("nessuna modifica" in " ".join(r["notes"]) for r in data["files"])
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in comuni.rglob("*.xlsx")} == after_first


def test_triennale_in_place_twice_keeps_one_backup(tmp_path):
    book = tmp_path / "budget.xlsx"
    shutil.copy(PO2018, book)
    assert _cli("triennale", book, "--data", "2025-01-31").returncode == 0
    second = _cli("triennale", book, "--data", "2025-01-31")
    assert second.returncode == 0 and "nessuna modifica" in second.stdout
    assert len(list(tmp_path.glob("budget.*.bak.xlsx"))) == 1


def test_triennale_o_without_extension_is_a_folder_made_when_missing(tmp_path):
    out = tmp_path / "manca" / "ancora"
    proc = _cli("triennale", PP2021, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert _files(tmp_path / "manca") == ["ancora/piano_programma_2021.xlsx"]
    assert "Triennale PDZ" in _sheets(out / PP2021.name)


@pytest.mark.parametrize("verb", [["alloca"], ["triennale"], ["valida", "--scrivi"],
                                  ["mappa"]])
def test_every_verb_takes_an_existing_folder_or_a_file(tmp_path, verb):
    folder = tmp_path / "cartella"
    folder.mkdir()
    a = _cli(*verb, PO2018, "-o", folder)
    b = _cli(*verb, PO2018, "-o", tmp_path / "scelto.xlsx")
    assert a.returncode in (0, 1) and b.returncode in (0, 1), a.stderr + b.stderr
    assert (folder / PO2018.name).read_bytes() == (tmp_path / "scelto.xlsx").read_bytes()


def test_valida_many_files_into_a_workbook_name_is_refused(tmp_path):
    out = tmp_path / "entrambi.xlsx"
    proc = _cli("valida", PO2018, PP2021, "--scrivi", "-o", out)
    assert proc.returncode == 2 and "con più file -o indica una cartella" in proc.stderr
    assert not out.exists()


def test_valida_many_files_into_a_folder(tmp_path):
    out = tmp_path / "esiti"
    proc = _cli("valida", PO2018, PP2021, "--scrivi", "-o", out)
    assert proc.returncode == 1, proc.stderr
    assert _files(out) == [PO2018.name, PP2021.name]


def test_valida_o_without_scrivi_is_refused(tmp_path):
    proc = _cli("valida", PO2018, "-o", tmp_path / "x.xlsx")
    assert proc.returncode == 2 and "-o vale solo con --scrivi o --pulisci" in proc.stderr


def test_plan_outputs_rule():
    a, b = REPO / "workbooks" / "a.xlsx", REPO / "workbooks" / "sub" / "b.xlsx"
    out = Path("risultati")
    assert [t.dest for t in plan_outputs([a, b], out=out)] == [out / "a.xlsx",
                                                                out / "sub" / "b.xlsx"]
    assert [t.dest for t in plan_outputs([a], out=Path("uno.xlsm"))] == [Path("uno.xlsm")]
    assert [t.dest for t in plan_outputs([a], out=None)] == [a]  # in place by default
    assert [t.dest for t in plan_outputs([a], [a.parent], out=None,
                                         default_dir="pdz-output")] == [
        Path("workbooks/pdz-output/a.xlsx") if Path.cwd() == REPO
        else REPO / "workbooks" / "pdz-output" / "a.xlsx"]
    with pytest.raises(PdzError, match="con più file"):
        plan_outputs([a, b], out=Path("tutti.xlsx"))


# ------------------------------------------------------------------ open workbooks
@pytest.mark.parametrize("lock, program", [("~${}", "Excel"), (".~lock.{}#", "LibreOffice")])
def test_an_open_workbook_is_read_for_elsewhere_and_never_written_over(tmp_path, lock,
                                                                       program):
    book = tmp_path / "budget.xlsx"
    shutil.copy(PP2021, book)
    (tmp_path / lock.format(book.name)).write_text("utente,host")
    before = book.read_bytes()
    refused = _cli("valida", book, "--scrivi")
    assert refused.returncode == 2
    assert f"aperta in {program}" in refused.stderr and lock.format(book.name) in refused.stderr
    batch = _cli("rigenera", book, "--in-place", "--json")
    assert f"aperta in {program}" in json.loads(batch.stdout)["files"][0]["message"]
    assert book.read_bytes() == before
    out = tmp_path / "copia.xlsx"
    allowed = _cli("triennale", book, "-o", out)
    assert allowed.returncode == 0, allowed.stderr
    assert f"aperta in {program}" in allowed.stdout and "Triennale PDZ" in _sheets(out)
    assert book.read_bytes() == before


def test_lock_files_are_never_inputs(tmp_path):
    shutil.copy(PO2018, tmp_path / "budget.xlsx")
    shutil.copy(PO2018, tmp_path / "~$budget.xlsx")  # Excel's lock, workbook-sized
    (tmp_path / ".~lock.budget.xlsx#").write_text("x")
    proc = _cli("rigenera", tmp_path, "-o", tmp_path / "out", "--json")
    assert [Path(r["file"]).name for r in json.loads(proc.stdout)["files"]] == ["budget.xlsx"]


# ---------------------------------------------------------------- owned sheet names
def _with_user_sheet(src: Path, dest: Path, name: str) -> Path:
    """``src`` plus a sheet of the user's (not made as an owned sheet) named ``name``."""
    apply_changeset(src, Changeset(sheets=[OwnedSheet(name="Appunti", cells=[
        CellWrite(cell="A1", value="Le mie note sul triennio")])]), dest)
    tmp = dest.with_suffix(".tmp")
    with zipfile.ZipFile(dest) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="Appunti"', f'name="{name}"'.encode())
            zout.writestr(info, data)
    tmp.replace(dest)
    return dest


@pytest.mark.parametrize("name, verb", [("Triennale PDZ", ["triennale"]),
                                        ("Controlli PDZ", ["valida", "--scrivi"]),
                                        ("Confronto PDZ", ["triennale"])])
def test_a_users_sheet_with_an_owned_name_is_never_replaced(tmp_path, name, verb):
    book = _with_user_sheet(PO2018 if name != "Confronto PDZ" else PP2021,
                            tmp_path / "mio.xlsx", name)
    before = book.read_bytes()
    out = tmp_path / "out.xlsx"
    proc = _cli(*verb, book, "-o", out)
    assert proc.returncode == 2
    assert f"«{name}» che non è stato creato da pdz-xl" in proc.stderr and str(book) in proc.stderr
    assert not out.exists() and book.read_bytes() == before


def test_the_products_own_sheets_are_replaced_marked_or_not(tmp_path):
    first = tmp_path / "uno.xlsx"
    assert _cli("valida", PP2021, "--scrivi", "-o", first).returncode == 1
    with zipfile.ZipFile(first) as z:
        assert b'name="_pdz_foglio"' in z.read("xl/workbook.xml")
    # an output of an older version: the same sheet without the marker
    legacy = tmp_path / "vecchio.xlsx"
    with zipfile.ZipFile(first) as zin, zipfile.ZipFile(legacy, "w",
                                                        zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                start = data.index(b'<definedName name="_pdz_foglio"')
                data = data[:start] + data[data.index(b"</definedName>", start) + 14:]
            zout.writestr(info, data)
    for src in (first, legacy):
        out = tmp_path / f"di-nuovo-{src.name}"
        proc = _cli("valida", src, "--scrivi", "-o", out)
        assert proc.returncode == 1, proc.stderr
        assert _sheets(out).count("Controlli PDZ") == 1

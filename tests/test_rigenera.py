"""Batch regeneration: one failing file never stops the others; results per file; exit codes."""

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support.oracles import REPO
from tests.support.rich_books import build_rich

SAMPLES = REPO / "workbooks"


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", *args],
                          capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "budget"
    src.mkdir()
    for name in ("piano_operativo_2018.xlsx", "piano_programma_2021.xlsx"):
        shutil.copy(SAMPLES / name, src / name)
    return src


def test_folder_is_regenerated_with_a_summary(folder, tmp_path):
    out = tmp_path / "out"
    proc = _run(str(folder), "-o", str(out), "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 1  # the 2021 document has errori
    by_name = {r["file"].rsplit("/", 1)[-1]: r for r in data["files"]}
    assert by_name["piano_operativo_2018.xlsx"]["status"] == "ok"
    assert by_name["piano_programma_2021.xlsx"]["errori"] == 7
    assert (out / "piano_programma_2021.xlsx").exists()


def test_jobs_2_gives_the_same_files_as_jobs_1(folder, tmp_path):
    _run(str(folder), "-o", str(tmp_path / "a"), "--jobs", "1")
    _run(str(folder), "-o", str(tmp_path / "b"), "--jobs", "2")
    for f in (tmp_path / "a").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_second_run_gives_the_same_bytes(folder, tmp_path):
    _run(str(folder), "-o", str(tmp_path / "a"))
    _run(str(tmp_path / "a"), "-o", str(tmp_path / "b"))
    for f in (tmp_path / "a").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_a_corrupt_file_and_a_locked_one_do_not_stop_the_others(folder, tmp_path):
    (folder / "rotto.xlsx").write_bytes(b"PK\x03\x04rotto")
    locked = folder / "aperto.xlsx"
    shutil.copy(SAMPLES / "piano_operativo_2018.xlsx", locked)
    (folder / "~$aperto.xlsx").write_text("lock")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "out"
    proc = _run(str(folder), "-o", str(out), "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    status = {r["file"].rsplit("/", 1)[-1]: r for r in data["files"]}
    assert status["rotto.xlsx"]["status"] == "errore"
    assert "danneggiato" in status["rotto.xlsx"]["message"]
    # an open workbook is read and written elsewhere, with a word that it was open
    assert status["aperto.xlsx"]["status"] == "ok"
    assert "aperta in Excel" in " ".join(status["aperto.xlsx"]["notes"])
    assert status["piano_programma_2021.xlsx"]["status"] == "rilievi"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["aperto.xlsx", "piano_operativo_2018.xlsx",
                                                      "piano_programma_2021.xlsx"]


def test_read_only_destination_is_a_clear_error(folder, tmp_path):
    target = tmp_path / "sola-lettura"
    target.write_text("non una cartella")  # a file where a folder should be
    proc = _run(str(folder), "-o", str(target), "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert data["files"] == [] and "non è una cartella" in data["errore"]
    assert target.read_text() == "non una cartella"


def test_in_place_keeps_a_backup_and_killed_run_leaves_no_half_file(folder):
    victim = folder / "piano_operativo_2018.xlsx"
    before = victim.read_bytes()
    proc = _run(str(victim), "--in-place")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    backups = list(folder.glob("piano_operativo_2018.*.bak.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    # kill a run halfway: the worker dies before os.replace; the file stays whole, the
    # batch reports it and ends normally
    victim = folder / "piano_programma_2021.xlsx"
    code = ("import os, sys; from pdz_xl.io import xlsx_patch as x;"
            "x.os.replace = lambda *a: os._exit(9);"
            "from pdz_xl.cli.app import main; sys.argv=['pdz-xl','rigenera',"
            f"r'{victim}','--in-place','--no-backup','--json']; main()")
    now = victim.read_bytes()
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert killed.returncode == 2
    assert "si è interrotto" in json.loads(killed.stdout)["files"][0]["message"]
    assert victim.read_bytes() == now
    zipfile.ZipFile(victim).testzip()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".~pdz")]
    assert len(leftovers) <= 1  # a temp file may remain after a hard kill, never the target


def test_rich_workbook_keeps_everything_it_does_not_own(tmp_path):
    src = build_rich(tmp_path / "ricco.xlsm", macro=True)
    out = tmp_path / "out"
    proc = _run(str(src), "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out / src.name) as b:
        for name in ("xl/vbaProject.bin", "xl/charts/chart1.xml", "xl/media/image1.png",
                     "xl/tables/table1.xml", "xl/comments1.xml"):
            assert a.read(name) == b.read(name), name


# -- rigenera --nuovo-anno ------------------------------------------------------------
def test_nuovo_anno_writes_next_year_of_each_file_with_the_year_moved_in_its_name(
        folder, tmp_path):
    from pdz_xl.io.load import load_plan

    sub = folder / "comuneB"
    sub.mkdir()
    shutil.copy(SAMPLES / "piano_operativo_2018.xlsx", sub / "budget.xlsx")
    (folder / "rotto.xlsx").write_bytes(b"PK\x03\x04rotto")
    before = {p: p.read_bytes() for p in folder.rglob("*.xlsx")}
    out = tmp_path / "out"
    proc = _run(str(folder), "--nuovo-anno", "-o", str(out), "--json", "--jobs", "2")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2  # the broken file; the others are written all the same
    by_name = {r["file"].rsplit("/", 1)[-1]: r for r in data["files"]}
    assert by_name["rotto.xlsx"]["status"] == "errore" and by_name["rotto.xlsx"]["output"] is None
    assert "nuovo anno 2022 (confronto 2021)" in by_name["piano_programma_2021.xlsx"]["steps"][
        "nuovo anno"]
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.xlsx"))
    assert written == ["comuneB/budget 2019.xlsx", "piano_operativo_2019.xlsx",
                       "piano_programma_2022.xlsx"]
    for name, years in (("piano_operativo_2019.xlsx", (2019, 2018)),
                        ("comuneB/budget 2019.xlsx", (2019, 2018)),
                        ("piano_programma_2022.xlsx", (2022, 2021))):
        plan = load_plan(out / name)
        assert (plan.plan_year, plan.comparison_year) == years, name
    assert {p: p.read_bytes() for p in folder.rglob("*.xlsx")} == before
    # the 2018 budget moved on is clean; the 2022 one has its channels to allocate
    assert by_name["piano_operativo_2018.xlsx"]["status"] == "ok"
    assert by_name["piano_programma_2021.xlsx"]["status"] == "rilievi"


def test_nuovo_anno_refuses_two_inputs_naming_one_new_file_before_writing(tmp_path):
    src = tmp_path / "budget"
    src.mkdir()
    shutil.copy(SAMPLES / "piano_operativo_2018.xlsx", src / "budget.xlsx")
    shutil.copy(SAMPLES / "piano_operativo_2018.xlsx", src / "budget 2018.xlsx")
    proc = _run(str(src), "--nuovo-anno", "--json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert "nello stesso file" in data["errore"] and "budget 2019.xlsx" in data["errore"]
    assert not (src / "pdz-output").exists() or not any((src / "pdz-output").rglob("*.xlsx"))


def test_nuovo_anno_with_a_file_name_keeps_it_and_refuses_what_does_not_combine(
        folder, tmp_path):
    src = folder / "piano_operativo_2018.xlsx"
    proc = _run(str(src), "--nuovo-anno", "-o", str(tmp_path / "mio.xlsx"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "mio.xlsx").exists()
    for args, words in ((["--in-place"], "--in-place non vale"),
                        (["--alloca"], "non va con --alloca"),
                        (["--canali", "tutti"], "«vuoti» oppure «come-anno-scorso»")):
        refused = _run(str(src), "--nuovo-anno", *args)
        assert refused.returncode == 2 and words in refused.stderr, refused.stderr
    alone = _run(str(src), "--canali", "vuoti")
    assert alone.returncode == 2 and "solo con --nuovo-anno" in alone.stderr

"""One file never stops the others: exceptions of any kind, a native abort, a result that
cannot be sent back; dead workers replaced; workers end with their parent; discovery skips
temporaries, backups and lock files and removes stale temporaries."""

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from pdz_xl.batch.outputs import plan_outputs
from pdz_xl.batch.process import BatchOptions, process_file, target_label, warm_up
from pdz_xl.batch.runner import FileResult, run_files
from tests.support.oracles import REPO

PO2018 = REPO / "workbooks" / "piano_operativo_2018.xlsx"
PP2021 = REPO / "workbooks" / "piano_programma_2021.xlsx"


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic: a BaseException, past every ``except Exception``."""


def _native_abort_book(path: Path) -> Path:
    """A1 and XFD1048576: calamine asks for a 512 GiB dense grid and aborts the process."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Budget")
    ws.write("A1", "Voce")
    ws.write("XFD1048576", 1)
    wb.close()
    return path


def _hostile_job(target, options):
    """The real job, except for the files named to fail in one of the hard ways."""
    name = target.src.name
    if name == "panico.xlsx":
        raise PanicException("called `Option::unwrap()` on a `None` value")
    if name == "abort.xlsx":
        import python_calamine

        python_calamine.CalamineWorkbook.from_path(str(target.src)).get_sheet_by_index(0)
    if name == "intrasmissibile.xlsx":
        class Local(FileResult):
            pass

        return Local(file=str(target.src), status="ok")
    return process_file(target, options)


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PO2018, src / "a_2018.xlsx")
    shutil.copy(PO2018, src / "panico.xlsx")
    _native_abort_book(src / "abort.xlsx")
    shutil.copy(PP2021, src / "b_2021.xlsx")
    shutil.copy(PO2018, src / "intrasmissibile.xlsx")
    shutil.copy(PP2021, src / "c_2021.xlsx")
    return src


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_failure_stays_the_failure_of_its_file(folder, tmp_path, jobs):
    files = sorted(folder.glob("*.xlsx"))
    targets = plan_outputs(files, [folder], out=tmp_path / "out")
    job = functools.partial(_hostile_job, options=BatchOptions())
    results = list(run_files(targets, job, jobs, label=target_label, warm_up=warm_up))
    by_name = {Path(r.file).name: r for r in results}
    assert [Path(r.file).name for r in results] == [f.name for f in files]  # input order
    assert "PanicException" in by_name["panico.xlsx"].message
    assert "si è interrotto (segnale SIGABRT" in by_name["abort.xlsx"].message
    assert "non trasmissibile" in by_name["intrasmissibile.xlsx"].message
    for name in ("panico.xlsx", "abort.xlsx", "intrasmissibile.xlsx"):
        assert by_name[name].status == "errore" and str(folder / name) in by_name[name].message
    # the files after each failure were done by the same or a replaced worker
    assert by_name["a_2018.xlsx"].status == "ok"
    assert by_name["b_2021.xlsx"].errori == by_name["c_2021.xlsx"].errori == 7
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "a_2018.xlsx", "b_2021.xlsx", "c_2021.xlsx"]


def test_a_native_abort_in_the_reader_is_one_files_error_in_the_cli(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _native_abort_book(folder / "enorme.xlsx")
    shutil.copy(PO2018, folder / "budget.xlsx")
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", str(folder),
                               "-o", str(out), "--jobs", jobs, "--json"],
                              capture_output=True, text=True, timeout=60)
        data = json.loads(proc.stdout)
        assert proc.returncode == 2 and data["exit_code"] == 2
        by_name = {Path(r["file"]).name: r for r in data["files"]}
        assert by_name["budget.xlsx"]["status"] == "ok"
        assert by_name["enorme.xlsx"]["status"] == "errore"
        assert str(folder / "enorme.xlsx") in by_name["enorme.xlsx"]["message"]
        assert "Traceback" not in proc.stderr
        assert (out / "budget.xlsx").exists() and not (out / "enorme.xlsx").exists()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_end_with_their_parent(tmp_path):
    for i in range(3):
        shutil.copy(PO2018, tmp_path / f"b{i}.xlsx")
    ready = tmp_path / "pronti"
    code = ("import os, sys, time\n"
            "from pdz_xl.batch import process\n"
            "def slow(target, options):\n"
            f"    open({str(ready)!r} + str(os.getpid()), 'w').close()\n"
            "    time.sleep(60)\n"
            "process.process_file = slow\n"
            "from pdz_xl.cli.app import main\n"
            f"sys.argv = ['pdz-xl', 'rigenera', {str(tmp_path)!r}, '--jobs', '2', '-o',"
            f" {str(tmp_path / 'out')!r}]\n"
            "main()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("pronti*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name[len("pronti"):]) for p in tmp_path.glob("pronti*")]
    assert len(workers) == 2 and proc.pid not in workers
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as a user's kill would
    proc.wait()
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "workers outlived their parent"


def test_discovery_skips_temporaries_backups_and_locks_and_cleans_stale_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PO2018, folder / "budget.xlsx")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = folder / f".~pdz-{dead}-abcd1234.xlsx"  # a complete workbook left by a kill
    shutil.copy(PO2018, stale)
    live = folder / f".~pdz-{os.getpid()}-efgh5678.xlsx"  # a run still writing
    live.write_bytes(b"PK\x03\x04 a meta")
    shutil.copy(PO2018, folder / "budget.20250131-142500.bak.xlsx")
    shutil.copy(PO2018, folder / "budget.20250131-142500-2.bak.xlsx")
    (folder / "~$budget.xlsx").write_bytes(b"utente")
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", str(folder),
                           "--json"], capture_output=True, text=True)
    data = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert [Path(r["file"]).name for r in data["files"]] == ["budget.xlsx"]
    assert "aperta in Excel" in " ".join(data["files"][0]["notes"])
    assert not stale.exists() and live.exists()
    assert any(stale.name in n for n in data["note"])
    assert sorted(p.name for p in (folder / "pdz-output").iterdir()) == ["budget.xlsx"]
    with zipfile.ZipFile(folder / "pdz-output" / "budget.xlsx") as z:
        assert z.testzip() is None


def test_an_explicit_temporary_or_lock_file_is_refused(tmp_path):
    temp = tmp_path / ".~pdz-1-abcd.xlsx"
    shutil.copy(PO2018, temp)
    lock = tmp_path / "~$budget.xlsx"
    shutil.copy(PO2018, lock)
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", str(temp),
                           str(lock), "--json"], capture_output=True, text=True)
    messages = [r["message"] for r in json.loads(proc.stdout)["files"]]
    assert proc.returncode == 2
    assert "file temporaneo di pdz-xl" in messages[0] and "file di blocco" in messages[1]
    assert not (tmp_path / "pdz-output").exists()

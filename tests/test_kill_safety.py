"""``rigenera --in-place`` over 20 copies, killed (SIGKILL, SIGTERM) at every step of a
write and at seeded random instants: every input is its original bytes, or a complete
output with a backup holding the original; the next run cleans the temporaries, never
takes them as inputs, and finishes the job."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.support.oracles import REPO

SAMPLE = REPO / "workbooks" / "piano_operativo_2018.xlsx"
COPIES = 20
# half-written temporary, fsync, backup copy, fsync, rename, fsync dir, rename, fsync dir
STEPS_PER_FILE = 8

@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "budget"
    src.mkdir()
    for i in range(1, COPIES + 1):
        shutil.copy(SAMPLE, src / f"b{i:02d}.xlsx")
    return src


def _is_complete_output(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None, path
        return b'name="Controlli PDZ"' in z.read("xl/workbook.xml")


def _check(folder: Path, *, temps_allowed: bool) -> int:
    """The invariant; returns how many inputs are already regenerated."""
    original = SAMPLE.read_bytes()
    done = 0
    for i in range(1, COPIES + 1):
        book = folder / f"b{i:02d}.xlsx"
        backups = sorted(folder.glob(f"b{i:02d}.*.bak.xlsx"))
        assert all(b.read_bytes() == original for b in backups), book
        if book.read_bytes() == original:
            continue
        assert _is_complete_output(book), f"{book}: neither original nor complete"
        assert backups, f"{book}: regenerated without its backup"
        done += 1
    others = [p.name for p in folder.iterdir() if not p.name.startswith("b")]
    if temps_allowed:
        assert all(n.startswith(".~pdz-") for n in others), others
    else:
        assert others == [], others
    return done


def _finish(folder: Path) -> None:
    """The next run: temporaries removed, never read, every input regenerated."""
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", str(folder),
                           "--in-place", "--json"], capture_output=True, text=True, timeout=60)
    data = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert sorted(Path(r["file"]).name for r in data["files"]) == [
        f"b{i:02d}.xlsx" for i in range(1, COPIES + 1)]
    assert _check(folder, temps_allowed=False) == COPIES


def _kill_at(folder: Path, step: int, sig: str) -> int:
    proc = subprocess.run([sys.executable, "-m", "tests.support.kill_driver", str(step), sig,
                           "rigenera", str(folder), "--in-place", "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    return proc.returncode


@pytest.mark.parametrize("sig", ["KILL", "TERM"])
def test_killed_at_each_step_of_a_write(folder, sig):
    rng = random.Random(14)
    steps = list(range(1, STEPS_PER_FILE + 1))  # every step of the first write
    steps += sorted(rng.sample(range(STEPS_PER_FILE + 1, STEPS_PER_FILE * 6), 2))
    killed = 0
    for step in steps:
        code = _kill_at(folder, step, sig)
        killed += code in (-9, -15, 137, 143)
        _check(folder, temps_allowed=sig == "KILL")
    assert killed == len(steps)
    _finish(folder)


def _wait_group(pgid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError("workers outlived the killed run")


@pytest.mark.parametrize("sig, jobs", [(signal.SIGKILL, "1"), (signal.SIGKILL, "2"),
                                       (signal.SIGTERM, "2")])
def test_killed_at_random_instants(folder, sig, jobs):
    rng = random.Random(1400 + int(jobs) + int(sig))
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "pdz_xl.cli.app", "rigenera",
                                 str(folder), "--in-place", "--jobs", jobs, "--json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.4, 1.6))
        proc.send_signal(sig)  # the parent only: its workers must end with it
        proc.wait(timeout=30)
        _wait_group(proc.pid)
        _check(folder, temps_allowed=True)
    _finish(folder)

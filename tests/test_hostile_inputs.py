"""Hostile and malformed inputs (tests/support/hostile.py) through the real CLI, each in a
subprocess limited to 1 GiB of address space and 10 seconds: the exit code expected,
an Italian message naming the file (and the cell or limit where there is one), the
input's bytes unchanged, no temporary file left, nothing of the file the XXE cases
point at in any output, no Python traceback."""

from __future__ import annotations

import hashlib
import shutil
import stat
from pathlib import Path

import pytest

from tests.support.hostile import SECRET, build_corpus, cases
from tests.support.hostile_run import run_cli, verb_args

pytestmark = pytest.mark.xdist_group("hostile")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ostili")
    built = {c.name: c for c in build_corpus(folder / "casi")}
    yield folder, built
    shutil.rmtree(folder, ignore_errors=True)


def _fingerprint(path: Path) -> str:
    mode = path.lstat().st_mode
    if stat.S_ISREG(mode):
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return f"mode {mode:o}"


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


RUNS = [(c.name, verb) for c in cases(Path("/segreto")) for verb in c.exits]


@pytest.mark.parametrize(("name", "verb"), RUNS, ids=[f"{n}-{v}" for n, v in RUNS])
def test_hostile_input(corpus, name, verb):
    folder, built = corpus
    case = built[name]
    out_dir = folder / f"out-{name}-{verb}"
    out_dir.mkdir()
    before, listing = _fingerprint(case.path), _listing(case.path.parent)
    run = run_cli(verb_args(verb, case.path, out_dir), cwd=out_dir, env=case.env)
    assert not run.timed_out, f"{name} {verb}: oltre 10 s\n{run.out[-2000:]}"
    assert run.code in case.exits[verb], (name, verb, run.code, run.out[-3000:])
    assert "Traceback" not in run.out, run.out[-3000:]
    assert SECRET not in run.out
    for written in out_dir.rglob("*"):
        if written.is_file():
            assert SECRET.encode() not in written.read_bytes(), written
            assert not written.name.startswith((".~pdz", "~$")), written
    assert _fingerprint(case.path) == before
    assert _listing(case.path.parent) == listing  # no temporary or backup beside the input
    if run.code == 2:
        assert case.path.name in run.out, run.out
        for fragment in case.says:
            assert fragment in run.out, (fragment, run.out[-2000:])
    if verb == "scrivi" and run.code == 2:
        assert "DOCTYPE" in run.out, run.out
    if run.code in (0, 1) and case.says:  # a finding: it names the cell
        assert all(fragment in run.out for fragment in case.says), run.out[-2000:]

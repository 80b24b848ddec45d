"""Run the CLI on one input in a subprocess under a memory and a time limit.

The child gets ``RLIMIT_AS`` (address space, default 1 GiB) set before it starts; the
parent measures the wall time and the child's own peak resident memory (``os.wait4``).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 10.0
_CLI = [sys.executable, "-c", "from pdz_xl.cli.app import main; main()"]


@dataclass
class Run:
    """What one CLI run gave."""

    code: int  # exit code; -N when killed by signal N
    seconds: float
    peak_mb: float
    out: str  # stdout + stderr
    timed_out: bool


def verb_args(verb: str, path: Path, out_dir: Path) -> list[str]:
    """The command line of a corpus verb (``scrivi``: valida --scrivi to a new file)."""
    out = str(out_dir / f"{path.stem}-out.xlsx")
    return {"leggi": ["leggi", str(path)], "valida": ["valida", str(path)],
            "scrivi": ["valida", str(path), "--scrivi", "-o", out],
            "alloca": ["alloca", str(path), "--modo", "tutto", "-o", out]}[verb]


def _limits(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.setsid()


def run_cli(args: list[str], cwd: Path, memory: int = MEMORY_LIMIT,
            timeout: float = TIME_LIMIT, env: dict[str, str] | None = None) -> Run:
    """``pdz-xl ARGS`` in ``cwd``; killed (whole process group) after ``timeout``."""
    env = {**os.environ, "COLUMNS": "200", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "PYTHONFAULTHANDLER": "0", **(env or {})}
    out_path = cwd / ".run-output.txt"
    start = time.monotonic()
    with out_path.open("w+b") as out:
        proc = subprocess.Popen(_CLI + args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env,
                                preexec_fn=lambda: _limits(memory))
        timed_out = False
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    out_path.unlink()
    return Run(proc.returncode, seconds, usage.ru_maxrss / 1024, text, timed_out)

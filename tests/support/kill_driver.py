"""Run ``pdz-xl`` and kill it at the N-th step of a write, to test what a kill leaves.

``python -m tests.support.kill_driver N SIGNAL pdz-xl-args...``: the steps counted are
the workbook write (killed halfway through its bytes), every ``os.fsync``, every
``os.replace`` and the backup copy. At step N the run is killed with SIGNAL (``KILL`` or
``TERM``): the whole run, parent and worker, as a user or the system would.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import signal
import sys

from pdz_xl.io import package

_count = 0
_at = 0
_sig = signal.SIGKILL


def _step() -> None:
    global _count
    _count += 1
    if _count != _at:
        return
    if multiprocessing.current_process().name == "pdz-worker":
        os.kill(os.getppid(), _sig)  # the run is the worker's parent
    os.kill(os.getpid(), _sig)


def _wrap(fn):
    def wrapped(*args, **kwargs):
        _step()
        return fn(*args, **kwargs)
    return wrapped


def _half_write(original):
    def write(self, fh) -> None:
        buffer = io.BytesIO()
        original(self, buffer)
        data = buffer.getvalue()
        fh.write(data[: len(data) // 2])
        fh.flush()
        _step()  # killed with half the bytes in the temporary file
        fh.write(data[len(data) // 2:])
    return write


def main() -> None:
    global _at, _sig
    _at = int(sys.argv[1])
    _sig = signal.SIGKILL if sys.argv[2] == "KILL" else signal.SIGTERM
    os.fsync = _wrap(os.fsync)
    os.replace = _wrap(os.replace)
    shutil.copyfileobj = _wrap(shutil.copyfileobj)
    package.Package.write = _half_write(package.Package.write)
    from pdz_xl.cli.app import app

    app(args=sys.argv[3:], prog_name="pdz-xl")


if __name__ == "__main__":
    main()

"""Run the per-file job over many workbooks, in worker processes that a failure cannot
take down with it.

Every failure stays the failure of one file: an exception of any kind (a native
``PanicException`` is a ``BaseException``) is caught around the job, a result that cannot
be sent back is replaced by an error for that file, and a worker that dies (a native
abort, memory exhausted, a signal) makes its file an error and is replaced by a fresh
worker. Results come back in input order, so ``--jobs 2`` gives exactly what ``--jobs 1``
gives. Workers end with their parent: ``PR_SET_PDEATHSIG`` on Linux, and elsewhere a
thread that watches the parent's pid.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from pydantic import BaseModel, Field


class FileResult(BaseModel):
    """What happened to one workbook."""

    file: str
    status: str  # "ok" | "rilievi" | "errore"
    output: str | None = None
    backup: str | None = None
    errori: int = 0
    avvisi: int = 0
    message: str | None = None
    steps: dict[str, str] = Field(default_factory=dict)  # step -> short Italian summary
    notes: list[str] = Field(default_factory=list)  # Italian remarks (e.g. file was open)
    seconds: float = 0.0


Job = Callable[[Any], FileResult]
Label = Callable[[Any], str]


def failed(label: str, message: str) -> FileResult:
    """An error result for the file ``label``."""
    return FileResult(file=label, status="errore", message=f"{label}: {message}")


def guarded(job: Job, item: Any, label: Label) -> FileResult:
    """``job(item)``, any failure but an interrupt turned into that file's error."""
    try:
        result = job(item)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # a Rust panic is a BaseException
        return failed(label(item), f"errore interno ({type(exc).__name__}: {exc}); "
                                   "segnalarlo.")
    if not isinstance(result, FileResult):
        return failed(label(item), "errore interno (risultato non valido); segnalarlo.")
    return result


def run_files(items: list[Any], job: Job, jobs: int = 1, *, label: Label = str,
              isolate: bool = True, warm_up: Callable[[], None] | None = None
              ) -> Iterator[FileResult]:
    """Yield one FileResult per item, in input order.

    ``isolate``: run in worker processes even with ``jobs=1`` (where processes fork, so
    a worker costs nothing but isolates native crashes). ``warm_up`` runs in the parent
    before forking (imports the workers then share).
    """
    forking = "fork" in mp.get_all_start_methods()
    if not items:
        return
    if jobs <= 1 and not (isolate and forking):
        for item in items:
            yield guarded(job, item, label)
        return
    if warm_up is not None and forking:
        warm_up()
    ctx = mp.get_context("fork" if forking else "spawn")
    workers = min(max(jobs, 1), len(items), max(os.cpu_count() or 1, 1))
    with _Pool(ctx, workers, job, label) as pool:
        yield from pool.run(items)


# ------------------------------------------------------------------------ workers
def _die_with_parent(parent: int) -> None:
    """End this worker when its parent ends (killed included)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="pdz-parent-watch", daemon=True).start()


def _terminate(_signum: int, _frame: object) -> None:
    raise SystemExit(143)  # unwinds: a write in progress removes its temporary file


def _worker(conn: Connection, job: Job, label: Label, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl-C
    signal.signal(signal.SIGTERM, _terminate)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        result = guarded(job, item, label)
        try:
            conn.send((index, result))
        except Exception as exc:  # e.g. PicklingError: the file's error, not the batch's
            conn.send((index, failed(label(item), "errore interno (risultato non "
                                     f"trasmissibile: {type(exc).__name__}); segnalarlo.")))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"segnale {signal.Signals(-exitcode).name}"
    return f"codice di uscita {exitcode}"


class _Slot:
    """One worker process and the item it works on."""

    def __init__(self, ctx: Any, job: Job, label: Label) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, job, label, os.getpid()),
                                daemon=True, name="pdz-worker")
        self.proc.start()
        child.close()
        self.task: tuple[int, Any] | None = None


class _Pool:
    """Workers that are replaced when they die; results collected in input order."""

    def __init__(self, ctx: Any, size: int, job: Job, label: Label) -> None:
        self.ctx, self.size, self.job, self.label = ctx, size, job, label
        self.slots: list[_Slot] = []

    def __enter__(self) -> _Pool:
        self.slots = [_Slot(self.ctx, self.job, self.label) for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        for slot in self.slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
        deadline = time.monotonic() + 2.0
        for slot in self.slots:
            slot.proc.join(max(0.0, deadline - time.monotonic()))
            if slot.proc.is_alive():
                slot.proc.terminate()
                slot.proc.join(1.0)
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join()
            slot.conn.close()

    def run(self, items: list[Any]) -> Iterator[FileResult]:
        pending = deque(enumerate(items))
        done: dict[int, FileResult] = {}
        next_out = 0
        while next_out < len(items):
            for i in range(len(self.slots)):
                while self.slots[i].task is None and pending:
                    self._give(i, pending, done)
            busy = [s for s in self.slots if s.task is not None]
            if busy:
                ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy]))
                for i, slot in enumerate(self.slots):
                    if slot.task is not None and (slot.conn in ready
                                                  or slot.proc.sentinel in ready):
                        self._collect(i, done)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1

    def _give(self, i: int, pending: deque, done: dict[int, FileResult]) -> None:
        """Send the next item to slot ``i`` (an item that cannot be sent is its error)."""
        index, item = pending.popleft()
        slot = self.slots[i]
        try:
            slot.conn.send((index, item))
        except (OSError, EOFError):  # the idle worker is gone: a fresh one takes the item
            pending.appendleft((index, item))
            self._replace(i)
            return
        except Exception as exc:  # PicklingError and the like
            done[index] = failed(self.label(item), "errore interno (file non trasmissibile "
                                 f"al processo: {type(exc).__name__}); segnalarlo.")
            return
        slot.task = (index, item)

    def _collect(self, i: int, done: dict[int, FileResult]) -> None:
        """The result of slot ``i``, or its file's error when the worker died."""
        slot = self.slots[i]
        index, item = slot.task  # type: ignore[misc]
        slot.task = None
        try:
            if slot.conn.poll():
                got, result = slot.conn.recv()
                if got == index and isinstance(result, FileResult):
                    done[index] = result
                    return
        except Exception:  # EOF, broken pipe, unpicklable result
            pass
        slot.proc.join(1.0)
        done[index] = failed(self.label(item), "il processo che elaborava il file si è "
                             f"interrotto ({_death(slot.proc.exitcode)}: forse memoria "
                             "esaurita o un errore di una libreria nativa); gli altri file "
                             "sono elaborati comunque.")
        self._replace(i)

    def _replace(self, i: int) -> None:
        """A fresh worker in slot ``i``."""
        old = self.slots[i]
        with contextlib.suppress(Exception):
            if old.proc.is_alive():
                old.proc.kill()
            old.proc.join(1.0)
            old.conn.close()
        self.slots[i] = _Slot(self.ctx, self.job, self.label)

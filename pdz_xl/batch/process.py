"""The job on one workbook: read, analyse, write the result safely.

Module-level and picklable, so ``--jobs N`` can run it in worker processes. Where each
result goes is decided before any job runs (:mod:`.outputs`): the job gets its target.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from ..errors import PdzError
from .outputs import Target, prepare_folder
from .runner import FileResult


class BatchOptions(BaseModel):
    """What ``rigenera`` was asked to do."""

    steps: tuple[str, ...] = ("valida",)
    backup: bool = True
    tolerance_cents: int | None = None
    per: str | None = None  # None: area, or obiettivo when the budget has no areas
    generated_on: str | None = None  # fixed date for reproducible sheets
    channels: str = "vuoti"  # --nuovo-anno: the new year's channel split


def warm_up() -> None:
    """Import what every job needs, once, before worker processes fork."""
    from .. import pipeline  # noqa: F401
    from ..io import xlsx_patch, xlsx_reader  # noqa: F401
    from ..layout import detect  # noqa: F401


def target_label(target: Target) -> str:
    """The input file of a target, as the summary names it."""
    return str(target.src)


def failure_message(src: object, exc: PdzError | OSError | MemoryError) -> str:
    """What a file's row says when reading or writing it failed (Italian, naming it)."""
    if isinstance(exc, PdzError):
        return exc.describe()
    if isinstance(exc, OSError):
        return f"{src}: errore di sistema ({exc.strerror or exc})."
    return f"{src}: memoria esaurita leggendo il file."


def process_file(target: Target, options: BatchOptions) -> FileResult:
    """Run the pipeline on one file; any failure becomes a FileResult, never an exception."""
    from ..io.locks import refuse_if_open
    from ..io.xlsx_patch import apply_changeset
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan
    from ..pipeline import run_steps

    t0 = time.perf_counter()
    src, dest = target.src, target.dest
    result = FileResult(file=str(src), status="errore")
    try:
        if target.in_place:
            refuse_if_open(src)
        grid = read_workbook(src)
        plan = detect_plan(grid)
        outcome = run_steps(grid, plan, options.steps, tolerance_cents=options.tolerance_cents,
                            per=options.per, generated_on=options.generated_on)
        if not target.in_place:
            prepare_folder(dest)
        written = apply_changeset(src, outcome.changeset, dest, in_place=target.in_place,
                                  backup=options.backup)
        result.output = str(written.dest)
        result.backup = str(written.backup) if written.backup else None
        result.notes = list(written.notes)
        if written.unchanged:
            result.notes.append("nessuna modifica: il file non è stato riscritto")
        result.errori, result.avvisi = outcome.errori, outcome.avvisi
        result.steps = outcome.summaries
        result.status = "rilievi" if outcome.errori else "ok"
    except (PdzError, OSError, MemoryError) as exc:
        result.message = failure_message(src, exc)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result

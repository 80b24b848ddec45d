"""``rigenera --nuovo-anno``: next year's workbook of every file of a folder.

Output names follow the single-file command: the plan year in the file name moves on
(``budget_2021.xlsx`` -> ``budget_2022.xlsx``), else the new year is added
(``budget.xlsx`` -> ``budget 2022.xlsx``), in the folders :mod:`.outputs` mirrors. The
name depends on each file's plan year, so every file's year is read first (in worker
processes, like the jobs) and the names are checked for clashes — two inputs writing one
file, an output over an input — before anything is written. The inputs are never written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from ..errors import PdzError
from .outputs import Target, _refuse_clashes, prepare_folder
from .process import BatchOptions, failure_message
from .runner import FileResult, Job, Label

YEAR_STEP = "anno_piano"


def plan_year_of(target: Target) -> FileResult:
    """The plan year of ``target.src`` (in ``steps``); an error result when unreadable."""
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan

    result = FileResult(file=str(target.src), status="ok")
    try:
        result.steps[YEAR_STEP] = str(detect_plan(read_workbook(target.src)).plan_year)
    except (PdzError, OSError, MemoryError) as exc:
        result.status, result.message = "errore", failure_message(target.src, exc)
    return result


def renamed(targets: list[Target], years: Iterable[FileResult]) -> list[Target]:
    """The targets with each output named for the new year; raises :class:`PdzError`
    (Italian) on a clash, before any write. A file whose year cannot be read keeps its
    name: its job fails on the same error and writes nothing."""
    from ..nextyear.run import default_output

    out = []
    for target, year in zip(targets, years, strict=True):
        text = year.steps.get(YEAR_STEP)
        if text is None:
            out.append(target)
            continue
        y = int(text)
        out.append(Target(target.src, default_output(target.dest, y, y + 1)))
    _refuse_clashes(out, allow_in_place=False)
    return out


def next_year_targets(targets: list[Target], jobs: int, run_files, label: Label
                      ) -> list[Target]:
    """:func:`renamed` on the years read by ``run_files`` (the batch runner)."""
    job: Job = plan_year_of
    return renamed(targets, list(run_files(targets, job, jobs, label=label)))


def process_next_year(target: Target, options: BatchOptions) -> FileResult:
    """Write next year's workbook of one file; any failure becomes its FileResult."""
    from ..nextyear.run import next_year_file
    from ..validate.engine import counts

    t0 = time.perf_counter()
    result = FileResult(file=str(target.src), status="errore")
    try:
        prepare_folder(target.dest)
        steps = next_year_file(target.src, target.dest, channels=options.channels,  # type: ignore[arg-type]
                               generated_on=options.generated_on)
        last = steps[-1]
        result.output = str(last.dest)
        result.notes = [n for s in steps for n in s.notes]
        result.errori, result.avvisi = counts(last.result.findings)
        result.steps = {"nuovo anno": "; ".join(last.result.changeset.summary)}
        result.status = "rilievi" if result.errori else "ok"
    except (PdzError, OSError, MemoryError) as exc:
        result.message = failure_message(target.src, exc)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result

"""The job on one workbook: read, analyse, write the result safely.

Module-level and picklable, so ``--jobs N`` can run it in worker processes.
"""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel

from ..errors import PdzError
from .discover import open_in_excel
from .runner import FileResult


class BatchOptions(BaseModel):
    """What ``rigenera`` was asked to do."""

    steps: tuple[str, ...] = ("valida",)
    out_dir: Path | None = None
    in_place: bool = False
    backup: bool = True
    tolerance_cents: int | None = None
    per: str | None = None  # None: area, or obiettivo when the budget has no areas
    generated_on: str | None = None  # fixed date for reproducible sheets


def output_path(src: Path, options: BatchOptions) -> Path:
    """Where the result of ``src`` goes."""
    if options.in_place:
        return src
    out_dir = options.out_dir or src.parent / "pdz-output"
    return out_dir / src.name


def process_file(src: Path, options: BatchOptions) -> FileResult:
    """Run the pipeline on one file; any failure becomes a FileResult, never an exception."""
    from ..io.xlsx_patch import apply_changeset
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan
    from ..pipeline import run_steps

    t0 = time.perf_counter()
    result = FileResult(file=str(src), status="errore")
    try:
        if open_in_excel(src):
            raise PdzError("la cartella è aperta in Excel (c'è il file di blocco "
                           f"«~${src.name}»): chiuderla e riprovare.", file=str(src))
        grid = read_workbook(src)
        plan = detect_plan(grid)
        outcome = run_steps(grid, plan, options.steps, tolerance_cents=options.tolerance_cents,
                            per=options.per, generated_on=options.generated_on)
        dest = output_path(src, options)
        if not options.in_place:
            dest.parent.mkdir(parents=True, exist_ok=True)
        written = apply_changeset(src, outcome.changeset, dest, in_place=options.in_place,
                                  backup=options.backup)
        result.output = str(written.dest)
        result.backup = str(written.backup) if getattr(written, "backup", None) else None
        result.errori, result.avvisi = outcome.errori, outcome.avvisi
        result.steps = outcome.summaries
        result.status = "rilievi" if outcome.errori else "ok"
    except PdzError as exc:
        result.message = exc.describe()
    except OSError as exc:
        result.message = f"{src}: errore di sistema ({exc.strerror or exc})."
    except Exception as exc:
        result.message = f"{src}: errore interno ({type(exc).__name__}: {exc}); segnalarlo."
    result.seconds = round(time.perf_counter() - t0, 3)
    return result

"""Run the per-file job over many workbooks, in parallel processes when asked.

One failing file never stops the others; results come back in input order, so
``--jobs 2`` gives exactly what ``--jobs 1`` gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

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
    seconds: float = 0.0


Job = Callable[[Path], FileResult]


def run_files(files: list[Path], job: Job, jobs: int = 1) -> Iterator[FileResult]:
    """Yield one FileResult per file, in input order."""
    if jobs <= 1 or len(files) <= 1:
        for f in files:
            yield job(f)
        return
    workers = min(jobs, len(files), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(job, files, chunksize=1)

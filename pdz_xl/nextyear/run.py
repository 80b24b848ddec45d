"""``nuovo-anno`` on a file: read, move on one year (or several), write, read back."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import PdzError
from .build import Channels, NextYear, next_year


@dataclass
class Step:
    """One year moved on: what was written where."""

    result: NextYear
    dest: Path
    notes: list[str]  # remarks of the writer (Italian)


def default_output(src: Path, year: int, new: int, folder: Path | None = None) -> Path:
    """``piano_2021.xlsx`` -> ``piano_2022.xlsx`` (the plan year in the name moves on),
    else ``piano 2022.xlsx``; beside the input, or in ``folder``."""
    stem = src.stem
    pattern = rf"(?<![0-9]){year}(?![0-9])"
    name = re.sub(pattern, str(new), stem) if re.search(pattern, stem) else f"{stem} {new}"
    return (folder or src.parent) / f"{name}{src.suffix}"


def names_next_year(name: str, plan_year: int) -> bool:
    """True when the file name ``name`` names the year after ``plan_year`` and not
    ``plan_year`` itself: the copy an office makes for next year («budget_2022.xlsx»
    still holding the 2021 budget), which the «Nuovo anno» button moves on in place."""
    from .years import has_year

    stem = Path(name).stem
    return has_year(stem, plan_year + 1) and not has_year(stem, plan_year)


def next_year_file(src: str | Path, out: str | Path | None = None, *,
                   year: int | None = None, channels: Channels = "vuoti",
                   generated_on: str | None = None) -> list[Step]:
    """Write next year's workbook of ``src`` (``year``: the year to reach, one step a year).

    ``out`` is the file to write, or a folder; by default the name of ``src`` with the
    year moved on, beside it. The input is never written. Raises :class:`PdzError`."""
    from ..io.xlsx_patch import apply_changeset
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan
    from .widths import file_widths

    src = Path(src)
    grid = read_workbook(src)
    plan = detect_plan(grid)
    target = plan.plan_year + 1 if year is None else year
    if target <= plan.plan_year:
        raise PdzError(f"la cartella è del {plan.plan_year}: --anno deve essere un anno "
                       f"successivo (il {plan.plan_year + 1} o dopo).", file=str(src))
    out = Path(out) if out is not None else None
    folder = out if out is not None and (out.is_dir() or out.suffix == "") else None
    dest = default_output(src, plan.plan_year, target, folder) if out is None or folder \
        else out
    if dest.resolve() == src.resolve():
        raise PdzError("il file di uscita è il file stesso: il nuovo anno va in una copia "
                       "(indicare -o).", file=str(src))
    dest.parent.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".pdz-nuovo-anno-") as tmp:
        current = src
        while True:
            result = next_year(grid, plan, channels=channels, generated_on=generated_on,
                               file_label=dest.name, widths=file_widths(current))
            last = result.year >= target
            step_dest = dest if last else Path(tmp) / f"{result.year}{src.suffix}"
            written = apply_changeset(current, result.changeset, step_dest)
            steps.append(Step(result, step_dest if last else dest, list(written.notes)))
            if last:
                return steps
            current = step_dest
            grid = read_workbook(current)
            plan = detect_plan(grid)

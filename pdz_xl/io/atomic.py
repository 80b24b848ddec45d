"""Atomic file replacement with an optional timestamped backup.

The new content goes to a temporary file in the destination folder (same file system),
is flushed and fsync'ed, and only then ``os.replace`` puts it in place: a reader sees
either the old file or the new one, never half of one. Any failure removes the temporary
file and leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import WorkbookWriteError

TEMP_PREFIX = ".~pdz-"


def backup_path(src: Path, now: dt.datetime | None = None) -> Path:
    """``budget.xlsx`` -> ``budget.20250131-142500.bak.xlsx`` (never an existing file)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = src.with_name(f"{src.stem}.{stamp}.bak{src.suffix}")
    n = 2
    while candidate.exists():
        candidate = src.with_name(f"{src.stem}.{stamp}-{n}.bak{src.suffix}")
        n += 1
    return candidate


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every platform can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_in(folder: Path, suffix: str, file: Path) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=folder)
    except OSError as exc:
        raise WorkbookWriteError(
            f"non posso scrivere nella cartella «{folder}» ({exc.strerror or exc}); il file "
            "originale non è stato toccato.", file=str(file)) from None
    return fd, Path(name)


def copy_atomically(src: Path, dest: Path) -> None:
    """A complete copy of ``src`` at ``dest``, or no file at all."""
    fd, tmp = _temp_in(dest.parent, dest.suffix, dest)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(src, tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(dest: Path, write: Callable[[BinaryIO], None], *,
                     mode_from: Path | None = None, backup: tuple[Path, Path] | None = None
                     ) -> None:
    """Write ``dest`` through ``write(fh)``; ``backup=(src, copy)`` first copies ``src``.

    ``mode_from``: a file whose permission bits the result takes (the input workbook).
    OS errors become :class:`WorkbookWriteError` (Italian, naming the file).
    """
    fd, tmp = _temp_in(dest.parent, dest.suffix, dest)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if mode_from is not None and mode_from.exists():
            os.chmod(tmp, stat.S_IMODE(mode_from.stat().st_mode))
        if backup is not None:
            copy_atomically(*backup)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookWriteError(
            f"scrittura non riuscita ({exc.strerror or exc}); il file originale non è stato "
            "toccato.", file=str(dest)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Atomic file replacement with an optional timestamped backup.

The new content goes to a temporary file in the destination folder (same file system),
is flushed and fsync'ed, and only then ``os.replace`` puts it in place, followed by an
fsync of the folder: a reader, or the disk after a crash, sees either the old file or the
new one, never half of one. A backup is complete (written, fsync'ed, renamed, folder
fsync'ed) before the destination is replaced, so a kill at any instant leaves the input's
original bytes, or the complete output plus its backup.

Temporary files are named ``.~pdz-<pid>-<random><suffix>``: any failure removes them; a
kill (SIGKILL, power loss) can leave one, which :func:`clean_stale_temps` removes on the
next run once the process that made it is gone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import WorkbookWriteError

TEMP_PREFIX = ".~pdz-"
_TEMP_PID = re.compile(r"^\.~pdz-(\d+)-")
_BACKUP = re.compile(r"\.\d{8}-\d{6}(?:-\d+)?\.bak\.[^.]+$", re.IGNORECASE)
STALE_AFTER_S = 24 * 3600  # a temporary whose maker cannot be told is stale after a day


def backup_path(src: Path, now: dt.datetime | None = None) -> Path:
    """``budget.xlsx`` -> ``budget.20250131-142500.bak.xlsx`` (never an existing file)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = src.with_name(f"{src.stem}.{stamp}.bak{src.suffix}")
    n = 2
    while candidate.exists():
        candidate = src.with_name(f"{src.stem}.{stamp}-{n}.bak{src.suffix}")
        n += 1
    return candidate


def is_temp_name(name: str) -> bool:
    """A temporary file of this product (never a workbook to read)."""
    return name.startswith(TEMP_PREFIX)


def is_backup_name(name: str) -> bool:
    """A backup made by an in-place write (``name.YYYYMMDD-HHMMSS[-n].bak.xlsx``)."""
    return _BACKUP.search(name) is not None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    try:  # a killed process not yet reaped (a zombie) is gone too
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def is_stale_temp(path: Path, now: float | None = None) -> bool:
    """A temporary left by a run that is no longer going (its process is gone)."""
    if not is_temp_name(path.name):
        return False
    match = _TEMP_PID.match(path.name)
    if match is not None and int(match.group(1)) != os.getpid() \
            and not _pid_alive(int(match.group(1))):
        return True
    try:
        age = (now or time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    return age > STALE_AFTER_S


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove the stale temporaries directly in ``folder``; returns those removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            path = Path(entry.path)
            if entry.is_file(follow_symlinks=False) and is_stale_temp(path):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    if removed:
        fsync_dir(folder)
    return removed


def fsync_dir(folder: Path) -> None:
    """Make renames and removals in ``folder`` durable (best effort: not every platform can
    open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_in(folder: Path, suffix: str, file: Path) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=suffix,
                                    dir=folder)
    except OSError as exc:
        raise WorkbookWriteError(
            f"non posso scrivere nella cartella «{folder}» ({exc.strerror or exc}); il file "
            "originale non è stato toccato.", file=str(file)) from None
    return fd, Path(name)


def copy_atomically(src: Path, dest: Path) -> None:
    """A complete, durable copy of ``src`` at ``dest``, or no file at all."""
    fd, tmp = _temp_in(dest.parent, dest.suffix, dest)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(src, tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
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
        fsync_dir(dest.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkbookWriteError(
            f"scrittura non riuscita ({exc.strerror or exc}); il file originale non è stato "
            "toccato.", file=str(dest)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Which files a batch run works on, and which it must refuse up front.

A folder is walked recursively. Never taken as input: the output folders (``pdz-output``
and the ``-o`` folder), the product's temporaries (``.~pdz-*``) and backups
(``*.AAAAMMGG-HHMMSS.bak.xlsx``), Excel's and LibreOffice's lock files. Temporaries left
by a killed run are removed on the way (:func:`~pdz_xl.io.atomic.clean_stale_temps`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..io.atomic import clean_stale_temps, is_backup_name, is_temp_name
from ..io.locks import is_lock_name
from .outputs import DEFAULT_DIR

EXTENSIONS = (".xlsx", ".xlsm")


@dataclass
class Discovery:
    """The workbooks found, the paths refused (with the Italian reason), the stale
    temporaries removed."""

    files: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)
    cleaned: list[Path] = field(default_factory=list)


def _key(path: Path | str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _workbook_name(name: str) -> bool:
    return (name.lower().endswith(EXTENSIONS) and not is_lock_name(name)
            and not is_temp_name(name) and not is_backup_name(name))


def _walk(folder: Path, skip: set[str], found: Discovery) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != DEFAULT_DIR
                         and _key(os.path.join(root, d)) not in skip)
        found.cleaned += clean_stale_temps(Path(root))
        for name in sorted(names):
            path = Path(root, name)
            if _workbook_name(name) and path.is_file():
                files.append(path)
    return files


def _single(p: Path) -> str | None:
    """Why an explicitly named file is not taken (None: it is)."""
    if is_lock_name(p.name):
        return "è un file di blocco di Excel o LibreOffice, non una cartella di lavoro."
    if is_temp_name(p.name):
        return "è un file temporaneo di pdz-xl (lasciato da un'esecuzione interrotta)."
    if p.suffix.lower() not in EXTENSIONS:
        return "non è un file .xlsx o .xlsm."
    if not stat.S_ISREG(p.stat().st_mode):
        return "non è un file regolare (forse una pipe o un dispositivo)."
    return None


def discover(paths: list[Path], out: Path | None = None) -> Discovery:
    """Expand files and folders into workbooks, in a stable order, each once."""
    found = Discovery()
    skip = {_key(out)} if out is not None else set()
    seen: set[str] = set()
    for p in paths:
        if p.is_dir():
            candidates = _walk(p, skip, found)
            if not candidates:
                found.problems.append((p, "la cartella non contiene file .xlsx o .xlsm."))
        elif os.path.lexists(p) and p.exists():
            why = _single(p)
            if why is not None:
                found.problems.append((p, why))
                continue
            candidates = [p]
        else:
            found.problems.append((p, "il file non esiste."))
            continue
        for f in candidates:
            key = _key(f)
            if key not in seen:
                seen.add(key)
                found.files.append(f)
    return found

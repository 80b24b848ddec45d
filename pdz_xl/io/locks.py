"""Checks before a write: the workbook is not open in Excel or LibreOffice, the folder
takes files, the extension matches the content (an ``.xlsm`` body in an ``.xlsx`` name
will not open).

An open workbook has a lock file beside it: Excel's ``~$NAME``, LibreOffice's
``.~lock.NAME#``. Reading it is fine (the last saved version is read, and the user is told);
writing over it is refused, since the program holding it would overwrite the result or
lose its own unsaved changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WorkbookWriteError
from .package import WORKBOOK, Package

_PROGRAMS = (("~$", "", "Excel"), (".~lock.", "#", "LibreOffice"))


def lock_names(name: str) -> list[str]:
    """The lock-file names that mean a workbook named ``name`` is open."""
    return [f"{head}{name}{tail}" for head, tail, _ in _PROGRAMS]


def is_lock_name(name: str) -> bool:
    """True for an Excel or LibreOffice lock file name (never a workbook to read)."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def open_in(path: Path) -> tuple[str, Path] | None:
    """``(program, lock file)`` when a lock file lies beside ``path``, else None."""
    for head, tail, program in _PROGRAMS:
        lock = path.with_name(f"{head}{path.name}{tail}")
        if os.path.lexists(lock):
            return program, lock
    return None


def open_note(path: Path) -> str | None:
    """Italian remark for reading an open workbook (None when it is not open)."""
    found = open_in(path)
    if found is None:
        return None
    program, lock = found
    return (f"«{path.name}» è aperta in {program} (file di blocco «{lock.name}»): è stata "
            "letta l'ultima versione salvata, le modifiche non salvate non sono comprese.")


def refuse_if_open(path: Path) -> None:
    """Do not write over a workbook Excel or LibreOffice holds open."""
    found = open_in(path)
    if found is not None:
        program, lock = found
        raise WorkbookWriteError(
            f"la cartella è aperta in {program} (c'è il file di blocco «{lock.name}»): "
            "chiuderla e riprovare, oppure scrivere altrove con -o (se nessuno la sta usando, "
            "eliminare il file di blocco).", file=str(path))


def refuse_unwritable_folder(dest: Path) -> None:
    """The destination folder must exist and accept new files."""
    folder = dest.parent
    if not folder.is_dir():
        raise WorkbookWriteError(f"la cartella di destinazione «{folder}» non esiste.",
                                 file=str(dest))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WorkbookWriteError(
            f"non posso scrivere nella cartella «{folder}» (sola lettura); il file originale "
            "non è stato toccato.", file=str(dest))
    if dest.exists() and not dest.is_file():
        raise WorkbookWriteError("la destinazione esiste e non è un file.", file=str(dest))


def refuse_wrong_extension(pkg: Package, dest: Path) -> None:
    """Excel refuses a macro workbook named .xlsx and a plain workbook named .xlsm."""
    suffix = dest.suffix.casefold()
    if suffix not in (".xlsx", ".xlsm"):
        return
    macro = "macroEnabled" in (pkg.content_type(WORKBOOK) or "")
    if macro and suffix == ".xlsx":
        raise WorkbookWriteError(
            "la cartella contiene macro (VBA): va salvata con estensione .xlsm, non .xlsx.",
            file=str(dest))
    if not macro and suffix == ".xlsm":
        raise WorkbookWriteError(
            "la cartella non contiene macro: va salvata con estensione .xlsx, non .xlsm "
            "(Excel non aprirebbe il file).", file=str(dest))

"""Checks before a write: the workbook is not open in Excel, the folder takes files, the
extension matches the content (an ``.xlsm`` body in an ``.xlsx`` name will not open)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WorkbookWriteError
from .package import WORKBOOK, Package
from .xlsx_sniff import lock_file_for


def refuse_if_open(path: Path) -> None:
    """Excel keeps ``~$name.xlsx`` beside a workbook it has open: do not write under it."""
    lock = lock_file_for(path)
    if lock.exists():
        raise WorkbookWriteError(
            f"la cartella è aperta in Excel (c'è il file di blocco «{lock.name}»): chiuderla "
            "e riprovare.", file=str(path))


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

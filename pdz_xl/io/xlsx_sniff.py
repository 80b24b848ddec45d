"""Open an xlsx/xlsm package, or explain in Italian why a file is not one.

Recognises: missing file, empty file, legacy ``.xls`` (OLE2), password-protected
workbooks (OLE2 container holding ``EncryptionInfo``), ODF spreadsheets, truncated or
corrupt ZIP files, and ZIP files that are not workbooks.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import WorkbookReadError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def lock_file_for(path: Path) -> Path:
    """The lock file Excel keeps beside an open workbook: ``~$name.xlsx``."""
    return path.with_name("~$" + path.name)


def open_package(path: str | Path) -> zipfile.ZipFile:
    """Open a workbook package for reading, or raise WorkbookReadError (Italian)."""
    p = Path(path)
    name = str(p)
    if not p.exists():
        raise WorkbookReadError("il file non esiste.", file=name)
    if p.is_dir():
        raise WorkbookReadError("è una cartella, non un file Excel.", file=name)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
            size = p.stat().st_size
            if size == 0:
                raise WorkbookReadError("il file è vuoto (0 byte).", file=name)
            if head == _OLE_MAGIC:
                fh.seek(0)
                blob = fh.read()
                if _ENCRYPTION_INFO in blob:
                    raise WorkbookReadError(
                        "la cartella è protetta da password: toglierla in Excel "
                        "(File > Informazioni > Proteggi cartella di lavoro) e riprovare.",
                        file=name,
                    )
                raise WorkbookReadError(
                    "è un file Excel 97-2003 (.xls): aprirlo in Excel e salvarlo come "
                    "Cartella di lavoro Excel (.xlsx), poi riprovare.",
                    file=name,
                )
    except PermissionError:
        raise WorkbookReadError(
            "non ho il permesso di leggere il file (è forse aperto in Excel o bloccato da un "
            "altro programma?).", file=name) from None
    if head[:2] != b"PK":
        raise WorkbookReadError(
            "non è una cartella di lavoro Excel (.xlsx/.xlsm): il contenuto non è un "
            "pacchetto Office Open XML.",
            file=name,
        )
    try:
        zf = zipfile.ZipFile(p)
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise WorkbookReadError(
            "il file è danneggiato o incompleto (archivio ZIP non leggibile).", file=name
        ) from None
    if "xl/workbook.xml" not in names:
        zf.close()
        if "content.xml" in names and "mimetype" in names:
            raise WorkbookReadError(
                "è un foglio OpenDocument (.ods): salvarlo come .xlsx e riprovare.", file=name
            )
        raise WorkbookReadError(
            "non è una cartella di lavoro Excel: manca xl/workbook.xml.", file=name
        )
    return zf


def read_part(zf: zipfile.ZipFile, part: str, file: str) -> bytes:
    """Read one part of the package; a damaged part becomes an Italian error."""
    try:
        return zf.read(part)
    except KeyError:
        raise WorkbookReadError(f"manca la parte «{part}» del pacchetto.", file=file) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        raise WorkbookReadError(
            f"il file è danneggiato: la parte «{part}» non si legge ({exc}).", file=file
        ) from None

"""Open an xlsx/xlsm package, or explain in Italian why a file is not one.

Recognises: missing file, directories, FIFOs and devices (never opened: opening a FIFO
blocks), empty file, legacy ``.xls`` (OLE2), password-protected workbooks (OLE2 container
holding ``EncryptionInfo``), ODF spreadsheets, ``.xlsb``, truncated or corrupt ZIP files,
ZIP files that are not workbooks, and packages that are no valid workbook: entry names
with ``..``, absolute paths or backslashes, names given twice, encrypted entries,
compression methods other than stored/deflate, and the size limits of :mod:`.limits`
(checked on the central directory before anything is inflated; the deflate stream is
then read only up to the declared size and its CRC checked, so a lying header is an
error, never a bomb).
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path

from ..errors import WorkbookReadError
from . import limits

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
        mode = os.stat(p).st_mode
    except OSError as exc:
        raise WorkbookReadError(f"il file non si legge ({exc.strerror}).", file=name) from None
    if not stat.S_ISREG(mode):
        raise WorkbookReadError(
            "non è un file regolare (è una FIFO, un dispositivo o un socket): non lo apro.",
            file=name)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
            size = os.fstat(fh.fileno()).st_size
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
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise WorkbookReadError(
            "il file è danneggiato o incompleto (archivio ZIP non leggibile).", file=name
        ) from None
    try:
        if "xl/workbook.xml" not in names:
            if "content.xml" in names and "mimetype" in names:
                raise WorkbookReadError(
                    "è un foglio OpenDocument (.ods): salvarlo come .xlsx e riprovare.",
                    file=name)
            if "xl/workbook.bin" in names:
                raise WorkbookReadError(
                    "è una cartella di lavoro binaria (.xlsb): salvarla in Excel come "
                    "«Cartella di lavoro di Excel (.xlsx)» e riprovare.", file=name)
            raise WorkbookReadError(
                "non è una cartella di lavoro Excel: manca xl/workbook.xml.", file=name)
        check_entries(zf, name)
    except WorkbookReadError:
        zf.close()
        raise
    return zf


def bad_entry_name(entry: str) -> bool:
    """A name no valid package holds: absolute, with a drive, ``..`` or a backslash."""
    return (entry.startswith("/") or "\\" in entry or ".." in entry.split("/")
            or (len(entry) > 1 and entry[1] == ":") or "\x00" in entry)


def check_entries(zf: zipfile.ZipFile, file: str) -> None:
    """Refuse a package whose central directory is not that of a workbook, or that
    would inflate past the limits (see :mod:`.limits`)."""
    infos = zf.infolist()
    if len(infos) > limits.ENTRIES.value():
        raise limits.ENTRIES.refuse(file, f"{len(infos):,} voci".replace(",", "."))
    seen: set[str] = set()
    total = 0
    part_limit, ratio_limit = limits.PART_SIZE.value(), limits.RATIO.value()
    for info in infos:
        entry = info.filename
        if bad_entry_name(entry):
            raise WorkbookReadError(
                f"non è una cartella di lavoro valida: il pacchetto contiene una voce con un "
                f"nome non ammesso («{entry[:80]}»: percorso assoluto, «..» o «\\»).",
                file=file)
        if entry.casefold() in seen:
            raise WorkbookReadError(
                f"il file è danneggiato: la voce «{entry[:80]}» compare più volte nel "
                "pacchetto.", file=file)
        seen.add(entry.casefold())
        if info.flag_bits & 0x1:
            raise WorkbookReadError(
                f"la voce «{entry[:80]}» del pacchetto è cifrata: non è una cartella di lavoro "
                "che Excel salva così; toglierne la password e riprovare.", file=file)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookReadError(
                f"la voce «{entry[:80]}» usa un metodo di compressione non supportato "
                f"(n. {info.compress_type}, non «deflate»): salvare di nuovo il file in Excel.",
                file=file)
        if info.file_size > part_limit:
            raise limits.PART_SIZE.refuse(file, f"«{entry[:80]}», {limits.mb(info.file_size)}")
        if (info.file_size > limits.RATIO_FROM
                and info.file_size > ratio_limit * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise limits.RATIO.refuse(file, f"«{entry[:80]}», {ratio:,}:1".replace(",", "."))
        total += info.file_size
    if total > limits.TOTAL_SIZE.value():
        raise limits.TOTAL_SIZE.refuse(file, limits.mb(total))


def read_part(zf: zipfile.ZipFile, part: str, file: str) -> bytes:
    """Read one part of the package; a damaged part becomes an Italian error."""
    try:
        return zf.read(part)
    except KeyError:
        raise WorkbookReadError(f"manca la parte «{part}» del pacchetto.", file=file) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error,
            NotImplementedError, RuntimeError) as exc:
        raise WorkbookReadError(
            f"il file è danneggiato: la parte «{part}» non si legge ({exc}).", file=file
        ) from None

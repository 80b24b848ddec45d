"""A small deterministic ZIP writer that copies unchanged entries as raw compressed bytes.

Python's :mod:`zipfile` can only write an entry by compressing it again. For a workbook
whose parts we do not own, that is wasted work and a (harmless but needless) change of
the stored bytes. This writer copies such an entry exactly as it was stored in the source
archive (same compressed bytes, CRC, sizes, method and date) and deflates only the parts
we produce, with a fixed date. No ZIP64 (a workbook never nears 4 GB), no encryption, no
data descriptors: an entry that cannot be copied raw is deflated again from its content.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
"""The ZIP date of every part we write: no timestamps, same input -> same bytes."""

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class RawEntry:
    """An entry copied as stored: compressed bytes plus what the headers need."""

    info: zipfile.ZipInfo
    data: bytes  # the compressed bytes exactly as stored in the source


@dataclass(frozen=True)
class NewEntry:
    """An entry we produce: uncompressed content, deflated on write."""

    name: str
    content: bytes
    date_time: tuple[int, int, int, int, int, int] = FIXED_DATE


Entry = RawEntry | NewEntry


def raw_bytes(archive: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The stored (compressed) bytes of ``info`` in ``archive``; None when not copyable."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                           zipfile.ZIP_DEFLATED):
        return None  # encrypted entry, or a method we would not write ourselves
    if max(info.compress_size, info.file_size, info.header_offset) >= _LIMIT:
        return None
    start = info.header_offset
    head = archive[start:start + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<2H", head[26:30])
    begin = start + 30 + name_len + extra_len
    data = archive[begin:begin + info.compress_size]
    return data if len(data) == info.compress_size else None


def _dos_date(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return ((max(y, 1980) - 1980) << 9) | (mo << 5) | d, (h << 11) | (mi << 5) | (s // 2)


def _name_bytes(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_FLAG


def _deflate(content: bytes) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return comp.compress(content) + comp.flush()


def write_zip(fh: BinaryIO, entries: Iterable[Entry]) -> None:
    """Write ``entries`` in order as a ZIP archive to the binary file ``fh``."""
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        if isinstance(entry, RawEntry):
            info = entry.info
            name, utf8 = _name_bytes(info.filename)
            data, crc = entry.data, info.CRC
            size, method, date_time = info.file_size, info.compress_type, info.date_time
            external = info.external_attr
        else:
            name, utf8 = _name_bytes(entry.name)
            data, crc = _deflate(entry.content), zlib.crc32(entry.content)
            size, method, date_time, external = (len(entry.content), zipfile.ZIP_DEFLATED,
                                                 entry.date_time, 0)
        if max(len(data), size, offset) >= _LIMIT:
            raise ValueError("archivio troppo grande per un file Excel senza ZIP64")
        flags = utf8
        if isinstance(entry, RawEntry):
            flags |= entry.info.flag_bits & 0x6  # the stored deflate-option bits
        ddate, dtime = _dos_date(date_time)
        version = 20
        fh.write(_LOCAL.pack(b"PK\x03\x04", version, 0, flags, method, dtime, ddate, crc,
                             len(data), size, len(name), 0))
        fh.write(name)
        fh.write(data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", version, 0, version, 0, flags, method,
                                     dtime, ddate, crc, len(data), size, len(name), 0, 0, 0,
                                     0, external, offset) + name)
        offset += _LOCAL.size + len(name) + len(data)
    start = offset
    for record in central:
        fh.write(record)
    size = sum(len(r) for r in central)
    if len(central) > 0xFFFF or start + size >= _LIMIT:
        raise ValueError("archivio troppo grande per un file Excel senza ZIP64")
    fh.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))


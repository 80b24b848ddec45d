"""MS-OVBA compression (2.4.1) of VBA streams, exact by construction.

The compressor of ``ms_ovba_compression`` 1.0.1 corrupts sources longer than one chunk
(xlwings' 45 KB module decompresses wrong from byte 590 on, measured with oletools'
``decompress_stream``), so the add-in uses this one: full 4,096-byte chunks are stored raw
(CompressedChunkFlag 0, as the format allows) and the last, shorter chunk as literal tokens.
The result is larger than Excel's own but decompresses to exactly the source.
"""

from __future__ import annotations

CHUNK = 4096
_LITERAL_LIMIT = 3640  # n + ceil(n / 8) literal bytes must fit a 4,096-byte chunk body
_SIGNATURE = b"\x01"


def pad_source(data: bytes) -> bytes:
    """``data`` with blank lines added so that its last chunk can be stored (a VBA module
    ends with harmless empty lines)."""
    while 0 < len(data) % CHUNK > _LITERAL_LIMIT:
        data += b"\r\n"
    return data


def _header(body_len: int, compressed: bool) -> bytes:
    value = (body_len + 2 - 3) | (0b011 << 12) | (int(compressed) << 15)
    return value.to_bytes(2, "little")


def compress(data: bytes) -> bytes:
    """The CompressedContainer of ``data`` (call :func:`pad_source` first)."""
    out = bytearray(_SIGNATURE)
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        if len(chunk) == CHUNK:
            out += _header(CHUNK, False) + chunk
            continue
        if len(chunk) > _LITERAL_LIMIT:
            raise ValueError("ultimo blocco troppo lungo: usare pad_source()")
        body = bytearray()
        for i in range(0, len(chunk), 8):
            body.append(0)  # flag byte: eight literal tokens
            body += chunk[i:i + 8]
        out += _header(len(body), True) + body
    return bytes(out)

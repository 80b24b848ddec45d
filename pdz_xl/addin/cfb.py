"""A small writer of Compound File Binary files ([MS-CFB], version 3), the container of
``vbaProject.bin``.

``ms_cfb`` 0.0.6 (what ``ms_ovba`` uses) loses data: with the add-in's seven streams,
olefile read ``PROJECT`` back empty and ``Dictionary`` 52 bytes short. This writer lays the
file out in one pass, in a fixed order (deterministic bytes):
header, FAT, directory, mini FAT, mini stream, then the streams of 4,096 bytes or more.
The directory of each storage is a size-balanced binary search tree coloured as a valid
red-black tree (last level red, the rest black).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_ROOT, _STORAGE, _STREAM = 5, 1, 2
_RED, _BLACK = 0, 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4: shorter names first, then by upper-case code points."""
    return len(name), name.upper()


def _tree(storage: _Entry) -> None:
    """Link ``storage``'s children as a balanced search tree; recurse into storages."""
    kids = sorted(storage.children.values(), key=lambda e: _sort_key(e.name))
    depths: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = kids[mid]
        depths[id(node)] = depth
        node.left = build(lo, mid, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        return node.sid

    storage.child = build(0, len(kids), 0)
    deepest = max(depths.values(), default=0)
    for kid in kids:
        # every level but the last is full in a size-balanced tree: the last level red
        # keeps the black height equal on every path and no red node has a red parent
        kid.color = _RED if 0 < depths[id(kid)] == deepest else _BLACK
        if kid.kind == _STORAGE:
            _tree(kid)


def _chain(start: int, count: int) -> list[int]:
    """FAT entries of ``count`` consecutive sectors from ``start``."""
    return [start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN] if count else []


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    if len(name) > 64:
        raise ValueError(f"nome di flusso troppo lungo: {e.name}")
    return (name.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right, e.child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # CLSID, state bits, times
            + struct.pack("<IQ", e.start if e.kind != _STORAGE else 0, e.size))


def _empty_entry() -> bytes:
    return b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) \
        + b"\0" * 48


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (path with ``/`` -> bytes)."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *folders, name = path.split("/")
        node = root
        for folder in folders:
            node = node.children.setdefault(folder, _Entry(folder, _STORAGE))
        node.children[name] = _Entry(name, _STREAM, bytes(data))
    entries: list[_Entry] = []

    def number(e: _Entry) -> None:  # root first, then each storage's children
        e.sid = len(entries)
        entries.append(e)
        for kid in sorted(e.children.values(), key=lambda k: _sort_key(k.name)):
            number(kid)

    number(root)
    _tree(root)
    small = [e for e in entries if e.kind == _STREAM and len(e.data) < MINI_CUTOFF]
    big = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]
    # mini stream and mini FAT
    mini = bytearray()
    minifat: list[int] = []
    for e in small:
        e.size = len(e.data)
        count = -(-e.size // MINI_SECTOR)
        e.start = len(minifat) if count else ENDOFCHAIN
        minifat += _chain(len(minifat), count)
        mini += _pad(e.data, MINI_SECTOR)
    minifat_bytes = _pad(b"".join(struct.pack("<I", v) for v in minifat), SECTOR) \
        if minifat else b""
    mini_bytes = _pad(bytes(mini), SECTOR)
    dir_bytes_len = _pad(b"\0" * 128 * len(entries), SECTOR)
    n_dir = len(dir_bytes_len) // SECTOR
    n_minifat = len(minifat_bytes) // SECTOR
    n_mini = len(mini_bytes) // SECTOR
    n_big = [-(-len(e.data) // SECTOR) for e in big]
    n_other = n_dir + n_minifat + n_mini + sum(n_big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_other:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("file composto troppo grande per questo scrittore")
    # sector numbers, in layout order
    fat: list[int] = [FATSECT] * n_fat
    dir_start = len(fat)
    fat += _chain(dir_start, n_dir)
    minifat_start = len(fat) if n_minifat else ENDOFCHAIN
    fat += _chain(len(fat), n_minifat)
    root.start = len(fat) if n_mini else ENDOFCHAIN
    root.size = len(mini)
    fat += _chain(len(fat), n_mini)
    for e, count in zip(big, n_big, strict=True):
        e.start, e.size = len(fat), len(e.data)
        fat += _chain(len(fat), count)
    fat += [FREESECT] * (n_fat * (SECTOR // 4) - len(fat))
    directory = b"".join(_dir_entry(e) for e in entries)
    directory = directory + _empty_entry() * (-len(entries) % (SECTOR // 128))
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header = (_SIGNATURE + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, MINI_CUTOFF,
                            minifat_start, n_minifat, ENDOFCHAIN, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    body = (b"".join(struct.pack("<I", v) for v in fat) + directory + minifat_bytes
            + mini_bytes + b"".join(_pad(e.data, SECTOR) for e in big))
    return header + body

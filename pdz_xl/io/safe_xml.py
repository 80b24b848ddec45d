"""Parse a package part with lxml, never expanding entities or reading a DTD.

No part of an Office package carries a document type declaration, so one is refused
(Italian error naming the file and the part): that is where external entities (XXE,
reading a local file into the workbook) and entity bombs ("billion laughs") are
declared. The parser itself neither resolves entities, nor loads DTDs, nor touches
the network, as a second line of defence.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import WorkbookReadError

_DOCTYPE_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                           dtd_validation=False, huge_tree=False)


def has_doctype(data: bytes) -> bool:
    """True when a DOCTYPE or ENTITY declaration appears before the root element."""
    head = data.lstrip()[:4096]
    pos = 0
    while True:
        lt = head.find(b"<", pos)
        if lt < 0 or head[lt + 1: lt + 2] not in (b"?", b"!"):
            break
        if _DOCTYPE_RE.match(head, lt):
            return True
        end = head.find(b">", lt)
        if end < 0:
            return bool(_DOCTYPE_RE.search(data, 0, 1 << 16))
        pos = end + 1
    return False


def refuse_doctype(data: bytes, part: str, file: str) -> None:
    """Raise the Italian error when ``part`` declares a DOCTYPE (see module doc)."""
    if has_doctype(data):
        raise WorkbookReadError(
            f"la parte «{part}» contiene una dichiarazione DOCTYPE/ENTITY, che nessun file "
            "Office contiene (può servire a leggere altri file o a gonfiare la memoria): "
            "non la leggo.", file=file)


def parse_part(data: bytes, part: str, file: str) -> etree._Element:
    """The parsed part; a DOCTYPE or malformed XML is an Italian error."""
    refuse_doctype(data, part, file)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise WorkbookReadError(f"il file è danneggiato: la parte «{part}» non è XML valido "
                                f"({exc}).", file=file) from None
    if root.getroottree().docinfo.doctype:
        refuse_doctype(b"<!DOCTYPE", part, file)
    return root

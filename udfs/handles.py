"""Budget handles: ``=PDZ_BUDGET(range)`` reads the budget once, the cells pass a short text.

Passing the whole budget range to every ``=PDZ_TOTAL(...)`` cell makes each call carry,
convert and compare tens of thousands of values. ``PDZ_BUDGET`` returns instead a handle,
a short readable text such as ``PDZ#1a2b3c4d: 149 righe``, and the family takes it in
place of the range: a call then carries a few bytes and looks the parsed budget up by key.

The key is content-addressed: a keyed BLAKE2b digest of the range's values, so the same
budget always gives the same handle in a process and any change gives a new one, which
makes Excel recalculate every cell that uses it (its dependency chain follows the handle
cell). The digest key is random per process, so a handle cannot be forged to read another
user's budget on a shared server, and a handle written by an earlier process (a reopened
workbook, a restarted Python) is unknown: it gives an Italian message in the cell asking
for a recalculation, never a stale answer.

Unlike xlwings' object handles (Excel entities, registered by the xlwings Server and Lite
runtimes) these are plain text: the same in the classic add-in, xlwings Server and Lite,
visible and copyable like any cell, and no licence or runtime feature is involved.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict

from pdz_xl.query import BudgetQuery, QueryError

PREFIX = "PDZ#"
SHORT = 8
"""Hex digits of the digest shown in a handle (more only when two budgets share them)."""
MAX_HANDLES = 16

_SECRET = os.urandom(16)


class UnknownHandle(QueryError):
    """A handle this process does not hold (or a text that is not a handle)."""


def is_handle(value: object) -> bool:
    """True for a text that looks like a budget handle."""
    return isinstance(value, str) and value.lstrip().startswith(PREFIX)


def content_digest(content: object) -> bytes:
    """The digest of a range's values (or of a workbook read, classic add-in).

    ``repr`` of lists of str/float/int/bool/None is exact and injective for the values a
    range holds (floats print their shortest round-trip form, 1 and 1.0 and True differ)."""
    return hashlib.blake2b(repr(content).encode("utf-8", "surrogatepass"), key=_SECRET,
                           digest_size=16).digest()


class HandleRegistry:
    """Parsed budgets by handle key; the least recently used are forgotten first."""

    def __init__(self, max_entries: int = MAX_HANDLES) -> None:
        self.max_entries = max_entries
        self._by_key: OrderedDict[str, tuple[bytes, BudgetQuery]] = OrderedDict()
        self._key_of: dict[bytes, str] = {}
        self._key_of_query: dict[int, str] = {}  # id of a held query -> its key

    def key_for(self, digest: bytes) -> str | None:
        """The key already given to ``digest``, if it is still held."""
        key = self._key_of.get(digest)
        if key is not None:
            self._by_key.move_to_end(key)
        return key

    def key_of(self, query: BudgetQuery) -> str | None:
        """The key a parsed budget was registered under, if it is still held."""
        key = self._key_of_query.get(id(query))
        if key is not None:
            self._by_key.move_to_end(key)
        return key

    def register(self, digest: bytes, query: BudgetQuery) -> str:
        """The key of ``digest`` (new or already given), holding ``query``."""
        key = self.key_for(digest)
        if key is not None:
            return key
        full = digest.hex()
        size = SHORT
        while full[:size] in self._by_key:  # another budget shares the short form
            size += 2
        key = full[:size]
        self._by_key[key] = (digest, query)
        self._key_of[digest] = key
        self._key_of_query[id(query)] = key
        while len(self._by_key) > self.max_entries:
            old, (old_digest, old_query) = self._by_key.popitem(last=False)
            self._key_of.pop(old_digest, None)
            if self._key_of_query.get(id(old_query)) == old:
                del self._key_of_query[id(old_query)]
        return key

    def resolve(self, text: str) -> BudgetQuery:
        """The parsed budget a handle names; :class:`UnknownHandle` (Italian) otherwise."""
        return self.lookup(text)[1]

    def lookup(self, text: str) -> tuple[str, BudgetQuery]:
        """The key and the parsed budget a handle names (see :meth:`resolve`)."""
        key = text.strip()[len(PREFIX):].split(":", 1)[0].strip().lower()
        entry = self._by_key.get(key)
        if entry is None:
            if not key or any(ch not in "0123456789abcdef" for ch in key):
                raise UnknownHandle(f"«{text.strip()}» non è un budget di PDZ_BUDGET: "
                                    f"passare la cella con =PDZ_BUDGET(intervallo) oppure "
                                    f"l'intervallo del budget.")
            raise UnknownHandle(f"il budget «{PREFIX}{key}» non è più in memoria (Python "
                                f"riavviato o budget cambiato da allora): ricalcolare la "
                                f"cartella (Ctrl+Alt+F9) perché PDZ_BUDGET lo rilegga.")
        self._by_key.move_to_end(key)
        return key, entry[1]

    def clear(self) -> None:
        """Forget every handle."""
        self._by_key.clear()
        self._key_of.clear()
        self._key_of_query.clear()

    def __len__(self) -> int:
        return len(self._by_key)


def handle_text(key: str, query: BudgetQuery) -> str:
    """What the PDZ_BUDGET cell shows: the key and how many lines were read."""
    n = len(query.plan.lines)
    return f"{PREFIX}{key}: {n} {'riga' if n == 1 else 'righe'}"


handles = HandleRegistry()
"""The process-wide registry the worksheet functions use."""

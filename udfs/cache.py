"""Read and parse a budget once, however many cells ask about it.

Worksheet functions receive the whole budget range on every call (xlwings Lite) or read
the calling workbook (classic add-in). Detecting the plan costs far more than answering a
question, so the parsed :class:`~pdz_xl.query.BudgetQuery` is kept, keyed on the content:
the values handed over are compared with those of the cached entries, so any change to
any cell gives a fresh parse and an unchanged budget never parses twice.

Comparison is exact and linear (one C-level pass over the values, about 1.5 ms for 60,000
cells); a hash would cost the same pass plus the hashing, and could collide.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pdz_xl.query import BudgetQuery

MAX_ENTRIES = 8


class ContentCache:
    """A small LRU of parsed budgets keyed on their content (shape, then values)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[int, tuple[Any, BudgetQuery]] = OrderedDict()
        self._next = 0
        self.hits = 0
        self.misses = 0

    def get(self, content: Any, build: Callable[[], BudgetQuery]) -> BudgetQuery:
        """The query for ``content`` (list of rows, or any comparable value)."""
        for key, (cached, query) in reversed(self._entries.items()):
            if _same(cached, content):
                self._entries.move_to_end(key)
                self.hits += 1
                return query
        self.misses += 1
        query = build()
        self._entries[self._next] = (content, query)
        self._next += 1
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return query

    def clear(self) -> None:
        """Forget every parsed budget."""
        self._entries.clear()


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)) and len(a) != len(b):
        return False
    try:
        return bool(a == b)
    except Exception:  # values a client may send that refuse comparison
        return False


budgets = ContentCache()
"""The process-wide cache the worksheet functions use."""

"""Pause Python's cyclic garbage collector around allocation-heavy, cycle-free work.

Reading, detecting and validating a budget allocate a few objects per cell and per row and
create no reference cycles, so the cyclic collector has nothing to free and only walks
them: on the 10,000-line benchmark its passes were about a quarter of the run. When the
block ends, what it allocated is moved to the oldest generation unscanned
(``gc.freeze()`` then ``gc.unfreeze()``): otherwise the first young collection after the
pause walks every object of the block, and the next ones walk the Plan again each time it
survives a generation. Those objects are still collected by a full collection when they
become garbage. The previous state is restored, so a caller that had paused the collector
keeps it paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (restored afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # the block's objects: to the oldest generation, not walked now
            gc.unfreeze()
            gc.enable()

"""Load a budget workbook from disk into a Plan (read + detect)."""

from __future__ import annotations

from pathlib import Path

from ..channels.catalog import Catalog
from ..layout.detect import detect_plan
from ..plan import Plan
from .xlsx_reader import read_workbook


def load_plan(path: str | Path, catalog: Catalog | None = None) -> Plan:
    """Read an xlsx/xlsm file and detect its Plan (raises PdzError subclasses, in Italian)."""
    return detect_plan(read_workbook(path), catalog)

"""Explicit mapping in the workbook: the ``_pdz`` sheet and ``PDZ_*`` defined names.

Where detection is ambiguous or wrong, the user writes key/value rows in a sheet named
``_pdz`` (column A the key, column B the value):

- ``anno_piano`` / ``anno_confronto``: the plan year and the comparison year;
- ``fogli``: the sheets holding cost tables (``;``-separated), ``ignora_fogli`` likewise;
- ``intestazione``: header rows as ``Foglio!5`` (``;``-separated) — only those rows are
  headers on those sheets;
- ``colonna <testo intestazione>``: the channel code of an unknown column header;
- ``tolleranza``: the rounding tolerance in euro (``0,05``).

Defined names ``PDZ_ANNO_PIANO``, ``PDZ_ANNO_CONFRONTO``, ``PDZ_TOLLERANZA`` holding a
constant are read too. The ``_pdz`` sheet wins over names, names over detection.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from ..channels.catalog import normalise_label
from ..grid import WorkbookGrid
from ..money import AmountError, parse_amount

CONFIG_SHEET = "_pdz"
OWNED_SHEETS = frozenset(
    s.casefold() for s in
    ["_pdz", "_pdz_segni", "Controlli PDZ", "Triennale PDZ", "Regole PDZ", "Proiezioni PDZ",
     "Canali PDZ"]
)


class LayoutConfig(BaseModel):
    """What the workbook says explicitly about its own layout."""

    plan_year: int | None = None
    comparison_year: int | None = None
    sheets: list[str] = Field(default_factory=list)
    ignore_sheets: list[str] = Field(default_factory=list)
    header_rows: dict[str, list[int]] = Field(default_factory=dict)  # sheet -> rows
    column_channels: dict[str, str] = Field(default_factory=dict)  # normalised header -> code
    tolerance_cents: int | None = None
    source: str | None = None  # "_pdz", "nomi definiti"


def _split_list(value: object) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", str(value or "")) if p.strip()]


def _year(value: object) -> int | None:
    try:
        y = int(float(str(value).strip().replace(",", ".")))
    except ValueError:
        return None
    return y if 1990 <= y <= 2100 else None


def _tolerance(value: object) -> int | None:
    try:
        cents = parse_amount(value)
    except AmountError:
        return None
    return abs(cents) if cents is not None else None


def read_config(grid: WorkbookGrid) -> LayoutConfig:
    """Collect the explicit mapping from defined names and the ``_pdz`` sheet."""
    cfg = LayoutConfig()
    names = {k.upper(): v for k, v in grid.defined_names.items()}
    if "PDZ_ANNO_PIANO" in names:
        cfg.plan_year = _year(names["PDZ_ANNO_PIANO"].lstrip("="))
        cfg.source = "nomi definiti"
    if "PDZ_ANNO_CONFRONTO" in names:
        cfg.comparison_year = _year(names["PDZ_ANNO_CONFRONTO"].lstrip("="))
    if "PDZ_TOLLERANZA" in names:
        cfg.tolerance_cents = _tolerance(names["PDZ_TOLLERANZA"].lstrip("="))
    sheet = grid.sheet(CONFIG_SHEET)
    if sheet is None:
        return cfg
    cfg.source = CONFIG_SHEET
    for _, cells in sheet.iter_rows():
        key_cell, val_cell = cells.get(1), cells.get(2)
        if key_cell is None or not isinstance(key_cell.value, str):
            continue
        key = normalise_label(key_cell.value)
        value = val_cell.value if val_cell else None
        if key == "anno piano":
            cfg.plan_year = _year(value) or cfg.plan_year
        elif key == "anno confronto":
            cfg.comparison_year = _year(value) or cfg.comparison_year
        elif key == "fogli":
            cfg.sheets = _split_list(value)
        elif key == "ignora fogli":
            cfg.ignore_sheets = _split_list(value)
        elif key == "intestazione":
            for item in _split_list(value):
                name, _, row = item.rpartition("!")
                if name and row.strip().isdigit():
                    cfg.header_rows.setdefault(name.strip("'").casefold(), []).append(
                        int(row))
        elif key.startswith("colonna ") and value:
            header = normalise_label(key_cell.value.split(" ", 1)[1])
            cfg.column_channels[header] = str(value).strip().upper()
        elif key == "tolleranza":
            cfg.tolerance_cents = _tolerance(value)
    return cfg

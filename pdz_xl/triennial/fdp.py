"""Export the triennial plan as a Fiscal Data Package (OpenSpending's format).

One CSV, one row per cost group and per revenue channel, one amount column per direction
and year (``spesa_2018`` ... ``entrata_2020``; the other direction's columns are blank), and
``datapackage.json``: a Tabular Data Package whose ``model`` declares each amount column as
a measure with currency EUR, its direction (expenditure / revenue), phase ``proposed`` and
its fiscal year (``fiscalPeriod``), plus dimensions for the item and the direction.

About ``profile``: the Fiscal Data Package JSON Schema extends the Tabular Data Package
one, whose ``profile`` must be ``tabular-data-package``; a descriptor saying
``fiscal-data-package`` would break that inherited rule, so the package says
``tabular-data-package`` and is a fiscal data package by its ``model``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from ..money import to_decimal_str
from .model import Triennial

CSV_NAME = "piano-triennale.csv"
DESCRIPTOR = "datapackage.json"
_DIRECTIONS = (("spesa", "expenditure"), ("entrata", "revenue"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "piano-triennale"


def measure_columns(data: Triennial) -> list[tuple[str, str, int]]:
    """(column, direction, year) for every amount column."""
    return [(f"{prefix}_{year}", direction, year) for prefix, direction in _DIRECTIONS
            for year in data.years]


def export_fdp(data: Triennial, folder: Path, title: str, *, name: str | None = None,
               country: str = "IT") -> Path:
    """Write the CSV and ``datapackage.json`` into ``folder``; returns the descriptor."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = measure_columns(data)
    with (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["direzione", "codice", "voce", *(c for c, _d, _y in columns)])
        for direction, rows in (("expenditure", data.costs), ("revenue", data.revenues)):
            for r in rows:
                amounts = dict(zip(data.years, r.years, strict=True))
                w.writerow([direction, r.key, r.label,
                            *(to_decimal_str(amounts[y]) if d == direction else ""
                              for _c, d, y in columns)])
    fields = [
        {"name": "direzione", "type": "string", "title": "Direzione",
         "constraints": {"required": True, "enum": ["expenditure", "revenue"]}},
        {"name": "codice", "type": "string", "title": "Codice del gruppo o del canale",
         "constraints": {"required": True}},
        {"name": "voce", "type": "string", "title": "Voce"},
        *({"name": c, "type": "number", "title": f"{'Spesa' if d == 'expenditure' else 'Entrata'}"
           f" {y} (EUR)", "decimalChar": ".", "bareNumber": True} for c, d, y in columns),
    ]
    descriptor = {
        "profile": "tabular-data-package",
        "name": _slug(name or title),
        "title": title,
        "countryCode": country,
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{data.years[0]}-01-01", "end": f"{data.years[-1]}-12-31"},
        "resources": [{
            "name": "piano-triennale", "path": CSV_NAME, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": ["direzione", "codice"]},
        }],
        "model": {
            "measures": {c: {"source": c, "resource": "piano-triennale", "currency": "EUR",
                             "direction": d, "phase": "proposed",
                             "fiscalPeriod": {"start": f"{y}-01-01", "end": f"{y}-12-31"}}
                         for c, d, y in columns},
            "dimensions": {
                "direzione": {"attributes": {"direzione": {"source": "direzione"}},
                              "primaryKey": "direzione", "dimensionType": "classification"},
                "voce": {"attributes": {"codice": {"source": "codice"},
                                        "voce": {"source": "voce", "labelfor": "codice"}},
                         "primaryKey": "codice", "dimensionType": "classification",
                         "classificationType": "functional"},
            },
        },
    }
    path = folder / DESCRIPTOR
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path

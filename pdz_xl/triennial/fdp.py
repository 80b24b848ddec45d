"""Export the triennial plan as a Fiscal Data Package (OpenSpending's format): a CSV with
one row per item, direction and fiscal year, and ``datapackage.json`` describing it (a
tabular data package whose ``model`` names the measure in EUR, the direction
expenditure/revenue, the phase ``proposed`` and the fiscal period of each row)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ..money import to_decimal_str
from .build import Triennial

CSV_NAME = "piano-triennale.csv"
FIELDS = ["direzione", "voce", "codice", "anno", "fase", "importo"]


def export_fdp(data: Triennial, folder: Path, title: str) -> Path:
    """Write the CSV and ``datapackage.json`` into ``folder``; returns the descriptor path."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        for direction, rows in (("expenditure", data.costs), ("revenue", data.revenues)):
            for r in rows:
                for year, amount in zip(data.years, r.years, strict=True):
                    w.writerow([direction, r.label, r.key, year, "proposed",
                                to_decimal_str(amount)])
    descriptor = {
        "profile": "tabular-data-package",
        "name": "pdz-piano-triennale",
        "title": title,
        "resources": [{
            "name": "piano-triennale", "path": CSV_NAME, "profile": "tabular-data-resource",
            "format": "csv", "encoding": "utf-8",
            "schema": {"fields": [
                {"name": "direzione", "type": "string",
                 "constraints": {"enum": ["expenditure", "revenue"]}},
                {"name": "voce", "type": "string"},
                {"name": "codice", "type": "string"},
                {"name": "anno", "type": "year"},
                {"name": "fase", "type": "string", "constraints": {"enum": ["proposed"]}},
                {"name": "importo", "type": "number", "decimalChar": ".",
                 "bareNumber": True}]},
        }],
        "model": {
            "measures": {"importo": {"source": "importo", "currency": "EUR"}},
            "dimensions": {
                "direction": {"attributes": {"direzione": {"source": "direzione"}},
                              "primaryKey": "direzione", "dimensionType": "classification"},
                "item": {"attributes": {"codice": {"source": "codice"},
                                        "voce": {"source": "voce"}},
                         "primaryKey": "codice", "dimensionType": "classification"},
                "date": {"attributes": {"anno": {"source": "anno"}}, "primaryKey": "anno",
                         "dimensionType": "datetime"},
                "phase": {"attributes": {"fase": {"source": "fase"}}, "primaryKey": "fase",
                          "dimensionType": "other"},
            },
        },
        "fiscalPeriod": {"start": f"{data.years[0]}-01-01", "end": f"{data.years[2]}-12-31"},
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path

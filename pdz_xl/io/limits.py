"""Limits on what reading a workbook may cost, each one raisable by an environment variable.

A workbook is a ZIP of XML parts: a few kilobytes can inflate to gigabytes, a sheet can
name a cell at the far corner of the grid, a part can hold millions of formulas. Reading
stops at these limits with an Italian message naming the file, the limit and the variable
that raises it (README, «Limiti di lettura»). The defaults are far above any real
Piano di Zona workbook (the largest samples are a few megabytes of XML).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import WorkbookReadError

_MB = 1 << 20


@dataclass(frozen=True)
class Limit:
    """One limit: its variable, default, unit (for the message) and scale (MB -> bytes)."""

    env: str
    default: int
    what: str
    unit: str = ""
    scale: int = 1

    def value(self) -> int:
        """The limit in its base unit (bytes, cells, characters...), as set now."""
        raw = os.environ.get(self.env, "").strip()
        try:
            number = int(raw) if raw else self.default
        except ValueError:
            number = self.default
        return max(number, 1) * self.scale

    def refuse(self, file: str, found: str, sheet: str | None = None) -> WorkbookReadError:
        """The Italian error for going past it."""
        shown = self.value() // self.scale
        return WorkbookReadError(
            f"{self.what} ({found}) supera il limite di {shown:,}{self.unit}".replace(",", ".")
            + f": se il file è affidabile, alzarlo con la variabile d'ambiente {self.env}.",
            file=file, sheet=sheet)


PART_SIZE = Limit("PDZ_XL_MAX_PARTE_MB", 100, "una parte del pacchetto decompressa",
                  " MB", _MB)
TOTAL_SIZE = Limit("PDZ_XL_MAX_TOTALE_MB", 200, "il pacchetto decompresso", " MB", _MB)
ENTRIES = Limit("PDZ_XL_MAX_VOCI", 10_000, "il numero di voci del pacchetto", " voci")
RATIO = Limit("PDZ_XL_MAX_RAPPORTO", 500, "il rapporto di compressione di una parte",
              ":1")
GRID_CELLS = Limit("PDZ_XL_MAX_CELLE", 4_000_000,
                   "l'area del foglio (righe × colonne, letta in forma densa)", " celle")
STRING_CHARS = Limit("PDZ_XL_MAX_STRINGA", 100_000, "la lunghezza di un testo",
                     " caratteri")
FORMULAS = Limit("PDZ_XL_MAX_FORMULE", 500_000, "il numero di formule", " formule")

RATIO_FROM = 1 * _MB
"""The compression ratio is checked on parts that inflate past this size only."""

ALL = (PART_SIZE, TOTAL_SIZE, ENTRIES, RATIO, GRID_CELLS, STRING_CHARS, FORMULAS)


def mb(n: int) -> str:
    """Bytes as megabytes for a message (``"120 MB"``)."""
    return f"{n / _MB:.0f} MB"

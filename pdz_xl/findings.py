"""Findings: what validation (and reading) reports, modelled on linters."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .money import Cents, to_decimal_str

Severity = Literal["errore", "avviso"]


class Fix(BaseModel):
    """A safe fix: write ``value`` (or ``formula``) into ``cell``."""

    cell: str
    description: str
    value: str | None = None  # decimal string
    formula: str | None = None


class Finding(BaseModel):
    """One problem found, pointing at a cell."""

    code: str  # stable rule code, e.g. PDZ101
    rule: str  # short rule name, e.g. "riga-ripartizione"
    family: str  # rule family, e.g. "righe", "totali", "riepiloghi", "canali"
    severity: Severity
    category: str  # e.g. "errore", "arrotondamento", "lettura"
    cell: str | None  # "Sheet!F12"
    message: str  # Italian, with the amounts involved
    path: list[str] = Field(default_factory=list)
    difference: Cents | None = None  # stated - expected, when an amount is off
    expected: Cents | None = None
    found: Cents | None = None
    related_cells: list[str] = Field(default_factory=list)
    fix: Fix | None = None
    visto: str | None = None  # marked «visto» in «Controlli PDZ»: the reason ("" if none)

    def to_json_dict(self) -> dict:
        """The stable machine view: amounts as decimal strings."""
        d = self.model_dump(exclude={"difference", "expected", "found"})
        for key in ("difference", "expected", "found"):
            v = getattr(self, key)
            d[key] = None if v is None else to_decimal_str(v)
        return d

"""The oracle data in ../shared/data, as records comparable with a Plan."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pdz_xl.money import from_decimal_str

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PDZ_SHARED_DATA", REPO.parent / "shared" / "data"))
CHANNELS_2021 = ["FNPS", "FSOL", "FSR", "COMUNI", "ATS", "AVANZO_VINCOLATO",
                 "AVANZO_NON_VINCOLATO", "ALTRI_FONDI_PROGETTUALI"]

@dataclass(frozen=True)
class OracleLine:
    """What a line must read to: path, voce, amounts by year, channel split."""

    path: tuple[str, ...]
    voce: str
    amounts: tuple[tuple[int, int | None], ...]
    channels: tuple[tuple[str, int | None], ...]


def rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV in ../shared/data."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def cents(text: str) -> int | None:
    """A CSV amount: empty -> None."""
    return from_decimal_str(text) if text.strip() else None


def lines_2021() -> list[OracleLine]:
    out = []
    for r in rows("pp2021_lines.csv"):
        path = tuple(p for p in (r["area"], r["servizio"], r["azione"]) if p)
        cols = r["colonne_canali_della_tabella"].split("|")
        out.append(OracleLine(
            path=path, voce=r["voce"],
            amounts=((2020, cents(r["budget_2020"])), (2021, cents(r["budget_2021"]))),
            channels=tuple(sorted((c, cents(r[c])) for c in cols)),
        ))
    return out


def lines_2018() -> list[OracleLine]:
    return [OracleLine(path=(r["obiettivo"], r["azione"]), voce=r["voce"],
                       amounts=((2018, cents(r["importo_2018"])),), channels=())
            for r in rows("po2018_lines.csv")]


def plan_lines(plan) -> list[OracleLine]:
    """The Plan's lines in the same shape as the oracle."""
    return [OracleLine(path=tuple(ln.path), voce=ln.voce,
                       amounts=tuple(sorted(ln.amounts.items())),
                       channels=tuple(sorted(ln.channels.items())))
            for ln in plan.lines]


def decimal_sum(values) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))

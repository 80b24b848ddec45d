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

# The CSV misses one line the source document has (seeds/piano_operativo_2018.txt,
# obiettivo 10): the sample workbook carries it; TOTALE OBIETTIVO 10 confirms it.
ERRATA_2018 = {
    "after": ("MISURE DISTRETTUALI E REGIONALI", "Azione 5: PRO-VI", "Provi"),
    "line": {"obiettivo_n": "10", "obiettivo": "MISURE DISTRETTUALI E REGIONALI",
             "azione": "Azione 6: Sportello badanti",
             "voce": "Azione di supporto alla domiciliarità", "importo_2018": "10000.00"},
}


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


def lines_2018(with_errata: bool = True) -> list[OracleLine]:
    src = rows("po2018_lines.csv")
    if with_errata:
        obiettivo, azione, voce = ERRATA_2018["after"]
        idx = next(i for i, r in enumerate(src)
                   if (r["obiettivo"], r["azione"], r["voce"]) == (obiettivo, azione, voce))
        src.insert(idx + 1, dict(ERRATA_2018["line"]))
    return [OracleLine(path=(r["obiettivo"], r["azione"]), voce=r["voce"],
                       amounts=((2018, cents(r["importo_2018"])),), channels=())
            for r in src]


def plan_lines(plan) -> list[OracleLine]:
    """The Plan's lines in the same shape as the oracle."""
    return [OracleLine(path=tuple(ln.path), voce=ln.voce,
                       amounts=tuple(sorted(ln.amounts.items())),
                       channels=tuple(sorted(ln.channels.items())))
            for ln in plan.lines]


def decimal_sum(values) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))

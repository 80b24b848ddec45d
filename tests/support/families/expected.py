"""What a correct reader must find in a generated workbook, and where the generator wrote it.

``Expected`` is the reading (the public contract of the generator); ``Manifest`` is the
generator's own account of the cells it wrote, which the openpyxl self-check
(:mod:`.selfcheck`) holds against the file and against the oracle CSVs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..oracles import OracleLine

CellRef = tuple[str, int, int]  # sheet, row, column (0-based)


@dataclass(frozen=True)
class ExpectedTotal:
    """A stated total: the path of the group it closes (() for a grand total), year, cents."""

    path: tuple[str, ...]
    year: int
    cents: int


@dataclass(frozen=True)
class ExpectedFinding:
    """A validation finding as (code, Finding.found, Finding.expected), in cents."""

    code: str
    found: int | None
    expected: int | None


@dataclass
class Expected:
    """The reading a correct reader must produce from one generated workbook."""

    plan_year: int
    comparison_year: int | None
    lines: list[OracleLine]  # in reading order
    totals: list[ExpectedTotal]  # every stated total the reader must report (multiset)
    findings: list[ExpectedFinding]  # severity errore + category arrotondamento + PDZ403
    note_codes: set[str]  # reading-note codes the layout legitimately raises
    channels_blank_omitted: bool = False  # long tables: compare channels ignoring None
    revenues: list[tuple[str | None, int | None]] | None = None
    """(channel fed, cents) of the revenue table's items (kind «item»), in order."""


@dataclass
class LineCells:
    """Where one oracle line was written: its label and every cell of each amount."""

    voce: list[CellRef] = field(default_factory=list)
    years: dict[int, list[CellRef]] = field(default_factory=dict)
    channels: dict[str, list[CellRef]] = field(default_factory=dict)


@dataclass
class TotalCell:
    """A total row's amount cell: what it must hold and whether it is a document slip."""

    total: ExpectedTotal
    cell: CellRef
    slip: bool  # typed because the document's number differs from its lines' sum
    formula: bool  # written as a formula (with a cached value)


@dataclass
class Manifest:
    """The generator's account of what it wrote where."""

    dataset: str
    lines: list[LineCells] = field(default_factory=list)  # oracle order (the CSV rows)
    totals: list[TotalCell] = field(default_factory=list)
    text_amounts: dict[CellRef, int] = field(default_factory=dict)  # «€ 1.234,56» -> cents
    revenue: list[tuple[CellRef, int | None]] = field(default_factory=list)
    hidden_rows: set[tuple[str, int]] = field(default_factory=set)
    outline: dict[tuple[str, int], int] = field(default_factory=dict)  # row -> level (> 0)
    indents: dict[CellRef, int] = field(default_factory=dict)
    oracle_paths: bool = True  # the family writes the oracle's group texts


@dataclass
class Generated:
    """A built workbook: the reading it must give and the generator's account of it."""

    expected: Expected
    manifest: Manifest

"""The Plan: what layout detection finds in a budget workbook, with provenance.

Every amount is integer cents and keeps the cell it came from (``Sheet!C12``) so that
analyses can point at cells. Identity is position (``id``), never the label: real
plans repeat labels ("Consulenze" twice in one azione).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer, PrivateAttr

from .cells import as_dict
from .money import Cents, to_decimal_str

GroupLevel = Literal["area", "obiettivo", "servizio", "azione"]
TotalLevel = Literal["azione", "servizio", "area", "obiettivo", "table", "grand"]
# A line's cells by year or by channel: a dict, or the table-shared
# :class:`~pdz_xl.cells.RowCells` of a wide table's line (dumped as the same dict).
YearCells = Annotated[dict[int, str], PlainSerializer(as_dict, return_type=dict[int, str])]
KeyCells = Annotated[dict[str, str], PlainSerializer(as_dict, return_type=dict[str, str])]


class Group(BaseModel):
    """One level of the group path of a line (e.g. the azione it belongs to)."""

    level: GroupLevel
    label: str  # the label without its numbering prefix ("CARTELLA SOCIALE")
    number: int | None = None  # "OBIETTIVO 1: ..." / "Azione 3: ..." -> 1 / 3
    text: str | None = None  # the cell text as written ("Azione 1: Sistema cartella sociale")
    cell: str | None = None  # where the label was read, when it was read from a cell


class ChannelColumn(BaseModel):
    """A funding-channel column of one table."""

    code: str  # canonical channel code, or "?" + header text when unknown
    header: str  # the header text as written
    col: int
    year: int | None = None  # year suffix parsed from the header ("FSOL 2021")
    known: bool = True


class Table(BaseModel):
    """A detected cost table: its header row and what each column holds."""

    index: int  # 1-based, in reading order
    sheet: str
    header_row: int
    first_row: int
    last_row: int
    label_col: int
    year_cols: dict[int, int]  # year -> column
    channel_cols: list[ChannelColumn] = Field(default_factory=list)
    title: str | None = None  # the text in the header's label cell (e.g. a servizio)
    header_rows: list[int] = Field(default_factory=list)  # every header row, top to bottom
    first_col: int | None = None
    last_col: int | None = None
    shape: Literal["larga", "lunga"] = "larga"  # lunga: a row per line and channel
    other_cols: dict[str, int] = Field(default_factory=dict)  # «preventivo_2020» -> column


class Line(BaseModel):
    """A cost line (voce) with its amounts per year and its channel split."""

    id: int
    cell: str  # Sheet!A12, the cell of its label
    sheet: str
    row: int
    table: int
    path: list[str]
    groups: list[Group]
    voce: str
    amounts: dict[int, Cents | None]  # year -> cents (None: the cell is blank)
    amount_cells: YearCells
    channels: dict[str, Cents | None] = Field(default_factory=dict)  # code -> cents
    channel_cells: KeyCells = Field(default_factory=dict)
    hidden: bool = False
    other_amounts: dict[str, Cents | None] = Field(default_factory=dict)  # «preventivo_2020»
    other_cells: KeyCells = Field(default_factory=dict)
    rows: list[int] = Field(default_factory=list)  # long tables: every row of the line

    def amount(self, year: int) -> Cents:
        """The amount of a year, blank counted as zero."""
        return self.amounts.get(year) or 0

    def group(self, level: GroupLevel) -> str | None:
        """The label of the group at ``level`` on this line's path, if any."""
        for g in self.groups:
            if g.level == level:
                return g.label
        return None

    def split_total(self) -> Cents:
        """Sum of the channel split (blank counted as zero)."""
        return sum(v or 0 for v in self.channels.values())

    def has_split(self) -> bool:
        """True when any channel cell holds a number (zero included)."""
        return any(v is not None for v in self.channels.values())


class StatedTotal(BaseModel):
    """A ``TOTALE ...`` row as written, with what it totals."""

    id: int
    cell: str  # the label cell
    sheet: str
    row: int
    label: str
    level: TotalLevel
    path: list[str]  # the group it closes, outermost first
    line_ids: list[int]  # the lines it should total
    amounts: dict[int, Cents | None]
    amount_cells: dict[int, str]
    formulas: dict[int, str | None] = Field(default_factory=dict)  # year -> formula text
    channels: dict[str, Cents | None] = Field(default_factory=dict)
    channel_cells: dict[str, str] = Field(default_factory=dict)
    table: int | None = None


RevenueKind = Literal["item", "subtotal", "total", "deduction", "net_total"]


class RevenueItem(BaseModel):
    """A row of the revenue table ("Canali di finanziamento")."""

    id: int
    cell: str
    sheet: str
    row: int
    label: str
    kind: RevenueKind
    channel: str | None = None  # canonical channel column it feeds
    source: str | None = None  # canonical catalog code of the item itself
    amount: Cents | None
    amount_cell: str
    formula: str | None = None
    restricted: bool = False
    amounts: dict[int, Cents | None] = Field(default_factory=dict)  # multi-year tables
    amount_cells: dict[int, str] = Field(default_factory=dict)
    covers: list[int] = Field(default_factory=list)  # ids of the rows a (sub)total adds up
    deducts: list[int] = Field(default_factory=list)  # ids a net total subtracts


SummaryKind = Literal["triennale_costi", "triennale_canali", "pluriennale", "confronto",
                      "riepilogo"]


class SummaryRow(BaseModel):
    """A row of a summary table."""

    cell: str
    row: int
    label: str
    is_total: bool = False
    values: dict[str, Cents | None]  # column key -> cents
    value_cells: dict[str, str]
    formulas: dict[str, str | None] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)  # text found in an amount cell
    group_key: str | None = None  # the group or channel it refers to (normalised)


class SummaryTable(BaseModel):
    """A summary table: triennial costs/revenues, pluriennale, confronto."""

    kind: SummaryKind
    sheet: str
    header_row: int
    title: str | None = None
    columns: list[str]  # column keys, e.g. ["2018", "2019", "2020", "triennio"]
    column_cells: dict[str, str] = Field(default_factory=dict)
    rows: list[SummaryRow]


class ReadNote(BaseModel):
    """What the reader met and how it handled it (becomes a finding when it matters)."""

    code: str
    severity: Literal["errore", "avviso", "info"]
    cell: str | None
    message: str
    value: str | None = None


class Plan(BaseModel):
    """A budget workbook as the analyses see it."""

    source: str
    plan_year: int
    comparison_year: int | None = None
    years: list[int]
    tables: list[Table] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    totals: list[StatedTotal] = Field(default_factory=list)
    revenues: list[RevenueItem] = Field(default_factory=list)
    revenue_years: list[int] = Field(default_factory=list)
    summaries: list[SummaryTable] = Field(default_factory=list)
    channel_codes: list[str] = Field(default_factory=list)  # channel columns, in order
    notes: list[ReadNote] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    config_source: str | None = None  # "_pdz" sheet, defined names, or None (detected)
    tolerance_cents: int | None = None  # rounding tolerance stated in the workbook
    ambiguities: list[str] = Field(default_factory=list)  # readings the workbook leaves open
    _layout: object = PrivateAttr(default=None)  # the WorkbookLayout it was read with

    @property
    def layout(self):
        """The layout inferred or stated (``pdz_xl.layout.model.WorkbookLayout``), if any."""
        return self._layout

    def line(self, line_id: int) -> Line:
        """The line with this id."""
        return self.lines[line_id]

    def summary(self, kind: SummaryKind) -> SummaryTable | None:
        """The first summary table of a kind, if present."""
        return next((s for s in self.summaries if s.kind == kind), None)

    def to_json_dict(self) -> dict:
        """The stable machine view (``pdz-xl leggi --json``): amounts as decimal strings."""
        return plan_to_json(self)


_FIELDS_SETS: dict[tuple[type, tuple[str, ...]], set[str]] = {}


def construct(model: type[BaseModel], **fields):
    """Build a model without validation, for hot paths that pass every field correctly
    typed (like ``model_construct`` but without its per-field bookkeeping)."""
    obj = model.__new__(model)
    object.__setattr__(obj, "__dict__", fields)
    names = tuple(fields)
    fields_set = _FIELDS_SETS.get((model, names))
    if fields_set is None:  # one set per model and field list, shared (700 bytes a line)
        fields_set = _FIELDS_SETS[(model, names)] = set(names)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _money(v: Cents | None) -> str | None:
    return None if v is None else to_decimal_str(v)


def _money_map(d: dict) -> dict:
    return {str(k): _money(v) for k, v in d.items()}


def plan_to_json(plan: Plan) -> dict:
    """Plan -> JSON-ready dict with the stable field names of the CLI contract."""
    return {
        "source": plan.source,
        "plan_year": plan.plan_year,
        "comparison_year": plan.comparison_year,
        "years": plan.years,
        "channel_codes": plan.channel_codes,
        "lines": [
            {
                "id": ln.id,
                "cell": ln.cell,
                "table": ln.table,
                "path": ln.path,
                "voce": ln.voce,
                "amounts": _money_map(ln.amounts),
                "amount_cells": {str(k): v for k, v in ln.amount_cells.items()},
                "channels": _money_map(ln.channels),
                "channel_cells": as_dict(ln.channel_cells),
                "hidden": ln.hidden,
                **({"other_amounts": _money_map(ln.other_amounts),
                    "other_cells": as_dict(ln.other_cells)} if ln.other_amounts else {}),
            }
            for ln in plan.lines
        ],
        "totals": [
            {
                "cell": t.cell,
                "label": t.label,
                "level": t.level,
                "path": t.path,
                "amounts": _money_map(t.amounts),
                "amount_cells": {str(k): v for k, v in t.amount_cells.items()},
                "formulas": {str(k): v for k, v in t.formulas.items()},
                "lines": t.line_ids,
            }
            for t in plan.totals
        ],
        "revenues": [
            {
                "cell": r.cell,
                "label": r.label,
                "kind": r.kind,
                "channel": r.channel,
                "source": r.source,
                "amount": _money(r.amount),
                "amount_cell": r.amount_cell,
                "amounts": _money_map(r.amounts),
                "restricted": r.restricted,
            }
            for r in plan.revenues
        ],
        "summaries": [
            {
                "kind": s.kind,
                "sheet": s.sheet,
                "title": s.title,
                "columns": s.columns,
                "rows": [
                    {
                        "cell": r.cell,
                        "label": r.label,
                        "is_total": r.is_total,
                        "values": _money_map(r.values),
                        "notes": r.notes,
                    }
                    for r in s.rows
                ],
            }
            for s in plan.summaries
        ],
        "notes": [n.model_dump() for n in plan.notes],
        "assumptions": plan.assumptions,
        "ambiguities": plan.ambiguities,
    }

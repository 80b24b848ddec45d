"""The layout of a workbook as data: what inference decides and a user can state.

Inference (:mod:`.infer`) fills these records from the grid; the ``_pdz`` sheet can state
any part of them (:mod:`.config`); the reader (:mod:`.execute`) only executes them.
Records are plain slotted dataclasses: a 10,000-line sheet has 10,000 row roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SURE_STATED = "indicata"  # stated in «_pdz»
SURE_HIGH = "alta"
SURE_MEDIUM = "media"
SURE_LOW = "bassa"

# table kinds, as the ``_pdz`` sheet writes them
KIND_COST = "costi"
KIND_REVENUE = "entrate"
KIND_REVENUE_MULTI = "entrate pluriennali"
KIND_TRIENNIAL = "triennale"
KIND_PLURIENNALE = "pluriennale"
KIND_CONFRONTO = "confronto"
KIND_SUMMARY = "riepilogo"
KIND_IGNORE = "ignora"
TABLE_KINDS = (KIND_COST, KIND_REVENUE, KIND_REVENUE_MULTI, KIND_TRIENNIAL, KIND_PLURIENNALE,
               KIND_CONFRONTO, KIND_SUMMARY, KIND_IGNORE)

# column roles
COL_GROUP = "gruppo"
COL_CODE = "codice"
COL_VOCE = "voce"
COL_AMOUNT = "importo"
COL_CHANNEL = "canale"
COL_CHANNEL_NAME = "nome canale"
COL_YEAR_NAME = "anno"
COL_TRIENNIO = "triennio"
COL_NOTE = "note"
COL_IGNORE = "ignora"
COL_UNKNOWN = "sconosciuta"
LABEL_ROLES = frozenset({COL_GROUP, COL_CODE, COL_VOCE, COL_CHANNEL_NAME, COL_YEAR_NAME,
                         COL_NOTE})
VALUE_ROLES = frozenset({COL_AMOUNT, COL_CHANNEL, COL_TRIENNIO})

# row roles
ROW_LINE = "voce"
ROW_HEADING = "titolo"
ROW_TOTAL = "totale"
ROW_NOTE = "nota"
ROW_IGNORE = "ignora"
ROW_PART = "di cui"  # a part of the line above («di cui ...»): not counted again

LEVELS = ("area", "obiettivo", "servizio", "azione")


@dataclass(slots=True)
class Decision:
    """One decision of the layout, in the words of the ``_pdz`` sheet."""

    key: str  # the «_pdz» key, e.g. «totali Servizi aziendali!4»
    value: str  # its value as «_pdz» writes it
    sure: str = SURE_HIGH  # indicata | alta | media | bassa
    why: str = ""  # Italian: what made inference decide so
    alternatives: list[str] = field(default_factory=list)  # Italian: readings considered


@dataclass(slots=True)
class ColumnRole:
    """What one column of a table holds."""

    col: int
    role: str  # one of the COL_* roles
    header: str = ""  # header text as written (several header rows joined by « / »)
    level: str | None = None  # group columns: area | obiettivo | servizio | azione
    year: int | None = None  # amounts: the year; channels: the year suffix
    kind: str | None = None  # amounts: budget | previsione | consuntivo | ... | importo
    channel: str | None = None  # channel columns: the canonical code («?TESTO» unknown)
    sure: str = SURE_HIGH
    why: str = ""
    secondary: bool = False  # a second amount column of the same year, kept apart

    @property
    def is_value(self) -> bool:
        return self.role in VALUE_ROLES


@dataclass(slots=True, eq=False)
class GroupRef:
    """One group instance (an Area, an Obiettivo, an Azione ...) met while reading."""

    level: str
    label: str  # without its numbering prefix
    text: str  # as written
    number: int | None = None
    cell: str | None = None
    rank: int = 0  # depth in the sheet's hierarchy (0 = outermost)


@dataclass(slots=True)
class RowRole:
    """What one body row of a cost table is."""

    row: int
    role: str  # ROW_LINE | ROW_HEADING | ROW_TOTAL | ROW_NOTE | ROW_IGNORE | ROW_PART
    label: str = ""
    path: tuple[GroupRef, ...] = ()  # lines: their groups; headings: up to themselves
    group: GroupRef | None = None  # headings: the group they open; totals: what they close
    scope: str | None = None  # totals: area | obiettivo | servizio | azione | table | grand
    rows: tuple[int, ...] = ()  # long tables: every row of the line
    covers: tuple[int, ...] | None = None  # totals: rows of the lines they close
    why: str = ""


@dataclass(slots=True)
class TableLayout:
    """A table: where it is, what its columns and rows are, how sure inference was."""

    sheet: str
    kind: str
    header_rows: list[int]
    first_row: int  # first body row
    last_row: int
    first_col: int
    last_col: int
    columns: dict[int, ColumnRole] = field(default_factory=dict)
    shape: str = "larga"  # larga (a column per channel) | lunga (a row per line and channel)
    totals: str = "sotto"  # sotto | sopra: where totals stand relative to their lines
    levels: list[str] = field(default_factory=list)  # heading levels, outermost first
    rows: list[RowRole] = field(default_factory=list)
    excel_table: str | None = None
    title: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    index: int = 0  # 1-based among cost tables, in reading order (0: not a cost table)

    @property
    def header_row(self) -> int:
        """The header row that names the columns (the lowest one)."""
        return self.header_rows[-1]

    @property
    def anchor(self) -> str:
        """``Foglio!A5``: how the ``_pdz`` sheet names this table (the first cell of its
        lowest header row)."""
        from ..cells import col_letters

        name = self.sheet
        if "!" in name or "'" in name:
            name = "'" + name.replace("'", "''") + "'"
        return f"{name}!{col_letters(self.first_col)}{self.header_row}"

    def cols(self, *roles: str) -> list[ColumnRole]:
        """Columns with one of ``roles``, left to right."""
        return [c for _, c in sorted(self.columns.items()) if c.role in roles]

    @property
    def voce_col(self) -> int | None:
        c = self.cols(COL_VOCE)
        return c[0].col if c else None


@dataclass(slots=True)
class SheetLayout:
    """A sheet: detail (cost lines), summary of others, revenue, or ignored."""

    name: str
    role: str = "dettaglio"  # dettaglio | riepilogo | ignorato
    tables: list[TableLayout] = field(default_factory=list)
    summarises: list[str] = field(default_factory=list)
    why: str = ""


@dataclass(slots=True)
class WorkbookLayout:
    """The whole inferred (or stated) layout of a workbook."""

    source: str
    plan_year: int
    comparison_year: int | None
    sheets: list[SheetLayout] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # workbook-level
    assumptions: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)

    def tables(self) -> list[TableLayout]:
        return [t for s in self.sheets for t in s.tables]

    def all_decisions(self) -> list[Decision]:
        out = list(self.decisions)
        for s in self.sheets:
            for t in s.tables:
                out.extend(t.decisions)
        return out

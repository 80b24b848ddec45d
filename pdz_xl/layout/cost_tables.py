"""Read the body of cost tables: lines, group headings and stated totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cells import col_letters, sheet_ref
from ..plan import ChannelColumn, Group, Line, StatedTotal, Table, construct
from .amounts import AmountReader
from .labels import heading_of, is_total_label, total_level
from .tables import TableBlock

_LEVEL_ORDER = ("area", "obiettivo", "servizio", "azione")


@dataclass
class GroupState:
    """The open groups while walking down the rows, and the lines of each."""

    groups: dict[str, Group] = field(default_factory=dict)
    lines_in: dict[str, list[int]] = field(default_factory=dict)  # level -> line ids
    table_lines: list[int] = field(default_factory=list)
    sheet_lines: list[int] = field(default_factory=list)

    def open(self, group: Group) -> None:
        """Open a group: closes every group at its level and below."""
        idx = _LEVEL_ORDER.index(group.level)
        for level in _LEVEL_ORDER[idx:]:
            self.groups.pop(level, None)
            self.lines_in[level] = []
        self.groups[group.level] = group

    def close(self, level: str) -> None:
        """A total closed ``level``: its lines restart; lower groups end."""
        if level in _LEVEL_ORDER:
            idx = _LEVEL_ORDER.index(level)
            for lower in _LEVEL_ORDER[idx + 1:]:
                self.groups.pop(lower, None)
                self.lines_in[lower] = []
            if level != "area":
                self.groups.pop(level, None)
            self.lines_in[level] = []
        elif level == "table":
            self.table_lines = []

    def add_line(self, line_id: int) -> None:
        for level in self.groups:
            self.lines_in.setdefault(level, []).append(line_id)
        self.table_lines.append(line_id)
        self.sheet_lines.append(line_id)

    def path_groups(self) -> list[Group]:
        return [self.groups[lv] for lv in _LEVEL_ORDER if lv in self.groups]


def path_of(groups: list[Group]) -> list[str]:
    """Path labels as the documents write them: obiettivo without its number prefix."""
    return [g.label if g.level == "obiettivo" else (g.text or g.label) for g in groups]


class _ColumnPrefixes(dict):
    """column -> ``Sheet!C`` (the reference without the row), computed once."""

    def __init__(self, sheet: str) -> None:
        super().__init__()
        self.sheet = sheet

    def __missing__(self, col: int) -> str:
        value = self[col] = f"{self.sheet}!{col_letters(col)}"
        return value


@dataclass
class CostTableReader:
    """Turns cost-table blocks into Lines, StatedTotals and Tables (appending to lists)."""

    amounts: AmountReader
    lines: list[Line]
    totals: list[StatedTotal]
    tables: list[Table]
    all_lines: list[int] = field(default_factory=list)
    _prefix_cache: dict[str, _ColumnPrefixes] = field(default_factory=dict)

    def _prefixes(self, sheet: str) -> _ColumnPrefixes:
        cached = self._prefix_cache.get(sheet)
        if cached is None:
            cached = self._prefix_cache[sheet] = _ColumnPrefixes(sheet)
        return cached

    def read(self, block: TableBlock, state: GroupState, year_of: dict[int, int],
             channel_of: dict[int, str]) -> None:
        """Read one block; ``year_of``/``channel_of`` map columns to year / channel code."""
        sheet = block.sheet
        table_no = len(self.tables) + 1
        header_heading = heading_of(block.label_text()) if block.label_text() else None
        state.table_lines = []
        if header_heading is not None:
            state.open(Group(level=header_heading.level, label=header_heading.label,
                             number=header_heading.number, text=header_heading.text,
                             cell=sheet_ref(sheet.name, block.header_row, block.label_col)))
        else:
            state.groups.pop("servizio", None)
            state.groups.pop("azione", None)
        self.tables.append(Table(
            index=table_no, sheet=sheet.name, header_row=block.header_row,
            first_row=block.body_rows[0] if block.body_rows else block.header_row,
            last_row=block.body_rows[-1] if block.body_rows else block.header_row,
            label_col=block.label_col, year_cols={y: c for c, y in year_of.items()},
            channel_cols=[ChannelColumn(code=code, header=block.header_texts.get(c, ""), col=c,
                                        year=block.columns[c].year,
                                        known=not code.startswith("?"))
                          for c, code in sorted(channel_of.items())],
            title=block.label_text() or None,
        ))
        last_data_row = block.header_row
        value_cols = (*year_of, *channel_of)
        for row in block.body_rows:
            cells = sheet.rows.get(row, {})
            label_cell = cells.get(block.label_col)
            label = label_cell.value if label_cell is not None else None
            label_text = str(label).strip() if label is not None else ""
            if isinstance(label, float) and label.is_integer():
                label_text = str(int(label))
            values = self._values(sheet, row, cells, value_cols)
            has_amount = any(v is not None for v in values.values())
            if not label_text and not has_amount:
                continue
            last_data_row = row
            if label_text and is_total_label(label_text):
                self._total(block, row, label_text, values, year_of, channel_of, state, table_no)
                continue
            heading = heading_of(label_text) if not has_amount else None
            bold = label_cell is not None and label_cell.bold
            if heading is None and not has_amount and bold:
                # a bold text row without amounts: a heading we cannot name more precisely
                heading_level = "servizio" if "azione" not in state.groups else None
                if heading_level:
                    state.open(Group(level="servizio", label=label_text, text=label_text,
                                     cell=sheet_ref(sheet.name, row, block.label_col)))
                    continue
            if heading is not None:
                state.open(Group(level=heading.level, label=heading.label,
                                 number=heading.number, text=heading.text,
                                 cell=sheet_ref(sheet.name, row, block.label_col)))
                continue
            self._line(block, row, label_text, values, year_of, channel_of, state, table_no)
        self.tables[-1].last_row = last_data_row

    def _values(self, sheet, row: int, cells: dict, cols: tuple[int, ...]) -> dict[int, int | None]:
        """Amounts of a row by column (the whole-cent float case inline: hot path)."""
        out: dict[int, int | None] = {}
        for c in cols:
            cell = cells.get(c)
            if cell is None:
                continue
            v = cell.value
            if type(v) is float:
                scaled = v * 100
                nearest = round(scaled)
                if abs(scaled - nearest) < 1e-6 and abs(scaled) < 1e13:
                    out[c] = int(nearest)
                    continue
            out[c] = self.amounts.read(sheet, row, c)
        return out

    def _line(self, block: TableBlock, row: int, label: str, values: dict, year_of: dict,
              channel_of: dict, state: GroupState, table_no: int) -> None:
        sheet = block.sheet
        groups = state.path_groups()
        line_id = len(self.lines)
        prefix = self._prefixes(sheet.name)
        # model_construct: every field is built here with the right type (hot path)
        self.lines.append(construct(Line,
            id=line_id, cell=f"{prefix[block.label_col]}{row}", sheet=sheet.name,
            row=row, table=table_no, path=path_of(groups), groups=list(groups), voce=label,
            amounts={y: values.get(c) for c, y in year_of.items()},
            amount_cells={y: f"{prefix[c]}{row}" for c, y in year_of.items()},
            channels={code: values.get(c) for c, code in channel_of.items()},
            channel_cells={code: f"{prefix[c]}{row}" for c, code in channel_of.items()},
            hidden=row in sheet.hidden_rows,
        ))
        state.add_line(line_id)
        self.all_lines.append(line_id)
        if row in sheet.hidden_rows and any(v for v in values.values()):
            self.amounts.note("PDZ005", "avviso", sheet_ref(sheet.name, row, block.label_col),
                              f"la riga {row} è nascosta ma contiene importi: è stata letta e "
                              "conteggiata; renderla visibile o eliminarla.")

    def _total(self, block: TableBlock, row: int, label: str, values: dict, year_of: dict,
               channel_of: dict, state: GroupState, table_no: int) -> None:
        sheet = block.sheet
        level = total_level(label)
        if level in ("azione", "servizio", "obiettivo", "area") and level not in state.groups:
            level = "table" if state.table_lines else level
        if level in ("azione", "servizio", "obiettivo", "area"):
            line_ids = list(state.lines_in.get(level, []))
        elif level == "grand":
            line_ids = list(self.all_lines)
        else:
            line_ids = list(state.table_lines)
        groups = state.path_groups()
        if level in _LEVEL_ORDER:
            groups = groups[: next((i + 1 for i, g in enumerate(groups) if g.level == level),
                                   len(groups))]
        self.totals.append(StatedTotal(
            id=len(self.totals), cell=sheet_ref(sheet.name, row, block.label_col),
            sheet=sheet.name, row=row, label=label, level=level, path=path_of(groups),
            line_ids=line_ids,
            amounts={y: values.get(c) for c, y in year_of.items()},
            amount_cells={y: sheet_ref(sheet.name, row, c) for c, y in year_of.items()},
            formulas={y: _formula(sheet, row, c) for c, y in year_of.items()},
            channels={code: values.get(c) for c, code in channel_of.items()
                      if values.get(c) is not None},
            channel_cells={code: sheet_ref(sheet.name, row, c) for c, code in channel_of.items()
                           if values.get(c) is not None},
            table=table_no,
        ))
        state.close(level)


def _formula(sheet, row: int, col: int) -> str | None:
    cell = sheet.get(row, col)
    return cell.formula if cell is not None else None

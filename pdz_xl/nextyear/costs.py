"""Cost tables moved on one year, in their own columns.

Where the table has a column for the year before the plan year («BUDGET 2020 | BUDGET
2021 | FNPS ...») the columns **roll**: the comparison column takes the plan-year column
as it was (figures, formulas moved one column, header), the plan-year column takes the new
year (header «BUDGET 2022», new amounts, its formulas kept and computed again), and the
channel columns after it are the new year's split. Nothing moves in the sheet: widths,
styles, merged headers, charts and the formulas of other sheets pointing at the plan-year
column keep meaning «the plan year».

Where the plan-year column is the table's only amount column («Voce | BUDGET 2018»), the
new year is **appended** right after the table: a column styled and sized like the
plan-year column, its formulas translated from it; the plan-year column stays as it is and
becomes the comparison year.
"""

from __future__ import annotations

from decimal import Decimal

from ..cells import sheet_ref
from ..formula_refs import sum_formula
from ..grid import ExcelTable
from ..io.formula_shift import shift_formula
from ..io.table_parts import rename_structured
from ..layout.model import COL_AMOUNT, COL_CHANNEL, TableLayout
from ..money import Cents, to_decimal
from ..plan import Line, Plan, StatedTotal
from .amounts import Targets, split_like
from .edits import Edits
from .long_years import append_year_rows, year_rows
from .years import has_year, move_years


def _money(v: Cents | None) -> Decimal | None:
    return None if v is None else to_decimal(v)


def _shifted(formula: str, dcol: int) -> str:
    return "=" + shift_formula(formula.removeprefix("="), 0, dcol)


def _year_cell(edits: Edits, t: TableLayout, col: int, year: int) -> tuple[int, int] | None:
    """The header cell naming ``year`` over ``col`` (the merged cell's top-left)."""
    sheet = edits.sheet(t.sheet)
    for r in t.header_rows:
        rng = sheet.merged_at(r, col)
        at = (rng[0], rng[1]) if rng else (r, col)
        v = sheet.value(*at)
        if (isinstance(v, str) and has_year(v, year)) or v == year:
            return at
    return None


class CostTable:
    """One cost table of the plan and the writes that move it on."""

    def __init__(self, plan: Plan, layout: TableLayout, targets: Targets, edits: Edits,
                 channels: str) -> None:
        self.plan, self.t, self.targets, self.edits = plan, layout, targets, edits
        self.channels = channels
        self.year = plan.plan_year
        self.new = self.year + 1
        self.lines = [ln for ln in plan.lines if ln.table == layout.index]
        self.totals = [s for s in plan.totals if s.table == layout.index]
        amounts = [c for c in layout.cols(COL_AMOUNT) if c.year is not None and not c.secondary]
        self.p = next((c.col for c in amounts if c.year == self.year), None)
        earlier = [c for c in amounts if c.year < self.year]
        self.c = max(earlier, key=lambda c: (c.year, c.col)).col if earlier else None
        self.later = [c for c in amounts if c.year > self.year]
        self.channel_cols = [c.col for c in layout.cols(COL_CHANNEL)
                             if c.year in (None, self.year)]
        self.new_col: int | None = None

    @property
    def name(self) -> str:
        return sheet_ref(self.t.sheet, self.t.header_row, self.t.first_col)

    # ----------------------------------------------------------------- driver
    def move_on(self) -> str | None:
        """Write the new year; an Italian reason when this table cannot be moved on."""
        sheet = f"foglio «{self.t.sheet}»"
        if self.t.excel_table and (self.c is None or any(c.year == self.new
                                                          for c in self.later)):
            return (f"{sheet}, tabella {self.name}: è una Tabella di Excel "
                    f"(«{self.t.excel_table}») con la sola colonna del {self.year}: la "
                    "colonna del nuovo anno andrebbe fuori dalla Tabella. Cosa fare: "
                    f"aggiungere alla Tabella una colonna del {self.year - 1} prima di quella "
                    f"del {self.year} (anche vuota), oppure in Excel Progettazione tabella ▸ "
                    "Converti in intervallo, e rilanciare «pdz-xl nuovo-anno»")
        if year_rows(self.t):
            return append_year_rows(self)
        if self.t.shape == "lunga" and not any(c.role == COL_AMOUNT and c.year == self.year
                                                for c in self.t.columns.values()):
            return (f"{sheet}, tabella {self.name}: un'estrazione senza una colonna del "
                    f"{self.year} né una colonna «Anno». Cosa fare: estrarre di nuovo dal "
                    f"gestionale con l'anno {self.new}")
        if self.p is None:
            return f"tabella {self.name}: nessuna colonna del {self.year}: lasciata com'è"
        if any(c.year == self.new for c in self.later):
            return self._extend()
        if self.c is not None:
            self._roll()
            target = self.p
        else:
            free = self._free_column()
            if free is None:
                return (f"tabella {self.name}: la colonna dopo la tabella è occupata: "
                        "lasciata com'è")
            self.new_col = target = free
            self._append(free)
        self._amounts(target)
        if self.new_col is None:  # appended: the channels stay with the comparison year
            self._channels()
        self._headers(target)
        return None

    # ------------------------------------------------------------------- roll
    def _roll(self) -> None:
        sheet = self.edits.sheet(self.t.sheet)
        assert self.c is not None and self.p is not None
        for r in range(self.t.first_row, self.t.last_row + 1):
            src, dst = sheet.get(r, self.p), sheet.get(r, self.c)
            if src is None:
                if dst is not None and (dst.value is not None or dst.formula):
                    self.edits.put(self.t.sheet, r, self.c, None)
                continue
            if src.formula:
                self.edits.put(self.t.sheet, r, self.c, src.value,
                               self._moved(src.formula, self.c - self.p))
            elif dst is None or dst.formula or dst.value != src.value:
                self.edits.put(self.t.sheet, r, self.c, src.value)

    def _moved(self, formula: str, dcol: int) -> str:
        """A formula moved ``dcol`` columns; in an Excel Table its column names move too
        (``[Budget 2021]`` one column left is ``[Budget 2020]``: the names as they are, the
        write renames them with the header cells)."""
        moved = _shifted(formula, dcol)
        table = self._excel_table()
        if table is None:
            return moved
        names = table.columns
        shift = {n.casefold(): names[i + dcol] for i, n in enumerate(names)
                 if 0 <= i + dcol < len(names)}
        return rename_structured(moved, {table.name.casefold(): shift}, table.name.casefold())

    def _excel_table(self) -> ExcelTable | None:
        if not self.t.excel_table:
            return None
        sheet = self.edits.sheet(self.t.sheet)
        return next((x for x in sheet.tables
                     if x.name.casefold() == self.t.excel_table.casefold()), None)

    # --------------------------------------------------------------- triennium
    def _extend(self) -> str | None:
        """A table of the plan years «2018 | 2019 | 2020 | Totale triennio»: the next
        column is already the new plan year. The year after the last one is written where
        the triennio total was (the last year's column copied: its amounts, its formulas
        moved one column) and the total goes one column right, its SUM moved on with it
        («2019 … 2021»); the plan-year column stays as the comparison year."""
        sheet = self.edits.sheet(self.t.sheet)
        amounts = sorted((c for c in self.t.cols(COL_AMOUNT) if c.year is not None
                          and c.year >= self.year and not c.secondary), key=lambda c: c.col)
        years = [c.year for c in amounts]
        cols = [c.col for c in amounts]
        first = cols[0] if cols else 0
        triennio = [c.col for c in self.t.columns.values() if c.role == "triennio"]
        how = (f"foglio «{self.t.sheet}», tabella {self.name}: ha già la colonna del "
               f"{self.new}, ma le colonne degli "
               f"anni dal {self.year} non sono una accanto all'altra in fondo alla tabella "
               "(seguite al più dal totale del triennio) e pdz-xl non sposta colonne. Cosa "
               "fare: mettere le colonne degli anni una accanto all'altra, il totale del "
               "triennio subito dopo, e rilanciare")
        end = cols[-1] + (1 if triennio else 0) if cols else 0
        if (years != list(range(self.year, self.year + len(years)))
                or cols != list(range(first, first + len(cols))) or len(triennio) > 1
                or (triennio and triennio[0] != cols[-1] + 1) or end != self.t.last_col
                or any(c.role == COL_CHANNEL for c in self.t.columns.values())):
            return how
        free = self._free_column()
        if free is None:
            return (f"tabella {self.name}: la colonna dopo la tabella è occupata: "
                    "lasciata com'è")
        last = cols[-1]
        moves = [(last, last + 1)] + ([(triennio[0], free)] if triennio else [])
        for src_col, dst in moves:
            self.edits.new_columns.setdefault(self.t.sheet, {})[dst] = src_col
        for r in range(self.t.header_rows[0], self.t.last_row + 1):
            for src_col, dst in moves:  # each reads the cells as they were
                src = sheet.get(r, src_col)
                if src is None:
                    self.edits.put(self.t.sheet, r, dst, None, style_from=src_col)
                elif src.formula:
                    # one column right: the triennio's SUM moves on a year with it
                    self.edits.put(self.t.sheet, r, dst, src.value,
                                   _shifted(src.formula, dst - src_col), style_from=src_col)
                else:
                    value = src.value
                    if r in self.t.header_rows and src_col == last:
                        value = (self.year + len(years) if value == years[-1]
                                 else move_years(value, {years[-1]})
                                 if isinstance(value, str) else value)
                    self.edits.put(self.t.sheet, r, dst, value, style_from=src_col)
        self.new_col = last + 1
        return None

    # ----------------------------------------------------------------- append
    def _free_column(self) -> int | None:
        sheet = self.edits.sheet(self.t.sheet)
        col = self.t.last_col + 1
        for r in range(self.t.header_rows[0], self.t.last_row + 1):
            if sheet.get(r, col) is not None or sheet.merged_at(r, col):
                return None
        return col

    def _append(self, col: int) -> None:
        sheet = self.edits.sheet(self.t.sheet)
        assert self.p is not None
        self.edits.new_columns.setdefault(self.t.sheet, {})[col] = self.p
        for r in range(self.t.header_rows[0], self.t.last_row + 1):
            src = sheet.get(r, self.p)
            if src is None:
                self.edits.put(self.t.sheet, r, col, None, style_from=self.p)
            elif src.formula:
                self.edits.put(self.t.sheet, r, col, src.value,
                               _shifted(src.formula, col - self.p), style_from=self.p)
            else:
                value = src.value
                if isinstance(value, str) and r in self.t.header_rows:
                    value = move_years(value, {self.year})
                elif value == self.year and r in self.t.header_rows:
                    value = self.new
                self.edits.put(self.t.sheet, r, col, value, style_from=self.p)

    # ---------------------------------------------------------------- amounts
    def _new_amount(self, ln: Line) -> Cents | None:
        return self.targets.lines.get(ln.id, ln.amounts.get(self.year))

    def _amounts(self, col: int) -> None:
        sheet = self.edits.sheet(self.t.sheet)
        for ln in self.lines:
            for r in ln.rows or [ln.row]:
                cell = sheet.get(r, self.p)  # type: ignore[arg-type]
                if cell is None or cell.formula or not isinstance(cell.value, (int, float)):
                    continue
                self.edits.put(self.t.sheet, r, col, _money(self._new_amount(ln)),
                               style_from=self.p if col != self.p else None)
        for tot in self.totals:
            self._typed_total(tot, col)

    def _typed_total(self, tot: StatedTotal, col: int) -> None:
        """A typed total of the new year: the SUM of its lines where the sheet's other
        totals are formulas (what validation would suggest), else the new sum, typed."""
        sheet = self.edits.sheet(self.t.sheet)
        cell = sheet.get(tot.row, self.p)  # type: ignore[arg-type]
        if cell is None or cell.formula or not isinstance(cell.value, (int, float)):
            return
        lines = [self.plan.lines[i] for i in tot.line_ids]
        total = sum(self._new_amount(ln) or 0 for ln in lines)
        style = self.p if col != self.p else None
        formulas = any((c := sheet.get(s.row, self.p)) is not None and c.formula  # type: ignore[arg-type]
                       for s in self.plan.totals if s.sheet == self.t.sheet)
        if formulas and lines and all(ln.sheet == self.t.sheet for ln in lines):
            refs = [sheet_ref(ln.sheet, r, col) for ln in lines for r in (ln.rows or [ln.row])
                    if isinstance(sheet.value(r, self.p), (int, float))]  # type: ignore[arg-type]
            if refs:
                self.edits.put(self.t.sheet, tot.row, col, _money(total),
                               sum_formula(refs, self.t.sheet), style_from=style)
                return
        self.edits.put(self.t.sheet, tot.row, col, _money(total), style_from=style)

    def _channels(self) -> None:
        """The new year's split: cleared, or last year's moved to the new amount."""
        sheet = self.edits.sheet(self.t.sheet)
        by_cell: dict[tuple[int, int], Cents | None] = {}
        for ln in self.lines:
            split = (split_like(ln, self._new_amount(ln)) if self.channels == "come-anno-scorso"
                     else {code: None for code in ln.channels})
            for code, ref in ln.channel_cells.items():
                r, c = _rc(ref)
                by_cell[(r, c)] = split.get(code)
        for (r, c), v in by_cell.items():
            cell = sheet.get(r, c)
            if cell is not None and cell.formula:
                continue
            if cell is None and v is None:
                continue
            self.edits.put(self.t.sheet, r, c, _money(v))
        for tot in self.totals:
            for code, ref in tot.channel_cells.items():
                r, c = _rc(ref)
                cell = sheet.get(r, c)
                if cell is None or cell.formula or not isinstance(cell.value, (int, float)):
                    continue
                cells = [_rc(ln.channel_cells[code]) for ln in self.lines
                         if ln.id in tot.line_ids and code in ln.channel_cells]
                values = [by_cell.get(x) for x in cells]
                total = None if all(v is None for v in values) else sum(v or 0 for v in values)
                self.edits.put(self.t.sheet, r, c, _money(total))

    # ---------------------------------------------------------------- headers
    def _headers(self, target: int) -> None:
        sheet = self.edits.sheet(self.t.sheet)
        done: set[tuple[int, int]] = set()
        if self.c is not None and self.new_col is None:
            src = _year_cell(self.edits, self.t, self.p, self.year)  # type: ignore[arg-type]
            dst = _year_cell(self.edits, self.t, self.c, self.year - 1) \
                or _year_cell(self.edits, self.t, self.c, self.year)
            if src and dst and src != dst:
                self.edits.put(self.t.sheet, *dst, sheet.value(*src))
                done.add(dst)
        for r in self.t.header_rows:
            for col in range(self.t.first_col, self.t.last_col + 1):
                v = sheet.value(r, col)
                if (r, col) in done or not isinstance(v, str):
                    continue
                if col == self.new_col:
                    continue
                if self.new_col is not None and col == self.p:
                    continue  # the plan-year column stays: it is the comparison year now
                moved = move_years(v, {self.year})
                if moved != v:
                    self.edits.put(self.t.sheet, r, col, moved)
            for col in range(self.t.first_col, self.t.last_col + 1):
                cell = sheet.get(r, col)
                if cell is not None and cell.value == self.year and col == self.p \
                        and self.new_col is None:
                    self.edits.put(self.t.sheet, r, col, self.new)


def _rc(ref: str) -> tuple[int, int]:
    from ..cells import parse_a1, split_sheet_ref

    return parse_a1(split_sheet_ref(ref)[1])

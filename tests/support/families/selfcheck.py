"""The generator checks itself: reopen a generated workbook with openpyxl and hold every cell
the generator claims to have written against the file and against the oracle CSVs.

- every oracle line's voce and amounts (and channel split) are at the cells the manifest
  names — as numbers, or as text «€ 1.234,56» where the layout types them — and a blank is a
  blank cell;
- the expected reading agrees with the oracle (same voci and amounts; paths equal to the
  oracle's unless the family rewrites the group texts);
- every total cell holds its expected amount; a slip is a typed number that differs from
  its lines' exact sum, anything else equals that sum;
- every formula in the workbook has a cached value equal to what its references add up to,
  recomputed exactly (:mod:`.formulas`);
- hidden rows, outline levels and indents are where the manifest says, and nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

import openpyxl

from ..oracles import lines_2018, lines_2021, rows
from .expected import CellRef, Generated
from .extras import REVENUE_CHANNELS
from .formulas import Evaluator, FormulaError, number

_TEXT_AMOUNT = re.compile(r"^(-?)€\s*(?:(-)|(\d{1,3}(?:\.\d{3})*),(\d{2}))$")


def parse_text_amount(text: str) -> int | None:
    """«€ 1.234,56» -> 123456, «€ -» -> 0 (an independent reading of what the layout typed)."""
    m = _TEXT_AMOUNT.match(text.strip())
    if not m:
        return None
    if m.group(2):
        return 0
    value = int(m.group(3).replace(".", "")) * 100 + int(m.group(4))
    return -value if m.group(1) else value


def _cents(value: object) -> int | None:
    n = number(value)
    if n is None or (n * 100).denominator != 1:
        return None
    return int(n * 100)


class _Book:
    def __init__(self, path: Path) -> None:
        self.f = openpyxl.load_workbook(path)
        self.v = openpyxl.load_workbook(path, data_only=True)

    def value(self, cell: CellRef) -> object:
        sheet, r, c = cell
        return self.v[sheet].cell(r + 1, c + 1).value

    def formula(self, cell: CellRef) -> str | None:
        sheet, r, c = cell
        v = self.f[sheet].cell(r + 1, c + 1).value
        return v if isinstance(v, str) and v.startswith("=") else None


def verify(path: Path, generated: Generated) -> list[str]:
    """Every way the workbook at ``path`` differs from what the generator says it wrote."""
    book = _Book(path)
    e, m = generated.expected, generated.manifest
    problems: list[str] = []
    problems += _lines(book, generated)
    problems += _totals(book, generated)
    problems += check_formulas(book)
    for cell, cents in m.text_amounts.items():
        v = book.value(cell)
        if not isinstance(v, str) or parse_text_amount(v) != cents:
            problems.append(f"text amount {cell}: {v!r} is not {cents} cents")
    problems += _rows(book, generated)
    if m.revenue:
        csv = [(r["voce"], r["importo_2021"]) for r in rows("pp2021_canali.csv")]
        for (cell, _), (voce, raw) in zip(m.revenue, csv, strict=True):
            if _cents(book.value(cell)) != _csv_cents(raw):
                problems.append(f"revenue «{voce}» at {cell}: {book.value(cell)!r}, CSV {raw}")
        items = e.revenues or []
        if len(items) != len(csv) - 6:  # four totals and two quote vincolate are not items
            problems.append(f"revenue items: {len(items)} expected, CSV has {len(csv) - 6}")
        by_label = dict(csv)
        for (ch, v), voce in zip(items, [v for v, _ in csv if v in REVENUE_CHANNELS],
                                 strict=False):
            if (ch, v) != (REVENUE_CHANNELS[voce], _csv_cents(by_label[voce])):
                problems.append(f"revenue item «{voce}»: expected {(ch, v)}")
    return problems


def _csv_cents(raw: str) -> int | None:
    return None if not raw.strip() else int(Fraction(raw) * 100)


def _cell_amount(book: _Book, cell: CellRef, texts: dict[CellRef, int]) -> tuple[bool, int | None]:
    """(ok, cents) of an amount cell: a number, or a text amount the manifest announced."""
    v = book.value(cell)
    if v is None:
        return True, None
    if isinstance(v, str):
        return cell in texts, parse_text_amount(v)
    c = _cents(v)
    return c is not None, c


def _lines(book: _Book, generated: Generated) -> list[str]:
    e, m = generated.expected, generated.manifest
    oracle = lines_2021() if m.dataset == "2021" else lines_2018()
    out: list[str] = []
    if not (len(oracle) == len(e.lines) == len(m.lines)):
        return [f"{len(oracle)} oracle lines, {len(e.lines)} expected, {len(m.lines)} written"]
    for i, (o, x, cells) in enumerate(zip(oracle, e.lines, m.lines, strict=True)):
        where = f"line {i} «{o.voce}»"
        if x.voce != o.voce:
            out.append(f"{where}: expected voce {x.voce!r}")
        if m.oracle_paths and x.path != o.path:
            out.append(f"{where}: expected path {x.path}, oracle {o.path}")
        if len(x.path) != len(o.path) or x.path[0] != o.path[0]:
            out.append(f"{where}: expected path {x.path} is not the oracle's shape {o.path}")
        base = dict(o.amounts)
        want = dict(x.amounts)
        for y, v in want.items():
            if v != base.get(y, base.get(min(base))):
                out.append(f"{where}: expected {y} amount {v}, oracle {base}")
        ochan, xchan = dict(o.channels), dict(x.channels)
        for code, v in ochan.items():
            if v is not None and xchan.get(code) != v:
                out.append(f"{where}: channel {code} expected {xchan.get(code)}, oracle {v}")
        for code, v in xchan.items():
            if v is not None and ochan.get(code) != v:
                out.append(f"{where}: channel {code} expected {v}, oracle {ochan.get(code)}")
            if v is None and not e.channels_blank_omitted and code in ochan and ochan[code]:
                out.append(f"{where}: channel {code} expected blank")
        if not cells.voce:
            out.append(f"{where}: no label cell")
        for cell in cells.voce:
            if book.value(cell) != o.voce:
                out.append(f"{where}: label {cell} holds {book.value(cell)!r}")
        for kind, written, values in (("year", cells.years, want), ("channel", cells.channels,
                                                                   xchan)):
            for key, v in values.items():
                if v is None and e.channels_blank_omitted and kind == "channel":
                    continue
                if key not in written:
                    out.append(f"{where}: {kind} {key} = {v} written nowhere")
                    continue
                for cell in written[key]:
                    ok, got = _cell_amount(book, cell, m.text_amounts)
                    if not ok or got != v:
                        out.append(f"{where}: {kind} {key} at {cell} holds "
                                   f"{book.value(cell)!r}, expected {v}")
    return out


def _totals(book: _Book, generated: Generated) -> list[str]:
    e, m = generated.expected, generated.manifest
    out: list[str] = []
    if Counter(t.total for t in m.totals) != Counter(e.totals):
        out.append("expected totals and written total cells differ")
    slips = Counter()
    for t in m.totals:
        path, year = t.total.path, t.total.year
        exact = sum(dict(x.amounts).get(year) or 0 for x in e.lines
                    if x.path[:len(path)] == path)
        ok, value = _cell_amount(book, t.cell, {})
        formula = book.formula(t.cell)
        where = f"total {path} {year} at {t.cell}"
        if not ok or value != t.total.cents:
            out.append(f"{where}: holds {book.value(t.cell)!r}, expected {t.total.cents}")
        if t.formula != (formula is not None):
            out.append(f"{where}: formula {formula!r}, manifest says formula={t.formula}")
        if t.slip:
            slips[t.total.cents, exact] += 1
            if formula is not None or t.total.cents == exact:
                out.append(f"{where}: a slip must be a typed number other than {exact}")
        elif t.total.cents != exact:
            out.append(f"{where}: {t.total.cents} is not its lines' sum {exact}")
        if formula is not None:
            out += _references(book, generated, t.cell, formula, path, year)
    announced = Counter((f.found, f.expected) for f in e.findings if f.code == "PDZ201")
    if slips != announced:
        out.append(f"typed slips {dict(slips)} are not the announced PDZ201 {dict(announced)}")
    return out


def _references(book: _Book, generated: Generated, cell: CellRef, formula: str,
                path: tuple[str, ...], year: int) -> list[str]:
    """A total's formula refers to exactly its group's line cells of that year — or only to
    totals inside its group (a total of totals) — never to anything else."""
    e, m = generated.expected, generated.manifest
    sheet, r, c = cell
    areas = Evaluator(book.f, book.v).referenced(formula, sheet, r + 1, c + 1)
    skip = "SUBTOTAL(" in formula  # SUBTOTAL skips the SUBTOTALs inside its range
    referenced = {(s, rr - 1, cc - 1) for a in areas for s, rr, cc in a.cells()
                  if book.v[s].cell(rr, cc).value is not None
                  and not (skip and "SUBTOTAL(" in (book.formula((s, rr - 1, cc - 1)) or ""))}
    inside = [i for i, x in enumerate(e.lines) if x.path[:len(path)] == path]
    lines = {ref for i in inside for ref in m.lines[i].years.get(year, [])
             if book.value(ref) is not None}
    inner = {t.cell for t in m.totals if t.total.year == year
             and len(t.total.path) > len(path) and t.total.path[:len(path)] == path}
    if referenced == lines or (referenced and referenced <= inner):
        return []
    return [f"total {path} {year} at {cell}: {formula} refers to "
            f"{len(referenced - lines)} cells that are not its lines, misses "
            f"{len(lines - referenced)} of them"]


def check_formulas(book: _Book | Path) -> list[str]:
    """Every formula of the workbook whose cached value is not what its references give."""
    if isinstance(book, Path):
        book = _Book(book)
    ev = Evaluator(book.f, book.v)
    out: list[str] = []
    for ws in book.f.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                where = f"{ws.title}!{c.coordinate} {c.value}"
                cached = number(book.v[ws.title][c.coordinate].value)
                try:
                    got = ev.evaluate(c.value, ws.title, c.row, c.column)
                except FormulaError as exc:
                    out.append(f"{where}: {exc}")
                    continue
                if cached is None:
                    out.append(f"{where}: no cached value")
                elif (got * 100).denominator == 1:
                    if cached != got:
                        out.append(f"{where}: cached {float(cached)}, references give "
                                   f"{float(got)}")
                elif abs(cached - got) > Fraction(1, 10**9) * max(1, abs(got)):
                    out.append(f"{where}: cached {float(cached)}, references give {float(got)}")
    return out


def _rows(book: _Book, generated: Generated) -> list[str]:
    m = generated.manifest
    out: list[str] = []
    for ws in book.f.worksheets:
        for r, dim in ws.row_dimensions.items():
            key = (ws.title, r - 1)
            if bool(dim.hidden) != (key in m.hidden_rows):
                out.append(f"{ws.title} row {r}: hidden={dim.hidden}")
            if (dim.outlineLevel or 0) != m.outline.get(key, 0):
                out.append(f"{ws.title} row {r}: outline {dim.outlineLevel}, "
                           f"expected {m.outline.get(key, 0)}")
    for key, level in m.outline.items():
        dim = book.f[key[0]].row_dimensions.get(key[1] + 1)
        if dim is None or (dim.outlineLevel or 0) != level:
            out.append(f"{key}: outline level {level} not in the file")
    for sheet, row in m.hidden_rows:
        dim = book.f[sheet].row_dimensions.get(row + 1)
        if dim is None or not dim.hidden:
            out.append(f"{sheet} row {row + 1}: should be hidden")
    for (sheet, r, c), indent in m.indents.items():
        got = book.f[sheet].cell(r + 1, c + 1).alignment.indent or 0
        if got != indent:
            out.append(f"{sheet}!{r + 1}/{c + 1}: indent {got}, expected {indent}")
    return out

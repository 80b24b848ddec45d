"""An independent evaluator for the formulas the generator writes, over openpyxl's cells.

One job: recompute a formula from the values of the cells it references, the way a
spreadsheet would (SUM and SUBTOTAL skip text and blanks, SUBTOTAL skips the SUBTOTALs in its
range, SUMIF matches a criterion), exactly (``Fraction``), so the self-check can hold every
cached value against what it claims to be. It knows only what the families write: +, -, *, /,
parentheses, numbers, A1 references and ranges (also on other sheets), Excel Table column
references, SUM, SUBTOTAL(9|109, …) and SUMIF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from openpyxl.utils.cell import range_boundaries

_TOKEN = re.compile(r"""
    (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
  | (?P<table>(?:[A-Za-z_]\w*)?\[[^\]]+\])
  | (?P<func>[A-Z]+)\(
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<op>[-+*/(),])
  | (?P<ws>\s+)
""", re.X)


class FormulaError(ValueError):
    """A formula this evaluator cannot (or a spreadsheet would not) compute."""


def number(value: object) -> Fraction | None:
    """A cell's number as an exact fraction of its shortest decimal repr; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Fraction(Decimal(repr(value)))


@dataclass
class Area:
    """A cell or a rectangle of cells on one sheet (1-based, inclusive)."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    def cells(self):
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                yield self.sheet, r, c


class Evaluator:
    """Evaluates formulas of one workbook (openpyxl: formulas and cached values)."""

    def __init__(self, formulas_wb, values_wb) -> None:
        self.f = formulas_wb
        self.v = values_wb

    def value(self, sheet: str, row: int, col: int) -> object:
        return self.v[sheet].cell(row, col).value

    def formula_text(self, sheet: str, row: int, col: int) -> str | None:
        v = self.f[sheet].cell(row, col).value
        return v if isinstance(v, str) and v.startswith("=") else None

    def evaluate(self, formula: str, sheet: str, row: int, col: int) -> Fraction:
        self.sheet, self.at = sheet, (row, col)
        body = formula.lstrip("=")
        matches = list(_TOKEN.finditer(body))
        if sum(m.end() - m.start() for m in matches) != len(body):
            raise FormulaError(f"unknown syntax in {formula!r}")
        self.tokens = [(k, t) for m in matches for k, t in m.groupdict().items()
                       if t is not None and k != "ws"]
        self.pos = 0
        result = self._expr()
        if self.pos != len(self.tokens):
            raise FormulaError(f"trailing tokens in {formula!r}")
        return self._scalar(result)

    def referenced(self, formula: str, sheet: str, row: int, col: int) -> list[Area]:
        """The cells and ranges a formula refers to (Table columns resolved)."""
        self.sheet, self.at = sheet, (row, col)
        out = []
        for m in _TOKEN.finditer(formula.lstrip("=")):
            if m.group("ref"):
                out.append(self._area(m.group("ref")))
            elif m.group("table"):
                out.append(self._table(m.group("table")))
        return out

    # -------------------------------------------------------------- parser
    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, text: str | None = None) -> tuple[str, str]:
        tok = self._peek()
        if tok is None or (text is not None and tok[1] != text):
            raise FormulaError(f"expected {text!r}, found {tok!r}")
        self.pos += 1
        return tok

    def _expr(self):
        left = self._term()
        while (tok := self._peek()) and tok[1] in "+-" and tok[0] == "op":
            self._take()
            right = self._term()
            left = self._scalar(left) + self._scalar(right) if tok[1] == "+" else \
                self._scalar(left) - self._scalar(right)
        return left

    def _term(self):
        left = self._factor()
        while (tok := self._peek()) and tok[1] in "*/" and tok[0] == "op":
            self._take()
            right = self._scalar(self._factor())
            if tok[1] == "/" and right == 0:
                raise FormulaError("#DIV/0!")
            left = self._scalar(left) * right if tok[1] == "*" else self._scalar(left) / right
        return left

    def _factor(self):
        kind, text = self._take()
        if kind == "op" and text == "-":
            return -self._scalar(self._factor())
        if kind == "op" and text == "(":
            inner = self._expr()
            self._take(")")
            return inner
        if kind == "num":
            return Fraction(Decimal(text))
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self._area(text)
        if kind == "table":
            return self._table(text)
        if kind == "func":
            args = []
            if self._peek() != ("op", ")"):
                args.append(self._expr())
                while self._peek() == ("op", ","):
                    self._take()
                    args.append(self._expr())
            self._take(")")
            return self._call(text, args)
        raise FormulaError(f"unexpected {text!r}")

    # -------------------------------------------------------------- values
    def _area(self, text: str) -> Area:
        sheet = self.sheet
        if "!" in text:
            sheet, text = text.rsplit("!", 1)
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
        c1, r1, c2, r2 = range_boundaries(text.replace("$", ""))
        return Area(sheet, r1, c1, r2, c2)

    def _table(self, text: str) -> Area:
        name, _, column = text.partition("[")
        column = column[:-1]
        ws = self.f[self.sheet]
        for table in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(table.ref)
            here = r1 <= self.at[0] <= r2 and c1 <= self.at[1] <= c2
            if (name and table.displayName == name) or (not name and here):
                names = [tc.name for tc in table.tableColumns]
                col = c1 + names.index(column)
                first = r1 + (table.headerRowCount if table.headerRowCount is not None else 1)
                last = r2 - (table.totalsRowCount or 0)
                return Area(self.sheet, first, col, last, col)
        raise FormulaError(f"no table for {text!r}")

    def _scalar(self, v) -> Fraction:
        if isinstance(v, Area):
            if (v.r1, v.c1) != (v.r2, v.c2):
                raise FormulaError("a range where a number is needed")
            raw = self.value(v.sheet, v.r1, v.c1)
            if raw is None:
                return Fraction(0)
            n = number(raw)
            if n is None:
                raise FormulaError(f"#VALUE! ({raw!r} in {v.sheet}!{v.c1}/{v.r1})")
            return n
        if isinstance(v, str):
            raise FormulaError("#VALUE! (text)")
        return v

    def _numbers(self, v, skip_subtotals: bool = False):
        if not isinstance(v, Area):
            yield self._scalar(v)
            return
        for sheet, r, c in v.cells():
            if skip_subtotals and "SUBTOTAL(" in (self.formula_text(sheet, r, c) or ""):
                continue
            n = number(self.value(sheet, r, c))
            if n is not None:
                yield n

    def _call(self, name: str, args: list):
        if name == "SUM":
            return sum((n for a in args for n in self._numbers(a)), Fraction(0))
        if name == "SUBTOTAL":
            code = self._scalar(args[0])
            if code not in (9, 109):
                raise FormulaError(f"SUBTOTAL({code})")
            return sum((n for a in args[1:] for n in self._numbers(a, True)), Fraction(0))
        if name == "SUMIF":
            where, criterion, what = args
            if isinstance(criterion, Area):
                criterion = self.value(criterion.sheet, criterion.r1, criterion.c1)
            total = Fraction(0)
            for (s, r, c), (s2, r2, c2) in zip(where.cells(), what.cells(), strict=True):
                v = self.value(s, r, c)
                same = (v.casefold() == str(criterion).casefold()) if isinstance(v, str) \
                    else v == criterion
                n = number(self.value(s2, r2, c2))
                if same and n is not None:
                    total += n
            return total
        raise FormulaError(f"unknown function {name}")


"""Cached values of formulas, computed again after the new year's cells are written.

A workbook written without calculating would show last year's results in every total
until Excel recalculates (and programs that read cached values, LibreOffice's import
included, would disagree with the formulas). The formulas budget workbooks use are
evaluated exactly (fractions): cell and range references (other sheets, ``$``, whole
columns, an Excel Table's ``[Colonna]`` / ``Tabella[Colonna]``), ``+ - * /``, unary
minus, ``SUM``/``SOMMA``, ``SUBTOTAL`` 9/109, ``SUMIF``/``SOMMA.SE`` (equality, ``<>``,
``>``, ``<`` criteria), ``ROUND``/``ARROTONDA``, ``MIN``, ``MAX``, ``ABS``, ``IF``/``SE``
with a comparison. Anything else is :class:`Unsupported`: its cached value is kept (and
reported); Excel recalculates on opening anyway (``fullCalcOnLoad``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from ..cells import col_index
from ..grid import ErrorValue, WorkbookGrid

Key = tuple[str, int, int]  # sheet (casefold), row, col
Value = Fraction | str | bool | ErrorValue | None


class Unsupported(Exception):
    """A formula this evaluator does not compute."""


_TOKENS = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?
        (?:(?P<c1>\$?[A-Za-z]{1,3}\$?[0-9]+)(?::(?P<c2>\$?[A-Za-z]{1,3}\$?[0-9]+))?
          |(?P<k1>\$?[A-Za-z]{1,3}):(?P<k2>\$?[A-Za-z]{1,3}))(?![A-Za-z0-9_(\[]))
  | (?P<table>(?P<tname>[A-Za-z_][A-Za-z0-9_.]*)?\[(?P<tcol>[^\[\]]+)\])
  | (?P<func>[A-Za-z][A-Za-z0-9_.]*)\s*\(
  | (?P<number>[0-9]+(?:[.][0-9]*)?(?:[Ee][+-]?[0-9]+)?%?)
  | (?P<op><>|<=|>=|[-+*/^(),;=<>&])
""", re.X)


class Range:
    """A rectangle of one sheet."""

    __slots__ = ("c1", "c2", "r1", "r2", "sheet")

    def __init__(self, sheet: str, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2

    def cells(self) -> Iterator[Key]:
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                yield (self.sheet, r, c)


def _cell(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]+)", text)
    assert m
    return int(m.group(2)), col_index(m.group(1).upper())


class Book:
    """The workbook's cells with this run's edits on top, and the formulas' values."""

    def __init__(self, grid: WorkbookGrid) -> None:
        self.grid = grid
        self.values: dict[Key, Value] = {}
        self.formulas: dict[Key, str] = {}
        self.max_row: dict[str, int] = {}
        self.present: dict[str, set[Key]] = {}  # sheet -> the keys of its cells
        for sheet in grid.sheets:
            name = sheet.name.casefold()
            self.max_row[name] = sheet.max_row
            keys = self.present[name] = set()
            for r, cells in sheet.rows.items():
                for c, cell in cells.items():
                    keys.add((name, r, c))
                    self.values[(name, r, c)] = _value(cell.value)
                    if cell.formula:
                        self.formulas[(name, r, c)] = cell.formula
        self._memo: dict[Key, Value] = {}
        self._busy: set[Key] = set()

    def put(self, sheet: str, row: int, col: int, value: object,
            formula: str | None = None) -> None:
        """Set a cell (``formula`` None makes it a constant)."""
        key = (sheet.casefold(), row, col)
        self.present.setdefault(key[0], set()).add(key)
        self.values[key] = _value(value)
        if formula:
            self.formulas[key] = formula
        else:
            self.formulas.pop(key, None)
        self.max_row[key[0]] = max(self.max_row.get(key[0], 0), row)

    def cells_of(self, rng: Range) -> Iterator[Key]:
        """The cells of ``rng`` in row-major order, as :meth:`Range.cells`; over an area
        larger than the sheet's cells, only the cells present (empty ones hold nothing),
        so ``SUM(A1:XFD1048576)`` costs the sheet's cells, not the grid's area."""
        keys = self.present.get(rng.sheet, set())
        if (rng.r2 - rng.r1 + 1) * (rng.c2 - rng.c1 + 1) <= max(len(keys), 4096):
            yield from rng.cells()
            return
        yield from sorted(k for k in keys
                          if rng.r1 <= k[1] <= rng.r2 and rng.c1 <= k[2] <= rng.c2)

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        return self.formulas.get((sheet.casefold(), row, col))

    def value(self, key: Key) -> Value:
        """The value of a cell, a formula's computed (its cached one when unsupported)."""
        if key not in self.formulas:
            return self.values.get(key)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            raise Unsupported("riferimento circolare")
        self._busy.add(key)
        try:
            result = _Parser(self, key, self.formulas[key]).run()
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def recompute(self) -> tuple[dict[Key, Value], list[Key]]:
        """Every formula's value now, and the formulas that could not be computed."""
        self._memo.clear()
        out: dict[Key, Value] = {}
        failed: list[Key] = []
        for key in self.formulas:
            try:
                out[key] = self.value(key)
            except (Unsupported, RecursionError, ZeroDivisionError):
                failed.append(key)
                out[key] = self.values.get(key)
                self._memo[key] = out[key]
        return out, failed

    def table_range(self, sheet: str, row: int, col: int, name: str | None,
                    column: str) -> Range:
        """The data rows of an Excel Table column (``[Budget 2021]``)."""
        grid_sheets = [s for s in self.grid.sheets
                       if name is not None or s.name.casefold() == sheet]
        wanted = column.strip().lstrip("@").strip()
        if wanted.startswith("#"):
            raise Unsupported(f"riferimento strutturato {column}")
        for s in grid_sheets:
            for t in s.tables:
                r1, c1, r2, c2 = t.ref
                inside = r1 <= row <= r2 and c1 <= col <= c2 and s.name.casefold() == sheet
                if (name is None and inside) or (name is not None
                                                 and t.name.casefold() == name.casefold()):
                    names = [n.casefold() for n in t.columns]
                    if wanted.casefold() not in names:
                        raise Unsupported(f"colonna {column}")
                    c = c1 + names.index(wanted.casefold())
                    first, last = t.data_rows
                    return Range(s.name.casefold(), first, c, last, c)
        raise Unsupported(f"tabella di {column}")


def _value(v: object) -> Value:
    if v is None or isinstance(v, (bool, ErrorValue, str, Fraction)):
        return v  # type: ignore[return-value]
    if isinstance(v, float):
        return Fraction(repr(v))
    if isinstance(v, (int, Decimal)):
        return Fraction(v)
    return str(v)


def cached(value: Value) -> object:
    """A computed value as a cell stores it: exact cents as Decimal, else float."""
    if isinstance(value, Fraction):
        if (value * 100).denominator == 1:
            return Decimal(value.numerator) / Decimal(value.denominator)
        return float(value)
    return value


def _num(v: object) -> Fraction:
    if isinstance(v, ErrorValue):
        raise _Error(v)
    if v is None or v == "":
        return Fraction(0)
    if isinstance(v, bool):
        return Fraction(int(v))
    if isinstance(v, Fraction):
        return v
    raise _Error(ErrorValue("#VALUE!"))


class _Error(Exception):
    def __init__(self, value: ErrorValue) -> None:
        self.value = value


class _Parser:
    """Recursive descent over one formula, evaluating as it goes."""

    def __init__(self, book: Book, key: Key, formula: str) -> None:
        self.book, self.key = book, key
        self.tokens = self._lex(formula.lstrip("=").strip())
        self.i = 0

    def _lex(self, text: str) -> list[tuple[str, re.Match[str]]]:
        out, i = [], 0
        while i < len(text):
            m = _TOKENS.match(text, i)
            if m is None:
                raise Unsupported(f"testo non letto: {text[i:]}")
            if m.lastgroup != "ws":
                kind = next(k for k in ("string", "ref", "table", "func", "number", "op")
                            if m.group(k) is not None)
                out.append((kind, m))
            i = m.end()
        return out

    def run(self) -> Value:
        try:
            value = self.compare()
            if self.i != len(self.tokens):
                raise Unsupported("formula non letta fino in fondo")
            if isinstance(value, Range):
                value = self._single(value)
            return value
        except _Error as err:
            return err.value
        except ZeroDivisionError:
            return ErrorValue("#DIV/0!")

    # -- tokens
    def peek(self, text: str | None = None) -> bool:
        if self.i >= len(self.tokens):
            return False
        kind, m = self.tokens[self.i]
        return text is None or (kind == "op" and m.group(0) == text)

    def take(self, text: str) -> None:
        if not self.peek(text):
            raise Unsupported(f"atteso «{text}»")
        self.i += 1

    # -- grammar: compare > add > mul > unary > primary
    def compare(self) -> Value | Range:
        left = self.add()
        for op in ("=", "<>", "<=", ">=", "<", ">"):
            if self.peek(op):
                self.i += 1
                right = self.add()
                return _compare(op, self._scalar(left), self._scalar(right))
        return left

    def add(self) -> Value | Range:
        left = self.mul()
        while self.peek("+") or self.peek("-"):
            op = self.tokens[self.i][1].group(0)
            self.i += 1
            right = _num(self._scalar(self.mul()))
            left = _num(self._scalar(left)) + (right if op == "+" else -right)
        return left

    def mul(self) -> Value | Range:
        left = self.unary()
        while self.peek("*") or self.peek("/"):
            op = self.tokens[self.i][1].group(0)
            self.i += 1
            right = _num(self._scalar(self.unary()))
            a = _num(self._scalar(left))
            left = a * right if op == "*" else a / right
        return left

    def unary(self) -> Value | Range:
        if self.peek("-"):
            self.i += 1
            return -_num(self._scalar(self.unary()))
        if self.peek("+"):
            self.i += 1
            return self.unary()
        return self.primary()

    def primary(self) -> Value | Range:
        if self.i >= len(self.tokens):
            raise Unsupported("formula incompleta")
        kind, m = self.tokens[self.i]
        self.i += 1
        if kind == "number":
            text = m.group(0)
            pct = text.endswith("%")
            n = Fraction(text.rstrip("%"))
            return n / 100 if pct else n
        if kind == "string":
            return m.group(0)[1:-1].replace('""', '"')
        if kind == "ref":
            return self._range(m)
        if kind == "table":
            sheet, row, col = self.key
            return self.book.table_range(sheet, row, col, m.group("tname"), m.group("tcol"))
        if kind == "func":
            return self._call(m.group("func").upper())
        if m.group(0) == "(":
            value = self.compare()
            self.take(")")
            return value
        raise Unsupported(f"«{m.group(0)}»")

    def _range(self, m: re.Match[str]) -> Range:
        sheet = m.group("sheet")
        if sheet is None:
            name = self.key[0]
        else:
            name = (sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
                    ).casefold()
            if name not in self.book.max_row:
                raise _Error(ErrorValue("#REF!"))
        if m.group("k1"):
            c1 = col_index(m.group("k1").lstrip("$").upper())
            c2 = col_index(m.group("k2").lstrip("$").upper())
            return Range(name, 1, min(c1, c2), self.book.max_row.get(name, 1), max(c1, c2))
        r1, c1 = _cell(m.group("c1"))
        r2, c2 = _cell(m.group("c2")) if m.group("c2") else (r1, c1)
        return Range(name, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))

    def _single(self, rng: Range) -> Value:
        if (rng.r1, rng.c1) != (rng.r2, rng.c2):
            raise Unsupported("intervallo usato come valore")
        v = self.book.value((rng.sheet, rng.r1, rng.c1))
        return Fraction(0) if v is None else v

    def _scalar(self, v: Value | Range) -> Value:
        return self._single(v) if isinstance(v, Range) else v

    def _args(self) -> list[Value | Range]:
        args: list[Value | Range] = []
        if self.peek(")"):
            self.i += 1
            return args
        while True:
            args.append(self.compare())
            if self.peek(",") or self.peek(";"):
                self.i += 1
                continue
            self.take(")")
            return args

    def _numbers(self, args: list[Value | Range]) -> Iterator[Fraction]:
        for a in args:
            if isinstance(a, Range):
                for key in self.book.cells_of(a):
                    v = self.book.value(key)
                    if isinstance(v, ErrorValue):
                        raise _Error(v)
                    if isinstance(v, Fraction):
                        yield v
            else:
                yield _num(a)

    def _call(self, name: str) -> Value:
        args = self._args()
        fn = _FUNCTIONS.get(name)
        if fn is None:
            raise Unsupported(f"funzione {name}")
        return fn(self, args)


def _compare(op: str, a: Value, b: Value) -> bool:
    if isinstance(a, ErrorValue):
        raise _Error(a)
    if isinstance(b, ErrorValue):
        raise _Error(b)
    if isinstance(a, str) or isinstance(b, str):
        x, y = str(a or "").casefold(), str(b or "").casefold()
    else:
        x, y = _num(a), _num(b)  # type: ignore[assignment]
    return {"=": x == y, "<>": x != y, "<": x < y, ">": x > y, "<=": x <= y,
            ">=": x >= y}[op]


def _sum(p: _Parser, args: list) -> Value:
    return sum(p._numbers(args), Fraction(0))


def _subtotal(p: _Parser, args: list) -> Value:
    if not args or p._scalar(args[0]) not in (Fraction(9), Fraction(109)):
        raise Unsupported("SUBTOTAL diverso da 9/109")
    total = Fraction(0)
    for a in args[1:]:  # as Excel: other SUBTOTALs inside the ranges are left out
        if not isinstance(a, Range):
            total += _num(a)
            continue
        for key in p.book.cells_of(a):
            if re.search(r"\bSUBTOTAL[E]?\s*\(", p.book.formulas.get(key, ""), re.I):
                continue
            total += sum(p._numbers([Range(key[0], key[1], key[2], key[1], key[2])]),
                         Fraction(0))
    return total


def _criterion(c: Value) -> Callable[[Value], bool]:
    if isinstance(c, str):
        m = re.match(r"^(<>|<=|>=|=|<|>)(.*)$", c)
        op, text = (m.group(1), m.group(2)) if m else ("=", c)
        try:
            target: Value = Fraction(text.replace(",", "."))
        except (ValueError, ZeroDivisionError):
            target = text
        if any(ch in text for ch in "*?"):
            raise Unsupported("caratteri jolly nel criterio")
        return lambda v: _compare(op, v if v is not None else "", target) \
            if not (isinstance(target, str) and isinstance(v, Fraction)) else op == "<>"
    return lambda v: isinstance(v, Fraction) and v == c


def _sumif(p: _Parser, args: list) -> Value:
    if len(args) not in (2, 3) or not isinstance(args[0], Range):
        raise Unsupported("SUMIF")
    where = args[0]
    target = args[2] if len(args) == 3 else where
    if not isinstance(target, Range):
        raise Unsupported("SUMIF")
    test = _criterion(p._scalar(args[1]))
    total = Fraction(0)
    dr, dc = target.r1 - where.r1, target.c1 - where.c1
    shape = Range(target.sheet, target.r1, target.c1, where.r2 + dr, where.c2 + dc)
    keys = {*p.book.cells_of(where),  # a blank criterion cell beside a figure counts too
            *((where.sheet, r - dr, c - dc) for (_s, r, c) in p.book.cells_of(shape))}
    for (s, r, c) in sorted(keys, key=lambda k: (k[1], k[2])):
        if test(p.book.value((s, r, c))):
            v = p.book.value((target.sheet, target.r1 + r - where.r1, target.c1 + c - where.c1))
            if isinstance(v, ErrorValue):
                raise _Error(v)
            if isinstance(v, Fraction):
                total += v
    return total


def _round(p: _Parser, args: list) -> Value:
    x = _num(p._scalar(args[0]))
    digits = int(_num(p._scalar(args[1]))) if len(args) > 1 else 0
    scale = Fraction(10) ** digits
    y = abs(x) * scale
    n = int(y) + (1 if y - int(y) >= Fraction(1, 2) else 0)
    return (n if x >= 0 else -n) / scale


def _if(p: _Parser, args: list) -> Value:
    cond = p._scalar(args[0])
    picked = args[1] if (cond if isinstance(cond, bool) else _num(cond) != 0) else (
        args[2] if len(args) > 2 else False)
    return p._scalar(picked)


_FUNCTIONS: dict[str, Callable[[_Parser, list], Value]] = {
    "SUM": _sum, "SOMMA": _sum, "SUBTOTAL": _subtotal, "SUBTOTALE": _subtotal,
    "SUMIF": _sumif, "SOMMA.SE": _sumif, "ROUND": _round, "ARROTONDA": _round,
    "MIN": lambda p, a: min(p._numbers(a), default=Fraction(0)),
    "MAX": lambda p, a: max(p._numbers(a), default=Fraction(0)),
    "ABS": lambda p, a: abs(_num(p._scalar(a[0]))),
    "IF": _if, "SE": _if,
}

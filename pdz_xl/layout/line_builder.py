"""Cost lines of a wide table, built fast and small.

A 100,000-line table makes 100,000 :class:`~pdz_xl.plan.Line` objects with four small
dicts each. :func:`wide_line_builder` writes, once per table, a function that builds one
line with every dict written out for that table's columns (no per-line loops over the
columns, no per-field validation, as :func:`~pdz_xl.plan.construct` does), the way
:mod:`dataclasses` writes its ``__init__``. The generated source holds only identifiers
and column numbers: keys, years and cell prefixes are passed in as bound names, never
written into the source.

Each line's ``__dict__`` is a copy of one key-sharing dict (about 140 bytes a line less
than a dict of its own); the empty ``other_amounts``/``other_cells``/``rows`` of the lines
are one shared empty dict or list each, like their ``path`` and ``groups`` lists: lines are
read, never changed in place.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plan import Line

_EMPTY_DICT: dict = {}
_EMPTY_LIST: list = []


class _Fields:
    """Holder whose instance dict is the key-sharing template of a Line's fields."""


def _template() -> dict:
    holder = _Fields()
    for name in Line.model_fields:
        setattr(holder, name, None)
    return holder.__dict__


_TEMPLATE = _template()
_FIELDS_SET = set(Line.model_fields)

LineBuilder = Callable[..., Line]
_CODE: dict[str, object] = {}  # builder source -> its compiled code


def empty_rows() -> list:
    """The shared empty ``rows`` list of wide-table lines."""
    return _EMPTY_LIST


def wide_line_builder(sheet: str, table: int, voce_col: int, year_cols: dict[int, int],
                      channel_of: dict[str, int], other_cols: dict[int, str],
                      letters: dict[int, str]) -> LineBuilder:
    """``build(id, row, values, path, groups, voce, hidden, rows) -> Line`` for one table:
    ``values`` is the row's column -> cents; cells are ``Sheet!<letters><row>``."""
    env: dict[str, object] = {
        "_new": object.__new__, "_set": object.__setattr__, "_Line": Line,
        "_template": _TEMPLATE, "_fields_set": _FIELDS_SET, "_empty": _EMPTY_DICT,
        "_sheet": sheet, "_table": table, "_voce_prefix": f"{sheet}!{letters[voce_col]}",
    }

    def entries(pairs: list[tuple[object, int]], tag: str) -> tuple[str, str]:
        """Source of the values dict and of the cells dict of (key, column) pairs."""
        vals, cells = [], []
        for i, (key, col) in enumerate(pairs):
            env[f"_{tag}k{i}"] = key
            env[f"_{tag}p{i}"] = f"{sheet}!{letters[col]}"
            vals.append(f"_{tag}k{i}: get({int(col)})")
            cells.append(f"_{tag}k{i}: _{tag}p{i} + rs")
        return "{" + ", ".join(vals) + "}", "{" + ", ".join(cells) + "}"

    amounts, amount_cells = entries([(y, c) for c, y in year_cols.items()], "y")
    channels, channel_cells = entries(list(channel_of.items()), "c")
    if other_cols:
        others, other_cells = entries([(k, c) for c, k in other_cols.items()], "o")
    else:
        others = other_cells = "_empty"
    src = f"""\
def build(id_, row, values, path, groups, voce, hidden, rows):
    get = values.get
    rs = str(row)
    d = _template.copy()
    d["id"] = id_
    d["cell"] = _voce_prefix + rs
    d["sheet"] = _sheet
    d["row"] = row
    d["table"] = _table
    d["path"] = path
    d["groups"] = groups
    d["voce"] = voce
    d["amounts"] = {amounts}
    d["amount_cells"] = {amount_cells}
    d["channels"] = {channels}
    d["channel_cells"] = {channel_cells}
    d["hidden"] = hidden
    d["other_amounts"] = {others}
    d["other_cells"] = {other_cells}
    d["rows"] = rows
    line = _new(_Line)
    _set(line, "__dict__", d)
    _set(line, "__pydantic_fields_set__", _fields_set)
    _set(line, "__pydantic_extra__", None)
    _set(line, "__pydantic_private__", None)
    return line
"""
    code = _CODE.get(src)
    if code is None:  # tables of the same columns share the source: compiled once
        code = _CODE[src] = compile(src, "<wide line builder>", "exec")
    exec(code, env)
    return env["build"]  # type: ignore[return-value]

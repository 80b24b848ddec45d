"""Cost lines of a wide table, built fast and small.

A 100,000-line table makes 100,000 :class:`~pdz_xl.plan.Line` objects with four small
dicts each. :class:`WideLineBuilders` writes, once per table layout, a function that builds
the table's lines with every dict written out for its columns (no per-line loops over the
columns, no per-field validation, as :func:`~pdz_xl.plan.construct` does), the way
:mod:`dataclasses` writes its ``__init__``. The generated source holds identifiers, column
numbers and the ``repr`` of the int and str keys and cell prefixes (Python literals,
whatever the text); anything else is passed in as a bound name.

Each line's ``__dict__`` is a key-sharing instance dict (about 250 bytes a line less than
a dict of its own); its cells are :class:`~pdz_xl.cells.RowCells` on the table's columns
(its row only, not a dict of strings); the empty ``other_amounts``/``other_cells``/``rows``
of the lines are one shared empty dict or list each, like their ``path`` and ``groups``
lists: lines are read, never changed in place.
"""

from __future__ import annotations

from collections.abc import Callable

from ..cells import RowCells
from ..plan import Line
from .model import ROW_LINE

_EMPTY_DICT: dict = {}
_EMPTY_LIST: list = []


class _Fields:
    """A Line's fields as attributes: instance dicts of a plain class share one key table
    (the dict of a line costs its values only)."""


def _share_keys() -> None:
    """Set the fields once in the Line's order: the instances share that key table."""
    holder = _Fields()
    for name in Line.model_fields:
        setattr(holder, name, None)


_share_keys()
_FIELDS_SET = set(Line.model_fields)

LineBuilder = Callable[..., None]
_CODE: dict[str, object] = {}  # builder source -> its compiled code


def _slot_setter(name: str) -> Callable[[object, object], None]:
    """The setter of one of the pydantic model's slots (its descriptor's ``__set__``)."""
    for klass in Line.__mro__:
        descriptor = vars(klass).get(name)
        if descriptor is not None:
            return descriptor.__set__
    raise AttributeError(name)


_SETTERS = {"_set_dict": _slot_setter("__dict__"),
            "_set_fields_set": _slot_setter("__pydantic_fields_set__"),
            "_set_extra": _slot_setter("__pydantic_extra__"),
            "_set_private": _slot_setter("__pydantic_private__")}


class WideLineBuilders:
    """The builders of one execution: tables with the same columns on a sheet share the
    builder's source and bound names (only the table number differs)."""

    def __init__(self) -> None:
        self._made: dict[tuple, tuple[object, dict[str, object]]] = {}

    def builder(self, sheet: str, table: int, voce_col: int, year_cols: dict[int, int],
                channel_of: dict[str, int], other_cols: dict[int, str],
                letters: dict[int, str]) -> LineBuilder:
        """``build(roles, lines, rows_of, paths_of, path_of, hidden_rows)`` for one table:
        appends to ``lines`` the Line of every line role of ``roles``, numbered on;
        ``rows_of``: row -> its record (``.values``: column -> cents), ``paths_of`` (a
        lookup, None when missing) and ``path_of``: a role's path -> (groups, labels);
        cells are ``Sheet!<col><row>``."""
        key = (sheet, voce_col, tuple(year_cols.items()), tuple(channel_of.items()),
               tuple(other_cols.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _source(sheet, voce_col, year_cols, channel_of,
                                             other_cols, letters)
        code, bound = made
        env = dict(bound)
        env["_table"] = table
        exec(code, env)
        return env.pop("build")  # type: ignore[return-value]  (out of its globals: no cycle)


def _source(sheet: str, voce_col: int, year_cols: dict[int, int], channel_of: dict[str, int],
            other_cols: dict[int, str], letters: dict[int, str]
            ) -> tuple[object, dict[str, object]]:
    """The compiled builder of a table's columns, and the names it reads."""
    env: dict[str, object] = {
        "_new": object.__new__, "_Line": Line, "_Fields": _Fields, "_RowCells": RowCells,
        "_fields_set": _FIELDS_SET, "_empty": _EMPTY_DICT, "_sheet": sheet,
        "_LINE": ROW_LINE, "_no_values": _EMPTY_DICT.get, "_no_rows": _EMPTY_LIST,
        "_voce_prefix": f"{sheet}!{letters[voce_col]}", **_SETTERS,
    }

    def literal(value: object, name: str) -> str:
        """``value`` in the source: an int or str as its literal (keys of every line's
        dicts: written once, in the code), anything else by a bound name."""
        if type(value) in (int, str):
            return repr(value)
        env[name] = value
        return name

    def entries(pairs: list[tuple[object, int]], tag: str) -> tuple[str, str]:
        """Source of the values dict and of the cells (a RowCells on the table's
        ``key -> "Sheet!<col>"`` dict) of (key, column) pairs."""
        vals = [f"{literal(key, f'_{tag}k{i}')}: get({int(col)})"
                for i, (key, col) in enumerate(pairs)]
        env[f"_{tag}cells"] = {key: f"{sheet}!{letters[col]}" for key, col in pairs}
        return "{" + ", ".join(vals) + "}", f"_RowCells(_{tag}cells, row)"

    amounts, amount_cells = entries([(y, c) for c, y in year_cols.items()], "y")
    channels, channel_cells = entries(list(channel_of.items()), "c")
    if other_cols:
        others, other_cells = entries([(k, c) for c, k in other_cols.items()], "o")
    else:
        others = other_cells = "_empty"
    fields = {
        "id": "id_", "cell": "_voce_prefix + rs", "sheet": "_sheet", "row": "row",
        "table": "_table", "path": "shared[1]", "groups": "shared[0]", "voce": "role.label",
        "amounts": amounts, "amount_cells": amount_cells, "channels": channels,
        "channel_cells": channel_cells, "hidden": "row in hidden_rows",
        "other_amounts": others, "other_cells": other_cells,
        "rows": "list(role.rows) if role.rows else _no_rows",
    }
    stores = "".join(f"        f.{name} = {fields[name]}\n" for name in Line.model_fields)
    src = (
        "def build(roles, lines, rows_of, paths_of, path_of, hidden_rows):\n"
        "    append = lines.append\n"
        "    id_ = len(lines)\n"
        "    for role in roles:\n"
        "        if role.role != _LINE:\n"
        "            continue\n"
        "        row = role.row\n"
        "        rd = rows_of(row)\n"
        "        get = _no_values if rd is None else rd.values.get\n"
        "        shared = paths_of(role.path) or path_of(role.path)\n"
        "        rs = str(row)\n"
        "        f = _new(_Fields)\n"
        f"{stores}"
        "        line = _new(_Line)\n"
        "        _set_dict(line, f.__dict__)\n"
        "        _set_fields_set(line, _fields_set)\n"
        "        _set_extra(line, None)\n"
        "        _set_private(line, None)\n"
        "        append(line)\n"
        "        id_ += 1\n"
    )
    code = _CODE.get(src)
    if code is None:  # tables of the same columns share the source: compiled once
        if len(_CODE) >= 256:
            _CODE.clear()
        code = _CODE[src] = compile(src, "<wide line builder>", "exec")
    return code, env

"""The layout stated in the workbook: the ``_pdz`` sheet and ``PDZ_*`` defined names.

Key in column A, value in column B (``pdz-xl mappa`` writes every key it inferred, with
how sure it was and the alternatives in the next columns; a user corrects one cell).
Keys (Italian; ``_`` and spaces alike; lists separated by ``;`` or ``,``; sheet names as
written, quoted with ``'`` when they hold ``!``):

- ``anno_piano``, ``anno_confronto``: the plan year and the comparison year;
- ``tolleranza``: rounding tolerance in euro (``0,05``);
- ``ente``: the name of the ente or ambito, for headers and footers of generated sheets;
- ``fogli`` (only these sheets), ``ignora_fogli``, ``riepiloghi`` (sheets that summarise
  others: read as summary tables, never as cost lines);
- ``intestazione``: header rows, ``Foglio!5`` or ``Foglio!4:5`` for a two-row header —
  only those rows are headers on those sheets;
- per table, named by the first cell of its (lowest) header row ``Foglio!A5`` (or just
  the row, ``Foglio!5``) — once any table of a sheet is stated, only the stated tables of
  that sheet are read: ``intestazione Foglio!A5``
  (``4:5``: its header rows), ``tabella Foglio!A5`` (costi, entrate, entrate pluriennali,
  triennale, pluriennale, confronto, riepilogo, ignora), ``colonne Foglio!A5`` (``A:I``:
  where it starts and ends, for tables side by side), ``fine Foglio!A5`` (its last row),
  ``totali Foglio!A5`` (``sotto`` / ``sopra`` the lines they close), ``livelli
  Foglio!A5`` (heading levels outermost first: ``obiettivo; azione``);
- ``colonna Foglio!D4`` (the header cell of a column): ``voce``, ``gruppo area`` /
  ``gruppo obiettivo`` / ``gruppo servizio`` / ``gruppo azione``, ``codice``, ``note``,
  ``ignora``, ``importo 2021`` / ``budget 2021`` / ``consuntivo 2019`` / ``assestato 2020``
  ..., ``triennio``, ``canale FNPS`` (or just the code), ``nome canale`` / ``anno`` (the
  channel and year columns of a long table);
- ``colonna <testo intestazione>``: the channel code of every column with that header;
- ``riga Foglio!12``: ``voce``, ``titolo`` (``titolo azione`` ...), ``totale``, ``nota``,
  ``ignora``;
- ``importi`` (every sheet) or ``importi Foglio``: ``euro``, ``migliaia``, ``milioni`` —
  the unit the amounts are written in.

Defined names ``PDZ_ANNO_PIANO``, ``PDZ_ANNO_CONFRONTO``, ``PDZ_TOLLERANZA`` holding a
constant are read too. The ``_pdz`` sheet wins over names, names over detection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cells import col_index, parse_a1
from ..channels.catalog import normalise_label
from ..grid import WorkbookGrid
from ..money import AmountError, parse_amount
from .model import LEVELS, TABLE_KINDS

CONFIG_SHEET = "_pdz"
OWNED_SHEETS = frozenset(
    s.casefold() for s in
    ["_pdz", "_pdz_segni", "Controlli PDZ", "Triennale PDZ", "Regole PDZ", "Proiezioni PDZ",
     "Canali PDZ", "Confronto PDZ", "Allocazione PDZ"]
)
CONFIG_HEADER = ("Chiave", "Valore", "Sicurezza", "Alternative considerate", "Perché")

TableKey = tuple[str, int, int | None]  # (sheet casefolded, header row, first column)


@dataclass
class LayoutConfig:
    """What the workbook says explicitly about its own layout."""

    plan_year: int | None = None
    comparison_year: int | None = None
    tolerance_cents: int | None = None
    ente: str | None = None
    sheets: list[str] = field(default_factory=list)
    ignore_sheets: list[str] = field(default_factory=list)
    summary_sheets: list[str] = field(default_factory=list)
    bands: dict[str, list[list[int]]] = field(default_factory=dict)  # sheet -> header bands
    table_kind: dict[TableKey, str] = field(default_factory=dict)
    table_cols: dict[TableKey, tuple[int, int]] = field(default_factory=dict)
    table_end: dict[TableKey, int] = field(default_factory=dict)
    table_totals: dict[TableKey, str] = field(default_factory=dict)
    table_levels: dict[TableKey, list[str]] = field(default_factory=dict)
    table_rows: dict[TableKey, list[int]] = field(default_factory=dict)  # its header rows
    column_roles: dict[tuple[str, int, int], str] = field(default_factory=dict)
    column_channels: dict[str, str] = field(default_factory=dict)  # normalised header -> code
    column_channel_keys: list[tuple[str, str]] = field(default_factory=list)  # as written
    row_roles: dict[tuple[str, int], str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # sheet casefolded ("" all) -> unit
    problems: list[tuple[str, str]] = field(default_factory=list)  # (cell, Italian message)
    source: str | None = None  # "_pdz", "nomi definiti"

    def anchors(self, sheet: str) -> dict[tuple[int, int | None], dict]:
        """The tables stated on a sheet, by their lowest header row and first column (None
        when stated by row only): their header rows, columns and last row where stated
        (empty when nothing is stated about the sheet's tables)."""
        key = sheet.casefold()
        out: dict[tuple[int, int | None], dict] = {}
        for rows in self.bands.get(key, []):
            out.setdefault((rows[-1], None), {})["rows"] = rows
        for table_keys in (self.table_kind, self.table_cols, self.table_end, self.table_totals,
                           self.table_levels, self.table_rows):
            for s, r, c in table_keys:
                if s == key:
                    out.setdefault((r, c), {})
        for field_name, values in (("rows", self.table_rows), ("cols", self.table_cols),
                                   ("end", self.table_end)):
            for (s, r, c), value in values.items():
                if s == key:
                    out[(r, c)][field_name] = value
        # a table stated by its cell and by its row alone is one table
        for (r, c) in [k for k in out if k[1] is not None]:
            if (r, None) in out:
                merged = {**out.pop((r, None)), **out[(r, c)]}
                out[(r, c)] = merged
        return out

    def table_value(self, values: dict, sheet: str, row: int, col: int):
        """What a table key states for the table at (row, first column), if anything."""
        key = sheet.casefold()
        hit = values.get((key, row, col))
        return hit if hit is not None else values.get((key, row, None))


def split_list(value: object, known: list[str] | None = None) -> list[str]:
    """A list as users write it: ``A; B``, ``A, B``, one per line. A known sheet name that
    holds a comma stays whole."""
    text = str(value or "").strip()
    if not text:
        return []
    known_cf = {k.casefold() for k in known or []}
    if text.casefold() in known_cf:
        return [text]
    out: list[str] = []
    for part in re.split(r"[;\n]", text):
        part = part.strip().strip("'")
        if not part:
            continue
        if part.casefold() in known_cf or "," not in part:
            out.append(part)
        else:
            out.extend(_comma_items(part, known_cf))
    return out


def _comma_items(text: str, known_cf: set[str]) -> list[str]:
    """Split on commas, but keep together the pieces that make a known name
    («Area Uno, Area, Due» with a sheet «Area, Due» -> «Area Uno», «Area, Due»)."""
    known = {re.sub(r"\s*,\s*", ",", k) for k in known_cf}
    tokens = [t.strip().strip("'") for t in text.split(",")]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        take = 1
        for j in range(len(tokens), i + 1, -1):
            if ",".join(tokens[i:j]).casefold() in known:
                take = j - i
                break
        item = ", ".join(tokens[i:i + take])
        if item:
            out.append(item)
        i += take
    return out


def _year(value: object) -> int | None:
    try:
        y = int(float(str(value).strip().replace(",", ".")))
    except ValueError:
        return None
    return y if 1990 <= y <= 2100 else None


def _tolerance(value: object) -> int | None:
    try:
        cents = parse_amount(value)
    except AmountError:
        return None
    return abs(cents) if cents is not None else None


def split_ref(text: str) -> tuple[str, str] | None:
    """``Foglio!D4`` / ``'Mio foglio'!5`` -> (sheet, D4 | 5)."""
    t = text.strip()
    sheet, sep, where = t.rpartition("!")
    if not sep or not sheet:
        return None
    sheet = sheet.strip()
    if sheet.startswith("'") and sheet.endswith("'") and len(sheet) > 1:
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, where.strip()


def _rows(where: str) -> list[int] | None:
    m = re.fullmatch(r"\$?(\d+)(?:\s*[:-]\s*\$?(\d+))?", where)
    if not m:
        return None
    a = int(m.group(1))
    b = int(m.group(2) or a)
    return list(range(min(a, b), max(a, b) + 1))


def _anchor(where: str) -> tuple[int, int | None] | None:
    """``5`` -> (5, None); ``K5`` -> (5, 11): a table by its header row (and first column)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})?\$?(\d+)", where.strip())
    if not m:
        return None
    return int(m.group(2)), (col_index(m.group(1)) if m.group(1) else None)


def _col_span(value: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*\$?([A-Za-z]{1,3})\s*[:-]\s*\$?([A-Za-z]{1,3})\s*", value)
    if not m:
        return None
    a, b = col_index(m.group(1)), col_index(m.group(2))
    return min(a, b), max(a, b)


_TABLE_KEYS = ("tabella", "colonne", "fine", "totali", "livelli", "intestazione")  # per table


def read_config(grid: WorkbookGrid) -> LayoutConfig:
    """Collect the explicit mapping from defined names and the ``_pdz`` sheet."""
    cfg = LayoutConfig()
    names = {k.upper(): v for k, v in grid.defined_names.items()}
    if "PDZ_ANNO_PIANO" in names:
        cfg.plan_year = _year(names["PDZ_ANNO_PIANO"].lstrip("="))
        cfg.source = "nomi definiti"
    if "PDZ_ANNO_CONFRONTO" in names:
        cfg.comparison_year = _year(names["PDZ_ANNO_CONFRONTO"].lstrip("="))
    if "PDZ_TOLLERANZA" in names:
        cfg.tolerance_cents = _tolerance(names["PDZ_TOLLERANZA"].lstrip("="))
    sheet = grid.sheet(CONFIG_SHEET)
    if sheet is None:
        return cfg
    cfg.source = CONFIG_SHEET
    known = grid.sheet_names
    for r, cells in sheet.iter_rows():
        key_cell, val_cell = cells.get(1), cells.get(2)
        if key_cell is None or not isinstance(key_cell.value, str) or not key_cell.value.strip():
            continue
        raw_key = key_cell.value.strip()
        value = val_cell.value if val_cell else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"{CONFIG_SHEET}!A{r}"
        word, _, rest = raw_key.replace("_", " ").partition(" ")
        word = word.casefold()
        simple = normalise_label(raw_key)
        text = str(value).strip() if not isinstance(value, float) else (
            str(int(value)) if value.is_integer() else str(value))
        if simple == "chiave":
            continue
        if simple == "anno piano":
            cfg.plan_year = _year(value) or _bad(cfg, where, raw_key, text) or cfg.plan_year
        elif simple == "anno confronto":
            cfg.comparison_year = _year(value) or _bad(cfg, where, raw_key, text) or \
                cfg.comparison_year
        elif simple == "tolleranza":
            cfg.tolerance_cents = _tolerance(value)
            if cfg.tolerance_cents is None:
                _bad(cfg, where, raw_key, text)
        elif simple == "ente":
            cfg.ente = text
        elif simple == "fogli":
            cfg.sheets = split_list(text, known)
        elif simple == "ignora fogli":
            cfg.ignore_sheets = split_list(text, known)
        elif simple == "riepiloghi":
            cfg.summary_sheets = split_list(text, known)
        elif simple == "intestazione" and "!" not in raw_key:
            for item in split_list(text.replace(",", ";"), known):
                ref = split_ref(item)
                rows = _rows(ref[1]) if ref else None
                if ref is None or rows is None:
                    _bad(cfg, where, raw_key, item)
                    continue
                cfg.bands.setdefault(ref[0].casefold(), []).append(rows)
        elif word == "importi":
            from .units import parse_unit

            unit = parse_unit(text)
            sheet_name = rest.strip().strip("'")
            if unit is None or (sheet_name and sheet_name.casefold() not in
                                {k.casefold() for k in known}):
                _bad(cfg, where, raw_key, text if unit is None else sheet_name)
            else:
                cfg.units[sheet_name.casefold()] = unit
        elif word in _TABLE_KEYS and rest:
            _table_key(cfg, where, word, rest, text, raw_key)
        elif word == "colonna" and rest:
            ref = split_ref(rest)
            if ref is not None and re.fullmatch(r"\$?[A-Za-z]{1,3}\$?\d+", ref[1]):
                row, col = parse_a1(ref[1].replace("$", ""))
                cfg.column_roles[(ref[0].casefold(), row, col)] = text
            else:
                cfg.column_channels[normalise_label(rest)] = text.upper()
                cfg.column_channel_keys.append((rest.strip(), text.upper()))
        elif word == "riga" and rest:
            ref = split_ref(rest)
            rows = _rows(ref[1]) if ref else None
            if ref is None or rows is None:
                _bad(cfg, where, raw_key, rest)
                continue
            for row in rows:
                cfg.row_roles[(ref[0].casefold(), row)] = normalise_label(text)
        else:
            cfg.problems.append((where, f"chiave «{raw_key}» non riconosciuta nel foglio "
                                        f"«{CONFIG_SHEET}»: la riga è stata ignorata."))
    return cfg


def _table_key(cfg: LayoutConfig, where: str, word: str, rest: str, text: str,
               raw_key: str) -> None:
    ref = split_ref(rest)
    anchor = _anchor(ref[1]) if ref else None
    if ref is None or anchor is None:
        _bad(cfg, where, raw_key, rest)
        return
    key = (ref[0].casefold(), *anchor)
    field_name, parse = _TABLE_PARSERS[word]
    value = parse(text, anchor[0])
    if value is None:
        _bad(cfg, where, raw_key, text)
        return
    getattr(cfg, field_name)[key] = value


def _parse_band(text: str, row: int) -> list[int] | None:
    band = _rows(text.split("!")[-1].strip())
    return band if band is not None and row in band else None


def _parse_kind(text: str, row: int) -> str | None:
    value = normalise_label(text)
    return value if value in TABLE_KINDS else None


def _parse_end(text: str, row: int) -> int | None:
    end = _rows(text)
    return end[-1] if end else None


def _parse_totals(text: str, row: int) -> str | None:
    value = normalise_label(text)
    return value if value in ("sotto", "sopra") else None


def _parse_levels(text: str, row: int) -> list[str] | None:
    levels = [normalise_label(p) for p in split_list(text)]
    return levels if levels and all(lv in LEVELS for lv in levels) else None


_TABLE_PARSERS = {  # key word -> (LayoutConfig field, parser of the value)
    "intestazione": ("table_rows", _parse_band),
    "tabella": ("table_kind", _parse_kind),
    "colonne": ("table_cols", lambda text, row: _col_span(text)),
    "fine": ("table_end", _parse_end),
    "totali": ("table_totals", _parse_totals),
    "livelli": ("table_levels", _parse_levels),
}


def _bad(cfg: LayoutConfig, where: str, key: str, value: str) -> None:
    cfg.problems.append((where, f"valore «{value}» non valido per la chiave «{key}» del "
                                f"foglio «{CONFIG_SHEET}»: ignorato."))
    return None

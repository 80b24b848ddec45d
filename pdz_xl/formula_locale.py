"""Formulas as the user types them in Excel: OOXML (English) form -> the Excel language.

Workbooks store formulas in the English form (``=SUM(B6,B8:B12)``); an Italian Excel
wants ``=SOMMA(B6;B8:B12)``. What the product suggests to a user (findings, fixes, the
terminal) goes through :func:`display_formula`; what it writes (the Changeset) keeps the
English form. The translation is lexical: function names, the argument separator ``,`` ->
``;``, the decimal point of number literals ``.`` -> ``,``, TRUE/FALSE and the error
constants; texts in double quotes and quoted sheet names stay as written, and so do
array constants (``{...}``). Functions missing from the table keep their English name.

The language is Italian unless ``PDZ_XL_EXCEL_LINGUA=en`` (an English Excel).
"""

from __future__ import annotations

import os
import re

IT_FUNCTIONS = {
    "ABS": "ASS", "AND": "E", "AVERAGE": "MEDIA", "AVERAGEIF": "MEDIA.SE",
    "AVERAGEIFS": "MEDIA.PIÙ.SE", "CHOOSE": "SCEGLI", "COLUMN": "RIF.COLONNA",
    "COLUMNS": "COLONNE", "CONCAT": "CONCAT", "CONCATENATE": "CONCATENA",
    "COUNT": "CONTA.NUMERI", "COUNTA": "CONTA.VALORI", "COUNTBLANK": "CONTA.VUOTE",
    "COUNTIF": "CONTA.SE", "COUNTIFS": "CONTA.PIÙ.SE", "DATE": "DATA", "DAY": "GIORNO",
    "EOMONTH": "FINE.MESE", "FALSE": "FALSO", "HLOOKUP": "CERCA.ORIZZ", "IF": "SE",
    "IFERROR": "SE.ERRORE", "IFS": "PIÙ.SE", "INDEX": "INDICE", "INDIRECT": "INDIRETTO",
    "INT": "INT", "ISBLANK": "VAL.VUOTO", "ISERROR": "VAL.ERRORE", "ISNUMBER": "VAL.NUMERO",
    "ISTEXT": "VAL.TESTO", "LEFT": "SINISTRA", "LEN": "LUNGHEZZA", "LOWER": "MINUSC",
    "MATCH": "CONFRONTA", "MAX": "MAX", "MID": "STRINGA.ESTRAI", "MIN": "MIN",
    "MOD": "RESTO", "MONTH": "MESE", "NOT": "NON", "NOW": "ADESSO", "OFFSET": "SCARTO",
    "OR": "O", "PRODUCT": "PRODOTTO", "RIGHT": "DESTRA", "ROUND": "ARROTONDA",
    "ROUNDDOWN": "ARROTONDA.PER.DIF", "ROUNDUP": "ARROTONDA.PER.ECC", "ROW": "RIF.RIGA",
    "ROWS": "RIGHE", "SUBTOTAL": "SUBTOTALE", "SUM": "SOMMA", "SUMIF": "SOMMA.SE",
    "SUMIFS": "SOMMA.PIÙ.SE", "SUMPRODUCT": "MATR.SOMMA.PRODOTTO", "TEXT": "TESTO",
    "TODAY": "OGGI", "TRIM": "ANNULLA.SPAZI", "TRUE": "VERO", "UPPER": "MAIUSC",
    "VLOOKUP": "CERCA.VERT", "XLOOKUP": "CERCA.X", "YEAR": "ANNO",
}
IT_CONSTANTS = {"TRUE": "VERO", "FALSE": "FALSO"}
IT_ERRORS = {"#REF!": "#RIF!", "#VALUE!": "#VALORE!", "#NAME?": "#NOME?", "#N/A": "#N/D",
             "#NUM!": "#NUM!", "#DIV/0!": "#DIV/0!", "#NULL!": "#NULLO!"}

# One token at a time: texts, quoted sheet names, arrays, errors, numbers, names, the rest.
_TOKEN = re.compile(r"""
    (?P<text>"(?:[^"]|"")*"?)
  | (?P<sheet>'(?:[^']|'')*'?)
  | (?P<array>\{[^}]*\}?)
  | (?P<error>\#(?:REF!|VALUE!|NAME\?|N/A|NUM!|DIV/0!|NULL!))
  | (?P<name>[A-Za-z_\\][A-Za-z0-9_.]*)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def excel_language() -> str:
    """The Excel language the user's formulas are shown in: ``it`` unless told ``en``."""
    return "en" if os.environ.get("PDZ_XL_EXCEL_LINGUA", "").lower() == "en" else "it"


def display_formula(formula: str, language: str | None = None) -> str:
    """``formula`` (OOXML, English) as a user of an Excel in ``language`` types it."""
    if (language or excel_language()) == "en":
        return formula
    out: list[str] = []
    tokens = list(_TOKEN.finditer(formula))
    for i, m in enumerate(tokens):
        kind, text = m.lastgroup, m.group()
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if kind == "name":
            bare = text[len("_xlfn."):] if text.lower().startswith("_xlfn.") else text
            upper = bare.upper()
            if nxt == "(":
                text = IT_FUNCTIONS.get(upper, bare)
            elif upper in IT_CONSTANTS and nxt != "!":
                text = IT_CONSTANTS[upper]
        elif kind == "number" and not _after_cell_letters(out):
            text = text.replace(".", ",")
        elif kind == "error":
            text = IT_ERRORS.get(text, text)
        elif kind == "other" and text == ",":
            text = ";"
        out.append(text)
    return "".join(out)


def _after_cell_letters(out: list[str]) -> bool:
    """A number right after ``$`` belongs to a reference (``B$12``), never a literal."""
    return bool(out) and out[-1] == "$"

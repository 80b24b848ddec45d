"""The xlwings Lite / Office.js side of the tests: payloads in, actions out.

- :func:`book_payload` turns an xlsx into the JSON an Office.js client sends with a
  script call (``xw.Book(json=...)``): per sheet its values (openpyxl's cached values,
  a reader independent of the product's), visibility, notes and tables; the book's names.
- :func:`function_call` is the request of one custom-function call (args as 2D lists,
  ``caller_address``, culture ``it-IT``).
- :func:`apply_actions` applies the actions a script returns to a copy of the xlsx with
  openpyxl, as Excel would (a small interpreter; an action it does not know fails the
  test).

The environment the real dispatch needs (``XLWINGS_LICENSE_KEY=noncommercial``,
``XLWINGS_ON_SERVER=true``) is set by ``tests/conftest.py`` before xlwings is imported.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

CLIENT = "Office.js"
CULTURE = "it-IT"


def _version() -> str:
    import xlwings

    return xlwings.__version__


def _cell_value(v: object) -> object:
    """A cell value as Office.js reports it: "" for empty, numbers, text, booleans."""
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def sheet_values(ws) -> list[list[object]]:
    """The used range from A1, as Office.js ``getValues()`` gives it."""
    if ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None:
        return [[""]]
    return [[_cell_value(v) for v in row]
            for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                    max_col=ws.max_column, values_only=True)]


def book_payload(path: Path, *, formulas: bool = False) -> dict:
    """What an Office.js client sends for ``path`` (values as last saved); with
    ``formulas``, each sheet also carries what xlwings Lite fetches on demand with
    ``get_formula()`` (the formula text, or the constant, "" for empty)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    texts = openpyxl.load_workbook(path) if formulas else None
    visibility = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}
    sheets = []
    for ws in wb.worksheets:
        notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row
                 if c.comment is not None]
        tables = []
        for t in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(t.ref)
            body = f"{get_column_letter(c1)}{r1 + 1}:{get_column_letter(c2)}{r2}"
            tables.append({"name": t.name, "range_address": t.ref,
                           "header_row_range_address": None, "data_body_range_address": body,
                           "total_row_range_address": None, "show_headers": True,
                           "show_totals": False, "table_style": None,
                           "show_autofilter": True})
        sheets.append({"name": ws.title, "values": sheet_values(ws),
                       "visibility": visibility[ws.sheet_state], "pictures": [],
                       "shapes": [], "charts": [], "notes": notes, "tables": tables,
                       "print_area": None, "show_gridlines": True, "pivot_tables": []})
        if texts is not None:
            sheets[-1]["formulas"] = sheet_values(texts[ws.title])
    names = []
    titles = [ws.title for ws in wb.worksheets]
    for name, dn in wb.defined_names.items():
        dest = next(iter(dn.destinations), None)
        if dest is None or dest[0] not in titles:
            continue
        names.append({"name": name, "sheet_index": titles.index(dest[0]),
                      "address": dest[1].replace("$", ""), "scope_sheet_name": None,
                      "scope_sheet_index": None, "book_scope": True})
    return {"client": CLIENT, "version": _version(),
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


def function_call(func_name: str, args: list[object], caller: str = "Foglio1!A1",
                  book: str = "budget.xlsx") -> dict:
    """The request Office.js sends for one custom-function call (args as 2D lists; an
    omitted optional argument is sent as null, so pass None for it)."""
    return {"func_name": func_name, "args": [a if isinstance(a, list) else [[a]]
                                             for a in args],
            "caller_address": f"[{book}]{caller}", "version": _version(), "client": CLIENT,
            "culture_info_name": CULTURE, "date_format": "gg/mm/aaaa", "runtime": "1.4"}


# -- the actions interpreter --------------------------------------------------------
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def _excel_entry(v: object) -> object:
    """What Excel stores for a value/formula typed through ``values``/``formulas``."""
    if isinstance(v, str):
        if v == "":
            return None
        if v.startswith("'"):
            return v[1:]
        if v.startswith("="):
            return v
        if _NUMBER.match(v):
            return float(v) if "." in v else int(v)
    return v


def _rgb(hex_color: str) -> str:
    return "FF" + hex_color.lstrip("#").upper()


class ActionError(AssertionError):
    """An action the interpreter does not know: the test must look at it."""


def apply_actions(src: Path, actions: list[dict], dest: Path) -> list[str]:
    """Apply Office.js actions to a copy of ``src``; returns the funcs applied, in order."""
    wb = openpyxl.load_workbook(src)
    done = []
    for action in actions:
        func = action["func"]
        ws = (wb.worksheets[action["sheet_position"]]
              if action.get("sheet_position") is not None and func != "addSheet" else None)
        rows, cols = action.get("row_count"), action.get("column_count")
        r0 = (action.get("start_row") or 0) + 1
        c0 = (action.get("start_column") or 0) + 1
        args = action.get("args") or []

        def cells(ws=ws, r0=r0, c0=c0, rows=rows, cols=cols):
            for r in range(r0, r0 + (rows or 1)):
                for c in range(c0, c0 + (cols or 1)):
                    yield ws.cell(r, c)

        if func == "addSheet":
            index, name = args
            wb.create_sheet(name, index)
        elif func == "sheetDelete":
            wb.remove(ws)
        elif func in ("sheetClear", "sheetClearContents"):
            title, index = ws.title, wb.worksheets.index(ws)
            wb.remove(ws)
            wb.create_sheet(title, index)
        elif func == "setSheetVisibility":
            ws.sheet_state = {"Visible": "visible", "Hidden": "hidden",
                              "VeryHidden": "veryHidden"}.get(args[0], "hidden") \
                if isinstance(args[0], str) else ("visible" if args[0] else "hidden")
        elif func in ("setValues", "setFormula"):
            for i, row in enumerate(action["values"]):
                for j, v in enumerate(row):
                    ws.cell(r0 + i, c0 + j).value = _excel_entry(v)
        elif func == "setNumberFormat":
            for c in cells():
                c.number_format = args[0]
        elif func == "setRangeColor":
            for c in cells():
                c.fill = (PatternFill(fill_type="solid", fgColor=_rgb(args[0])) if args[0]
                          else PatternFill(fill_type=None))
        elif func == "setFontProperty":
            prop, value = args[0], args[1]
            for c in cells():
                if prop == "bold":
                    font = Font(**{**_font_kw(c.font), "bold": value})
                elif prop == "italic":
                    font = Font(**{**_font_kw(c.font), "italic": value})
                elif prop == "color":
                    font = Font(**{**_font_kw(c.font), "color": _rgb(value)})
                elif prop == "size":
                    font = Font(**{**_font_kw(c.font), "size": value})
                c.font = font
        elif func == "setHorizontalAlignment":
            for c in cells():
                c.alignment = Alignment(horizontal=str(args[0]).lower(),
                                        wrap_text=c.alignment.wrap_text)
        elif func == "setWrapText":
            for c in cells():
                c.alignment = Alignment(horizontal=c.alignment.horizontal,
                                        wrap_text=bool(args[0]))
        elif func == "setColumnWidth":
            for c in range(c0, c0 + (cols or 1)):
                ws.column_dimensions[get_column_letter(c)].width = args[0]
        elif func == "setRowHeight":
            for r in range(r0, r0 + (rows or 1)):
                ws.row_dimensions[r].height = args[0]
        elif func == "rangeMerge":
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r0 + rows - 1,
                           end_column=c0 + cols - 1)
        elif func == "addHyperlink":
            ws.cell(r0, c0).hyperlink = args[0]
        elif func == "addNote":
            ref, text = args
            ws[ref.split("!")[-1]].comment = Comment(text, "pdz-xl")
        elif func == "deleteNote":
            ws.cell(r0, c0).comment = None
        elif func == "freezePaneAtRange":
            ref = str(args[0])
            first, _, last = ref.partition(":")
            last = last or first
            if last.isdigit():
                ws.freeze_panes = f"A{int(last) + 1}"
            elif last.isalpha():
                ws.freeze_panes = f"{get_column_letter(column_index_from_string(last) + 1)}1"
            else:
                c2, r2, _c, _r = range_boundaries(last)
                ws.freeze_panes = ws.cell(r2 + 1, c2 + 1).coordinate
        elif func == "alert":
            pass  # a message box: nothing to write
        else:
            raise ActionError(f"azione Office.js non gestita dall'interprete: {action}")
        done.append(func)
    wb.save(dest)
    return done


def _font_kw(font: Font) -> dict:
    return {"name": font.name, "size": font.size, "bold": font.bold, "italic": font.italic,
            "color": font.color}

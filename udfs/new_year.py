"""The «Nuovo anno» button: next year's budget from the workbook open in Excel.

Which workbook becomes next year's is decided by the file name, so last year's budget is
never turned into next year's by a click (with OneDrive's AutoSave the change would be
saved at once):

- a workbook whose name names the next year and not its plan year — the copy the office
  makes, «budget_2022.xlsx» still holding the 2021 budget — is moved on **in place**: the
  Changeset ``pdz-xl nuovo-anno`` writes (:func:`pdz_xl.nextyear.build.next_year`),
  written into the open book by :mod:`.book_writer`;
- any other workbook is last year's and stays as it is. The classic add-in writes next
  year's file beside it with the command line's core (:func:`~pdz_xl.nextyear.run.
  next_year_file`, from a copy of the book as it is open, unsaved changes included) and
  opens it; xlwings Lite cannot make a second file and tells, in Italian, how to go on.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from pdz_xl.errors import PdzError
from pdz_xl.layout.detect import detect_plan
from pdz_xl.nextyear.run import default_output, names_next_year

from .book_grid import grid_from_book
from .book_writer import apply_changeset


def _summary(lines: list[str], notes: list[str]) -> str:
    return "\n".join([*lines, *(f"nota: {n}" for n in dict.fromkeys(notes))])


def in_book(book: Any, grid=None, plan=None) -> str:
    """Move the open ``book`` on one year, in place; the Italian message."""
    from pdz_xl.nextyear.build import next_year

    grid = grid if grid is not None else grid_from_book(book)
    plan = plan if plan is not None else detect_plan(grid)
    tables = _excel_tables(grid, plan)
    if tables:
        raise PdzError(
            f"la cartella ha una Tabella di Excel ({tables}): il nuovo anno ne rinomina "
            "le colonne e i riferimenti strutturati, cosa che il pulsante non fa nella "
            "cartella aperta. Cosa fare: sul budget dell'anno scorso (il file col suo "
            "anno nel nome) il pulsante «Nuovo anno» della versione classica scrive il "
            "file del nuovo anno accanto; oppure, dalla riga di comando: pdz-xl nuovo-anno "
            f"\"{book.name}\".", file=book.name)
    result = next_year(grid, plan, file_label=book.name)
    remarks = apply_changeset(book, result.changeset, grid)
    head = (f"Nuovo anno: questa cartella ora è il budget del {result.year} (confronto "
            f"{plan.plan_year}). Salvarla per tenerlo.")
    return _summary([head, *result.changeset.summary], remarks)


_STRUCTURED = re.compile(r"(?:[A-Za-z_][\w.]*|[(,])\[")


def _excel_tables(grid, plan) -> str:
    """The Excel Tables of the cost tables («Budget2021»), or «con riferimenti strutturati»
    when the book as Excel gives it names none but its formulas use them; '' if none."""
    named = [t.excel_table for t in (plan.layout.tables() if plan.layout else [])
             if t.excel_table]
    if named:
        return ", ".join(f"«{n}»" for n in dict.fromkeys(named))
    for sheet in grid.sheets:
        for _r, cells in sheet.iter_rows():
            if any(c.formula and _STRUCTURED.search(c.formula) for c in cells.values()):
                return "con riferimenti strutturati, come «Tabella[Colonna]»"
    return ""


def lite_refusal(name: str, plan_year: int) -> PdzError:
    """What xlwings Lite answers on last year's workbook (Italian)."""
    new = plan_year + 1
    copy = default_output(Path(name), plan_year, new).name
    return PdzError(
        f"«{name}» è il budget del {plan_year} e resta com'è. In xlwings Lite un pulsante "
        f"non può creare un secondo file: salvare una copia di questa cartella col nome "
        f"«{copy}» (File ▸ Salva con nome, o Salva una copia), aprire la copia e premere lì "
        f"«Nuovo anno»: la copia diventa il budget del {new}. In alternativa, dalla riga di "
        f"comando: pdz-xl nuovo-anno \"{name}\" (scrive «{copy}» accanto all'originale).")


def lite(book: Any) -> str:
    """xlwings Lite / Server: in place on the new year's copy, else the refusal."""
    grid = grid_from_book(book)
    plan = detect_plan(grid)
    if not names_next_year(book.name, plan.plan_year):
        raise lite_refusal(book.name, plan.plan_year)
    return in_book(book, grid, plan)


def classic(book: Any) -> str:
    """Classic add-in: in place on the new year's copy, else next year's file beside the
    open one (never over an existing file), opened in Excel."""
    from pdz_xl.io.atomic import TEMP_PREFIX
    from pdz_xl.io.xlsx_reader import read_workbook
    from pdz_xl.nextyear.run import next_year_file

    path = Path(book.fullname)
    if not path.parent.is_dir() or path.suffix.casefold() not in (".xlsx", ".xlsm"):
        raise PdzError("la cartella non è ancora salvata come .xlsx o .xlsm: salvarla, poi "
                       "premere di nuovo «Nuovo anno».", file=book.name)
    copy = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name}")
    book.api.SaveCopyAs(str(copy))  # the book as it is open, unsaved changes included
    try:
        plan = detect_plan(read_workbook(copy))
        if names_next_year(path.name, plan.plan_year):
            return in_book(book)
        dest = default_output(path, plan.plan_year, plan.plan_year + 1)
        if dest.exists():
            raise PdzError(f"«{dest.name}» esiste già accanto a questa cartella: non lo "
                           "sovrascrivo. Rinominarlo o spostarlo, poi premere di nuovo "
                           "«Nuovo anno».", file=path.name)
        steps = next_year_file(copy, dest)
    except PdzError as exc:
        if exc.file and Path(exc.file).name == copy.name:  # the user knows the book's name
            exc.file = path.name
            exc.args = (exc.describe(),)
        raise
    finally:
        with contextlib.suppress(OSError):
            copy.unlink()
    lines = [f"Nuovo anno: scritto «{dest.name}», il budget del {steps[-1].result.year} "
             f"(confronto {plan.plan_year}), accanto a «{path.name}», che resta com'è."]
    for step in steps:
        lines += step.result.changeset.summary
    with contextlib.suppress(Exception):  # written all the same: the message says where
        book.app.books.open(str(dest))
    return _summary(lines, [n for s in steps for n in s.notes])

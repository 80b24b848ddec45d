"""The buttons: Valida, Alloca, Genera triennale, Pulisci segni, Correggi, Nuovo anno.

Each button reads the open workbook, runs the same pipeline as ``pdz-xl rigenera``
(:func:`pdz_xl.pipeline.run_steps`) and writes the same Changeset into the book, so a
button and the command line produce the same cells.

- xlwings Lite / Server: the ``@xw.script`` functions (the runtime passes the book).
- Classic add-in (ribbon ``pdz_xl.xlam``): ``valida_da_excel()`` & co., which take the
  calling workbook with ``xw.Book.caller()``; the ribbon's VBA calls them via RunPython.

«Nuovo anno» is not a pipeline step: it makes next year's budget (:mod:`.new_year`).
"""

from __future__ import annotations

import contextlib
from typing import Any

import xlwings as xw

from pdz_xl.errors import PdzError
from pdz_xl.layout.detect import detect_plan
from pdz_xl.pipeline import Outcome, run_steps

from . import new_year
from .book_grid import grid_from_book, load_formulas
from .book_writer import apply_changeset

TITLE = "PDZ"

ACTIONS: dict[str, tuple[str, ...]] = {
    "valida": ("valida",),
    "alloca": ("alloca", "valida"),
    "triennale": ("triennale",),
    "pulisci": ("pulisci",),
    "correggi": ("correggi",),
}
"""Button -> pipeline steps (after allocating, the book is checked again, as ``rigenera``
does with ``--alloca``)."""


def run_action(book: Any, action: str) -> Outcome:
    """Read ``book``, run the steps of ``action``, write the result into ``book``."""
    grid = grid_from_book(book)
    plan = detect_plan(grid)
    outcome = run_steps(grid, plan, ACTIONS[action])
    remarks = apply_changeset(book, outcome.changeset, grid)
    if remarks:
        outcome.summaries["note"] = " ".join(dict.fromkeys(remarks))
    return outcome


def message(outcome: Outcome) -> str:
    """What the user reads when the button is done (Italian)."""
    return "\n".join(f"{step}: {text}" for step, text in outcome.summaries.items())


def _tell(book: Any, text: str) -> None:
    """Show ``text`` to the user: a message box where the runtime has one, else printed
    (xlwings Lite shows it in its output pane)."""
    print(text)
    with contextlib.suppress(Exception):  # no dialogs here: the printed text is shown
        book.app.alert(text, title=TITLE)


def _button(book: Any, action: str) -> Any:
    try:
        outcome = run_action(book, action)
    except PdzError as exc:
        _tell(book, exc.describe())
        return book
    _tell(book, message(outcome))
    return book


def _new_year_button(book: Any, door) -> Any:
    try:
        text = door(book)
    except PdzError as exc:
        text = exc.describe()
    _tell(book, text)
    return book


# -- xlwings Lite / Server ----------------------------------------------------------
def _lite_script(action: str, name: str, doc: str):
    """The ``@xw.script`` of a button: the runtime passes the book."""

    async def script(book: xw.Book):
        await load_formulas(book)  # Lite: formulas on demand, so totals read as on a file
        return _button(book, action)

    script.__name__ = script.__qualname__ = _SCRIPT_NAMES[action]
    script.__doc__ = doc
    return xw.script(name=name)(script)


def _classic_entry(action: str, label: str):
    """The classic add-in's entry point of a button (called by the ribbon's VBA)."""

    def entry() -> None:
        _button(xw.Book.caller(), action)

    entry.__name__ = entry.__qualname__ = f"{action}_da_excel"
    entry.__doc__ = f"Ribbon «{label}»."
    return entry


_SCRIPT_NAMES = {"valida": "valida", "alloca": "alloca", "triennale": "genera_triennale",
                 "pulisci": "pulisci_segni", "correggi": "correggi"}

valida = _lite_script("valida", "Valida",
                      "Controlla il budget: foglio «Controlli PDZ» e celle segnate.")
alloca = _lite_script("alloca", "Alloca",
                      "Alloca le righe ai canali di finanziamento, poi ricontrolla.")
genera_triennale = _lite_script("triennale", "Genera triennale",
                                "Genera il foglio «Triennale PDZ» (e «Proiezioni PDZ» se "
                                "manca).")
pulisci_segni = _lite_script("pulisci", "Pulisci segni",
                             "Toglie i segni (colore e nota) lasciati dai controlli.")
correggi = _lite_script("correggi", "Correggi",
                        "Applica le correzioni sicure: i totali che devono essere la SOMMA "
                        "delle loro righe ricevono la formula; gli altri rilievi restano.")



@xw.script(name="Nuovo anno")
async def nuovo_anno(book: xw.Book):
    """Prepara il budget dell'anno dopo: su una copia che ha nel nome l'anno nuovo la
    cartella diventa l'anno nuovo; sull'originale spiega come farla."""
    await load_formulas(book)
    return _new_year_button(book, new_year.lite)


def nuovo_anno_da_excel() -> None:
    """Ribbon «Nuovo anno»: next year's workbook beside the open one (or the open copy
    named for the new year, moved on in place)."""
    _new_year_button(xw.Book.caller(), new_year.classic)


valida_da_excel = _classic_entry("valida", "Valida")
alloca_da_excel = _classic_entry("alloca", "Alloca")
triennale_da_excel = _classic_entry("triennale", "Genera triennale")
pulisci_da_excel = _classic_entry("pulisci", "Pulisci segni")
correggi_da_excel = _classic_entry("correggi", "Correggi")


__all__ = ["alloca", "correggi", "genera_triennale", "nuovo_anno", "pulisci_segni", "valida"]

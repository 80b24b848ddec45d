"""Worksheet functions of pdz-xl: ``=PDZ_TOTAL(...)`` and its family.

Each is a thin wrapper around :class:`pdz_xl.query.BudgetQuery` (the numbers are the
core's, the same the command line prints). The first argument, ``budget``, is the cell of
``=PDZ_BUDGET(range)`` (a handle: the budget read once for every cell, see
:mod:`udfs.handles`) or the range of the budget itself (an Excel table works too); in the
classic add-in it may be left out and the calling workbook is read. Amounts come back in
euros (the exact cents as Excel stores them), shares as fractions (format the cell as %).
Descriptions are Italian: they are what Excel shows in the function wizard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import xlwings as xw

from pdz_xl.money import Cents
from pdz_xl.query import QueryError

from .handles import UnknownHandle
from .runtime import handle_for, query_for, with_caller

_BUDGET = ("La cella con =PDZ_BUDGET(intervallo) (il budget letto una volta per tutte le "
           "celle), oppure l'intervallo (o tabella) del budget con le intestazioni. Nel "
           "componente aggiuntivo classico si può omettere: si legge la cartella che chiama "
           "la funzione.")
_RANGE = ("Intervallo (o tabella) del budget con le intestazioni; per un budget su più fogli "
          "SE.NON.DISP(STACK.VERT(...);\"\"). Nel componente aggiuntivo classico si può "
          "omettere: si legge la cartella che chiama la funzione.")
_GRUPPO = ("Area, obiettivo, servizio o azione, come scritto nel budget («AREA POVERTA'», "
           "«Obiettivo 3», «Azione 2: Sportello»); «A > B» restringe B alle righe sotto A. "
           "Vuoto: tutto il budget.")
_CANALE = "Canale di finanziamento: FNPS, FSR, FSOL, FNA, COMUNI, ATS, AVANZO VINCOLATO..."
_ANNO = "Anno degli importi (vuoto: l'anno del piano)."
_FONTE = ("«righe»: la somma delle righe; «dichiarati»: il totale scritto nella cartella per "
          "il gruppo (la riga TOTALE, o la tabella triennale/pluriennale per l'anno del "
          "piano), se c'è.")


def _handle_message(f: Callable[..., Any]) -> Callable[..., Any]:
    """A budget handle this process does not hold shows its Italian message in the cell
    (what to do: recalculate), not an error. Apply right above the function."""
    @functools.wraps(f)
    def cell(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UnknownHandle as e:
            return str(e)

    return cell


def _euros(cents: Cents) -> float:
    """Cents as the euro amount Excel stores (the nearest double, as if typed)."""
    return cents / 100


def _required(value: object, what: str) -> str:
    if value is None or not str(value).strip():
        raise QueryError(f"manca l'argomento «{what}».")
    return str(value)


def _spread(values: list[object]) -> tuple[int, int] | None:
    """The shape of the ranges among ``values`` (None when all are single values)."""
    shapes = {(len(v), len(v[0]) if v and isinstance(v[0], list) else 1)
              for v in values if isinstance(v, list)}
    if not shapes:
        return None
    if len(shapes) > 1:
        raise QueryError("gli intervalli di gruppi, canali e anni devono avere la stessa "
                         "forma.")
    return shapes.pop()


def _at(value: object, i: int, j: int) -> object:
    if not isinstance(value, list):
        return value
    row = value[i]
    return row[j] if isinstance(row, list) else row


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("gruppo", "raw", doc=_GRUPPO + " Un intervallo dà un risultato per cella.")
@xw.arg("canale", "raw", doc=_CANALE + " Vuoto: il costo intero delle righe.")
@xw.arg("anno", "raw", doc=_ANNO)
@xw.arg("fonte", doc=_FONTE + " Vuoto: «righe».")
@with_caller
@_handle_message
def pdz_total(budget=None, gruppo=None, canale=None, anno=None, fonte=None, caller=None):
    """Totale dei costi del budget, per gruppo, canale e anno (senza argomenti: il totale
    generale dell'anno del piano), come somma delle righe; con fonte «dichiarati» il totale
    scritto nella cartella, lo stesso anno 1 di «Triennale PDZ» e di PDZ_TRIENNIO. Con
    intervalli di gruppi/canali/anni restituisce una tabella della stessa forma (una sola
    lettura del budget per tutte le celle)."""
    query = query_for(budget, caller)
    args = [gruppo, canale, anno]
    shape = _spread(args)
    source = _blank(fonte)
    if shape is None:
        return _euros(query.total(*(_blank(a) for a in args), source))
    return [[_euros(query.total(*(_blank(_at(a, i, j)) for a in args), source))
             for j in range(shape[1])] for i in range(shape[0])]


def _blank(value: object) -> object:
    return None if value == "" else value


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("canale", doc=_CANALE)
@with_caller
@_handle_message
def pdz_disponibile(budget=None, canale=None, caller=None):
    """Quanto un canale mette a disposizione nell'anno del piano (entrate meno le quote
    vincolate non applicate)."""
    return _euros(query_for(budget, caller).available(_required(canale, "canale")))


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("canale", doc=_CANALE)
@xw.arg("gruppo", doc=_GRUPPO)
@with_caller
@_handle_message
def pdz_allocato(budget=None, canale=None, gruppo=None, caller=None):
    """Quanto le righe (del gruppo) assegnano a un canale nell'anno del piano."""
    return _euros(query_for(budget, caller).allocated(_required(canale, "canale"), gruppo))


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("canale", doc=_CANALE)
@with_caller
@_handle_message
def pdz_residuo(budget=None, canale=None, caller=None):
    """Quanto resta di un canale: disponibile meno allocato."""
    return _euros(query_for(budget, caller).residual(_required(canale, "canale")))


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("canale", doc=_CANALE)
@xw.arg("gruppo", doc=_GRUPPO)
@with_caller
@_handle_message
def pdz_quota(budget=None, canale=None, gruppo=None, caller=None):
    """Quota dei costi del gruppo (anno del piano) coperta da un canale, come frazione:
    formattare la cella come percentuale."""
    return float(query_for(budget, caller).share(_required(canale, "canale"), gruppo))


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@with_caller
@_handle_message
def pdz_controlli(budget=None, caller=None):
    """Esito dei controlli del budget: «OK», oppure quanti errori e avvisi."""
    return query_for(budget, caller).checks()


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("gravita", doc="«errori» o «avvisi» per vedere solo quelli; vuoto: tutti.")
@with_caller
@_handle_message
def pdz_rilievi(budget=None, gravita=None, caller=None):
    """I rilievi dei controlli come tabella (Gravità, Codice, Cella, Rilievo), i più gravi
    per primi; si espande nelle celle sotto."""
    return query_for(budget, caller).findings_rows(gravita)


@xw.func
@xw.arg("budget", "raw", doc=_BUDGET)
@xw.arg("gruppo", doc="Area o obiettivo (costi) oppure canale (entrate); vuoto: il totale "
                      "dei costi.")
@xw.arg("intestazione", doc="VERO per avere sopra la riga degli anni.")
@xw.arg("fonte", doc="Anno 1 dei costi: " + _FONTE + " Vuoto: «dichiarati», come il foglio "
                     "«Triennale PDZ».")
@with_caller
@_handle_message
def pdz_triennio(budget=None, gruppo=None, intestazione=None, fonte=None, caller=None):
    """I tre anni del piano triennale e il loro totale per un gruppo o un canale, come nel
    foglio «Triennale PDZ» (anno 1 dai totali dichiarati; fonte «righe» per la somma delle
    righe, come PDZ_TOTAL); si espande nelle celle a destra."""
    query = query_for(budget, caller)
    row = [_euros(c) for c in query.triennial_row(gruppo, _blank(fonte))]
    return [query.triennial_header(), row] if intestazione else [row]


@xw.func
@xw.arg("budget", "raw", doc=_RANGE)
@with_caller
@_handle_message
def pdz_budget(budget=None, caller=None):
    """Legge il budget una volta e restituisce un riferimento breve («PDZ#1a2b3c4d: 149
    righe») da passare alle altre funzioni PDZ_ al posto dell'intervallo: molte celle
    rispondono senza rileggerlo. Cambia quando cambia il budget, e con lui le celle che lo
    usano si ricalcolano."""
    return handle_for(budget, caller)


__all__ = ["pdz_allocato", "pdz_budget", "pdz_controlli", "pdz_disponibile", "pdz_quota",
           "pdz_residuo", "pdz_rilievi", "pdz_total", "pdz_triennio"]

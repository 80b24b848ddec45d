"""``=PDZ_BUDGET(range)`` and its handle, through the real xlwings dispatch: every function
gives through the handle exactly what it gives through the range; a changed budget gives a
new handle and new answers; an unknown or stale handle is an Italian text in the cell."""

from __future__ import annotations

import re
import sys

import pytest

from pdz_xl.query import QueryError
from tests.test_excel_functions import PO2018, PP2021, call, stacked
from udfs.handles import PREFIX, HandleRegistry, UnknownHandle

pytestmark = pytest.mark.xlwings

HANDLE = re.compile(r"^PDZ#[0-9a-f]{8}: \d+ righe$")


@pytest.fixture(scope="module")
def budget2021() -> list[list[object]]:
    return stacked(PP2021)


@pytest.fixture(scope="module")
def budget2018() -> list[list[object]]:
    return stacked(PO2018)


def _questions(code_groups: list[str], channels: list[str], rows: list[str], year: int
               ) -> list[tuple[object, ...]]:
    """(function, args...) for every function of the family on one budget."""
    qs: list[tuple[object, ...]] = [("PDZ_TOTAL",), ("PDZ_TOTAL", None, None, year),
                                    ("PDZ_CONTROLLI",), ("PDZ_RILIEVI",),
                                    ("PDZ_RILIEVI", "errori"), ("PDZ_RILIEVI", "avvisi"),
                                    ("PDZ_TRIENNIO", None, True)]
    for g in code_groups:
        qs += [("PDZ_TOTAL", g), ("PDZ_TOTAL", g, None, None, "dichiarati")]
        qs += [("PDZ_TOTAL", g, c) for c in channels]
        qs += [("PDZ_QUOTA", c, g) for c in channels]
        qs += [("PDZ_ALLOCATO", c, g) for c in channels]
    for r in rows:
        qs += [("PDZ_TRIENNIO", r), ("PDZ_TRIENNIO", r, None, "righe")]
    for c in channels:
        qs += [("PDZ_DISPONIBILE", c), ("PDZ_ALLOCATO", c), ("PDZ_RESIDUO", c)]
    qs.append(("PDZ_TOTAL", [[g] for g in code_groups], [[channels[0]]] * len(code_groups)))
    return qs


@pytest.mark.parametrize(("which", "groups", "channels", "rows", "year"), [
    ("2021", ["SERVIZIO TM", "AREA PROGETTAZIONE", "SERVIZIO SOCIALE DISTRETTUALE"],
     ["FNPS", "FSR", "COMUNI"], ["AREA PROGETTAZIONE", "FNPS"], 2020),
    ("2018", ["Obiettivo 1", "obiettivo 3"], ["FNPS", "FNA"], ["obiettivo 3"], 2018),
])
def test_every_function_gives_the_same_through_the_handle(which, groups, channels, rows,
                                                          year, budget2021, budget2018):
    budget = budget2021 if which == "2021" else budget2018
    handle = call("PDZ_BUDGET", budget, caller="Analisi!A1")
    assert HANDLE.match(handle), handle
    questions = _questions(groups, channels, rows, year)
    for func, *args in questions:
        by_range = call(func, budget, *args)
        by_handle = call(func, handle, *args)
        assert by_handle == by_range, (func, args)
        assert not (isinstance(by_handle, str) and PREFIX in by_handle)
    first = call("PDZ_TOTAL", handle, groups[0])
    assert isinstance(first, float) and first > 0
    for target in (budget, handle):  # a question the budget cannot answer: the same error
        with pytest.raises(QueryError, match="non è nel budget"):
            call("PDZ_TOTAL", target, "GRUPPO CHE NON C'È")


def test_a_handle_cell_is_content_addressed(budget2021):
    from udfs.cache import budgets

    budgets.clear()
    handle = call("PDZ_BUDGET", budget2021)
    misses = budgets.misses
    again = call("PDZ_BUDGET", [list(r) for r in budget2021])  # same values, new lists
    assert again == handle and budgets.misses == misses
    assert call("PDZ_BUDGET", handle) == handle  # =PDZ_BUDGET(B1) over a handle cell

    changed = [list(r) for r in budget2021]
    row = next(i for i, r in enumerate(changed) if r[0] == "Coordinamento TM")
    changed[row][2] = changed[row][2] + 1000  # BUDGET 2021 of the first line, +1.000 €
    new = call("PDZ_BUDGET", changed)
    assert HANDLE.match(new) and new != handle and budgets.misses == misses + 1
    before, after = call("PDZ_TOTAL", handle), call("PDZ_TOTAL", new)
    assert after == pytest.approx(before + 1000, abs=0.001)
    assert call("PDZ_TOTAL", new, "SERVIZIO TM") == \
        pytest.approx(call("PDZ_TOTAL", handle, "SERVIZIO TM") + 1000, abs=0.001)
    assert call("PDZ_TOTAL", new) == call("PDZ_TOTAL", changed)


def test_an_unknown_handle_is_an_italian_text_in_the_cell(budget2021):
    from udfs.handles import handles

    handle = call("PDZ_BUDGET", budget2021)
    handles.clear()  # as after a restart of Python: the cell still holds the old text
    for func, *args in [("PDZ_TOTAL", "SERVIZIO TM"), ("PDZ_DISPONIBILE", "FNPS"),
                        ("PDZ_ALLOCATO", "FNPS"), ("PDZ_RESIDUO", "FNPS"),
                        ("PDZ_QUOTA", "FNPS", "SERVIZIO TM"), ("PDZ_CONTROLLI",),
                        ("PDZ_RILIEVI",), ("PDZ_TRIENNIO",), ("PDZ_BUDGET",)]:
        text = call(func, handle, *args)
        assert isinstance(text, str), func
        assert "non è più in memoria" in text and "Ctrl+Alt+F9" in text, (func, text)
        assert handle.split(":")[0] in text and "Traceback" not in text
    assert "non è un budget di PDZ_BUDGET" in call("PDZ_TOTAL", "PDZ#budget")
    handle = call("PDZ_BUDGET", budget2021)  # recalculating the handle cell brings it back
    assert isinstance(call("PDZ_TOTAL", handle, "SERVIZIO TM"), float)


def test_registry_forgets_the_oldest_and_never_shares_a_key():
    registry = HandleRegistry(max_entries=2)
    a, b = bytes.fromhex("aa" * 16), bytes.fromhex("aa" * 4 + "bb" * 12)
    c = bytes.fromhex("cc" * 16)
    ka = registry.register(a, "qa")  # type: ignore[arg-type]
    kb = registry.register(b, "qb")  # type: ignore[arg-type]
    assert ka == "aa" * 4 and kb == "aa" * 4 + "bb" and registry.register(a, "x") == ka
    assert registry.resolve(f"{PREFIX}{kb}: 3 righe") == "qb"
    assert registry.resolve(f"  {PREFIX}{ka.upper()}") == "qa"
    registry.register(c, "qc")  # type: ignore[arg-type]
    assert len(registry) == 2
    with pytest.raises(UnknownHandle, match="non è più in memoria"):
        registry.resolve(f"{PREFIX}{kb}")  # the least recently used went
    assert registry.key_for(b) is None and registry.resolve(PREFIX + ka) == "qa"
    qc = registry.resolve(PREFIX + "cc" * 4)
    assert registry.key_of(qc) == "cc" * 4 and registry.key_of(object()) is None  # type: ignore[arg-type]


def test_missing_pyodide_is_found_missing_at_once():
    from xlwings.pro.udfs_officejs import js_to_none

    from udfs.runtime import skip_missing_pyodide

    assert skip_missing_pyodide()  # done at import under xlwings Server
    assert sys.modules["pyodide"] is None and sys.modules["pyodide.ffi"] is None
    with pytest.raises(ImportError):
        from pyodide.ffi import JsNull  # noqa: F401
    assert js_to_none("x") == "x" and js_to_none(None) is None
    assert not skip_missing_pyodide(False) and "pyodide" not in sys.modules
    sys.modules["pyodide"] = type(sys)("pyodide")  # a Pyodide that is really there
    try:
        assert not skip_missing_pyodide()
        assert sys.modules["pyodide"] is not None and "pyodide.ffi" not in sys.modules
    finally:
        del sys.modules["pyodide"]
    assert skip_missing_pyodide()

"""1,000 PDZ_TOTAL cells over a 5,000-line budget through the real xlwings dispatch,
before and after the budget handle, against LibreOffice's marginal time for 1,000
equivalent ``SUMIFS`` over the same table; CPU time, A/B alternated in one run.

- The budget: one sheet as Office.js hands a range over (values, "" for empty): title,
  header (voce, BUDGET 2021, four channel columns), AREA / SERVIZIO / «Azione n:» heading
  rows, lines split over their channels exactly to the cent, TOTALE SERVIZIO and TOTALE
  AREA rows. Checked: detection finds every line and the core's grand total is the
  generated one, in cents.
- The ways of asking, alternated in every repetition (order rotated), caches emptied
  first so each includes one parse of the budget:
  «prima» ``=PDZ_TOTAL(budget range; servizio; canale)`` in every cell, each call
  ``asyncio.run(custom_functions_call(...))``, xlwings' failed ``import pyodide.ffi`` per
  argument (the product before the handle);
  «dopo» one ``=PDZ_BUDGET(range)`` cell, then ``=PDZ_TOTAL($B$1; servizio; canale)``
  with its handle, on one event loop (as xlwings Server and Lite run), the import
  shortcut of ``udfs.runtime.skip_missing_pyodide`` in place;
  and, to tell the parts apart, the range form on one loop with the shortcut and the
  handle form with ``asyncio.run`` and the failed import.
  Every request is decoded from its JSON text before timing (fresh lists each call, as
  on a server or in Pyodide: the range cache cannot shortcut on identical objects), in
  batches of 100; only the calls are timed, in process CPU time (wall time alongside).
  Every answer is checked against the core (``BudgetQuery.total``) and the generated
  cents.
- LibreOffice: the same table as xlsx plus the flat «servizio» column SUMIFS needs as a
  criterion (PDZ_TOTAL reads the layout instead), with and without a sheet of 1,000
  ``SUMIFS``, each converted headless with the always-recalculate profile, alternated;
  CPU time of the LibreOffice processes (and wall); marginal = median(with) −
  median(without). Every recalculated SUMIFS is checked to the cent.
- Breakdown: the parts of one steady-state handle call timed apart (medians per call).

    .venv/bin/python benchmarks/bench_udf.py [--lines 5000] [--calls 1000] [--repeat 5]
        [--no-libreoffice] [--json PATH]
"""

from __future__ import annotations

import os

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"  # the free key; set before xlwings loads
os.environ["XLWINGS_ON_SERVER"] = "true"

import argparse
import asyncio
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2021
CHANNELS = {"FNPS": "FNPS 2021", "FSR": "FSR 2021", "COMUNI": "COMUNI", "ATS": "FONDI ATS"}
"""Channel code (as a user types it in PDZ_TOTAL) -> column header."""
AREAS, SERVIZI_PER_AREA, AZIONI = 10, 5, 4
BATCH = 100
BUDGET_COL = 1  # column B; channels follow in C.. (0-based positions in a row)


@dataclass
class Budget:
    """The generated budget: the range values and, per line, what it holds in cents."""

    rows: list[list[object]]
    servizi: list[str]
    lines: list[tuple[str, int, dict[str, int]]] = field(default_factory=list)
    """Per line: (servizio, budget cents, channel code -> cents)."""

    def cents(self, servizio: str, channel: str) -> int:
        return sum(ch.get(channel, 0) for s, _b, ch in self.lines if s == servizio)

    def total(self) -> int:
        return sum(b for _s, b, _ch in self.lines)


def _euros(cents: int) -> float:
    return cents / 100


def build_budget(lines: int, seed: int = 7) -> Budget:
    """A one-sheet budget with ``lines`` cost lines (deterministic)."""
    rng = random.Random(seed)
    codes = list(CHANNELS)
    width = 2 + len(codes)
    blank = [""] * width
    rows: list[list[object]] = [[f"PIANO PROGRAMMA {YEAR} – BUDGET", *blank[1:]],
                                ["VOCI DI COSTO", f"BUDGET {YEAR}", *CHANNELS.values()]]
    budget = Budget(rows, [])
    n_servizi = AREAS * SERVIZI_PER_AREA
    per_servizio = [lines // n_servizi + (1 if s < lines % n_servizi else 0)
                    for s in range(n_servizi)]

    def total_row(label: str, sums: list[int]) -> list[object]:
        return [label, *(_euros(c) for c in sums)]

    for a in range(AREAS):
        rows.append([f"AREA {a + 1}", *blank[1:]])
        area_sums = [0] * (1 + len(codes))
        for s in range(SERVIZI_PER_AREA):
            k = a * SERVIZI_PER_AREA + s
            if not per_servizio[k]:
                continue
            servizio = f"SERVIZIO {k + 1}"
            budget.servizi.append(servizio)
            rows.append([servizio, *blank[1:]])
            sums = [0] * (1 + len(codes))
            count = per_servizio[k]
            for z in range(AZIONI):
                n_lines = count // AZIONI + (1 if z < count % AZIONI else 0)
                if not n_lines:
                    continue
                rows.append([f"Azione {z + 1}: attività {k + 1}.{z + 1}", *blank[1:]])
                for i in range(n_lines):
                    cents = rng.randint(10_000, 5_000_000)
                    chosen = sorted(rng.sample(codes, rng.randint(1, 3)))
                    parts = [cents // len(chosen)] * len(chosen)
                    parts[0] += cents - sum(parts)
                    split = dict(zip(chosen, parts, strict=True))
                    rows.append([f"Voce {k + 1}.{z + 1}.{i + 1}", _euros(cents),
                                 *(_euros(split[c]) if c in split else "" for c in codes)])
                    budget.lines.append((servizio, cents, split))
                    for j, v in enumerate([cents, *(split.get(c, 0) for c in codes)]):
                        sums[j] += v
            rows.append(total_row(f"TOTALE {servizio}", sums))
            area_sums = [x + y for x, y in zip(area_sums, sums, strict=True)]
        rows.append(total_row(f"TOTALE AREA {a + 1}", area_sums))
    return budget


def build_calls(budget: Budget, n: int) -> list[tuple[str, str]]:
    """``n`` (servizio, canale) questions: every servizio with every channel, in turn."""
    codes = list(CHANNELS)
    s = len(budget.servizi)
    return [(budget.servizi[k % s], codes[(k // s + k) % len(codes)]) for k in range(n)]


def core_query(budget: Budget):
    """The core's reading of the budget (what every answer must equal)."""
    from pdz_xl.query import BudgetQuery
    from udfs.book_grid import grid_from_range_values

    return BudgetQuery.from_grid(grid_from_range_values(budget.rows))


def check_budget(budget: Budget, query) -> None:
    """Detection sees every generated line and the same grand total, in cents."""
    if len(query.plan.lines) != len(budget.lines):
        raise AssertionError(f"{len(query.plan.lines)} righe lette, {len(budget.lines)} "
                             f"generate")
    if query.total() != budget.total():
        raise AssertionError(f"totale {query.total()} contro {budget.total()} generato")


class Requests:
    """The Office.js requests of the calls, as JSON text, decoded on demand; ``budget`` is
    what the first argument carries: the rows of the range, or a handle's text.

    Decoding runs with the garbage collector off, and the decoded batch is then frozen
    (``gc.freeze``) until it is dropped: a server holds one request, not a hundred, so a
    full collection over the batch during the timed calls would be this script's cost,
    not the dispatch's."""

    def __init__(self, budget: object, calls: list[tuple[str, str]]) -> None:
        from tests.support.xlwings_payload import function_call

        marker = json.dumps([["__BUDGET__"]])
        self.body = json.dumps(budget if isinstance(budget, list) else [[budget]])
        self.parts = [json.dumps(function_call("pdz_total", [[["__BUDGET__"]], g, c, None, None],
                                               f"Analisi!B{i + 2}")).split(marker, 1)
                      for i, (g, c) in enumerate(calls)]

    def __len__(self) -> int:
        return len(self.parts)

    def text(self, i: int) -> str:
        head, tail = self.parts[i]
        return head + self.body + tail

    def decoded(self, start: int, stop: int) -> list[dict]:
        gc.disable()
        try:
            return [json.loads(self.text(i)) for i in range(start, stop)]
        finally:
            gc.enable()


@contextmanager
def frozen():
    """Keep the objects alive so far out of the collector's passes (see Requests)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _hint(request: dict) -> dict:
    from xlwings.server import Caller, caller_from_address

    return {Caller: caller_from_address(request["caller_address"])}


@dataclass
class DispatchRun:
    """One repetition of one way of asking: per call CPU and wall seconds, the answers;
    ``setup_*`` is the PDZ_BUDGET cell where there is one."""

    per_call_cpu: list[float]
    per_call_wall: list[float]
    answers: list[object]
    setup_cpu: float = 0.0
    setup_wall: float = 0.0

    @property
    def total_cpu(self) -> float:
        return self.setup_cpu + sum(self.per_call_cpu)

    @property
    def total_wall(self) -> float:
        return self.setup_wall + sum(self.per_call_wall)

    @property
    def calls_cpu(self) -> float:
        return sum(self.per_call_cpu)


@dataclass(frozen=True)
class Way:
    """A way of asking the 1,000 questions."""

    name: str
    handle: bool
    one_loop: bool
    shortcut: bool


WAYS = {
    "prima": Way("prima: intervallo in ogni cella, asyncio.run, import ritentato",
                 handle=False, one_loop=False, shortcut=False),
    "dopo": Way("dopo: PDZ_BUDGET + handle, un ciclo, scorciatoia", handle=True,
                one_loop=True, shortcut=True),
    "range_now": Way("intervallo in ogni cella, un ciclo, scorciatoia", handle=False,
                     one_loop=True, shortcut=True),
    "handle_old": Way("PDZ_BUDGET + handle, asyncio.run, import ritentato", handle=True,
                      one_loop=False, shortcut=False),
}


def budget_handle(budget: Budget) -> tuple[str, float, float]:
    """The PDZ_BUDGET cell over the range (one call through the dispatch): its text and
    the CPU and wall seconds it took."""
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from tests.support.xlwings_payload import function_call

    req = json.loads(json.dumps(function_call("pdz_budget", [budget.rows], "Analisi!B1")))
    hint = _hint(req)
    c0, t0 = time.process_time(), time.perf_counter()
    out = asyncio.run(custom_functions_call(req, functions, typehint_to_value=hint))
    return out[0][0], time.process_time() - c0, time.perf_counter() - t0


def dispatch_run(requests: Requests, way: Way = WAYS["prima"],
                 budget: Budget | None = None) -> DispatchRun:
    """Every call through ``custom_functions_call``, caches emptied first; with a handle
    ``requests`` carry it and ``budget`` is the range its PDZ_BUDGET cell reads."""
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from udfs.cache import budgets
    from udfs.handles import handles
    from udfs.runtime import skip_missing_pyodide

    budgets.clear()
    handles.clear()
    skip_missing_pyodide(way.shortcut)
    run = DispatchRun([], [], [])
    try:
        if way.handle:
            assert budget is not None
            handle, run.setup_cpu, run.setup_wall = budget_handle(budget)
            if handle not in requests.body:
                raise AssertionError(f"PDZ_BUDGET ha dato {handle}, non {requests.body}")

        async def one(req: dict, hint: dict) -> object:
            c0, t0 = time.process_time(), time.perf_counter()
            out = await custom_functions_call(req, functions, typehint_to_value=hint)
            run.per_call_cpu.append(time.process_time() - c0)
            run.per_call_wall.append(time.perf_counter() - t0)
            return out

        async def on_one_loop(batch: list[dict], hints: list[dict]) -> list[object]:
            return [await one(r, h) for r, h in zip(batch, hints, strict=True)]

        n = len(requests)
        for start in range(0, n, BATCH):
            batch = requests.decoded(start, min(start + BATCH, n))
            hints = [_hint(r) for r in batch]
            with frozen():
                if way.one_loop:
                    outs = asyncio.run(on_one_loop(batch, hints))
                else:
                    outs = []
                    for req, hint in zip(batch, hints, strict=True):
                        c0, t0 = time.process_time(), time.perf_counter()
                        outs.append(asyncio.run(custom_functions_call(
                            req, functions, typehint_to_value=hint)))
                        run.per_call_cpu.append(time.process_time() - c0)
                        run.per_call_wall.append(time.perf_counter() - t0)
            run.answers += [o[0][0] for o in outs]
            del batch, hints
    finally:
        skip_missing_pyodide(True)
    return run


def spilled_run(budget: Budget, calls: list[tuple[str, str]]) -> tuple[float, list[object]]:
    """One ``=PDZ_TOTAL(budget; groups; channels)`` answering every question (cold cache),
    CPU seconds."""
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from tests.support.xlwings_payload import function_call
    from udfs.cache import budgets

    budgets.clear()
    req = json.loads(json.dumps(function_call(
        "pdz_total", [budget.rows, [[g] for g, _c in calls], [[c] for _g, c in calls], None, None],
        "Analisi!C2")))
    hint = _hint(req)
    c0 = time.process_time()
    out = asyncio.run(custom_functions_call(req, functions, typehint_to_value=hint))
    return time.process_time() - c0, [r[0] for r in out]


def check_answers(answers: list[object], calls: list[tuple[str, str]], budget: Budget,
                  query, what: str) -> None:
    """Each answer equals the core's total and the generated cents (as Excel's double)."""
    wrong = []
    for (g, c), answer in zip(calls, answers, strict=True):
        core = query.total(g, c)
        if core != budget.cents(g, c) or answer != core / 100:
            wrong.append((g, c, answer, core, budget.cents(g, c)))
    if wrong or len(answers) != len(calls):
        raise AssertionError(f"{what}: {len(wrong)} risposte diverse dal nucleo, "
                             f"per esempio {wrong[:3]}")


# -- where one call's time goes --------------------------------------------------------
BREAKDOWN = {
    "dispatch": "custom_functions_call intera (un ciclo, scorciatoia)",
    "dispatch_asyncio_run": "  la stessa con asyncio.run e l'import ritentato",
    "asyncio_run": "  asyncio.run di una coroutine vuota",
    "args_to_scalar": "  xlwings to_scalar/js_to_none dei 5 argomenti",
    "args_to_scalar_import": "  gli stessi con l'import di pyodide.ffi ritentato",
    "args_read": "  xlwings conversion.read degli argomenti",
    "special_args": "  xlwings provide_values_for_special_args",
    "return_convert": "  xlwings convert del risultato",
    "pdz_total_direct": "  pdz_total chiamata direttamente (handle)",
    "resolve": "    di cui: il budget dall'handle",
    "query_total": "    di cui: BudgetQuery.total",
}


def breakdown(budget: Budget, calls: list[tuple[str, str]], n: int = 200
              ) -> dict[str, float]:
    """The parts of a steady-state handle call (budget parsed), each timed apart on fresh
    requests; medians per call, CPU seconds."""
    from xlwings import conversion
    from xlwings.pro.udfs_officejs import (
        convert,
        provide_values_for_special_args,
        to_scalar,
    )
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from udfs.cache import budgets
    from udfs.handles import handles
    from udfs.runtime import skip_missing_pyodide

    calls = calls[:n]
    budgets.clear()
    handles.clear()
    handle, _c, _w = budget_handle(budget)
    query = handles.resolve(handle)
    requests = Requests(handle, calls)
    info = functions.pdz_total.__xlfunc__
    args_info, ret_info = info["args"], info["ret"]
    parts: dict[str, list[float]] = {k: [] for k in BREAKDOWN}
    clock = time.process_time

    async def nothing() -> None:
        return None

    async def timed_async(key: str, coro) -> object:
        t0 = clock()
        out = await coro
        parts[key].append(clock() - t0)
        return out

    def timed(key: str, fn, *a):
        t0 = clock()
        out = fn(*a)
        parts[key].append(clock() - t0)
        return out

    async def measure(copy: int, req: dict, g: str, c: str) -> None:
        hint = _hint(req)
        if copy == 0:
            await timed_async("dispatch", custom_functions_call(req, functions,
                                                                typehint_to_value=hint))
        elif copy == 1:
            scalars = timed("args_to_scalar", lambda: [to_scalar(a) for a in req["args"]])
            t0 = clock()
            args = [ai.get("optional") if a is None else conversion.read(
                None, a, ai["options"], engine_name="officejs")
                for a, ai in zip(scalars, args_info, strict=True)]
            parts["args_read"].append(clock() - t0)
            timed("special_args", provide_values_for_special_args, functions.pdz_total,
                  args, hint)
            timed("resolve", handles.resolve, args[0])
            value = timed("query_total", query.total, g, c) / 100
            await timed_async("return_convert", convert(value, ret_info, req))
        else:
            timed("pdz_total_direct", functions.pdz_total,
                  *(to_scalar(a) for a in req["args"]))

    async def on_one_loop(batch: list[dict], copy: int, start: int, stop: int) -> None:
        for req, (g, c) in zip(batch, calls[start:stop], strict=True):
            await measure(copy, req, g, c)

    for start in range(0, len(calls), BATCH):
        stop = min(start + BATCH, len(calls))
        for copy in range(3):  # fresh requests for the dispatch, the parts, our function
            batch = requests.decoded(start, stop)
            with frozen():
                asyncio.run(on_one_loop(batch, copy, start, stop))
            del batch
        batch = requests.decoded(start, stop)  # the same, the old way
        with frozen():
            skip_missing_pyodide(False)
            try:
                for req in batch:
                    hint = _hint(req)
                    timed("dispatch_asyncio_run", asyncio.run, custom_functions_call(
                        req, functions, typehint_to_value=hint))
                    timed("asyncio_run", asyncio.run, nothing())
                    timed("args_to_scalar_import", lambda r=req: [to_scalar(a)
                                                                  for a in r["args"]])
            finally:
                skip_missing_pyodide(True)
        del batch
    return {k: statistics.median(v) for k, v in parts.items()}


# -- LibreOffice -----------------------------------------------------------------------
SUMIFS_SHEET = "Formule"


def libreoffice_files(budget: Budget, calls: list[tuple[str, str]], folder: Path
                      ) -> tuple[Path, Path]:
    """The budget as xlsx (plus the servizio column SUMIFS needs), with and without a
    sheet of one SUMIFS per call."""
    import xlsxwriter

    from pdz_xl.cells import col_letters

    width = len(budget.rows[1])
    helper = col_letters(width + 1)
    last = len(budget.rows)
    col = {code: col_letters(BUDGET_COL + 2 + i) for i, code in enumerate(CHANNELS)}
    paths = []
    for with_formulas in (True, False):
        path = folder / ("con" if with_formulas else "senza") / "budget.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Budget")
        ws.write(1, width, "SERVIZIO (per SUMIFS)")
        servizio = None
        for r, row in enumerate(budget.rows):
            for c, v in enumerate(row):
                if v != "":
                    ws.write(r, c, v)
            label = str(row[0])
            if label.startswith("SERVIZIO"):
                servizio = label
            elif label.startswith("Voce"):
                ws.write(r, width, servizio)
        if with_formulas:
            fs = wb.add_worksheet(SUMIFS_SHEET)
            for k, (g, c) in enumerate(calls):
                fs.write_formula(k, 0, f'=SUMIFS(Budget!${col[c]}$1:${col[c]}${last},'
                                       f'Budget!${helper}$1:${helper}${last},"{g}")',
                                 None, 0)
        wb.close()
        paths.append(path)
    return paths[0], paths[1]


def libreoffice_runs(with_path: Path, without_path: Path, repeat: int
                     ) -> tuple[dict[str, list[float]], dict[str, list[float]], list[object]]:
    """CPU and wall seconds of the conversions with and without the formulas (alternated)
    and the recalculated SUMIFS results of the first run. CPU is that of the LibreOffice
    processes (children of this one, reaped when the conversion ends)."""
    import openpyxl

    from tests.support.libreoffice import convert

    def children_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    times = {with_path: {"cpu": [], "wall": []}, without_path: {"cpu": [], "wall": []}}
    results: list[object] = []
    for _ in range(repeat):
        for path in (with_path, without_path):
            c0, t0 = children_cpu(), time.perf_counter()
            converted = convert(path, path.parent / "lo", "xlsx")
            times[path]["wall"].append(time.perf_counter() - t0)
            times[path]["cpu"].append(children_cpu() - c0)
            if path == with_path and not results:
                ws = openpyxl.load_workbook(converted, data_only=True)[SUMIFS_SHEET]
                results = [row[0] for row in ws.iter_rows(values_only=True)]
    return times[with_path], times[without_path], results


# -- report ----------------------------------------------------------------------------
def _stats(values: list[float]) -> dict[str, float]:
    return {"median_s": statistics.median(values), "min_s": min(values),
            "max_s": max(values), "n": len(values)}


def _ms(s: float) -> str:
    return f"{s * 1000:9.1f}"


def alternated(requests: dict[str, Requests], budget: Budget, repeat: int,
               ways: list[str]) -> dict[str, list[DispatchRun]]:
    """``repeat`` rounds of every way, the order rotated each round."""
    runs: dict[str, list[DispatchRun]] = {w: [] for w in ways}
    for r in range(repeat):
        for w in ways[r % len(ways):] + ways[:r % len(ways)]:
            way = WAYS[w]
            runs[w].append(dispatch_run(requests["handle" if way.handle else "range"], way,
                                        budget))
    return runs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    budget = build_budget(args.lines)
    calls = build_calls(budget, args.calls)
    query = core_query(budget)
    check_budget(budget, query)
    handle, _c, _w = budget_handle(budget)
    requests = {"range": Requests(budget.rows, calls), "handle": Requests(handle, calls)}

    ways = list(WAYS)
    runs = alternated(requests, budget, args.repeat, ways)
    for w, rs in runs.items():
        for run in rs:
            check_answers(run.answers, calls, budget, query, f"PDZ_TOTAL ({w})")
    spills = [spilled_run(budget, calls) for _ in range(args.repeat)]
    for _t, answers in spills:
        check_answers(answers, calls, budget, query, "PDZ_TOTAL con intervalli")
    parts = breakdown(budget, calls)

    result: dict[str, object] = {
        "lines": args.lines, "calls": args.calls, "repeat": args.repeat,
        "budget_values": sum(len(r) for r in budget.rows), "handle": handle,
        "ways": {w: {"name": WAYS[w].name,
                     "total_cpu": _stats([r.total_cpu for r in rs]),
                     "total_wall": _stats([r.total_wall for r in rs]),
                     "calls_cpu": _stats([r.calls_cpu for r in rs]),
                     "setup_cpu": _stats([r.setup_cpu for r in rs]),
                     "first_call_cpu": _stats([r.per_call_cpu[0] for r in rs]),
                     "per_call_median_cpu": _stats([statistics.median(r.per_call_cpu)
                                                    for r in rs])}
                 for w, rs in runs.items()},
        "one_spilled_call_cpu": _stats([t for t, _a in spills]),
        "breakdown_per_call_cpu_s": parts,
    }
    result["ratio_before_after"] = (result["ways"]["prima"]["total_cpu"]["median_s"]
                                    / result["ways"]["dopo"]["total_cpu"]["median_s"])
    if not args.no_libreoffice:
        with tempfile.TemporaryDirectory() as tmp:
            with_path, without_path = libreoffice_files(budget, calls, Path(tmp))
            with_t, without_t, lo = libreoffice_runs(with_path, without_path, args.repeat)
        check_answers([round(v, 2) if isinstance(v, float) else v for v in lo], calls,
                      budget, query, "SUMIFS di LibreOffice")
        marginal = {k: statistics.median(with_t[k]) - statistics.median(without_t[k])
                    for k in ("cpu", "wall")}
        result.update({"libreoffice_with": {k: _stats(v) for k, v in with_t.items()},
                       "libreoffice_without": {k: _stats(v) for k, v in without_t.items()},
                       "libreoffice_marginal_s": marginal})
        if marginal["cpu"] > 0:
            result["ratio_to_marginal_cpu"] = {
                w: v["total_cpu"]["median_s"] / marginal["cpu"]
                for w, v in result["ways"].items()}
            result["ratio_to_marginal_cpu"]["spilled"] = (
                result["one_spilled_call_cpu"]["median_s"] / marginal["cpu"])
            result["ratio_cells_only_to_marginal_cpu"] = {
                w: v["calls_cpu"]["median_s"] / marginal["cpu"]
                for w, v in result["ways"].items() if WAYS[w].handle}

    print(f"\nPDZ_TOTAL attraverso xlwings.server.custom_functions_call: {args.lines} righe "
          f"({result['budget_values']} valori nell'intervallo), {args.calls} celle, "
          f"{args.repeat} ripetizioni alternate; tempo CPU (ms), mediane")
    print(f"  {'':<58} {'CPU':>9} {'min':>9} {'max':>9} {'parete':>9}")
    for w, v in result["ways"].items():
        st = v["total_cpu"]
        print(f"  {v['name']:<58} {_ms(st['median_s'])} {_ms(st['min_s'])} "
              f"{_ms(st['max_s'])} {_ms(v['total_wall']['median_s'])}")
        if WAYS[w].handle:
            print(f"    {'di cui la cella PDZ_BUDGET (analisi)':<56} "
                  f"{_ms(v['setup_cpu']['median_s'])}")
            print(f"    {'di cui le celle PDZ_TOTAL':<56} "
                  f"{_ms(v['calls_cpu']['median_s'])}")
        else:
            print(f"    {'di cui la prima cella (analisi)':<56} "
                  f"{_ms(v['first_call_cpu']['median_s'])}")
        print(f"    {'una cella (mediana delle chiamate)':<56} "
              f"{_ms(v['per_call_median_cpu']['median_s'])}")
    st = result["one_spilled_call_cpu"]
    print(f"  {'1 cella con ' + str(args.calls) + ' gruppi/canali che si espande':<58} "
          f"{_ms(st['median_s'])} {_ms(st['min_s'])} {_ms(st['max_s'])}")
    print(f"  prima / dopo: {result['ratio_before_after']:.1f}x")
    if "libreoffice_marginal_s" in result:
        for label, key in ((f"LibreOffice con {args.calls} SUMIFS", "libreoffice_with"),
                           ("LibreOffice senza", "libreoffice_without")):
            v = result[key]
            print(f"  {label:<58} {_ms(v['cpu']['median_s'])} {_ms(v['cpu']['min_s'])} "
                  f"{_ms(v['cpu']['max_s'])} {_ms(v['wall']['median_s'])}")
        m = result["libreoffice_marginal_s"]
        print(f"  {'LibreOffice marginale (mediana con − mediana senza)':<58} "
              f"{_ms(m['cpu'])} {'':>19} {_ms(m['wall'])}")
    if "ratio_to_marginal_cpu" in result:
        ratios = result["ratio_to_marginal_cpu"]
        print("  rapporto al marginale di LibreOffice (CPU): " + ", ".join(
            f"{w} {r:.2f}x" for w, r in ratios.items()))
        cells = result["ratio_cells_only_to_marginal_cpu"]
        print(f"  le sole {args.calls} celle con l'handle (senza la cella PDZ_BUDGET): "
              + ", ".join(f"{w} {r:.2f}x" for w, r in cells.items()))
    elif "libreoffice_marginal_s" in result:
        print("  marginale non positivo: rumore della macchina più grande dell'effetto, "
              "ripetere con --repeat più alto a macchina ferma")
    print("\n  una chiamata con l'handle a regime, per parti (mediane, ms CPU):")
    for key, label in BREAKDOWN.items():
        print(f"    {label:<56} {parts[key] * 1000:7.3f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

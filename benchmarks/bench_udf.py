"""1,000 ``=PDZ_TOTAL(budget; servizio; canale)`` cells over a 5,000-line budget, through
the real xlwings dispatch, against LibreOffice's marginal time for 1,000 equivalent
``SUMIFS`` over the same table.

- The budget: one sheet as Office.js hands a range over (values, "" for empty): title,
  header (voce, BUDGET 2021, four channel columns), AREA / SERVIZIO / «Azione n:» heading
  rows, lines split over their channels exactly to the cent, TOTALE SERVIZIO and TOTALE
  AREA rows. Checked: detection finds every line and the core's grand total is the
  generated one, in cents.
- PDZ_TOTAL: each call is ``asyncio.run(custom_functions_call(...))`` on the request the
  Office.js client sends (args as 2D lists, the budget the whole range), decoded from its
  JSON text before timing, so every call brings fresh lists as on a server or in Pyodide
  (the cache's content check cannot shortcut on identical objects). Requests are decoded
  in batches of 100 (1,000 at once would hold about 2 GB); only the calls are timed. The
  cache is emptied before each repetition, so each includes one parse. Every answer is
  checked against the core (``BudgetQuery.total``) and the generated cents.
- LibreOffice: the same table as xlsx plus the flat «servizio» column SUMIFS needs as a
  criterion (PDZ_TOTAL reads the layout instead), with and without a sheet of 1,000
  ``SUMIFS``, each converted headless with the always-recalculate profile; marginal =
  median(with) − median(without). Every recalculated SUMIFS is checked to the cent.
- Breakdown: the parts of one steady-state call timed apart (medians per call).

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
    """The Office.js requests of the calls, as JSON text, decoded on demand.

    Decoding runs with the garbage collector off, and the decoded batch is then frozen
    (``gc.freeze``) until it is dropped: a server holds one request, not a hundred, so a
    full collection over the batch during the timed calls would be this script's cost,
    not the dispatch's."""

    def __init__(self, budget: Budget, calls: list[tuple[str, str]]) -> None:
        from tests.support.xlwings_payload import function_call

        marker = json.dumps([["__BUDGET__"]])
        self.body = json.dumps(budget.rows)
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
    first_s: float
    per_call_s: list[float]
    answers: list[object]

    @property
    def total_s(self) -> float:
        return sum(self.per_call_s)


def dispatch_run(requests: Requests) -> DispatchRun:
    """Every call through ``custom_functions_call``, cache emptied first."""
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from udfs.cache import budgets

    budgets.clear()
    times: list[float] = []
    answers: list[object] = []
    n = len(requests)
    for start in range(0, n, BATCH):
        batch = requests.decoded(start, min(start + BATCH, n))
        hints = [_hint(r) for r in batch]
        with frozen():
            for req, hint in zip(batch, hints, strict=True):
                t0 = time.perf_counter()
                out = asyncio.run(custom_functions_call(req, functions,
                                                        typehint_to_value=hint))
                times.append(time.perf_counter() - t0)
                answers.append(out[0][0])
        del batch, hints
    return DispatchRun(times[0], times, answers)


def spilled_run(budget: Budget, calls: list[tuple[str, str]]) -> tuple[float, list[object]]:
    """One ``=PDZ_TOTAL(budget; groups; channels)`` answering every question (cold cache)."""
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from tests.support.xlwings_payload import function_call
    from udfs.cache import budgets

    budgets.clear()
    req = json.loads(json.dumps(function_call(
        "pdz_total", [budget.rows, [[g] for g, _c in calls], [[c] for _g, c in calls], None, None],
        "Analisi!C2")))
    hint = _hint(req)
    t0 = time.perf_counter()
    out = asyncio.run(custom_functions_call(req, functions, typehint_to_value=hint))
    return time.perf_counter() - t0, [r[0] for r in out]


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
def breakdown(budget: Budget, calls: list[tuple[str, str]], n: int = 200
              ) -> dict[str, float]:
    """The parts of a steady-state call (budget cached), each timed apart on fresh
    requests; medians per call, in seconds."""
    from xlwings import conversion
    from xlwings.pro.udfs_officejs import (
        convert,
        provide_values_for_special_args,
        to_scalar,
    )
    from xlwings.server import custom_functions_call

    import udfs.functions as functions
    from udfs.cache import budgets

    calls = calls[:n]
    requests = Requests(budget, calls)
    info = functions.pdz_total.__xlfunc__
    args_info, ret_info = info["args"], info["ret"]
    budgets.clear()
    query = functions.query_for(budget.rows)  # parse once: every part below is a hit
    parts: dict[str, list[float]] = {k: [] for k in (
        "dispatch", "asyncio_run", "args_to_scalar", "args_read", "special_args",
        "cache_check", "query_total", "pdz_total_direct", "return_convert")}

    async def nothing() -> None:
        return None

    async def returned(req: dict, value: float) -> float:
        t0 = time.perf_counter()
        await convert(value, ret_info, req)
        return time.perf_counter() - t0

    def timed(key: str, fn, *a):
        t0 = time.perf_counter()
        out = fn(*a)
        parts[key].append(time.perf_counter() - t0)
        return out

    def measure(copy: int, req: dict, g: str, c: str) -> None:
        hint = _hint(req)
        if copy == 0:
            timed("dispatch", asyncio.run,
                  custom_functions_call(req, functions, typehint_to_value=hint))
            timed("asyncio_run", asyncio.run, nothing())
        elif copy == 1:
            t0 = time.perf_counter()
            scalars = [to_scalar(a) for a in req["args"]]
            parts["args_to_scalar"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            args = [ai.get("optional") if a is None else conversion.read(
                None, a, ai["options"], engine_name="officejs")
                for a, ai in zip(scalars, args_info, strict=True)]
            parts["args_read"].append(time.perf_counter() - t0)
            timed("special_args", provide_values_for_special_args, functions.pdz_total,
                  args, hint)
            timed("cache_check", budgets.get, args[0], _never)
            value = timed("query_total", query.total, g, c) / 100
            parts["return_convert"].append(asyncio.run(returned(req, value)))
        else:
            timed("pdz_total_direct", functions.pdz_total,
                  *(to_scalar(a) for a in req["args"]))

    for start in range(0, len(calls), BATCH):
        stop = min(start + BATCH, len(calls))
        for copy in range(3):  # fresh requests for the dispatch, the parts, our function
            batch = requests.decoded(start, stop)
            with frozen():
                for req, (g, c) in zip(batch, calls[start:stop], strict=True):
                    measure(copy, req, g, c)
            del batch
    return {k: statistics.median(v) for k, v in parts.items()}


def _never():
    raise AssertionError("il budget doveva essere già nella cache")


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
                     ) -> tuple[list[float], list[float], list[object]]:
    """Conversion times with and without the formulas (alternated) and the recalculated
    SUMIFS results of the first run."""
    import openpyxl

    from tests.support.libreoffice import convert

    times: dict[Path, list[float]] = {with_path: [], without_path: []}
    results: list[object] = []
    for _ in range(repeat):
        for path in (with_path, without_path):
            t0 = time.perf_counter()
            converted = convert(path, path.parent / "lo", "xlsx")
            times[path].append(time.perf_counter() - t0)
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
    requests = Requests(budget, calls)

    runs = [dispatch_run(requests) for _ in range(args.repeat)]
    for run in runs:
        check_answers(run.answers, calls, budget, query, "PDZ_TOTAL")
    spills = [spilled_run(budget, calls) for _ in range(args.repeat)]
    for _t, answers in spills:
        check_answers(answers, calls, budget, query, "PDZ_TOTAL con intervalli")
    parts = breakdown(budget, calls)

    result: dict[str, object] = {
        "lines": args.lines, "calls": args.calls, "repeat": args.repeat,
        "budget_values": sum(len(r) for r in budget.rows),
        "first_call": _stats([r.first_s for r in runs]),
        "all_calls": _stats([r.total_s for r in runs]),
        "per_call_median": _stats([statistics.median(r.per_call_s) for r in runs]),
        "one_spilled_call": _stats([t for t, _a in spills]),
        "breakdown_per_call_s": parts,
    }
    table = [("prima chiamata (analisi + risposta)", result["first_call"]),
             (f"{args.calls} chiamate (somma)", result["all_calls"]),
             ("una chiamata (mediana delle chiamate)", result["per_call_median"]),
             (f"1 cella con {args.calls} gruppi/canali che si espande",
              result["one_spilled_call"])]
    if not args.no_libreoffice:
        with tempfile.TemporaryDirectory() as tmp:
            with_path, without_path = libreoffice_files(budget, calls, Path(tmp))
            with_t, without_t, lo = libreoffice_runs(with_path, without_path, args.repeat)
        check_answers([round(v, 2) if isinstance(v, float) else v for v in lo], calls,
                      budget, query, "SUMIFS di LibreOffice")
        marginal = statistics.median(with_t) - statistics.median(without_t)
        result.update({"libreoffice_with": _stats(with_t),
                       "libreoffice_without": _stats(without_t),
                       "libreoffice_marginal_s": marginal})
        if marginal > 0:
            result.update({
                "ratio_calls_to_marginal": result["all_calls"]["median_s"] / marginal,
                "ratio_spilled_to_marginal": result["one_spilled_call"]["median_s"] / marginal})
        table += [(f"LibreOffice con {args.calls} SUMIFS", result["libreoffice_with"]),
                  ("LibreOffice senza", result["libreoffice_without"])]

    print(f"\nPDZ_TOTAL attraverso xlwings.server.custom_functions_call: {args.lines} righe "
          f"({result['budget_values']} valori nell'argomento budget), {args.calls} "
          f"chiamate, {args.repeat} ripetizioni")
    print(f"  {'':<52} {'mediana ms':>10} {'min':>9} {'max':>9}  n")
    for name, st in table:
        print(f"  {name:<52} {_ms(st['median_s']):>10} {_ms(st['min_s'])} "
              f"{_ms(st['max_s'])}  {st['n']}")
    if "libreoffice_marginal_s" in result:
        print(f"  {'LibreOffice marginale (mediana con − mediana senza)':<52} "
              f"{_ms(result['libreoffice_marginal_s']):>10}")
    if "ratio_calls_to_marginal" in result:
        print(f"  rapporto PDZ_TOTAL / SUMIFS marginale: "
              f"{result['ratio_calls_to_marginal']:.2f}x ({args.calls} celle), "
              f"{result['ratio_spilled_to_marginal']:.2f}x (una cella che si espande)")
    elif "libreoffice_marginal_s" in result:
        print("  marginale non positivo: rumore della macchina più grande dell'effetto, "
              "ripetere con --repeat più alto a macchina ferma")
    print("\n  una chiamata a regime, per parti (mediane, ms):")
    labels = {"dispatch": "custom_functions_call intera, con asyncio.run",
              "asyncio_run": "  asyncio.run di una coroutine vuota",
              "args_to_scalar": "  xlwings to_scalar/js_to_none dei 4 argomenti",
              "args_read": "  xlwings conversion.read dei 4 argomenti",
              "special_args": "  xlwings provide_values_for_special_args",
              "return_convert": "  xlwings convert del risultato",
              "pdz_total_direct": "  pdz_total chiamata direttamente",
              "cache_check": "    di cui: controllo del contenuto nella cache",
              "query_total": "    di cui: BudgetQuery.total"}
    for key, label in labels.items():
        print(f"    {label:<50} {parts[key] * 1000:7.3f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

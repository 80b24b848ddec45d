"""1,000 ``=PDZ_TOTAL(budget; servizio; canale)`` cells over a 5,000-line budget, through
the real xlwings dispatch, against LibreOffice's marginal time for 1,000 equivalent
``SUMIFS`` over the same table.

Each call gets its arguments as Office.js sends them and as a server decodes them: fresh
lists (a JSON round trip per call, done before timing), so the cache's content check
cannot shortcut on identical objects. LibreOffice: the same table (plus the servizio
column SUMIFS needs as a criterion) recalculated headless with and without the 1,000
formulas; marginal = median(with) − median(without).

    .venv/bin/python benchmarks/bench_udf.py [--lines 5000] [--calls 1000] [--repeat 5]
"""

from __future__ import annotations

import os

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"  # the free key; set before xlwings loads
os.environ["XLWINGS_ON_SERVER"] = "true"

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHANNELS = ["FNPS 2021", "FSR 2021", "COMUNI"]
SERVIZI = 53


def budget_rows(lines: int) -> tuple[list[list[object]], list[tuple[str, list[int]]]]:
    """A one-sheet budget (values as Office.js gives them) and, per line, its servizio and
    its cents [budget, FNPS, FSR, COMUNI]."""
    rows: list[list[object]] = [["PIANO PROGRAMMA 2021", "", "", "", ""],
                                ["VOCI DI COSTO", "BUDGET 2021", *CHANNELS]]
    truth: list[tuple[str, list[int]]] = []
    per = lines // SERVIZI + 1
    n = 0
    for s in range(SERVIZI):
        if n >= lines:
            break
        if s % 10 == 0:
            rows.append([f"AREA {s // 10 + 1}", "", "", "", ""])
        servizio = f"SERVIZIO {s + 1}"
        rows.append([servizio, "", "", "", ""])
        rows.append([f"Azione 1: attività {s + 1}", "", "", "", ""])
        for _ in range(min(per, lines - n)):
            a, b = (n * 7919) % 500_000 + 100, (n * 104_729) % 300_000
            c = (n * 1_299_709) % 200_000
            rows.append([f"voce {n + 1}", (a + b + c) / 100, a / 100, b / 100, c / 100])
            truth.append((servizio, [a + b + c, a, b, c]))
            n += 1
    return rows, truth


def calls(n: int) -> list[tuple[str, str]]:
    return [(f"SERVIZIO {k % SERVIZI + 1}", ["FNPS", "FSR", "COMUNI"][k % 3]) for k in range(n)]


def expected_cents(truth, servizio: str, channel: str) -> int:
    col = {"FNPS": 1, "FSR": 2, "COMUNI": 3}[channel]
    return sum(c[col] for s, c in truth if s == servizio)


def dispatch_run(rows, queries) -> tuple[float, float, list[float]]:
    """(first call s, all calls s, answers) with a cold cache."""
    from xlwings.server import Caller, caller_from_address, custom_functions_call

    import udfs.functions as functions
    from tests.support.xlwings_payload import function_call
    from udfs.cache import budgets

    budgets.clear()
    requests = [json.loads(json.dumps(function_call("pdz_total", [rows, g, c, None],
                                                    f"Analisi!B{i + 1}")))
                for i, (g, c) in enumerate(queries)]
    hints = [{Caller: caller_from_address(r["caller_address"])} for r in requests]
    answers = []
    t0 = time.perf_counter()
    first = 0.0
    for i, (req, hint) in enumerate(zip(requests, hints, strict=True)):
        out = asyncio.run(custom_functions_call(req, functions, typehint_to_value=hint))
        answers.append(out[0][0])
        if i == 0:
            first = time.perf_counter() - t0
    return first, time.perf_counter() - t0, answers


def spilled_run(rows, queries) -> tuple[float, list[float]]:
    """One ``=PDZ_TOTAL(budget; groups; channels)`` answering every query (cold cache)."""
    from xlwings.server import Caller, caller_from_address, custom_functions_call

    import udfs.functions as functions
    from tests.support.xlwings_payload import function_call
    from udfs.cache import budgets

    budgets.clear()
    req = json.loads(json.dumps(function_call(
        "pdz_total", [rows, [[g] for g, _c in queries], [[c] for _g, c in queries], None],
        "Analisi!B1")))
    hint = {Caller: caller_from_address(req["caller_address"])}
    t0 = time.perf_counter()
    out = asyncio.run(custom_functions_call(req, functions, typehint_to_value=hint))
    return time.perf_counter() - t0, [r[0] for r in out]


def _loop_overhead(n: int) -> float:
    """asyncio.run itself, n times (a server runs calls on one loop: not ours to count)."""
    async def nothing():
        return None

    t0 = time.perf_counter()
    for _ in range(n):
        asyncio.run(nothing())
    return time.perf_counter() - t0


def libreoffice_files(rows, truth, queries, folder: Path) -> tuple[Path, Path]:
    import xlsxwriter

    paths = []
    for with_formulas in (True, False):
        path = folder / ("con" if with_formulas else "senza") / "budget.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Budget")
        servizio = None
        line = 0
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
            if isinstance(row[0], str) and row[0].startswith("SERVIZIO"):
                servizio = row[0]
            if isinstance(row[1], float):
                ws.write(r, 5, servizio)  # the criterion column SUMIFS needs
                line += 1
        if with_formulas:
            fs = wb.add_worksheet("Formule")
            last = len(rows)
            col = {"FNPS": "C", "FSR": "D", "COMUNI": "E"}
            for k, (g, c) in enumerate(queries):
                fs.write_formula(k, 0, f'=SUMIFS(Budget!${col[c]}$1:${col[c]}${last},'
                                       f'Budget!$F$1:$F${last},"{g}")',
                                 None, expected_cents(truth, g, c) / 100)
        wb.close()
        paths.append(path)
    return paths[0], paths[1]


def libreoffice_marginal(with_path: Path, without_path: Path, repeat: int
                         ) -> tuple[float, float, list[float]]:
    import openpyxl

    from tests.support.libreoffice import convert

    times: dict[Path, list[float]] = {with_path: [], without_path: []}
    results: list[float] = []
    for _ in range(repeat):
        for path in (with_path, without_path):
            out = path.parent / "lo"
            t0 = time.perf_counter()
            converted = convert(path, out, "xlsx")
            times[path].append(time.perf_counter() - t0)
            if path == with_path and not results:
                ws = openpyxl.load_workbook(converted, data_only=True)["Formule"]
                results = [ws.cell(k + 1, 1).value for k in range(ws.max_row)]
    return statistics.median(times[with_path]), statistics.median(times[without_path]), results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    rows, truth = budget_rows(args.lines)
    queries = calls(args.calls)
    from pdz_xl.query import BudgetQuery
    from udfs.book_grid import grid_from_range_values

    core = BudgetQuery.from_grid(grid_from_range_values(rows))
    assert len(core.plan.lines) == args.lines, len(core.plan.lines)
    assert core.total() == sum(c[0] for _s, c in truth)

    firsts, totals = [], []
    for _ in range(args.repeat):
        first, total, answers = dispatch_run(rows, queries)
        firsts.append(first)
        totals.append(total)
    wrong = [q for q, a in zip(queries, answers, strict=True)
             if round(a * 100) != expected_cents(truth, *q)]
    assert not wrong, wrong[:5]
    spills = [spilled_run(rows, queries) for _ in range(args.repeat)]
    assert [round(a * 100) for a in spills[0][1]] == [expected_cents(truth, *q)
                                                      for q in queries]
    loop = _loop_overhead(args.calls)
    result = {"lines": args.lines, "calls": args.calls, "repeat": args.repeat,
              "first_call_s": statistics.median(firsts),
              "all_calls_s": statistics.median(totals),
              "all_calls_min_s": min(totals), "all_calls_max_s": max(totals),
              "asyncio_run_overhead_s": loop,
              "one_spilled_call_s": statistics.median(t for t, _ in spills)}
    print(f"\nPDZ_TOTAL attraverso xlwings.server.custom_functions_call "
          f"({args.lines} righe, {args.calls} chiamate, mediana di {args.repeat}):")
    print(f"  prima chiamata (analisi + risposta) {result['first_call_s'] * 1000:8.1f} ms")
    print(f"  {args.calls} chiamate                     {result['all_calls_s'] * 1000:8.1f} ms"
          f"  (min {min(totals) * 1000:.1f}, max {max(totals) * 1000:.1f}; di cui "
          f"asyncio.run {loop * 1000:.1f} ms)")
    print(f"  1 chiamata con {args.calls} gruppi/canali (tabella che si espande, "
          f"analisi compresa) {result['one_spilled_call_s'] * 1000:8.1f} ms")
    if not args.no_libreoffice:
        with tempfile.TemporaryDirectory() as tmp:
            with_path, without_path = libreoffice_files(rows, truth, queries, Path(tmp))
            w, wo, lo = libreoffice_marginal(with_path, without_path, args.repeat)
        assert [round(v * 100) for v in lo] == [expected_cents(truth, *q) for q in queries]
        result.update({"libreoffice_with_s": w, "libreoffice_without_s": wo,
                       "libreoffice_marginal_s": w - wo})
        print(f"LibreOffice headless, {args.calls} SUMIFS (mediana di {args.repeat}): "
              f"con {w * 1000:.0f} ms, senza {wo * 1000:.0f} ms, "
              f"marginale {(w - wo) * 1000:.0f} ms")
        print(f"rapporto PDZ_TOTAL / SUMIFS marginale: "
              f"{result['all_calls_s'] / (w - wo):.2f}x (1.000 celle), "
              f"{result['one_spilled_call_s'] / (w - wo):.2f}x (una cella che si espande)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Batch regeneration: N generated workbooks of 2,000 lines, ``--jobs 1`` vs ``--jobs 2``,
files per second and peak memory, next to an openpyxl load + save of the same files.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--files 100] [--lines 2000]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_budget  # noqa: E402

_CHILD = """
import resource, sys, time
t0 = time.perf_counter()
{body}
dt = time.perf_counter() - t0
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _measure(body: str) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", _CHILD.format(body=body)], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.split()
    return float(out[-3]), max(int(out[-2]), int(out[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--lines", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        first = generate_budget(src / "b000.xlsx", args.lines)
        for i in range(1, args.files):
            (src / f"b{i:03d}.xlsx").write_bytes(first.read_bytes())
        rows = []
        for jobs in (1, 2):
            body = ("from pdz_xl.cli.app import main; sys.argv=['pdz-xl','rigenera',"
                    f"r'{src}','-o',r'{tmp}/out{jobs}','--jobs','{jobs}','--json'];\n"
                    "import contextlib, io\n"
                    "with contextlib.redirect_stdout(io.StringIO()):\n"
                    "    try: main()\n"
                    "    except SystemExit: pass")
            rows.append((f"pdz-xl rigenera --jobs {jobs}", *_measure(body)))
        body = ("import openpyxl, glob\n"
                f"for f in sorted(glob.glob(r'{src}/*.xlsx')):\n"
                f"    openpyxl.load_workbook(f).save(f.replace('/in/', '/'))")
        rows.append(("openpyxl load + save (naive)", *_measure(body)))
    print(f"\n{args.files} cartelle da {args.lines} righe (mediana unica, 2 core)")
    base = rows[0][1]
    for name, secs, rss_kb in rows:
        print(f"  {name:<32} {secs:7.1f} s  {args.files / secs:6.2f} file/s  "
              f"picco {rss_kb / 1024:7.0f} MB  accelerazione {base / secs:4.2f}x")


if __name__ == "__main__":
    main()

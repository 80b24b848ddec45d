"""The table of the hostile-input corpus (tests/support/hostile.py): each case through the
CLI under 1 GiB of address space and 10 s, with exit code, time and peak memory.

Run: ``.venv/bin/python tools/hostile_report.py [--markdown]`` (the table in
docs/robustezza.md is its output).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.hostile import build_corpus
from tests.support.hostile_run import run_cli, verb_args


def _message(out: str) -> str:
    lines = [line.strip() for line in out.splitlines()
             if line.strip() and not line.startswith(("File:", "/"))]
    errors = [line for line in lines if line.startswith("errore") or "PDZ001" in line]
    text = (errors or lines or [""])[0]
    return text.split(".xlsx: ", 1)[-1].split(".xlsx, ", 1)[-1][:80].replace("|", "/")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pdz-ostili-"))
    try:
        cases = build_corpus(folder / "casi")
        rows = []
        for case in cases:
            for verb in case.exits:
                out_dir = folder / f"out-{case.name}-{verb}"
                out_dir.mkdir()
                run = run_cli(verb_args(verb, case.path, out_dir), cwd=out_dir, env=case.env)
                ok = run.code in case.exits[verb] and not run.timed_out
                rows.append((case.name, verb, run.code, run.seconds, run.peak_mb, ok,
                             _message(run.out.replace(str(folder), "…"))))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.markdown:
        print("| caso | comando | uscita | tempo | memoria di picco | messaggio |")
        print("|---|---|---:|---:|---:|---|")
        for name, verb, code, secs, mb, ok, msg in rows:
            print(f"| {name} | {verb} | {code}{'' if ok else ' (!)'} | {secs:.1f} s "
                  f"| {mb:.0f} MB | {msg} |")
    else:
        for name, verb, code, secs, mb, ok, msg in rows:
            print(f"{'ok ' if ok else 'NO '} {name:26} {verb:7} {code:3} {secs:5.1f} s "
                  f"{mb:6.0f} MB  {msg}")
    sys.exit(0 if all(r[5] for r in rows) else 1)


if __name__ == "__main__":
    main()

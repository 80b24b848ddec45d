"""The per-file summary of a batch run and its final line, in Italian.

At 80 columns every file takes a few lines: a row in the table (esito, errori, avvisi),
then where it was written and one line per step (its first sentence; the rest counted,
whole in ``--json``), each cut at the terminal's width.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..plurals import plural
from .runner import FileResult

STATUS_IT = {"ok": "pulito", "rilievi": "con errori", "errore": "non elaborato"}
NOTES_SHOWN = 3  # notes printed per file; the others are counted
MESSAGE_CHARS = 400  # a failure's message, cut beyond this


def exit_code(results: list[FileResult]) -> int:
    """0 all clean, 1 findings with errori, 2 some file failed."""
    statuses = {r.status for r in results}
    if "errore" in statuses:
        return 2
    if "rilievi" in statuses:
        return 1
    return 0


def final_line(results: list[FileResult]) -> str:
    """``3 file: 2 puliti, 1 con errori, 0 non elaborati (12 errori, 4 avvisi)``."""
    c = Counter(r.status for r in results)
    errori = sum(r.errori for r in results)
    avvisi = sum(r.avvisi for r in results)
    return (f"{len(results)} file: {plural(c['ok'], 'pulito', 'puliti')}, "
            f"{c['rilievi']} con errori, {plural(c['errore'], 'non elaborato', 'non elaborati')} "
            f"({plural(errori, 'errore', 'errori')}, {plural(avvisi, 'avviso', 'avvisi')})")


def split_summary(text: str) -> list[str]:
    """A step's summary in its parts: split at the ``; `` outside brackets and quotes."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(«[":
            depth += 1
        elif ch in ")»]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0 and text[i + 1:i + 2] == " ":
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def file_lines(r: FileResult) -> list[str]:
    """What the terminal says of one file under the table: its name, where it was
    written, each step's first part (the others counted), the first notes; or why it
    failed. Names, paths and failures are printed whole, the rest cut at the width."""
    if r.message:
        message = r.message if len(r.message) <= MESSAGE_CHARS \
            else r.message[:MESSAGE_CHARS].rstrip() + "…"
        return [message if message.startswith(r.file) else f"{r.file}: {message}"]
    out = [r.file] + ([f"  scritto in {r.output}"] if r.output else [])
    for step, text in r.steps.items():
        parts = split_summary(text) or [text]
        more = f" (+{plural(len(parts) - 1, 'dettaglio', 'dettagli')})" if len(parts) > 1 \
            else ""
        out.append(f"  {step}{more}: {parts[0]}")  # the count first: the text may be cut
    out += [f"  nota: {n}" for n in r.notes[:NOTES_SHOWN]]
    if len(r.notes) > NOTES_SHOWN:
        left = len(r.notes) - NOTES_SHOWN
        out.append(f"  … {plural(left, 'altra nota', 'altre note')} (in --json)")
    return out


def print_table(results: list[FileResult], console: Console) -> None:
    """One row per file (esito, errori, avvisi), then a few lines per file, each cut at
    the terminal's width; the details are in ``--json``."""
    table = Table(title="Rigenerazione", title_justify="left")
    table.add_column("File", overflow="fold")
    table.add_column("Esito", no_wrap=True)
    table.add_column("Errori", justify="right", no_wrap=True)
    table.add_column("Avvisi", justify="right", no_wrap=True)
    for r in results:
        table.add_row(r.file, STATUS_IT.get(r.status, r.status), str(r.errori), str(r.avvisi))
    console.print(table)
    for r in results:
        for line in file_lines(r):
            whole = not line.startswith("  ") or line.startswith("  scritto in ")
            console.print(Text(line), highlight=False, no_wrap=not whole,
                          overflow="fold" if whole else "ellipsis")
    if any(len(split_summary(t)) > 1 for r in results for t in r.steps.values()):
        console.print("dettagli completi: --json; i rilievi di un file: pdz-xl valida FILE",
                      highlight=False)

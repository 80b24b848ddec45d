"""The per-file summary table and the final line of a batch run, in Italian."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from ..plurals import plural
from .runner import FileResult

STATUS_IT = {"ok": "pulito", "rilievi": "con errori", "errore": "non elaborato"}


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


def print_table(results: list[FileResult], console: Console) -> None:
    """A table with one row per file."""
    table = Table(title="Rigenerazione", show_lines=False)
    for col in ("File", "Esito", "Errori", "Avvisi", "Scritto in", "Note"):
        table.add_column(col)
    for r in results:
        notes = r.message or "; ".join([f"{k}: {v}" for k, v in r.steps.items()] + r.notes)
        table.add_row(r.file, STATUS_IT.get(r.status, r.status), str(r.errori),
                      str(r.avvisi), r.output or "-", notes)
    console.print(table)

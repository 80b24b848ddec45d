"""Which files a batch run works on, and which it must refuse up front."""

from __future__ import annotations

from pathlib import Path

from ..io.xlsx_sniff import lock_file_for

EXTENSIONS = (".xlsx", ".xlsm")


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand files and folders into workbooks; return (files, [(path, Italian reason)])."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in EXTENSIONS and not f.name.startswith("~$")
                           and ".bak." not in f.name)
            if not found:
                problems.append((p, "la cartella non contiene file .xlsx o .xlsm."))
            candidates = found
        elif p.exists():
            if p.suffix.lower() not in EXTENSIONS:
                problems.append((p, "non è un file .xlsx o .xlsm."))
                continue
            candidates = [p]
        else:
            problems.append((p, "il file non esiste."))
            continue
        for f in candidates:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, problems


def open_in_excel(path: Path) -> bool:
    """True when Excel's lock file ``~$name`` lies beside the workbook."""
    return lock_file_for(path).exists()

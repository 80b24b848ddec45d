"""Where every verb writes: one rule for ``-o``, ``--in-place`` and the default folder.

- ``-o NAME`` is a file when there is one input and NAME ends in ``.xlsx``/``.xlsm`` (and is
  not an existing folder); otherwise a folder, made when missing. A workbook name with
  several inputs is refused (it cannot hold them all).
- In a folder, outputs mirror the inputs' folders relative to their common folder
  (``in/comuneA/budget.xlsx`` -> ``out/comuneA/budget.xlsx``).
- No two inputs write one output, and no output lands on an input (unless in place): both
  are errors raised before anything is written.
- ``--in-place`` writes the inputs themselves (after a backup unless ``--no-backup``); it
  does not combine with ``-o``; ``--no-backup`` needs ``--in-place``.
- Without ``-o``: the inputs themselves with a backup (``valida --scrivi``, ``alloca``,
  ``mappa``, ``triennale``), or the folder ``pdz-output`` inside the inputs' common folder
  (``rigenera``), which discovery never reads as input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import PdzError

DEFAULT_DIR = "pdz-output"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Target:
    """One input and the file its result goes to."""

    src: Path
    dest: Path

    @property
    def in_place(self) -> bool:
        return _key(self.src) == _key(self.dest)


def _key(path: Path) -> str:
    """A comparison key for paths (case-insensitive file systems count too)."""
    return os.path.normcase(os.path.realpath(path)).casefold()


def check_options(*, out: Path | None, in_place: bool, no_backup: bool) -> None:
    """Refuse options that contradict each other (Italian :class:`PdzError`)."""
    if in_place and out is not None:
        raise PdzError("--in-place e -o non vanno insieme: --in-place sovrascrive i file "
                       "stessi, -o scrive altrove. Scegliere uno dei due.")
    if no_backup and not in_place:
        raise PdzError("--no-backup vale solo con --in-place (senza --in-place gli originali "
                       "non vengono toccati).")


def common_folder(roots: list[Path]) -> Path:
    """The folder the outputs mirror: the common folder of the arguments (a folder
    argument counts as itself, a file as its folder)."""
    folders = [os.path.abspath(r if r.is_dir() else r.parent) for r in roots]
    common = os.path.commonpath(folders) if folders else os.getcwd()
    shown = os.path.relpath(common)  # shown as the user wrote it when under the cwd
    return Path(common if shown.startswith("..") else shown)


def plan_outputs(files: list[Path], roots: list[Path] | None = None, *, out: Path | None,
                 in_place: bool = False, default_dir: str | None = None) -> list[Target]:
    """The destination of every input file; raises :class:`PdzError` on a conflict.

    ``roots``: the paths the user named (folders and files; default ``files``).
    ``default_dir``: without ``-o`` and ``--in-place``, write into this folder under the
    common folder (None: write the inputs themselves).
    """
    if in_place or (out is None and default_dir is None):
        return [Target(f, f) for f in files]
    base = common_folder(roots or files)
    if out is None:
        folder = base / default_dir
    elif _is_file_name(out, len(files)):
        targets = [Target(f, out) for f in files]
        _refuse_clashes(targets, allow_in_place=default_dir is None)
        return targets
    else:
        folder = out
    if folder.exists() and not folder.is_dir():
        raise PdzError(f"«{folder}» esiste e non è una cartella: indicare una cartella di "
                       "uscita.")
    targets = [Target(f, folder / _relative(f, base)) for f in files]
    _refuse_clashes(targets, allow_in_place=default_dir is None)
    return targets


def _is_file_name(out: Path, count: int) -> bool:
    if out.is_dir() or out.suffix.casefold() not in WORKBOOK_SUFFIXES:
        return False
    if count > 1:
        raise PdzError(f"«{out}» è il nome di un file, ma i file da scrivere sono {count}: "
                       "con più file -o indica una cartella.")
    return True


def _relative(file: Path, base: Path) -> Path:
    try:
        return Path(os.path.abspath(file)).relative_to(os.path.abspath(base))
    except ValueError:  # another drive: keep the name only (clashes are still caught)
        return Path(file.name)


def _refuse_clashes(targets: list[Target], *, allow_in_place: bool) -> None:
    """No two inputs write one file; no output is written over an input (over its own
    input only for the verbs that write in place by default: the same as no ``-o``)."""
    inputs = {_key(t.src): t.src for t in targets}
    seen: dict[str, Path] = {}
    for t in targets:
        key = _key(t.dest)
        if key in seen:
            raise PdzError(f"«{seen[key]}» e «{t.src}» andrebbero scritti nello stesso file "
                           f"«{t.dest}»: nulla è stato scritto. Dare nomi diversi ai file o "
                           "elaborarli in cartelle di uscita diverse.")
        seen[key] = t.src
        if key in inputs and not (allow_in_place and key == _key(t.src)):
            raise PdzError(f"il risultato di «{t.src}» andrebbe scritto sopra il file "
                           f"d'ingresso «{inputs[key]}»: nulla è stato scritto. Usare "
                           "--in-place oppure un'altra cartella di uscita.")


def prepare_folder(dest: Path) -> None:
    """Make the destination's folder when missing (Italian error when it cannot be)."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PdzError(f"non posso creare la cartella «{dest.parent}» "
                       f"({exc.strerror or exc}).", file=str(dest)) from None

"""Safe writes: refusals with Italian messages, atomic replacement, backups; whatever goes
wrong, the input is untouched and no half-written or temporary file is left."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import msoffcrypto
import pytest

from pdz_xl.changeset import CellWrite, Changeset, OwnedSheet
from pdz_xl.errors import WorkbookReadError, WorkbookWriteError
from pdz_xl.io import atomic, package
from pdz_xl.io.xlsx_patch import apply_changeset
from tests.support.patch_books import build_book

CS = Changeset(sheets=[OwnedSheet(name="Rapporto PDZ", cells=[
    CellWrite(cell="A1", value="x"), CellWrite(cell="B1", value=2, formula="=1+1")])])


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "cartella"
    folder.mkdir()
    return build_book(folder / "budget.xlsx")


def leftovers(folder: Path) -> list[str]:
    """Files a failed write must not leave: temporary files, half files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(atomic.TEMP_PREFIX))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder that refuses new files for real (root ignores mode bits: immutable flag)."""
    root = os.geteuid() == 0
    if root:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.fail(f"cannot make {folder} read-only on this machine")
        yield
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o700)


def test_a_workbook_open_in_excel_is_refused_in_place_and_read_for_elsewhere(book, tmp_path):
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"utente")
    before = book.read_bytes()
    out = tmp_path / "out.xlsx"
    with pytest.raises(WorkbookWriteError) as info:
        apply_changeset(book, CS, in_place=True)
    message = str(info.value)
    assert "aperta in Excel" in message and lock.name in message and str(book) in message
    assert book.read_bytes() == before and leftovers(book.parent) == []
    result = apply_changeset(book, CS, out)  # reading it to write elsewhere is fine
    assert out.exists() and book.read_bytes() == before
    assert any("aperta in Excel" in n and book.name in n for n in result.notes)


def test_a_destination_open_in_excel_is_refused(book, tmp_path):
    dest = tmp_path / "dest.xlsx"
    dest.write_bytes(b"versione aperta")
    (tmp_path / "~$dest.xlsx").write_bytes(b"utente")
    with pytest.raises(WorkbookWriteError, match="aperta in Excel"):
        apply_changeset(book, CS, dest)
    assert dest.read_bytes() == b"versione aperta"


def _truncated(book: Path) -> Path:
    bad = book.with_name("troncato.xlsx")
    bad.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    return bad


def _garbage(book: Path) -> Path:
    bad = book.with_name("rotto.xlsx")
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    return bad


def _legacy_xls(book: Path) -> Path:
    bad = book.with_name("vecchio.xls")
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return bad


def _encrypted(book: Path) -> Path:
    bad = book.with_name("protetto.xlsx")
    with book.open("rb") as fh, bad.open("wb") as out:
        msoffcrypto.OfficeFile(fh).encrypt("segreta", out)
    return bad


def _empty(book: Path) -> Path:
    bad = book.with_name("vuoto.xlsx")
    bad.write_bytes(b"")
    return bad


@pytest.mark.parametrize("make,words", [
    (_truncated, "danneggiato"), (_garbage, "danneggiato"), (_legacy_xls, "97-2003"),
    (_encrypted, "password"), (_empty, "vuoto")])
def test_a_file_that_is_not_a_workbook_is_refused(book, tmp_path, make, words):
    bad = make(book)
    before = bad.read_bytes()
    out = tmp_path / "out.xlsx"
    with pytest.raises(WorkbookReadError) as info:
        apply_changeset(bad, CS, out)
    assert words in str(info.value) and str(bad) in str(info.value)
    assert not out.exists()
    with pytest.raises(WorkbookReadError):
        apply_changeset(bad, CS, in_place=True)
    assert bad.read_bytes() == before and leftovers(bad.parent) == []
    assert sorted(p.name for p in bad.parent.iterdir() if ".bak" in p.name) == []


def test_a_read_only_folder_is_refused(book, tmp_path):
    target = tmp_path / "sola-lettura"
    target.mkdir()
    with read_only(target):
        with pytest.raises(WorkbookWriteError) as info:
            apply_changeset(book, CS, target / "out.xlsx")
        assert "non posso scrivere" in str(info.value) and "sola-lettura" in str(info.value)
        assert list(target.iterdir()) == []
    before = book.read_bytes()
    with read_only(book.parent), pytest.raises(WorkbookWriteError):  # in place
        apply_changeset(book, CS, in_place=True)
    assert book.read_bytes() == before and leftovers(book.parent) == []


def test_a_temporary_file_that_cannot_be_created_is_refused(book, tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(WorkbookWriteError, match="non posso scrivere"):
        apply_changeset(book, CS, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_missing_destination_folder_is_refused(book, tmp_path):
    with pytest.raises(WorkbookWriteError, match="non esiste"):
        apply_changeset(book, CS, tmp_path / "manca" / "out.xlsx")


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"),
                                   KeyboardInterrupt("interrotto a metà")])
def test_a_failure_while_writing_leaves_everything_as_it_was(book, monkeypatch, error):
    before = book.read_bytes()
    real = package.write_zip

    def half(fh, entries):  # writes part of the archive, then fails
        entries = iter(entries)
        real(fh, [next(entries), next(entries)])
        raise error

    monkeypatch.setattr(package, "write_zip", half)
    with pytest.raises(WorkbookWriteError if isinstance(error, OSError) else KeyboardInterrupt):
        apply_changeset(book, CS, in_place=True)
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]  # no temp, no backup
    out = book.parent / "nuovo.xlsx"
    with pytest.raises(WorkbookWriteError if isinstance(error, OSError) else KeyboardInterrupt):
        apply_changeset(book, CS, out)
    assert not out.exists() and leftovers(book.parent) == []


def test_a_failure_while_backing_up_leaves_no_backup_and_the_input(book, monkeypatch):
    before = book.read_bytes()

    def fail(*_a, **_k):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.shutil, "copyfileobj", fail)
    with pytest.raises(WorkbookWriteError, match="scrittura non riuscita"):
        apply_changeset(book, CS, in_place=True)
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]


def test_a_failure_at_the_final_rename_leaves_the_input(book, monkeypatch):
    before = book.read_bytes()
    real = os.replace

    def fail_on_target(a, b):
        if Path(b) == book:
            raise OSError(16, "Device or resource busy")
        return real(a, b)

    monkeypatch.setattr(atomic.os, "replace", fail_on_target)
    with pytest.raises(WorkbookWriteError):
        apply_changeset(book, CS, in_place=True, backup=False)
    assert book.read_bytes() == before and leftovers(book.parent) == []


def test_a_process_killed_halfway_leaves_the_input_whole(book):
    before = book.read_bytes()
    code = (
        "import os, sys\n"
        "from pdz_xl.io import package\n"
        "from pdz_xl.changeset import Changeset, OwnedSheet, CellWrite\n"
        "real = package.write_zip\n"
        "def die(fh, entries):\n"
        "    entries = iter(entries)\n"
        "    real(fh, [next(entries)])\n"
        "    fh.flush()\n"
        "    os._exit(9)\n"
        "package.write_zip = die\n"
        "from pdz_xl.io.xlsx_patch import apply_changeset\n"
        "cs = Changeset(sheets=[OwnedSheet(name='R', cells=[CellWrite(cell='A1', value=1)])])\n"
        f"apply_changeset({str(book)!r}, cs, in_place=True)\n")
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    assert book.read_bytes() == before
    assert zipfile.ZipFile(book).testzip() is None
    # a hard kill cannot clean up: at most one hidden temporary file, never the target
    assert len(leftovers(book.parent)) <= 1
    names = sorted(p.name for p in book.parent.iterdir() if not p.name.startswith("."))
    assert names == [book.name]


def test_in_place_keeps_a_timestamped_backup(book):
    before = book.read_bytes()
    first = apply_changeset(book, CS, in_place=True)
    again = Changeset(sheets=[OwnedSheet(name="Rapporto PDZ", cells=[
        CellWrite(cell="A1", value="y")])])
    second = apply_changeset(book, again)  # dest None: in place too
    for result in (first, second):
        assert result.backup is not None and result.backup.parent == book.parent
        assert result.backup.name.startswith("budget.") and \
            result.backup.name.endswith(".bak.xlsx")
        stamp = result.backup.name[len("budget."):-len(".bak.xlsx")]
        assert len(stamp.split("-")[0]) == 8 and len(stamp.split("-")[1]) == 6
    assert first.backup.read_bytes() == before
    assert first.backup != second.backup  # two runs in the same second: two backups
    assert second.dest == book
    third = apply_changeset(book, CS, book, backup=False)
    assert third.backup is None
    assert len(list(book.parent.glob("*.bak.xlsx"))) == 2
    unchanged = book.read_bytes()
    fourth = apply_changeset(book, CS, in_place=True)  # changes nothing: writes nothing
    assert fourth.unchanged and fourth.backup is None and book.read_bytes() == unchanged
    assert len(list(book.parent.glob("*.bak.xlsx"))) == 2


def test_in_place_keeps_the_files_permissions(book):
    book.chmod(0o640)
    apply_changeset(book, CS, in_place=True, backup=False)
    assert book.stat().st_mode & 0o777 == 0o640


def test_a_macro_workbook_must_keep_its_extension(tmp_path):
    xlsm = build_book(tmp_path / "macro.xlsm", macro=True)
    with pytest.raises(WorkbookWriteError, match=r"\.xlsm"):
        apply_changeset(xlsm, CS, tmp_path / "macro.xlsx")
    plain = build_book(tmp_path / "plain.xlsx")
    with pytest.raises(WorkbookWriteError, match=r"\.xlsx"):
        apply_changeset(plain, CS, tmp_path / "plain.xlsm")
    assert not (tmp_path / "macro.xlsx").exists() and not (tmp_path / "plain.xlsm").exists()


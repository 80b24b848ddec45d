"""The terminal speaks Italian: the help of every verb and the common errors carry no
English string of the command-line toolkit (typer and its click)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from pdz_xl.cli.app import app
from tests.support.oracles import REPO

# What typer/click print in English (words, phrases, metavars), matched case-insensitively.
FORBIDDEN = [
    r"\busage\b", r"\boptions?\b", r"\barguments?\b", r"\bcommands?\b", r"\berror\b",
    r"\bmissing\b", r"\binvalid\b", r"\brequired\b", r"\bdefault\b", r"show this message",
    r"\bno such\b", r"\btry '", r"for help", r"did you mean", r"got unexpected",
    r"possible options", r"requires an? ", r"does not exist", r"\baborted\b",
    r"\btraceback\b", r"<[a-z_\[\]| ]+>", r"list\[", r"int range", r"\bx>=", r"\binput should\b",
    r"\bvalue\b", r"\bchoose from\b", r"\(deprecated\)", r"\benv var\b",
]


def english_in(text: str) -> list[str]:
    text = re.sub(r"--help\b", "", text)
    return [p for p in FORBIDDEN if re.search(p, text, re.IGNORECASE)]


def command_paths(cmd=None, path=()) -> list[tuple[str, ...]]:
    """Every command and group of the CLI (aliases included), as argument paths."""
    cmd = cmd or get_command(app)
    out = [path]
    for name, sub in getattr(cmd, "commands", {}).items():
        out.extend(command_paths(sub, (*path, name)))
    return out


def run(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    return res.exit_code, res.output


def test_the_forbidden_list_catches_the_toolkit_english():
    assert english_in("Usage: pdz-xl [OPTIONS]\n  --help  Show this message and exit.")
    assert english_in("files... <list[Path]>  [required]")
    assert english_in("Error: No such command 'foo'.")
    assert not english_in("Uso: pdz-xl [OPZIONI] FILE...\n  --help  Mostra questo aiuto ed esce.")


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "pdz-xl")
def test_help_of_every_command_is_italian(path):
    code, out = run([*path, "--help"])
    assert code == 0, out
    assert out.startswith("Uso: pdz-xl"), out
    assert "Opzioni:" in out and "Mostra questo aiuto ed esce." in out
    assert english_in(out) == [], out


ERRORS = {
    "comando sconosciuto": (["valda"], "comando sconosciuto «valda»; forse «valida»?"),
    "comando inesistente": (["pippo"], "i comandi sono: leggi,"),
    "opzione sconosciuta": (["valida", "--bogus", "a.xlsx"], "opzione sconosciuta --bogus"),
    "valore non numerico": (["rigenera", "-j", "tre", "a.xlsx"],
                            "valore non valido per --jobs/-j: serve un numero intero"),
    "sotto il minimo": (["rigenera", "--jobs", "0", "a.xlsx"], "almeno 1"),
    "manca l'argomento": (["valida"], "manca l'argomento FILE."),
    "manca il valore": (["alloca", "a.xlsx", "-o"], "l'opzione -o vuole un valore."),
    "manca l'opzione": (["addin", "lite"], "manca l'opzione --url."),
    "argomenti in più": (["leggi", "a.xlsx", "b.xlsx"], "argomenti in più: b.xlsx."),
    "file inesistente": (["valida", "non-esiste.xlsx"], "non-esiste.xlsx"),
    "file inesistente (leggi)": (["leggi", "non-esiste.xlsx"], "non-esiste.xlsx"),
    "sottocomando sconosciuto": (["addin", "costruisci"], "comando sconosciuto «costruisci»"),
}


@pytest.mark.parametrize("case", ERRORS, ids=str)
def test_common_errors_are_italian(case):
    args, expected = ERRORS[case]
    code, out = run(args)
    assert code == 2, out
    assert expected in out, out
    assert "errore: " in out
    assert english_in(out) == [], out


def test_no_arguments_prints_the_italian_help():
    code, out = run([])
    assert code == 2 and out.startswith("Uso: pdz-xl") and "Comandi:" in out
    assert english_in(out) == []


def test_the_installed_entry_point_speaks_italian_on_stderr():
    res = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "valida", "--tolleranza"],
                         capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 2 and res.stdout == ""
    assert "errore: l'opzione --tolleranza vuole un valore." in res.stderr
    assert english_in(res.stderr) == [], res.stderr


def test_a_missing_package_is_named_in_italian(monkeypatch, tmp_path):
    """«addin build» without ms-ovba (a set-up without the addin extra): no traceback."""
    monkeypatch.setitem(sys.modules, "ms_ovba", None)
    for name in [m for m in sys.modules if m.startswith("ms_ovba.")]:
        monkeypatch.delitem(sys.modules, name)
    code, out = run(["addin", "build", "-o", str(tmp_path)])
    assert code == 2
    assert "errore: manca il pacchetto Python «ms_ovba»" in out and "scripts/setup.sh" in out
    assert english_in(out) == [], out


def test_the_set_up_installs_what_the_addin_needs():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'extras="fast,addin"' in setup


@pytest.mark.parametrize(("typed", "cents"), [
    ("0,05", 5), ("€ 0,05", 5), ("0.05", 5), ("1,5", 150), ("0", 0), ("5 cent", 5),
    ("12 centesimi", 12),
])
def test_tolerance_typed_in_euro_or_cents(typed, cents):
    from pdz_xl.cli.values import parse_euro_tolerance

    assert parse_euro_tolerance(typed) == cents


@pytest.mark.parametrize(("typed", "iso"), [("2025-03-31", "2025-03-31"),
                                            ("31/03/2025", "2025-03-31"),
                                            ("2024-02-29", "2024-02-29")])
def test_dates_typed_the_italian_way(typed, iso):
    from pdz_xl.cli.values import parse_date

    assert parse_date(typed) == iso


@pytest.mark.parametrize(("args", "expected"), [
    (["valida", "a.xlsx", "--tolleranza", "cinque"], "«cinque» non è un importo in euro"),
    (["valida", "a.xlsx", "--tolleranza", "-0,05"], "non è un importo in euro"),
    (["triennale", "a.xlsx", "--data", "ieri"], "«ieri» non è una data"),
    (["triennale", "a.xlsx", "--data", "2025-02-30"], "«2025-02-30» non è una data"),
])
def test_bad_amounts_and_dates_refused_in_italian(args, expected):
    code, out = run(args)
    assert code == 2 and expected in out, out
    assert english_in(out) == [], out

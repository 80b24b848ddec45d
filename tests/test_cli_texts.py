"""What the terminal prints reads as Italian: counts agree in number, channels are named as
the workbook names them (never an internal code unless --json), ``leggi`` lists every
line, ``demo`` writes the triennial sheet, ``rigenera`` stays short at 80 columns."""

from __future__ import annotations

import re

from pdz_xl.batch.report import final_line
from pdz_xl.batch.runner import FileResult
from pdz_xl.plurals import plural
from pdz_xl.validate.report import counts_words


def test_plural_agrees_with_the_count():
    assert plural(1, "riga", "righe") == "1 riga"
    assert plural(2, "riga", "righe") == "2 righe"
    assert plural(0, "errore", "errori") == "0 errori"
    assert plural(1234, "riga allocata", "righe allocate") == "1.234 righe allocate"


def test_counts_in_words():
    assert counts_words(1, 1) == "1 errore, 1 avviso"
    assert counts_words(7, 8, 5) == "7 errori, 8 avvisi (di cui 5 arrotondamenti)"
    assert counts_words(0, 1, 1) == "0 errori, 1 avviso (di cui 1 arrotondamento)"


def test_batch_final_line_agrees_in_number():
    one = [FileResult(file="a.xlsx", status="ok")]
    assert final_line(one) == ("1 file: 1 pulito, 0 con errori, 0 non elaborati "
                               "(0 errori, 0 avvisi)")
    mixed = [FileResult(file="a.xlsx", status="ok"), FileResult(file="b.xlsx", status="ok"),
             FileResult(file="c.xlsx", status="errore"),
             FileResult(file="d.xlsx", status="rilievi", errori=1, avvisi=1)]
    assert final_line(mixed) == ("4 file: 2 puliti, 1 con errori, 1 non elaborato "
                                 "(1 errore, 1 avviso)")


BAD_AGREEMENT = re.compile(r"(?<![\d.,])1 (righe|errori|avvisi|puliti|non elaborati|voci|"
                           r"totali|canali|gruppi|arrotondamenti|celle|tabelle)\b")


# ------------------------------------------------------------- channel names, leggi, demo
import shutil  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from pdz_xl.channels.display import channel_labels  # noqa: E402
from pdz_xl.cli.app import app  # noqa: E402
from pdz_xl.io.load import load_plan  # noqa: E402
from pdz_xl.io.xlsx_reader import read_workbook  # noqa: E402
from pdz_xl.layout.detect import detect_plan  # noqa: E402
from tests.support.oracles import REPO  # noqa: E402

SAMPLES = ("piano_operativo_2018.xlsx", "piano_programma_2021.xlsx")
runner = CliRunner()


def _word(code: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(code)}(?![\w])")


def _internal_codes(path) -> tuple[set[str], list[str]]:
    """The codes a user must not read for this workbook (every channel whose name in the
    workbook is not its code: FSR where the 2018 document says FRS, AVANZO_VINCOLATO...),
    and the workbook's own texts that hold one («Azione 2: Gestione FSR»)."""
    grid = read_workbook(path)
    plan = detect_plan(grid)
    texts = {" ".join(c.value.split()) for sh in grid.sheets for cells in sh.rows.values()
             for c in cells.values() if isinstance(c.value, str)}
    codes = {code for code, label in channel_labels(plan).items()
             if "_" in code or not _word(code).search(label)}
    return codes, [t for t in texts if any(_word(c).search(t) for c in codes)]


@pytest.mark.parametrize("name", SAMPLES)
def test_no_internal_channel_code_in_what_a_user_reads(name, tmp_path):
    src = tmp_path / name
    shutil.copy(REPO / "workbooks" / name, src)
    codes, own = _internal_codes(src)
    assert codes  # each sample has channels named otherwise than their code
    runs = [["leggi", str(src)], ["valida", str(src)],
            ["alloca", str(src), "-o", str(tmp_path / "alloca.xlsx")],
            ["triennale", str(src), "-o", str(tmp_path / "triennale.xlsx")]]
    for args in runs:
        res = runner.invoke(app, args, env={"COLUMNS": "250"})  # the workbook's texts whole
        assert res.exit_code in (0, 1), (args, res.output)
        text = res.output
        for t in sorted(own, key=len, reverse=True):
            text = text.replace(t, "")
        found = sorted(c for c in codes if _word(c).search(text))
        assert not found, (args[0], found)
        assert "triennale_costi" not in text and "risolutore ortools" not in text
        assert not BAD_AGREEMENT.search(text), (args[0], BAD_AGREEMENT.search(text))
    # --json keeps the codes
    res = runner.invoke(app, ["leggi", str(src), "--json"])
    assert any(re.search(rf'"{re.escape(c)}"', res.output) for c in codes)


def test_2018_channel_is_named_frs_as_the_workbook_writes_it():
    labels = channel_labels(load_plan(REPO / "workbooks" / "piano_operativo_2018.xlsx"))
    assert labels["FSR"] == "FRS"


@pytest.mark.parametrize("name", SAMPLES)
def test_leggi_lists_every_line_with_its_cell(name):
    path = REPO / "workbooks" / name
    plan = load_plan(path)
    res = runner.invoke(app, ["leggi", str(path)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert len(plan.lines) < 500  # the default shows them all
    rows = [ln for ln in res.output.splitlines() if re.match(r"[A-Z]{1,3}[0-9]+ ", ln)]
    assert len(rows) == len(plan.lines) and len(plan.lines) > 100
    cells = [ln.split()[0] for ln in rows]
    assert cells == [line.cell.split("!")[-1] for line in plan.lines]
    assert all(len(ln) <= 80 for ln in res.output.splitlines() if ln in rows)
    first = plan.lines[0]
    assert first.sheet in res.output and first.voce in res.output
    res = runner.invoke(app, ["leggi", str(path), "--righe", "5"], env={"COLUMNS": "80"})
    rows = [ln for ln in res.output.splitlines() if re.match(r"[A-Z]{1,3}[0-9]+ ", ln)]
    assert len(rows) == 5 and f"5 di {len(plan.lines)}" in res.output


def test_demo_writes_the_triennial_sheet(tmp_path):
    res = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    for name in SAMPLES:
        wb = openpyxl.load_workbook(tmp_path / name)
        assert "Triennale PDZ" in wb.sheetnames and "Controlli PDZ" in wb.sheetnames
        title = wb["Triennale PDZ"]["A1"].value
        assert isinstance(title, str) and "TRIENNALE" in title.upper()


# ------------------------------------------------------------------ rigenera at 80 columns
LINES_PER_FILE = 8  # name and output (long paths fold: 2 lines each), 3 steps, 1 note


def test_rigenera_stays_short_at_80_columns(request):
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    # paths are printed whole (folded at the width): a short folder, so that what is
    # counted below is the notes' wrapping, not the length of pytest's temporary paths
    tmp_path = Path(tempfile.mkdtemp(prefix="pdz80-"))
    request.addfinalizer(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    folder = tmp_path / "budget"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(REPO / "workbooks" / name, folder / name)
    (folder / "rotto.xlsx").write_bytes(b"PK\x03\x04rotto")
    proc = subprocess.run([sys.executable, "-m", "pdz_xl.cli.app", "rigenera", str(folder),
                           "--alloca", "--triennale", "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"})
    assert proc.returncode == 2, proc.stderr
    lines = proc.stdout.splitlines()
    assert all(len(ln) <= 80 for ln in lines), max(lines, key=len)
    starts = [i for i, ln in enumerate(lines) if ln.startswith(str(folder))]
    assert len(starts) == 3  # one block per file, after the table
    ends = [*starts[1:], len(lines) - 2]  # the «dettagli» line and the final line close
    for start, end in zip(starts, ends, strict=True):
        assert end - start <= LINES_PER_FILE, lines[start:end]
    assert any("alloca (+" in ln and "dettagli)" in ln for ln in lines)
    assert lines[-1] == ("3 file: 1 pulito, 1 con errori, 1 non elaborato "
                         "(7 errori, 8 avvisi)")
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal

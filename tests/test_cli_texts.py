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

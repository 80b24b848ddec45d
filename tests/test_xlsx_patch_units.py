"""The small pieces of the write path: formula translation, number text, the ZIP writer."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdz_xl.io.formula_shift import shift_formula
from pdz_xl.io.sheet_xml import number_text
from pdz_xl.io.zip_write import FIXED_DATE, NewEntry, RawEntry, raw_bytes, write_zip


@pytest.mark.parametrize("formula,drow,dcol,expected", [
    ("B5+C5", 1, 0, "B6+C6"),
    ("SUM(B5:B7)*$C$1", 2, 1, "SUM(C7:C9)*$C$1"),
    ("$B5+B$5", 3, 2, "$B8+D$5"),
    ("Dati!B2+B5", 1, 0, "Dati!B3+B6"),
    ("'Area 1 A1'!C3*2", 1, 1, "'Area 1 A1'!D4*2"),
    ('IF(A1="A1",LOG10(A2),"B2")', 1, 0, 'IF(A2="A1",LOG10(A3),"B2")'),
    ("Tabella1[[#This Row],[B1]]+A1", 1, 0, "Tabella1[[#This Row],[B1]]+A2"),
    ("SUM(A:A)+SUM(3:4)", 1, 1, "SUM(B:B)+SUM(4:5)"),
    ("TotaleAzione1+1E5+A1", 1, 0, "TotaleAzione1+1E5+A2"),
    ("A1-B1", -1, 0, "#REF!-#REF!"),
    ("[1]Foglio!A1", 1, 0, "[1]Foglio!A2"),
])
def test_shared_formulas_are_translated_like_excel(formula, drow, dcol, expected):
    assert shift_formula(formula, drow, dcol) == expected


@given(st.integers(1, 500), st.integers(1, 200), st.integers(0, 300), st.integers(0, 50))
def test_translating_there_and_back_is_the_identity(row, col, drow, dcol):
    from pdz_xl.cells import a1

    formula = f"SUM({a1(row, col)}:{a1(row + 3, col)})*${a1(1, 1)[0]}$1"
    moved = shift_formula(formula, drow, dcol)
    assert shift_formula(moved, -drow, -dcol) == formula


@pytest.mark.parametrize("value,text", [
    (12, "12"), (-3, "-3"), (0.1, "0.1"), (2.0, "2"), (1e-7, "1e-07"),
    (Decimal("100.50"), "100.5"), (Decimal("745.00"), "745"), (Decimal("-0.01"), "-0.01"),
    (Decimal("1E+3"), "1000"), (True, "1"),
])
def test_numbers_are_written_as_xml_doubles(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(ValueError):
        number_text(value)


def test_the_zip_writer_copies_stored_bytes_and_deflates_new_parts():
    src = io.BytesIO()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("a.xml", (2020, 5, 6, 7, 8, 10)), b"<a>" + b"x" * 500 +
                    b"</a>", compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("città/b.bin", (2021, 1, 1, 0, 0, 0)), b"\x00\x01",
                    compress_type=zipfile.ZIP_STORED)
    data = src.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    out = io.BytesIO()
    write_zip(out, [RawEntry(i, raw_bytes(data, i)) for i in infos]
              + [NewEntry("nuovo.xml", b"<nuovo/>")])
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ["a.xml", "città/b.bin", "nuovo.xml"]
        assert zf.read("a.xml") == b"<a>" + b"x" * 500 + b"</a>"
        assert zf.read("città/b.bin") == b"\x00\x01"
        assert zf.read("nuovo.xml") == b"<nuovo/>"
        got = {i.filename: i for i in zf.infolist()}
    assert got["a.xml"].date_time == (2020, 5, 6, 7, 8, 10)
    assert got["nuovo.xml"].date_time == FIXED_DATE
    assert got["città/b.bin"].compress_type == zipfile.ZIP_STORED
    copied = out.getvalue()
    for info in infos:
        assert raw_bytes(copied, got[info.filename]) == raw_bytes(data, info)


def test_an_encrypted_zip_entry_is_not_copied_raw():
    src = io.BytesIO()
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("a.xml", b"<a/>")
    info = zipfile.ZipFile(io.BytesIO(src.getvalue())).infolist()[0]
    info.flag_bits |= 0x1
    assert raw_bytes(src.getvalue(), info) is None

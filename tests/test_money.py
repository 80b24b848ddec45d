"""Exact money: parsing what real sheets hold, Italian formatting, no float sums."""

from decimal import Decimal

import pytest

from pdz_xl.money import (
    AmountError,
    format_eur,
    from_decimal_str,
    parse_amount,
    to_decimal_str,
)


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        (1234.56, 123456),
        (50000, 5_000_000),
        ("€ 1.234,56", 123456),
        ("1.234,56", 123456),
        ("€ -", 0),
        ("-", 0),
        ("-€ 5,00", -500),
        ("€ -5,00", -500),
        ("(1.234,56)", -123456),
        ("1.234,56 €", 123456),
        ("€ 12.725.044,33", 1_272_504_433),
        ("1234.56", 123456),
        ("1234,5", 123450),
        ("1.234", 123400),
        ("€\u00a01.234,56", 123456),
        (None, None),
        ("", None),
        ("   ", None),
        (Decimal("10.005"), 1000),  # half-even to the cent
        (1093183.9600000002, 109318396),  # binary noise of a cached SUM
    ],
)
def test_parse_amount(raw, cents):
    assert parse_amount(raw) == cents


@pytest.mark.parametrize("raw", ["abc", "€ 1.2x", "RISORSE COMUNE DI CREMA", "12/05/2021", True])
def test_text_that_is_not_an_amount_is_an_error(raw):
    with pytest.raises(AmountError) as info:
        parse_amount(raw)
    assert "importo" in str(info.value)


def test_float_sum_pitfall_is_avoided():
    assert parse_amount(0.1) + parse_amount(0.2) == parse_amount(0.3) == 30


@pytest.mark.parametrize(
    ("cents", "text"),
    [(123456, "€ 1.234,56"), (-500, "-€ 5,00"), (0, "€ 0,00"), (1_272_504_433, "€ 12.725.044,33"),
     (5, "€ 0,05")],
)
def test_format_eur(cents, text):
    assert format_eur(cents) == text


def test_decimal_strings_round_trip():
    for cents in (0, 1, -1, 99, 100, 1_244_791_848, -123456):
        assert from_decimal_str(to_decimal_str(cents)) == cents
    assert to_decimal_str(1_244_791_848) == "12447918.48"

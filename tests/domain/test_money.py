from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import (
    CurrencyMismatch,
    Money,
    round_money,
    round_percent,
    round_unit_price,
    to_decimal,
)

D = Decimal


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),
        ("2.3449", "EUR", "2.34"),
        ("-2.345", "EUR", "-2.35"),
        ("100.5", "JPY", "101"),
        ("0.0050", "USD", "0.01"),
        ("1.2345", "KWD", "1.235"),
    ],
)
def test_round_money_is_half_up_to_minor_unit(amount: str, currency: str, expected: str) -> None:
    result = round_money(D(amount), currency)
    assert result == D(expected)
    assert str(result) == expected


def test_round_unit_price_and_percent() -> None:
    assert str(round_unit_price(D("1.23445"))) == "1.2345"
    assert str(round_unit_price(D("7"))) == "7.0000"
    assert str(round_percent(D("2.15"))) == "2.2"
    assert str(round_percent(D("-2.15"))) == "-2.2"


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown currency 'XYZ'"):
        round_money(D(1), "XYZ")
    with pytest.raises(ValueError, match="unknown currency"):
        Money(D(1), "XYZ")


def test_money_arithmetic_and_comparison() -> None:
    a = Money(D("12.5"), "EUR")
    b = Money(D("0.75"), "eur")
    assert b.currency == "EUR"
    assert a + b == Money(D("13.25"), "EUR")
    assert a - b == Money(D("11.75"), "EUR")
    assert a * 3 == Money(D("37.5"), "EUR")
    assert D("0.5") * a == Money(D("6.25"), "EUR")
    assert -b == Money(D("-0.75"), "EUR")
    assert b < a and a > b and a >= a and b <= a
    assert Money.zero("JPY") == Money(D(0), "JPY")
    assert Money(D("2.005"), "EUR").rounded() == Money(D("2.01"), "EUR")


def test_money_refuses_mixed_currencies() -> None:
    eur, usd = Money(D(1), "EUR"), Money(D(1), "USD")
    with pytest.raises(CurrencyMismatch, match="EUR with USD"):
        _ = eur + usd
    with pytest.raises(CurrencyMismatch):
        _ = eur - usd
    with pytest.raises(CurrencyMismatch):
        _ = eur < usd
    assert eur != usd


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _ = Money(D(1), "EUR") * 1.5  # type: ignore[operator]
    with pytest.raises(ValueError, match="finite"):
        Money(D("NaN"), "EUR")
    assert Money(3, "EUR").amount == D(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("12.5", "EUR", "EUR 12.50"),
        ("12.50", "EUR", "EUR 12.50"),
        ("1200", "JPY", "JPY 1200"),
        ("1.2345", "EUR", "EUR 1.2345"),
        ("9.5000", "EUR", "EUR 9.50"),
        ("1E+3", "USD", "USD 1000.00"),
    ],
)
def test_money_str(amount: str, currency: str, text: str) -> None:
    assert str(Money(D(amount), currency)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        (" 12 ", "12"),
        ("-0,25", "-0.25"),
        (",5", "0.5"),
        ("3.", "3"),
    ],
)
def test_to_decimal_accepts_point_and_comma(text: str, expected: str) -> None:
    assert to_decimal(text) == D(expected)


def test_to_decimal_passes_ints_and_decimals() -> None:
    assert to_decimal(7) == D(7)
    assert to_decimal(D("2.50")) == D("2.50")


@pytest.mark.parametrize("text", ["", "abc", "NaN", "inf", "Infinity", "1e3", "1.234,5", "1,2,3"])
def test_to_decimal_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(text)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_to_decimal_rejects_non_finite_decimals(value: Decimal) -> None:
    with pytest.raises(ValueError):
        to_decimal(value)


@pytest.mark.parametrize("value", [1.5, True, None, [1]])
def test_to_decimal_rejects_floats_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(value)  # type: ignore[arg-type]


@settings(max_examples=200)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_to_decimal_round_trips_both_separators(value: Decimal) -> None:
    text = f"{value:f}"
    assert to_decimal(text) == value
    assert to_decimal(text.replace(".", ",")) == value


@settings(max_examples=200)
@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=6),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_round_money_is_within_half_a_minor_unit(value: Decimal, currency: str) -> None:
    rounded = round_money(value, currency)
    step = {"EUR": D("0.01"), "JPY": D(1), "KWD": D("0.001")}[currency]
    assert abs(rounded - value) <= step / 2
    assert rounded % step == 0

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.gtin import (
    InvalidGtin,
    expand_upc_e,
    gtin14_to_ean13,
    gtin_check_digit,
    is_valid_gtin,
    make_gtin,
    normalize_gtin,
    upc_a_to_ean13,
)


@pytest.mark.parametrize(
    "code", ["4006381333931", "036000291452", "96385074", "09506000134352", "00012345600012"]
)
def test_real_gtins_are_valid(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code", ["4006381333932", "036000291453", "96385075", "12345", "40063813339a1", "", "٤٠٠٦"]
)
def test_broken_gtins_are_invalid(code: str) -> None:
    assert not is_valid_gtin(code)


def test_check_digit() -> None:
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("03600029145") == 2
    assert gtin_check_digit("9638507") == 4
    assert gtin_check_digit("00950600013435") == 2  # any length, e.g. an SSCC body prefix
    assert make_gtin("400638133393") == "4006381333931"


def test_normalize_pads_to_14_digits() -> None:
    assert normalize_gtin("4006381333931") == "04006381333931"
    assert normalize_gtin("036000291452") == "00036000291452"
    assert normalize_gtin("96385074") == "00000096385074"
    assert normalize_gtin(" 09506000134352\n") == "09506000134352"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("4006381333933", "check digit should be 1, not 3"),
        ("40063813339", "has 11 digits; expected 8, 12, 13 or 14"),
        ("4006-81333931", "non-digit '-'"),
        ("", "empty"),
    ],
)
def test_normalize_says_what_is_wrong(code: str, reason: str) -> None:
    with pytest.raises(InvalidGtin, match=reason):
        normalize_gtin(code)


@pytest.mark.parametrize(
    ("upc_e", "upc_a"),
    [
        ("0425261", "042100005264"),
        ("04252614", "042100005264"),
        ("425261", "042100005264"),
        ("01234565", "012345000065"),
        ("0123453", "012300000451"),
        ("0123454", "012340000053"),
        ("1123450", "112000003452"),
    ],
)
def test_expand_upc_e(upc_e: str, upc_a: str) -> None:
    assert expand_upc_e(upc_e) == upc_a
    assert is_valid_gtin(upc_a)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("04252615", "check digit should be 4, not 5"),
        ("2425261", "number system"),
        ("12345", "expected 6, 7 or 8"),
    ],
)
def test_expand_upc_e_rejects(code: str, reason: str) -> None:
    with pytest.raises(InvalidGtin, match=reason):
        expand_upc_e(code)


def test_conversions_between_lengths() -> None:
    assert gtin14_to_ean13("04006381333931") == "4006381333931"
    assert gtin14_to_ean13(make_gtin("1400638133393")) is None
    assert upc_a_to_ean13("036000291452") == "0036000291452"
    with pytest.raises(InvalidGtin):
        upc_a_to_ean13("4006381333931")


bodies = st.integers(min_value=0, max_value=3).flatmap(
    lambda i: st.text("0123456789", min_size=(7, 11, 12, 13)[i], max_size=(7, 11, 12, 13)[i])
)


@settings(max_examples=300)
@given(bodies)
def test_make_then_normalize_round_trips(body: str) -> None:
    code = make_gtin(body)
    assert is_valid_gtin(code)
    assert normalize_gtin(code) == code.zfill(14)
    assert normalize_gtin(normalize_gtin(code)) == normalize_gtin(code)


@settings(max_examples=300)
@given(bodies, st.data())
def test_any_single_digit_error_is_caught(body: str, data: st.DataObject) -> None:
    code = make_gtin(body)
    index = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != code[index]]))
    assert not is_valid_gtin(code[:index] + digit + code[index + 1 :])

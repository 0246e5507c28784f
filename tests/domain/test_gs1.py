from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.gs1 import GS, Gs1Error, looks_like_gs1, parse_gs1
from app.domain.gtin import gtin_check_digit, make_gtin


def test_printed_form() -> None:
    data = parse_gs1("(01)09506000134352(17)201225(10)ABC123(21)SER9")
    assert data.gtin == "09506000134352"
    assert data.expiry == date(2020, 12, 25)
    assert data.batch == "ABC123"
    assert data.serial == "SER9"
    assert data.count is None and data.sscc is None and data.content_gtin is None
    assert data.elements == (
        ("01", "09506000134352"),
        ("17", "201225"),
        ("10", "ABC123"),
        ("21", "SER9"),
    )


def test_raw_gs1_128_with_group_separator() -> None:
    data = parse_gs1("]C1010950600013435217201225" + "10ABC" + GS + "3712")
    assert data.gtin == "09506000134352"
    assert data.expiry == date(2020, 12, 25)
    assert data.batch == "ABC"
    assert data.count == 12


def test_raw_datamatrix_with_leading_fnc1_and_content_gtin() -> None:
    data = parse_gs1("]d2" + GS + "00" + "106141411234567897" + "0204006381333931" + "3724")
    assert data.sscc == "106141411234567897"
    assert data.content_gtin == "04006381333931"
    assert data.count == 24


def test_dates_day_zero_is_last_day_of_month() -> None:
    data = parse_gs1("(01)09506000134352(17)240200(15)250400(11)230131")
    assert data.expiry == date(2024, 2, 29)
    assert data.best_before == date(2025, 4, 30)
    assert data.production_date == date(2023, 1, 31)


def test_count_from_ai_30() -> None:
    assert parse_gs1("(30)0500").count == 500


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("0109506000134352" + "99XYZ", r"unknown AI '99' at position 16"),
        ("(01)09506000134352(3103)000500", r"unknown AI '3103' at position 18"),
        ("(01)09506000134353", "check digit should be 2, not 3"),
        ("010950600013435", "needs 14 characters, got 13"),
        ("(01)0950600013435", "needs 14 characters, got 13"),
        ("(17)201325", "month 13"),
        ("(17)230230", "not a calendar date"),
        ("(10)" + "A" * 21, "at most 20"),
        ("(10)AB C", "character ' '"),
        ("(10)A(10)B", "twice"),
        ("(30)12a", "digits"),
        ("(00)106141411234567890", "check digit should be 7, not 0"),
        ("]E04006381333931", "does not carry GS1 data"),
        ("", "no GS1 elements"),
        ("(01", "unexpected text"),
    ],
)
def test_errors_say_what_and_where(data: str, reason: str) -> None:
    with pytest.raises(Gs1Error, match=reason):
        parse_gs1(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("]C1010950600013435217201225", True),
        ("(01)09506000134352", True),
        ("10ABC" + GS + "3712", True),
        ("010950600013435217201225", True),
        ("4006381333931", False),
        ("09506000134352", False),
        ("hello", False),
    ],
)
def test_looks_like_gs1(data: str, expected: bool) -> None:
    assert looks_like_gs1(data) is expected


text_values = st.text(
    alphabet="!\"%&'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    min_size=1,
    max_size=20,
)


@settings(max_examples=200)
@given(
    body=st.text("0123456789", min_size=13, max_size=13),
    expiry=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    batch=text_values,
    serial=text_values,
    count=st.integers(min_value=0, max_value=99_999_999),
    order=st.permutations(["17", "10", "21", "37"]),
    printed=st.booleans(),
)
def test_generated_element_strings_parse_back(
    body: str,
    expiry: date,
    batch: str,
    serial: str,
    count: int,
    order: list[str],
    printed: bool,
) -> None:
    gtin = make_gtin(body)
    values = {
        "01": gtin,
        "17": expiry.strftime("%y%m%d"),
        "10": batch,
        "21": serial,
        "37": str(count),
    }
    ais = ["01", *order]
    if printed:
        data = "".join(f"({ai}){values[ai]}" for ai in ais)
    else:
        # FNC1 (GS) ends each variable-length value except the last.
        parts = [ai + values[ai] + ("" if ai in ("01", "17") else GS) for ai in ais]
        data = "]C1" + "".join(parts).removesuffix(GS)
    parsed = parse_gs1(data)
    assert parsed.gtin == gtin
    assert parsed.expiry == expiry
    assert parsed.batch == batch
    assert parsed.serial == serial
    assert parsed.count == count
    assert [ai for ai, _ in parsed.elements] == ais


@settings(max_examples=100)
@given(body=st.text("0123456789", min_size=17, max_size=17))
def test_sscc_with_computed_check_digit_parses(body: str) -> None:
    sscc = body + str(gtin_check_digit(body))
    assert parse_gs1("00" + sscc).sscc == sscc

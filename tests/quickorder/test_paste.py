"""Pasted text: separators, decimal marks, bare SKUs, Excel copies; property-tested."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.quickorder.lines import Field
from app.quickorder.numbers import BadNumber, parse_number
from app.quickorder.paste import parse_line, parse_paste

SKU = st.text(
    alphabet=st.sampled_from("ABCDEFGHKMNPQRSTWXZabcdefxz0123456789-_./"), min_size=1, max_size=16
)
UNIT = st.sampled_from(["EA", "BX", "cs", "pcs", "Stk.", "Karton", "PR"])
SEPARATOR = st.sampled_from(["\t", ";", ",", " ", "  ", ", ", " ; ", "\t\t", " , "])
QUANTITY = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2, allow_nan=False
)


def written(value: Decimal, mark: str) -> str:
    """``value`` as a person writes it: no trailing zeros, ``mark`` as the decimal mark."""
    text = f"{value.normalize():f}"
    return text.replace(".", mark)


def as_number(value: Decimal | str | None) -> Decimal:
    assert value is not None
    return value if isinstance(value, Decimal) else parse_number(value).value


@given(sku=SKU, qty=QUANTITY, unit=st.none() | UNIT, sep=SEPARATOR, mark=st.sampled_from(".,"))
def test_sku_qty_unit_round_trips(
    sku: str, qty: Decimal, unit: str | None, sep: str, mark: str
) -> None:
    quantity = written(qty, mark)
    fraction = quantity.partition(mark)[2]
    # "1,250" alone is read as a thousand and fifty (documented, and flagged): skip it here.
    if len(fraction) == 3:
        return
    text = sep.join([sku, quantity, *([unit] if unit else [])])
    parsed = parse_line(7, text)
    assert (parsed.row, parsed.sku, parsed.unit, parsed.note) == (7, sku, unit, None)
    assert as_number(parsed.quantity) == qty
    assert parsed.source == text


@given(sku=SKU)
def test_a_bare_sku_orders_one(sku: str) -> None:
    parsed = parse_line(1, f"  {sku}  ")
    assert (parsed.sku, parsed.quantity, parsed.unit) == (sku, Decimal(1), None)


@given(text=st.text(max_size=300))
def test_every_non_blank_line_becomes_one_input_with_its_line_number(text: str) -> None:
    inputs = parse_paste(text)
    expected = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if inputs and inputs[0].columns:  # read as a table: the header line is not an order line
        expected = expected[1:]
    assert [line.row for line in inputs] == expected


@given(
    value=st.decimals(min_value=0, max_value=Decimal("9999999"), places=2, allow_nan=False),
    mark=st.sampled_from(".,"),
    grouped=st.booleans(),
)
def test_numbers_with_either_decimal_mark_and_grouping(
    value: Decimal, mark: str, grouped: bool
) -> None:
    whole, _, fraction = f"{value:.2f}".partition(".")
    if grouped:
        thousands = "," if mark == "." else "."
        whole = f"{int(whole):,}".replace(",", thousands)
    assert parse_number(f"{whole}{mark}{fraction}").value == value


@pytest.mark.parametrize(
    ("text", "sku", "qty", "unit", "note"),
    [
        ("FAS-1 12", "FAS-1", "12", None, None),
        ("FAS-1,1,5", "FAS-1", "1,5", None, None),
        ("FAS-1,12,EA", "FAS-1", "12", "EA", None),
        ('"FAS-1";"3"', "FAS-1", "3", None, None),
        ("10 x FAS-1", "FAS-1", "10", None, None),
        ("10x FAS-1 box", "FAS-1", "10", "box", None),
        ("FAS-1 x 4", "FAS-1", "4", None, None),
        ("FAS-1 Hex bolt M8 10 EA urgent", "FAS-1", "10", "EA", "Hex bolt M8 urgent"),
        ("FAS-1 box", "FAS-1", Decimal(1), "box", None),
        ("FAS-1 ten", "FAS-1", Decimal(1), "ten", None),  # validation: no unit "ten"
        ("FAS-1 1O", "FAS-1", "1O", None, None),  # a letter O: an invalid quantity, shown
        ("FAS-1\t\t12\t\tEA", "FAS-1", "12", "EA", None),  # Excel copy with empty cells
    ],
)
def test_common_shapes(
    text: str, sku: str, qty: Decimal | str, unit: str | None, note: str | None
) -> None:
    parsed = parse_line(1, text)
    assert (parsed.sku, parsed.quantity, parsed.unit, parsed.note) == (sku, qty, unit, note)


def test_excel_copy_with_a_header_row_is_read_by_its_header() -> None:
    text = (
        "Pos\tDescription\tMenge\tArtikelnummer\tME\r\n"
        "1\tHex bolt\t12\tFAS-0001\tEA\r\n"
        "\r\n"
        "2\tNut\t2,5\tFAS-0002\tBX\r\n"
    )
    inputs = parse_paste(text)
    assert [(i.row, i.sku, i.quantity, i.unit) for i in inputs] == [
        (2, "FAS-0001", "12", "EA"),
        (4, "FAS-0002", "2,5", "BX"),
    ]
    assert inputs[0].source == "1\tHex bolt\t12\tFAS-0001\tEA"
    assert inputs[0].columns[Field.SKU] == 3


def test_tab_separated_lines_without_a_header_are_lines() -> None:
    inputs = parse_paste("FAS-0001\t12\nFAS-0002\t24\tEA\n")
    assert [(i.sku, i.quantity, i.unit) for i in inputs] == [
        ("FAS-0001", "12", None),
        ("FAS-0002", "24", "EA"),
    ]


@pytest.mark.parametrize("text", ["abc", "1,2.5", "1e5", "", "--1", "1..2"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(BadNumber):
        parse_number(text)


def test_a_lone_mark_before_three_digits_is_a_thousands_separator_and_says_so() -> None:
    assert parse_number("1,000").value == 1000 and parse_number("1,000").note is not None
    assert parse_number("0,250").value == Decimal("0.25") and parse_number("0,250").note is None
    assert parse_number("1.234,5").value == Decimal("1234.5")

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import CurrencyMismatch, Money
from app.domain.pricing import ProductPricing, line_price
from app.domain.totals import PricedLine, order_totals

D = Decimal


def eur(amount: str) -> Money:
    return Money(D(amount), "EUR")


def test_subtotal_sums_rounded_line_totals() -> None:
    lines = [
        PricedLine("A", D(3), "EA", eur("1.2346"), eur("3.70")),
        PricedLine("B", D(1), "CS", eur("120.0000"), eur("120.00")),
        PricedLine("A", D(1), "EA", eur("1.2346"), eur("1.2346")),  # unrounded: counts as 1.23
    ]
    totals = order_totals(lines, "EUR")
    assert totals.subtotal == eur("124.93")
    assert str(totals.subtotal) == "EUR 124.93"
    assert (totals.currency, totals.line_count, totals.distinct_skus) == ("EUR", 3, 2)


def test_empty_order_is_zero() -> None:
    totals = order_totals([], "JPY")
    assert totals.subtotal == Money.zero("JPY")
    assert (totals.line_count, totals.distinct_skus) == (0, 0)


def test_currency_mismatch() -> None:
    line = PricedLine("A", D(1), "EA", Money(D(1), "USD"), Money(D(1), "USD"))
    with pytest.raises(CurrencyMismatch, match="line A is in USD, order in EUR"):
        order_totals([line], "EUR")
    with pytest.raises(CurrencyMismatch):
        PricedLine("A", D(1), "EA", eur("1"), Money(D(1), "USD"))
    with pytest.raises(ValueError):
        order_totals([], "XYZ")


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=D("0.0001"), max_value=1000, places=4),
            st.integers(min_value=1, max_value=500),
            st.sampled_from([1, 6, 12]),
        ),
        max_size=15,
    )
)
def test_line_totals_sum_to_subtotal(items: list[tuple[Decimal, int, int]]) -> None:
    lines = []
    for index, (price, qty, factor) in enumerate(items):
        pricing = ProductPricing(f"SKU-{index % 4}", "EUR", price)
        priced = line_price(
            pricing=pricing, quantity=D(qty), unit_factor=factor, on=date(2026, 1, 1)
        )
        assert priced.line_total.amount == priced.line_total.rounded().amount
        assert priced.unit_price.amount * qty - priced.line_total.amount <= D("0.005")
        lines.append(PricedLine(pricing.sku, D(qty), "EA", priced.unit_price, priced.line_total))
    totals = order_totals(lines, "EUR")
    assert totals.subtotal.amount == sum((line.line_total.amount for line in lines), D(0))
    assert totals.subtotal.amount.as_tuple().exponent == -2
    assert totals.line_count == len(items)

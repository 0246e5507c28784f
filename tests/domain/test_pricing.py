from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import CurrencyMismatch, Money
from app.domain.pricing import (
    ContractPrice,
    NoPrice,
    PriceListPrices,
    PriceSource,
    PriceTier,
    ProductPricing,
    explain_price_change,
    line_price,
    resolve_price,
    within_tolerance,
)

D = Decimal
TIERS = (
    PriceTier(D(0), D("10.00")),
    PriceTier(D(100), D("9.70")),
    PriceTier(D(500), D("9.00")),
)
STD = PriceListPrices("STD", TIERS)
C12 = ContractPrice("C-12", D("9.50"), valid_from=date(2026, 1, 1), valid_to=date(2026, 11, 20))
PRICING = ProductPricing("SKU-1", "EUR", D("12.00"), STD, (C12,))


def eur(amount: str) -> Money:
    return Money(D(amount), "EUR")


def test_contract_valid_on_date_wins() -> None:
    res = resolve_price(pricing=PRICING, quantity_base=D(150), on=date(2026, 6, 1))
    assert res.sku == "SKU-1"
    assert res.unit_price == eur("9.50")
    assert res.explanation.source is PriceSource.CONTRACT
    assert res.explanation.reference == "C-12"
    assert res.explanation.valid_until == date(2026, 11, 20)
    assert res.explanation.text == "contract C-12 price, valid until 2026-11-20"


def test_contract_validity_is_inclusive_of_both_ends() -> None:
    for day in (date(2026, 1, 1), date(2026, 11, 20)):
        res = resolve_price(pricing=PRICING, quantity_base=D(1), on=day)
        assert res.explanation.source is PriceSource.CONTRACT
    res = resolve_price(pricing=PRICING, quantity_base=D(1), on=date(2025, 12, 31))
    assert res.explanation.source is PriceSource.TIER


def test_tier_after_contract_expired() -> None:
    res = resolve_price(pricing=PRICING, quantity_base=D(150), on=date(2026, 11, 21))
    assert res.unit_price == eur("9.70")
    assert res.explanation.source is PriceSource.TIER
    assert res.explanation.tier_min_qty == D(100)
    assert res.explanation.text == "price list STD tier 100+"


@pytest.mark.parametrize(
    ("qty", "price", "text"),
    [
        (D(1), "10.00", "price list STD"),
        (D(99), "10.00", "price list STD"),
        (D(100), "9.70", "price list STD tier 100+"),
        (D(499), "9.70", "price list STD tier 100+"),
        (D(500), "9.00", "price list STD tier 500+"),
        (D(10_000), "9.00", "price list STD tier 500+"),
    ],
)
def test_largest_met_tier_applies(qty: Decimal, price: str, text: str) -> None:
    pricing = ProductPricing("SKU-1", "EUR", D("12.00"), STD)
    res = resolve_price(pricing=pricing, quantity_base=qty, on=date(2026, 6, 1))
    assert res.unit_price == eur(price)
    assert res.explanation.text == text


def test_list_price_when_price_list_not_valid() -> None:
    dated = PriceListPrices("STD", TIERS, date(2026, 1, 1), date(2026, 12, 31))
    pricing = ProductPricing("SKU-1", "EUR", D("12.00"), dated)
    inside = resolve_price(pricing=pricing, quantity_base=D(5), on=date(2026, 12, 31))
    assert inside.explanation.text == "price list STD, valid until 2026-12-31"
    res = resolve_price(pricing=pricing, quantity_base=D(5), on=date(2027, 1, 1))
    assert res.unit_price == eur("12.00")
    assert res.explanation.source is PriceSource.LIST
    assert res.explanation.text == "list price"
    assert res.explanation.reference is None


def test_list_price_when_no_tier_is_met() -> None:
    pricing = ProductPricing("SKU-1", "EUR", D("12.00"), PriceListPrices("BIG", TIERS[1:]))
    res = resolve_price(pricing=pricing, quantity_base=D(10), on=date(2026, 6, 1))
    assert res.explanation.source is PriceSource.LIST


def test_no_price_at_all() -> None:
    pricing = ProductPricing("SKU-9", "EUR", None, PriceListPrices("BIG", TIERS[1:]))
    with pytest.raises(NoPrice, match="no price for SKU-9 on 2026-06-01"):
        resolve_price(pricing=pricing, quantity_base=D(10), on=date(2026, 6, 1))


def test_contract_minimum_and_lowest_contract() -> None:
    contracts = (
        ContractPrice("C-20", D("8.00"), min_qty=D(1000)),
        ContractPrice("C-30", D("9.40")),
        ContractPrice("C-31", D("9.20")),
        ContractPrice("C-05", D("9.20")),
        ContractPrice("C-40", D("1.00"), valid_from=date(2027, 1, 1)),
    )
    pricing = ProductPricing("SKU-1", "EUR", D("12.00"), STD, contracts)
    small = resolve_price(pricing=pricing, quantity_base=D(10), on=date(2026, 6, 1))
    assert (small.unit_price, small.explanation.reference) == (eur("9.20"), "C-05")
    assert small.explanation.text == "contract C-05 price"
    big = resolve_price(pricing=pricing, quantity_base=D(1000), on=date(2026, 6, 1))
    assert big.explanation.reference == "C-20"


def test_resolve_rejects_datetimes_and_floats() -> None:
    with pytest.raises(TypeError):
        resolve_price(pricing=PRICING, quantity_base=D(1), on=datetime(2026, 6, 1, tzinfo=UTC))
    with pytest.raises(TypeError):
        resolve_price(pricing=PRICING, quantity_base=1.0, on=date(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PriceTier(D(0), 9.99)  # type: ignore[arg-type]


def test_invalid_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        ContractPrice("C-1", D(1), valid_from=date(2026, 2, 1), valid_to=date(2026, 1, 1))


def test_line_price_per_ordered_unit_and_rounded_total() -> None:
    pricing = ProductPricing("SKU-2", "EUR", D("1.23456"))
    line = line_price(pricing=pricing, quantity=D(3), unit_factor=1, on=date(2026, 6, 1))
    assert line.unit_price == eur("1.2346")
    assert line.line_total == eur("3.70")
    assert str(line.line_total) == "EUR 3.70"
    case = line_price(pricing=PRICING, quantity=D(2), unit_factor=12, on=date(2026, 12, 1))
    # 24 EA meets no tier above 0: 10.00 per EA, 120.00 per case.
    assert case.unit_price == eur("120.0000")
    assert case.line_total == eur("240.00")
    assert case.resolution.explanation.text == "price list STD"
    big = line_price(pricing=PRICING, quantity=D(10), unit_factor=12, on=date(2026, 12, 1))
    assert big.resolution.explanation.tier_min_qty == D(100)
    assert big.line_total == eur("1164.00")


def test_line_price_in_yen_rounds_to_whole_yen() -> None:
    pricing = ProductPricing("SKU-3", "JPY", D("333.3333"))
    line = line_price(pricing=pricing, quantity=D(2), unit_factor=1, on=date(2026, 6, 1))
    assert line.line_total == Money(D(667), "JPY")


def test_change_after_contract_expired() -> None:
    then = resolve_price(pricing=PRICING, quantity_base=D(150), on=date(2026, 6, 1))
    now = resolve_price(pricing=PRICING, quantity_base=D(150), on=date(2026, 11, 21))
    change = explain_price_change(
        seen_unit_price=then.unit_price, now=now, then=then.explanation, on=date(2026, 11, 21)
    )
    assert change.delta == eur("0.20")
    assert change.percent == D("2.1")
    assert change.direction == "up"
    assert change.text == (
        "contract C-12 expired 2026-11-20; price list STD tier 100+ now applies; +2.1 %"
    )
    assert not within_tolerance(change, D(2))
    assert within_tolerance(change, D("2.2"))


def test_list_price_change() -> None:
    pricing = ProductPricing("SKU-1", "EUR", D("9.70"))
    now = resolve_price(pricing=pricing, quantity_base=D(1), on=date(2026, 6, 1))
    change = explain_price_change(
        seen_unit_price=eur("10.00"), now=now, then=now.explanation, on=date(2026, 6, 1)
    )
    assert (change.percent, change.direction) == (D("-3.0"), "down")
    assert change.text == "list price changed; -3.0 %"
    assert within_tolerance(change, D(0))
    unknown = explain_price_change(seen_unit_price=eur("10.00"), now=now, on=date(2026, 6, 1))
    assert unknown.text == "price changed (list price); -3.0 %"
    same = explain_price_change(
        seen_unit_price=eur("9.7"), now=now, then=now.explanation, on=date(2026, 6, 1)
    )
    assert (same.direction, same.text) == ("same", "list price unchanged; 0.0 %")
    assert within_tolerance(same, D(0))


def test_change_from_list_price_to_contract() -> None:
    list_only = ProductPricing("SKU-1", "EUR", D("12.00"))
    then = resolve_price(pricing=list_only, quantity_base=D(1), on=date(2026, 6, 1)).explanation
    now = resolve_price(pricing=PRICING, quantity_base=D(1), on=date(2026, 6, 1))
    change = explain_price_change(
        seen_unit_price=eur("12.00"), now=now, then=then, on=date(2026, 6, 1)
    )
    assert change.text == "list price replaced; contract C-12 now applies; -20.8 %"


def test_increase_from_zero_never_within_tolerance() -> None:
    now = resolve_price(
        pricing=ProductPricing("SKU-1", "EUR", D(1)), quantity_base=D(1), on=date(2026, 6, 1)
    )
    change = explain_price_change(seen_unit_price=eur("0"), now=now, on=date(2026, 6, 1))
    assert change.direction == "up"
    assert not within_tolerance(change, D(1000))


def test_change_in_other_currency_is_refused() -> None:
    now = resolve_price(pricing=PRICING, quantity_base=D(1), on=date(2026, 6, 1))
    with pytest.raises(CurrencyMismatch):
        explain_price_change(seen_unit_price=Money(D(1), "USD"), now=now, on=date(2026, 6, 1))


decreasing_tiers = st.lists(
    st.tuples(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=10**6)),
    min_size=1,
    max_size=6,
    unique_by=lambda pair: pair[0],
).map(
    lambda pairs: tuple(
        PriceTier(D(qty), D(price) / 100)
        for qty, price in zip(
            sorted(q for q, _ in pairs), sorted((p for _, p in pairs), reverse=True), strict=True
        )
    )
)


@settings(max_examples=200)
@given(tiers=decreasing_tiers, qty=st.integers(min_value=0, max_value=1200))
def test_largest_met_tier_wins_and_price_never_rises_with_quantity(
    tiers: tuple[PriceTier, ...], qty: int
) -> None:
    pricing = ProductPricing("SKU", "EUR", D(999), PriceListPrices("P", tiers))
    on = date(2026, 6, 1)
    res = resolve_price(pricing=pricing, quantity_base=D(qty), on=on)
    met = [tier for tier in tiers if tier.min_qty <= qty]
    if not met:
        assert res.explanation.source is PriceSource.LIST
        return
    best = max(met, key=lambda tier: tier.min_qty)
    assert res.explanation.tier_min_qty == best.min_qty
    assert res.unit_price.amount == best.unit_price
    more = resolve_price(pricing=pricing, quantity_base=D(qty + 1), on=on)
    assert more.unit_price <= res.unit_price


@settings(max_examples=200)
@given(
    price=st.integers(min_value=0, max_value=10**6),
    start=st.integers(min_value=0, max_value=400),
    length=st.integers(min_value=0, max_value=400),
    offset=st.integers(min_value=0, max_value=400),
    qty=st.integers(min_value=0, max_value=1000),
)
def test_contract_valid_on_date_always_wins(
    price: int, start: int, length: int, offset: int, qty: int
) -> None:
    first = date(2026, 1, 1) + timedelta(days=start)
    on = first + timedelta(days=min(offset, length))
    contract = ContractPrice("C", D(price) / 100, first, first + timedelta(days=length))
    pricing = ProductPricing("SKU", "EUR", D("0.01"), STD, (contract,))
    res = resolve_price(pricing=pricing, quantity_base=D(qty), on=on)
    assert res.explanation.source is PriceSource.CONTRACT
    assert res.unit_price.amount == contract.unit_price

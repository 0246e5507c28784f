"""Price resolution: contract beats price-list tier beats list price, with an explanation.

The client calls this offline to preview; the server calls it to decide. Both must get
the same answer for the same data and date, so nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from app.domain.money import (
    CurrencyMismatch,
    Money,
    ensure_decimal,
    minor_units,
    round_money,
    round_percent,
    round_unit_price,
)

Direction = Literal["up", "down", "same"]


class PriceSource(StrEnum):
    """Where a unit price came from."""

    CONTRACT = "contract"
    TIER = "tier"
    LIST = "list"


class NoPrice(LookupError):
    """Raised when no contract, valid price-list tier or list price applies."""


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Price per base unit from ``min_qty`` base units upwards."""

    min_qty: Decimal
    unit_price: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_qty", ensure_decimal(self.min_qty, "min_qty"))
        object.__setattr__(self, "unit_price", ensure_decimal(self.unit_price, "unit_price"))
        if self.min_qty < 0 or self.unit_price < 0:
            raise ValueError(f"tier {self.min_qty}+ at {self.unit_price}: must not be negative")


@dataclass(frozen=True, slots=True)
class PriceListPrices:
    """The tiers of one price list for one product; ``valid_to`` is inclusive."""

    price_list_code: str
    tiers: tuple[PriceTier, ...]
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        _check_window(self.valid_from, self.valid_to, f"price list {self.price_list_code}")


@dataclass(frozen=True, slots=True)
class ContractPrice:
    """A negotiated price per base unit, valid between two dates (inclusive)."""

    contract_code: str
    unit_price: Decimal
    valid_from: date | None = None
    valid_to: date | None = None
    min_qty: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_price", ensure_decimal(self.unit_price, "unit_price"))
        object.__setattr__(self, "min_qty", ensure_decimal(self.min_qty, "min_qty"))
        if self.unit_price < 0 or self.min_qty < 0:
            raise ValueError(f"contract {self.contract_code}: negative price or minimum")
        _check_window(self.valid_from, self.valid_to, f"contract {self.contract_code}")


@dataclass(frozen=True, slots=True)
class ProductPricing:
    """Everything that can price one SKU for one account, in one currency."""

    sku: str
    currency: str
    list_price: Decimal | None
    price_list: PriceListPrices | None = None
    contracts: tuple[ContractPrice, ...] = ()

    def __post_init__(self) -> None:
        minor_units(self.currency)
        if self.list_price is not None:
            object.__setattr__(self, "list_price", ensure_decimal(self.list_price, "list_price"))


@dataclass(frozen=True, slots=True)
class PriceExplanation:
    """Why a price applies, for people: "contract C-12 price, valid until 2026-11-20"."""

    source: PriceSource
    reference: str | None
    tier_min_qty: Decimal | None
    valid_until: date | None
    text: str

    @property
    def label(self) -> str:
        """The source without validity: "contract C-12", "price list STD tier 100+"."""
        return _label(self.source, self.reference, self.tier_min_qty)


@dataclass(frozen=True, slots=True)
class PriceResolution:
    """The unit price (per base unit) that applies, and why."""

    sku: str
    unit_price: Money
    explanation: PriceExplanation


@dataclass(frozen=True, slots=True)
class LinePrice:
    """A priced order line: ``unit_price`` per ordered unit (4 dp) and the rounded total."""

    unit_price: Money
    line_total: Money
    resolution: PriceResolution


@dataclass(frozen=True, slots=True)
class PriceChange:
    """How the price now differs from the one the buyer saw, in the buyer's words.

    ``percent`` is rounded to 1 dp; it is 100.0 when something free now costs money.
    """

    seen: Money
    now: Money
    delta: Money
    percent: Decimal
    direction: Direction
    text: str


def resolve_price(*, pricing: ProductPricing, quantity_base: Decimal, on: date) -> PriceResolution:
    """Return the price per base unit for ``quantity_base`` on the date ``on``.

    Order of precedence: the lowest contract valid on ``on`` whose minimum is met; else
    the price-list tier with the largest minimum <= quantity, if the list is valid on
    ``on``; else the list price. Raises NoPrice when none applies, TypeError for a
    datetime or float.
    """
    qty = ensure_decimal(quantity_base, "quantity_base")
    if qty < 0:
        raise ValueError(f"quantity must not be negative, not {qty}")
    _check_date(on)
    contract = _best_contract(pricing.contracts, qty, on)
    price_list = pricing.price_list
    tier = _best_tier(price_list, qty, on)
    if contract is not None:
        price = contract.unit_price
        why = _explain(PriceSource.CONTRACT, contract.contract_code, None, contract.valid_to)
    elif price_list is not None and tier is not None:
        price = tier.unit_price
        code, valid_to = price_list.price_list_code, price_list.valid_to
        why = _explain(PriceSource.TIER, code, tier.min_qty, valid_to)
    elif pricing.list_price is not None:
        price = pricing.list_price
        why = _explain(PriceSource.LIST, None, None, None)
    else:
        raise NoPrice(f"no price for {pricing.sku} on {on.isoformat()} for quantity {qty}")
    return PriceResolution(pricing.sku, Money(price, pricing.currency), why)


def line_price(
    *, pricing: ProductPricing, quantity: Decimal, unit_factor: int, on: date
) -> LinePrice:
    """Price ``quantity`` ordered units, each holding ``unit_factor`` base units.

    The unit price per ordered unit is base price × factor, rounded to 4 dp; the line
    total is that unit price × quantity, rounded to the currency's minor unit.
    """
    if isinstance(unit_factor, bool) or not isinstance(unit_factor, int) or unit_factor < 1:
        raise ValueError(f"unit_factor must be a positive int, not {unit_factor!r}")
    qty = ensure_decimal(quantity, "quantity")
    resolution = resolve_price(pricing=pricing, quantity_base=qty * unit_factor, on=on)
    currency = pricing.currency
    per_unit = round_unit_price(resolution.unit_price.amount * unit_factor)
    total = round_money(per_unit * qty, currency)
    return LinePrice(Money(per_unit, currency), Money(total, currency), resolution)


def _best_contract(
    contracts: tuple[ContractPrice, ...], qty: Decimal, on: date
) -> ContractPrice | None:
    if not contracts:
        return None
    usable = [
        contract
        for contract in contracts
        if _valid_on(contract.valid_from, contract.valid_to, on) and contract.min_qty <= qty
    ]
    # Ties on price go to the code so the client and the server pick the same contract.
    return min(usable, key=lambda c: (c.unit_price, c.contract_code), default=None)


def _best_tier(price_list: PriceListPrices | None, qty: Decimal, on: date) -> PriceTier | None:
    if price_list is None or not _valid_on(price_list.valid_from, price_list.valid_to, on):
        return None
    # The largest minimum met; the lower price on a tie (the first of equal tiers).
    best: PriceTier | None = None
    for tier in price_list.tiers:
        if tier.min_qty <= qty and (
            best is None
            or tier.min_qty > best.min_qty
            or (tier.min_qty == best.min_qty and tier.unit_price < best.unit_price)
        ):
            best = tier
    return best


def _explain(
    source: PriceSource,
    reference: str | None,
    tier_min_qty: Decimal | None,
    valid_until: date | None,
) -> PriceExplanation:
    text = _label(source, reference, tier_min_qty)
    if source is PriceSource.CONTRACT:
        text += " price"
    if valid_until is not None:
        text += f", valid until {valid_until.isoformat()}"
    return PriceExplanation(source, reference, tier_min_qty, valid_until, text)


def _label(source: PriceSource, reference: str | None, tier_min_qty: Decimal | None) -> str:
    if source is PriceSource.CONTRACT:
        return f"contract {reference}"
    if source is PriceSource.TIER:
        if tier_min_qty:
            return f"price list {reference} tier {tier_min_qty.normalize():f}+"
        return f"price list {reference}"
    return "list price"


def _valid_on(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def _check_window(valid_from: date | None, valid_to: date | None, what: str) -> None:
    for value in (valid_from, valid_to):
        if value is not None:
            _check_date(value)
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise ValueError(f"{what}: valid_to {valid_to} is before valid_from {valid_from}")


def _check_date(value: date) -> None:
    # A datetime would compare against dates by accident of subclassing; insist on dates.
    if type(value) is date:
        return
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date, not {type(value).__name__}")


def explain_price_change(
    *,
    seen_unit_price: Money,
    now: PriceResolution,
    then: PriceExplanation | None = None,
    on: date,
) -> PriceChange:
    """Compare the unit price the buyer saw with ``now`` (same basis, e.g. per base unit).

    Pass ``then`` (the explanation shown at the time) to get "contract C-12 expired
    2026-11-20; price list STD tier 100+ now applies; +2.1 %" instead of a bare
    "price changed". Raises CurrencyMismatch when the currencies differ.
    """
    _check_date(on)
    current = now.unit_price
    if seen_unit_price.currency != current.currency:
        raise CurrencyMismatch(
            f"seen price is in {seen_unit_price.currency}, current price in {current.currency}"
        )
    delta = current - seen_unit_price
    direction: Direction = "up" if delta.amount > 0 else "down" if delta.amount < 0 else "same"
    if seen_unit_price.amount:
        percent = round_percent(delta.amount * 100 / seen_unit_price.amount)
    else:
        percent = round_percent(Decimal(100) if direction == "up" else Decimal(0))
    text = f"{_change_reason(then, now.explanation, on, direction)}; {_signed(percent)} %"
    return PriceChange(seen_unit_price, current, delta, percent, direction, text)


def within_tolerance(change: PriceChange, tolerance_percent: Decimal) -> bool:
    """Return True if ``change`` may go through without the buyer confirming.

    Decreases and unchanged prices always may. Increases are compared exactly, not by
    the rounded ``percent``, so a tolerance of 2 refuses +2.04 %. An increase from zero
    never passes.
    """
    tolerance = ensure_decimal(tolerance_percent, "tolerance_percent")
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, not {tolerance}")
    if change.direction != "up":
        return True
    if not change.seen.amount:
        return False
    return change.delta.amount * 100 <= tolerance * change.seen.amount


def _change_reason(
    then: PriceExplanation | None, now: PriceExplanation, on: date, direction: Direction
) -> str:
    if then is None:
        return "price unchanged" if direction == "same" else f"price changed ({now.label})"
    if then.label == now.label:
        return f"{now.label} unchanged" if direction == "same" else f"{now.label} changed"
    expired = then.valid_until is not None and then.valid_until < on
    if then.source is PriceSource.CONTRACT and expired and then.valid_until is not None:
        old = f"contract {then.reference} expired {then.valid_until.isoformat()}"
    elif then.source is PriceSource.LIST:
        old = "list price replaced"
    else:
        old = f"{then.label} no longer applies"
    return f"{old}; {now.label} now applies"


def _signed(percent: Decimal) -> str:
    return f"+{percent}" if percent > 0 else f"{percent}"

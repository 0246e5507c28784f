"""Order totals: the subtotal is the sum of the rounded line totals (see ``money``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import CurrencyMismatch, Money, ensure_decimal


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One order line as priced by ``pricing.line_price``: quantity in ``unit``.

    ``unit_price`` and ``line_total`` must share a currency, else CurrencyMismatch.
    """

    sku: str
    quantity: Decimal
    unit: str
    unit_price: Money
    line_total: Money

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", ensure_decimal(self.quantity, "quantity"))
        if self.unit_price.currency != self.line_total.currency:
            raise CurrencyMismatch(
                f"line {self.sku}: unit price in {self.unit_price.currency}, "
                f"total in {self.line_total.currency}"
            )


@dataclass(frozen=True, slots=True)
class OrderTotals:
    """Subtotal and counts of an order; ``line_count`` counts lines, not units."""

    currency: str
    subtotal: Money
    line_count: int
    distinct_skus: int


def order_totals(lines: Sequence[PricedLine], currency: str) -> OrderTotals:
    """Sum ``lines`` in ``currency``; an empty order totals zero.

    Each line total is rounded to the minor unit before adding. A line in another
    currency raises CurrencyMismatch; an unknown currency raises ValueError.
    """
    subtotal = Money.zero(currency).rounded()
    for line in lines:
        if line.line_total.currency != subtotal.currency:
            raise CurrencyMismatch(
                f"line {line.sku} is in {line.line_total.currency}, order in {subtotal.currency}"
            )
        subtotal += line.line_total.rounded()
    return OrderTotals(
        currency=subtotal.currency,
        subtotal=subtotal,
        line_count=len(lines),
        distinct_skus=len({line.sku for line in lines}),
    )

"""Price lists with quantity tiers, and account contract prices with validity windows.

All prices are per base unit, computed in Decimal and rounded like every unit price
(`app.domain.money.round_unit_price`, 4 dp half-up).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from app.domain.money import round_unit_price
from app.domain.pricing import ContractPrice, PriceListPrices, PriceTier, ProductPricing
from server.seed.catalog import CatalogProduct

Row = dict[str, Any]
# Price list code -> (minimum quantity, price) per tier; `PriceTier`s are made only when used.
Tiers = dict[str, tuple[tuple[Decimal, Decimal], ...]]

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PriceListSpec:
    id: int
    code: str
    name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def prices(self, tiers: tuple[tuple[Decimal, Decimal], ...]) -> PriceListPrices:
        return PriceListPrices(
            self.code, tuple(PriceTier(q, p) for q, p in tiers), self.valid_from, self.valid_to
        )


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """One contract of an account: which share of its products it covers, at what discount."""

    code: str
    valid_from: dt.date
    valid_to: dt.date
    share_pct: int
    discount_pct: tuple[int, int]


def _month_start(day: dt.date, months_ahead: int) -> dt.date:
    month = day.month - 1 + months_ahead
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def price_lists(today: dt.date) -> list[PriceListSpec]:
    promo_end = _month_start(today, 2) - dt.timedelta(days=1)
    return [
        PriceListSpec(1, "STD", "Standard prices"),
        PriceListSpec(2, "GOLD", "Gold partner prices"),
        PriceListSpec(3, "PROMO", f"Promotion {today:%B %Y}", _month_start(today, 0), promo_end),
    ]


def price_list_rows(specs: Sequence[PriceListSpec]) -> list[Row]:
    return [
        {
            "id": s.id,
            "code": s.code,
            "name": s.name,
            "currency": "EUR",
            "valid_from": s.valid_from,
            "valid_to": s.valid_to,
        }
        for s in specs
    ]


def discounted(price: Decimal, pct: Decimal) -> Decimal:
    return round_unit_price(price * (_HUNDRED - pct) / _HUNDRED)


def _thresholds(product: CatalogProduct) -> list[int]:
    price = product.list_price
    if price < Decimal("0.1"):
        raw: tuple[int, ...] = (500, 1000, 5000, 10000)
    elif price < 1:
        raw = (100, 250, 500, 1000)
    elif price < 20:
        raw = (25, 50, 100, 250)
    else:
        raw = (5, 10, 25, 50)
    m = product.multiple
    aligned = {-(-t // m) * m for t in raw}
    return sorted(t for t in aligned if t > max(product.min_qty, 1))


class TierGenerator:
    """STD (most products, 0-5 % off from 1), GOLD (deeper), PROMO (a few, 20-30 % off)."""

    # code: (share of products, first-tier discount range, extra per further tier range),
    # discounts in half percent.
    _PLANS: ClassVar[dict[str, tuple[float, tuple[int, int], tuple[int, int]]]] = {
        "STD": (0.8, (0, 10), (6, 14)),
        "GOLD": (0.9, (16, 30), (8, 16)),
    }

    def __init__(self, rng: random.Random, specs: Sequence[PriceListSpec]) -> None:
        self._rng = rng
        self._specs = {s.code: s for s in specs}
        self._item_id = 0

    def tiers(self, product: CatalogProduct) -> Tiers:
        rng = self._rng
        result: Tiers = {}
        thresholds = _thresholds(product)
        for code, (share, first, step) in self._PLANS.items():
            if rng.random() >= share:
                continue
            pct = Decimal(rng.randint(*first)) / 2
            tiers = [(Decimal(1), discounted(product.list_price, pct))]
            extra = rng.sample(thresholds, k=min(len(thresholds), rng.randint(1, 2)))
            for threshold in sorted(extra):
                pct += Decimal(rng.randint(*step)) / 2
                tiers.append((Decimal(threshold), discounted(product.list_price, pct)))
            result[code] = tuple(tiers)
        if product.active and rng.random() < 0.04:
            pct = Decimal(rng.randint(20, 30))
            result["PROMO"] = ((Decimal(1), discounted(product.list_price, pct)),)
        return result

    def rows(self, product_id: int, tiers: Tiers) -> list[Row]:
        rows: list[Row] = []
        for code, list_tiers in tiers.items():
            for min_qty, price in list_tiers:
                self._item_id += 1
                rows.append(
                    {
                        "id": self._item_id,
                        "price_list_id": self._specs[code].id,
                        "product_id": product_id,
                        "min_qty": min_qty,
                        "price": price,
                    }
                )
        return rows


def contract_prices(
    rng: random.Random,
    *,
    account_id: int,
    contracts: Sequence[ContractSpec],
    products: Sequence[CatalogProduct],
    first_id: int,
) -> tuple[list[Row], dict[int, tuple[ContractPrice, ...]]]:
    """Rows for `products` under `contracts`, and the same prices per product id for pricing."""
    rows: list[Row] = []
    by_product: dict[int, tuple[ContractPrice, ...]] = {}
    for product in products:
        terms: list[ContractPrice] = []
        for spec in contracts:
            if rng.randrange(100) >= spec.share_pct:
                continue
            price = discounted(product.list_price, Decimal(rng.randint(*spec.discount_pct)))
            terms.append(ContractPrice(spec.code, price, spec.valid_from, spec.valid_to))
            rows.append(
                {
                    "id": first_id + len(rows),
                    "account_id": account_id,
                    "contract_code": spec.code,
                    "product_id": product.id,
                    "min_qty": Decimal(0),
                    "price": price,
                    "valid_from": spec.valid_from,
                    "valid_to": spec.valid_to,
                }
            )
        if terms:
            by_product[product.id] = tuple(terms)
    return rows, by_product


@dataclass(frozen=True, slots=True)
class AccountPricer:
    """Everything that prices a product for one account, in the shape `app.domain` wants."""

    price_list: PriceListSpec
    tiers: dict[int, Tiers]
    contracts: dict[int, tuple[ContractPrice, ...]]

    def pricing(self, product: CatalogProduct) -> ProductPricing:
        tiers = self.tiers.get(product.id, {}).get(self.price_list.code)
        return ProductPricing(
            sku=product.sku,
            currency="EUR",
            list_price=product.list_price,
            price_list=self.price_list.prices(tiers) if tiers else None,
            contracts=self.contracts.get(product.id, ()),
        )

"""Builds the domain's `ProductPricing` for one account from the database.

The server prices with exactly the code the desktop client uses offline (app.domain.pricing).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pricing import ContractPrice as DomainContract
from app.domain.pricing import PriceListPrices, PriceTier, ProductPricing
from server.accounts.models import Account
from server.catalog.models import Product
from server.pricing.models import ContractPrice, PriceList, PriceListItem


def pricing_for(
    session: Session, account: Account, products: Iterable[Product]
) -> dict[int, ProductPricing]:
    """product id -> everything needed to resolve its price for `account`, in three queries."""
    by_id = {p.id: p for p in products}
    ids = list(by_id)
    tiers: dict[int, list[PriceTier]] = {}
    price_list = session.get(PriceList, account.price_list_id) if account.price_list_id else None
    if price_list is not None and ids:
        for item in session.scalars(
            select(PriceListItem).where(
                PriceListItem.price_list_id == price_list.id, PriceListItem.product_id.in_(ids)
            )
        ):
            tiers.setdefault(item.product_id, []).append(PriceTier(item.min_qty, item.price))
    contracts: dict[int, list[DomainContract]] = {}
    if ids:
        for c in session.scalars(
            select(ContractPrice).where(
                ContractPrice.account_id == account.id, ContractPrice.product_id.in_(ids)
            )
        ):
            contracts.setdefault(c.product_id, []).append(
                DomainContract(
                    contract_code=c.contract_code,
                    unit_price=c.price,
                    valid_from=c.valid_from,
                    valid_to=c.valid_to,
                    min_qty=c.min_qty,
                )
            )
    result: dict[int, ProductPricing] = {}
    for pid, product in by_id.items():
        plp = None
        if price_list is not None and pid in tiers:
            plp = PriceListPrices(
                price_list_code=price_list.code,
                tiers=tuple(sorted(tiers[pid], key=lambda t: t.min_qty)),
                valid_from=price_list.valid_from,
                valid_to=price_list.valid_to,
            )
        result[pid] = ProductPricing(
            sku=product.sku,
            currency=account.currency,
            list_price=product.list_price,
            price_list=plp,
            contracts=tuple(contracts.get(pid, ())),
        )
    return result

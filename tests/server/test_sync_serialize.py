"""The bulk loaders read driver rows, not ORM values: they must write what the typed path
would (decimals to 4 places, aware UTC times, ISO dates), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.passwords import hash_password
from server.db import make_engine
from server.migrate import upgrade
from server.models import (
    AssortmentProduct,
    ContractPrice,
    PriceListItem,
    Product,
    Stock,
    Warehouse,
)
from server.seed import accounts as seed_accounts
from server.seed import seed_demo
from server.sync.serialize import (
    _d,
    _s,
    load_contracts,
    load_prices,
    load_products,
    load_stock,
)

TODAY = dt.date(2026, 11, 23)
# Values whose text a float round trip or a careless format would change.
AWKWARD = [
    Decimal("0.0001"),
    Decimal("0.0000"),
    Decimal("12345678901234.5678"),
    Decimal("-3.5000"),
    Decimal("7"),
    Decimal("0.1"),
]


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    upgrade(engine)
    with pytest.MonkeyPatch.context() as patch:  # argon2 is slow on purpose
        patch.setattr(seed_accounts, "hash_password", functools.cache(hash_password))
        seed_demo(engine, skus=40, seed=7, today=TODAY)
    with Session(engine) as s:
        stock = s.scalars(select(Stock).order_by(Stock.product_id, Stock.warehouse_id)).all()
        for row, value in zip(stock, AWKWARD, strict=False):
            row.available = value
            row.next_receipt_qty = value
            row.next_receipt_date = TODAY
            row.as_of = dt.datetime(2026, 11, 23, 8, 30, 15, 123456, tzinfo=dt.UTC)
        items = s.scalars(select(PriceListItem).order_by(PriceListItem.id)).all()
        for item, value in zip(items, AWKWARD, strict=False):
            item.price = abs(value)
        s.commit()
    with Session(engine) as s, s.begin():
        yield s
    engine.dispose()


def test_loaders_write_what_the_typed_path_writes(session: Session) -> None:
    product = session.scalars(select(Product).order_by(Product.id)).first()
    assert product is not None
    assortment = session.scalars(
        select(AssortmentProduct.assortment_id).where(AssortmentProduct.product_id == product.id)
    ).first()
    assert assortment is not None
    in_scope = {
        p.id: p
        for p in session.scalars(
            select(Product).where(
                Product.id.in_(
                    select(AssortmentProduct.product_id).where(
                        AssortmentProduct.assortment_id == assortment
                    )
                )
            )
        )
    }
    skus = sorted(p.sku for p in in_scope.values())

    products = load_products(session, assortment, skus)
    for p in in_scope.values():
        data = products[p.sku]
        assert (data["min_qty"], data["multiple"], data["list_price"]) == (
            _s(p.min_qty), _s(p.multiple), _s(p.list_price),
        )  # fmt: skip

    stock = load_stock(session, assortment, skus)
    names = {w.id: w.code for w in session.scalars(select(Warehouse))}
    checked = 0
    for row in session.scalars(select(Stock).where(Stock.product_id.in_(list(in_scope)))):
        sku = in_scope[row.product_id].sku
        (entry,) = [
            w for w in stock[sku]["warehouses"] if w["warehouse"] == names[row.warehouse_id]
        ]
        assert entry["available"] == _s(row.available)
        assert entry["next_receipt_qty"] == _s(row.next_receipt_qty)
        assert entry["next_receipt_date"] == _d(row.next_receipt_date)
        assert entry["as_of"] == _d(row.as_of)
        checked += 1
    assert checked >= len(AWKWARD)
    assert "2026-11-23T08:30:15.123456+00:00" in {
        w["as_of"] for data in stock.values() for w in data["warehouses"]
    }

    item = session.scalars(select(PriceListItem).order_by(PriceListItem.id)).first()
    assert item is not None
    all_skus = list(session.scalars(select(Product.sku)))
    prices = load_prices(session, item.price_list_id, all_skus)
    for it in session.scalars(
        select(PriceListItem).where(PriceListItem.price_list_id == item.price_list_id)
    ):
        sku = session.get(Product, it.product_id).sku  # type: ignore[union-attr]
        assert {"min_qty": _s(it.min_qty), "price": _s(it.price)} in prices[sku]["tiers"]

    contract = session.scalars(select(ContractPrice).order_by(ContractPrice.id)).first()
    if contract is not None:
        contracts = load_contracts(session, contract.account_id, all_skus)
        sku = session.get(Product, contract.product_id).sku  # type: ignore[union-attr]
        assert {
            "contract": contract.contract_code,
            "price": _s(contract.price),
            "min_qty": _s(contract.min_qty),
            "valid_from": _d(contract.valid_from),
            "valid_to": _d(contract.valid_to),
        } in contracts[sku]["prices"]

"""HTTP: products the caller's account may buy, with its price and stock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel

from app.domain.pricing import NoPrice, resolve_price
from server.catalog import service
from server.catalog.models import Product
from server.deps import CallerDep, SessionDep
from server.pricing.service import pricing_for

router = APIRouter(prefix="/api/v1", tags=["catalog"])


class UnitPublic(BaseModel):
    code: str
    factor: int
    gtin: str | None


class PricePublic(BaseModel):
    unit_price: str  # per base unit
    currency: str
    source: str
    explanation: str


class StockPublic(BaseModel):
    warehouse: str
    available: str
    next_receipt_date: dt.date | None
    next_receipt_qty: str | None
    lead_time_days: int
    as_of: dt.datetime


class ProductPublic(BaseModel):
    sku: str
    name: str
    category: str
    brand: str
    base_unit: str
    min_qty: str
    multiple: str
    status: str
    replacement_sku: str | None
    units: list[UnitPublic]
    price: PricePublic | None


class ProductDetail(ProductPublic):
    description: str
    stock: list[StockPublic]


def _public(product: Product, price: PricePublic | None) -> dict[str, object]:
    return {
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "brand": product.brand,
        "base_unit": product.base_unit,
        "min_qty": str(product.min_qty),
        "multiple": str(product.multiple),
        "status": product.status,
        "replacement_sku": product.replacement_sku,
        "units": [UnitPublic(code=u.code, factor=u.factor, gtin=u.gtin) for u in product.units],
        "price": price,
    }


def _prices(
    caller: CallerDep, session: SessionDep, products: list[Product]
) -> dict[int, PricePublic]:
    today = dt.datetime.now(dt.UTC).date()
    out: dict[int, PricePublic] = {}
    for pid, pricing in pricing_for(session, caller.account, products).items():
        try:
            res = resolve_price(pricing=pricing, quantity_base=Decimal(1), on=today)
        except NoPrice:
            continue
        out[pid] = PricePublic(
            unit_price=str(res.unit_price.amount),
            currency=res.unit_price.currency,
            source=res.explanation.source.value,
            explanation=res.explanation.text,
        )
    return out


@router.get("/products")
def list_products(
    caller: CallerDep,
    session: SessionDep,
    q: str | None = Query(None, max_length=100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[ProductPublic]:
    products = list(
        service.search_products(
            session,
            assortment_id=caller.account.assortment_id,
            query=q,
            limit=limit,
            offset=offset,
        )
    )
    prices = _prices(caller, session, products)
    return [ProductPublic.model_validate(_public(p, prices.get(p.id))) for p in products]


@router.get("/products/{sku}")
def get_product(sku: str, caller: CallerDep, session: SessionDep) -> ProductDetail:
    product = service.get_product(session, assortment_id=caller.account.assortment_id, sku=sku)
    if product is None:  # outside the assortment looks exactly like unknown
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no product {sku}")
    prices = _prices(caller, session, [product])
    stock = [
        StockPublic(
            warehouse=w.code,
            available=str(s.available),
            next_receipt_date=s.next_receipt_date,
            next_receipt_qty=None if s.next_receipt_qty is None else str(s.next_receipt_qty),
            lead_time_days=s.lead_time_days,
            as_of=s.as_of,
        )
        for w, s in service.stock_of(session, product.id)
    ]
    return ProductDetail.model_validate(
        {
            **_public(product, prices.get(product.id)),
            "description": product.description,
            "stock": stock,
        }
    )

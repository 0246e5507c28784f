"""Catalog queries, always through the caller's assortment."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain.gtin import is_valid_gtin, normalize_gtin
from server.catalog.models import AssortmentProduct, Product, ProductUnit
from server.stock.models import Stock, Warehouse


def in_assortment(assortment_id: int | None) -> object:
    """A WHERE clause limiting products to an assortment (none assigned: nothing)."""
    if assortment_id is None:
        return Product.id.is_(None)
    return Product.id.in_(
        select(AssortmentProduct.product_id).where(AssortmentProduct.assortment_id == assortment_id)
    )


def search_products(
    session: Session, *, assortment_id: int | None, query: str | None, limit: int, offset: int
) -> Sequence[Product]:
    stmt = (
        select(Product)
        .where(in_assortment(assortment_id))  # type: ignore[arg-type]
        .options(selectinload(Product.units))
        .order_by(Product.sku)
        .limit(limit)
        .offset(offset)
    )
    if query:
        text = query.strip()
        like = f"%{text}%"
        conditions = [Product.sku.ilike(like), Product.name.ilike(like)]
        if is_valid_gtin(text):  # GTINs are stored as GTIN-14
            conditions.append(
                Product.id.in_(
                    select(ProductUnit.product_id).where(ProductUnit.gtin == normalize_gtin(text))
                )
            )
        stmt = stmt.where(or_(*conditions))
    return session.scalars(stmt).all()


def get_product(session: Session, *, assortment_id: int | None, sku: str) -> Product | None:
    return session.scalar(
        select(Product)
        .where(Product.sku == sku, in_assortment(assortment_id))  # type: ignore[arg-type]
        .options(selectinload(Product.units))
    )


def stock_of(session: Session, product_id: int) -> list[tuple[Warehouse, Stock]]:
    rows = session.execute(
        select(Warehouse, Stock)
        .join(Stock, Stock.warehouse_id == Warehouse.id)
        .where(Stock.product_id == product_id)
        .order_by(Warehouse.code)
    )
    return [(w, s) for w, s in rows]

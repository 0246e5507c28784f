"""Tables: products, units of measure with their own barcodes, assortments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import QTY, Base, utcnow


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    brand: Mapped[str] = mapped_column(String(100), default="")
    base_unit: Mapped[str] = mapped_column(String(8), default="EA")
    min_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))
    multiple: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))
    list_price: Mapped[Decimal | None] = mapped_column(default=None)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | discontinued
    replacement_sku: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    units: Mapped[list[ProductUnit]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductUnit.factor"
    )


class ProductUnit(Base):
    """A unit the product is sold in (the base unit has factor 1) and its own barcode."""

    __tablename__ = "product_units"
    __table_args__ = (UniqueConstraint("product_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(8))
    factor: Mapped[int] = mapped_column(Integer, default=1)
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True, default=None)

    product: Mapped[Product] = relationship(back_populates="units")


class Assortment(Base):
    """A named set of products; an account buys from exactly one."""

    __tablename__ = "assortments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class AssortmentProduct(Base):
    __tablename__ = "assortment_products"

    assortment_id: Mapped[int] = mapped_column(
        ForeignKey("assortments.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True
    )

"""Tables: price lists and their tiers, account contract prices. Prices are per base unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import QTY, Base


class PriceList(Base):
    __tablename__ = "price_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)


class PriceListItem(Base):
    """One quantity tier: from `min_qty` base units on, `price` per base unit."""

    __tablename__ = "price_list_items"
    __table_args__ = (UniqueConstraint("price_list_id", "product_id", "min_qty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(
        ForeignKey("price_lists.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    min_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))
    price: Mapped[Decimal]


class ContractPrice(Base):
    __tablename__ = "contract_prices"
    __table_args__ = (UniqueConstraint("account_id", "contract_code", "product_id", "min_qty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    contract_code: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    min_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    price: Mapped[Decimal]
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)

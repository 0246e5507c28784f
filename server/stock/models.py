"""Tables: warehouses and stock levels (with next receipt and lead time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import QTY, Base, utcnow


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Stock(Base):
    __tablename__ = "stock"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    available: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    next_receipt_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    next_receipt_qty: Mapped[Decimal | None] = mapped_column(QTY, default=None)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=3)
    as_of: Mapped[dt.datetime] = mapped_column(default=utcnow)

"""Tables of the ERP link: API keys, applied ERP events, shipment refs and line facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import QTY, Base, utcnow


class ApiKey(Base):
    """A key for the integration API. Only its SHA-256 is stored; the key is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # enough to recognise a key in a list
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated account numbers the key may see; empty means every account.
    accounts: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ErpEvent(Base):
    """An event the ERP posted and we applied; the UNIQUE event id makes a replay harmless."""

    __tablename__ = "erp_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(24))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(100))  # "api:<key name>", "file:<name>", ...
    result: Mapped[str] = mapped_column(Text)  # the JSON answer, returned again on a replay
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ErpShipmentRef(Base):
    """The ERP's own reference of a shipment (its delivery note number), unique per order."""

    __tablename__ = "erp_shipment_refs"
    __table_args__ = (UniqueConstraint("order_id", "ref"),)

    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(64))


class ErpLineInfo(Base):
    """What the ERP said about one order line beyond the quantities OrderLine keeps."""

    __tablename__ = "erp_line_info"

    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True
    )
    # The last status the ERP posted for the line: confirmed, allocated, backordered, cancelled.
    erp_status: Mapped[str] = mapped_column(String(16), default="")
    quantity_cancelled: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    expected_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")

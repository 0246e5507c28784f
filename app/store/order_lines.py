"""The lines of one past order on this device (synced or still queued), for a reorder."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from app.store.replica import Replica


@dataclass(frozen=True, slots=True)
class PastOrderLine:
    line_no: int
    sku: str
    quantity: Decimal | None  # None when the stored quantity is unreadable
    unit: str


@dataclass(frozen=True, slots=True)
class PastOrder:
    client_order_id: str
    number: str | None
    status: str
    created_at: str | None
    lines: tuple[PastOrderLine, ...]


def find_order(replica: Replica, ref: str) -> PastOrder | None:
    """The order whose number or client order id is ``ref`` (the server's version if any)."""
    wanted = ref.strip()
    with replica.reading() as session:
        row = (
            session.connection()
            .exec_driver_sql(
                "SELECT COALESCE(data, local) FROM orders WHERE number = ? OR client_order_id = ? "
                "OR key = ? ORDER BY bucket IS NULL LIMIT 1",
                (wanted, wanted, wanted),
            )
            .first()
        )
    if row is None or row[0] is None:
        return None
    doc = orjson.loads(row[0])
    lines = []
    for index, line in enumerate(doc.get("lines") or [], start=1):
        if not isinstance(line, dict) or not line.get("sku"):
            continue
        lines.append(
            PastOrderLine(
                line_no=int(line.get("line_no") or index),
                sku=str(line["sku"]),
                quantity=_decimal(line.get("quantity")),
                unit=str(line.get("unit") or ""),
            )
        )
    return PastOrder(
        client_order_id=str(doc.get("client_order_id") or wanted),
        number=doc.get("number"),
        status=str(doc.get("status") or "unknown"),
        created_at=doc.get("created_at"),
        lines=tuple(lines),
    )


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None

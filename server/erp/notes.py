"""Small pieces every event handler shares: quantities as a person reads them, the
history entry each event writes, and the change-log entry that carries it to the buyer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.changes.service import RowChange, account_bucket, record_changes
from server.db import utcnow
from server.erp.events import EventRejected
from server.orders.models import Order, OrderLine, OrderStatus, OrderStatusEvent


def qty(value: Decimal) -> str:
    """5.0000 -> "5", 2.5000 -> "2.5" for notes a person reads."""
    return format(value.normalize(), "f")


def record_order(session: Session, order: Order) -> None:
    record_changes(
        session, account_bucket(order.account_id), [RowChange("order", str(order.client_order_id))]
    )


def add_history(order: Order, note: str, at: dt.datetime | None = None) -> None:
    order.history.append(OrderStatusEvent(status=order.status, note=note, at=at or utcnow()))


def assign_erp_number(session: Session, order: Order, erp_number: str) -> None:
    """Give a just-acknowledged order its ERP number (refused if another order has it)."""
    taken = session.scalar(
        select(Order.id).where(Order.erp_number == erp_number, Order.id != order.id).limit(1)
    )
    if taken is not None:
        raise EventRejected(
            "erp_number_taken", f"ERP number {erp_number!r} is already assigned to another order"
        )
    order.erp_number = erp_number
    order.status = OrderStatus.SENT_TO_ERP
    add_history(order, f"Sent to the supplier (ERP order {erp_number})")


def with_reason(note: str, reason: str) -> str:
    return f"{note}: {reason}" if reason else note


def part(line: OrderLine, quantity: Decimal) -> str:
    """ "Line 2" when `quantity` is the whole line, else "Line 2: 3 of 5 EA"."""
    if quantity == line.quantity:
        return f"Line {line.line_no}"
    return f"Line {line.line_no}: {qty(quantity)} of {qty(line.quantity)} {line.unit}"

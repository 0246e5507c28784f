"""Applying one ERP event to one order: check everything, change the lines and shipments,
derive the status, write a history entry a buyer can read, and log the change for sync.

A handler refuses with EventRejected; the caller then rolls the whole transaction back, so
a refused event leaves nothing half-applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from server.db import utcnow
from server.erp.events import (
    Body,
    Delay,
    Delivered,
    ErpEventIn,
    EventRejected,
    LineStatus,
    OrderConfirmed,
    OrderException,
    ShipmentPosted,
)
from server.erp.lines import confirm_order, set_line_status
from server.erp.notes import add_history, record_order
from server.erp.shipping import delay, deliver, ship
from server.erp.state import EXCEPTION, OrderState
from server.orders.models import Order, OrderStatus

# Orders the ERP has (or, for "submitted", is about to have with an order.confirmed).
_AT_THE_SUPPLIER = {
    OrderStatus.SENT_TO_ERP,
    OrderStatus.CONFIRMED,
    OrderStatus.PARTLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    EXCEPTION,
}


def _check_reachable(state: OrderState, event: ErpEventIn) -> None:
    order = state.order
    if order.status in _AT_THE_SUPPLIER:
        return
    if order.status == OrderStatus.SUBMITTED and isinstance(event.body, OrderConfirmed):
        return  # an order.confirmed with an ERP number acknowledges the order too
    if order.status == OrderStatus.SUBMITTED:
        raise EventRejected(
            "not_acknowledged",
            f"order {order.number} was not acknowledged yet: POST its ack (or an "
            "order.confirmed with erp_number) first",
        )
    if order.status == OrderStatus.CANCELLED:
        who = "" if order.erp_number else " by the buyer before it reached you"
        raise EventRejected("cancelled", f"order {order.number} was cancelled{who}; it is final")
    raise EventRejected(
        "not_released", f"order {order.number} is {order.status}, not released to the ERP"
    )


def _handler(body: Body) -> Callable[[OrderState, dt.datetime | None], str]:
    if isinstance(body, OrderConfirmed):
        return lambda s, _at: confirm_order(s, body)
    if isinstance(body, LineStatus):
        return lambda s, _at: set_line_status(s, body)
    if isinstance(body, ShipmentPosted):
        return lambda s, at: ship(s, body, at)
    if isinstance(body, Delivered):
        return lambda s, at: deliver(s, body, at)
    if isinstance(body, Delay):
        return lambda s, _at: delay(s, body)
    assert isinstance(body, OrderException)
    return lambda _s, _at: f"Exception: {body.reason}"


def apply_event(session: Session, order: Order, event: ErpEventIn) -> None:
    """Apply `event` to `order` (found and locked with `find_order`) in the caller's
    transaction. Raises EventRejected (roll back) or AlreadyApplied (nothing to do).
    """
    state = OrderState.load(session, order)
    _check_reachable(state, event)
    now = utcnow()
    at = min(event.at, now) if event.at else None
    note = _handler(event.body)(state, at)
    state.settle_lines()
    order.status = EXCEPTION if isinstance(event.body, OrderException) else state.derived_status()
    order.updated_at = now
    add_history(order, note, at)
    session.flush()
    record_order(session, order)

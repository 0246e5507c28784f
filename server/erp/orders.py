"""Handing orders to the ERP: the ones ready to fetch, and the idempotent acknowledgement."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.accounts.models import Account, ShipTo, User
from server.erp.events import EventRejected
from server.erp.keys import KeyScope
from server.erp.notes import assign_erp_number, record_order
from server.erp.state import find_order
from server.orders.models import Order, OrderStatus

# Orders waiting for the buyer (needs_confirmation) or an approver are not ready.
READY_STATUSES = (OrderStatus.SUBMITTED,)


class OrderNotFound(Exception):
    """No such order, or one the key may not see (the two look the same)."""


class AckConflict(Exception):
    """The acknowledgement contradicts what the order shows; the message says how."""


def _address(ship_to: ShipTo | None) -> dict[str, Any] | None:
    if ship_to is None:
        return None
    return {
        "code": ship_to.code,
        "name": ship_to.name,
        "street": ship_to.street,
        "postal_code": ship_to.postal_code,
        "city": ship_to.city,
        "country": ship_to.country,
    }


def ready_orders(session: Session, scope: KeyScope, *, limit: int) -> list[dict[str, Any]]:
    """Orders released to the ERP and not acknowledged yet, oldest first (by id).

    At-least-once: an order comes back in every call until it is acknowledged.
    """
    query = (
        select(Order, Account)
        .join(Account, Account.id == Order.account_id)
        .where(Order.status.in_(READY_STATUSES))
        .order_by(Order.id)
        .limit(limit)
        .options(selectinload(Order.lines))
    )
    if scope.accounts:
        query = query.where(Account.number.in_(sorted(scope.accounts)))
    rows = session.execute(query).all()
    ship_tos = {
        s.id: s
        for s in session.scalars(
            select(ShipTo).where(ShipTo.id.in_({o.ship_to_id for o, _a in rows if o.ship_to_id}))
        )
    }
    users = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_({o.user_id for o, _a in rows if o.user_id}))
        )
    }
    out = []
    for order, account in rows:
        buyer = users.get(order.user_id) if order.user_id else None
        out.append(
            {
                "client_order_id": str(order.client_order_id),
                "number": order.number,
                "account_number": account.number,
                "account_name": account.name,
                "buyer": {"name": buyer.name, "email": buyer.email} if buyer else None,
                "ship_to": _address(ship_tos.get(order.ship_to_id) if order.ship_to_id else None),
                "po_number": order.po_number,
                "requested_date": order.requested_date,
                "note": order.note,
                "currency": order.currency,
                "subtotal": str(order.subtotal),
                "created_at": order.created_at,
                "lines": [
                    {
                        "line_no": li.line_no,
                        "sku": li.sku,
                        "quantity": str(li.quantity),
                        "unit": li.unit,
                        "unit_price": str(li.unit_price),
                        "line_total": str(li.line_total),
                    }
                    for li in order.lines
                ],
            }
        )
    return out


def acknowledge(
    session: Session, scope: KeyScope, *, client_order_id: str, erp_number: str
) -> dict[str, Any]:
    """Mark the order as taken over by the ERP under `erp_number`; repeating it is harmless."""
    try:
        uuid.UUID(client_order_id)
        order = find_order(session, scope, client_order_id, lock=True)
    except (ValueError, EventRejected):
        raise OrderNotFound(f"unknown order {client_order_id!r}") from None
    answer = {
        "client_order_id": str(order.client_order_id),
        "number": order.number,
        "erp_number": erp_number,
    }
    if order.erp_number is not None:
        if order.erp_number != erp_number:
            raise AckConflict(
                f"order {order.number} was acknowledged as ERP order {order.erp_number}; "
                f"refusing a second number {erp_number!r}"
            )
        return answer
    if order.status == OrderStatus.CANCELLED:
        raise AckConflict(
            f"order {order.number} was cancelled by the buyer before you acknowledged it: "
            "do not process it"
        )
    if order.status not in READY_STATUSES:
        raise AckConflict(f"order {order.number} is {order.status}, not released to the ERP")
    try:
        assign_erp_number(session, order, erp_number)
    except EventRejected as exc:
        raise AckConflict(exc.message) from None
    session.flush()
    record_order(session, order)
    return answer

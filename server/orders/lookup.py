"""Finding an order a mutation names: by the client's order id, within the caller's account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.accounts.models import Account
from server.carts.service import parse_uuid
from server.orders.models import Order
from server.sync.outcome import Rejected


def own_order(session: Session, account: Account, args: dict[str, Any]) -> Order:
    """The order `args["client_order_id"]` of `account`, with lines and history; another
    account's order is "not found", exactly like a missing one."""
    oid = parse_uuid(args, "client_order_id")
    order = session.scalar(
        select(Order)
        .where(Order.client_order_id == oid, Order.account_id == account.id)
        .options(selectinload(Order.lines), selectinload(Order.history))
    )
    if order is None:
        raise Rejected("not_found", "no such order")
    return order

"""Order mutations: submit (idempotent on the client's order id), confirm changes, cancel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import Account, ShipTo, User
from server.approvals.service import route
from server.carts.models import Cart
from server.carts.service import ORDERING_ROLES, parse_quantity, parse_uuid, require_role
from server.changes.service import RowChange, account_bucket, bump_bucket, record_changes
from server.db import utcnow
from server.orders.lookup import own_order
from server.orders.models import Order, OrderLine, OrderStatus, OrderStatusEvent
from server.orders.review import OrderCheck, RequestedLine, check_order
from server.sync.outcome import Outcome, Rejected

CANCELLABLE = {OrderStatus.NEEDS_CONFIRMATION, OrderStatus.PENDING_APPROVAL, OrderStatus.SUBMITTED}


def _today() -> dt.date:
    return utcnow().date()


def _record(session: Session, order: Order) -> None:
    record_changes(
        session, account_bucket(order.account_id), [RowChange("order", str(order.client_order_id))]
    )


def _result(order: Order, message: str = "") -> Outcome:
    review = orjson.loads(order.review) if order.review else None
    status = "needs_confirmation" if order.status == OrderStatus.NEEDS_CONFIRMATION else "applied"
    if order.status == OrderStatus.PENDING_APPROVAL and not message and order.history:
        message = order.history[-1].note
    if status == "needs_confirmation" and not message and review:
        parts = list(review.get("reasons", []))
        parts += [
            f"{li['sku']}: {li['problem'] or li['change']}"
            for li in review.get("lines", [])
            if li.get("problem") or li.get("change")
        ]
        message = "waiting for your confirmation: " + "; ".join(parts)
    return Outcome(
        status,
        "ok" if status == "applied" else "needs_confirmation",
        message,
        {
            "order_number": order.number,
            "client_order_id": str(order.client_order_id),
            "order_status": order.status,
            "subtotal": str(order.subtotal),
            "review": review,
        },
    )


def _requested_lines(
    session: Session, account: Account, args: dict[str, Any]
) -> tuple[list[RequestedLine], Cart | None]:
    cart = None
    if args.get("cart_id"):
        cart = session.get(Cart, parse_uuid(args, "cart_id"))
        if cart is None or cart.account_id != account.id:
            raise Rejected("not_found", "no such cart")
        if cart.status != "open":
            raise Rejected("cart_locked", f"cart {cart.name!r} was already {cart.status}")
    raw_lines = args.get("lines")
    if not raw_lines and cart is not None:
        raw_lines = [
            {"sku": li.sku, "quantity": str(li.quantity), "unit": li.unit} for li in cart.lines
        ]
    if not raw_lines or not isinstance(raw_lines, list):
        raise Rejected("empty_order", "the order has no lines")
    lines = []
    for raw in raw_lines:
        seen = raw.get("seen_unit_price")
        lines.append(
            RequestedLine(
                sku=str(raw.get("sku", "")),
                quantity=parse_quantity(raw.get("quantity")),
                unit=str(raw.get("unit") or ""),
                seen_unit_price=None if seen in (None, "") else Decimal(str(seen)),
                seen_price=raw.get("seen_price"),
            )
        )
    return lines, cart


def _write_lines(session: Session, order: Order, check: OrderCheck) -> None:
    if order.lines:
        order.lines.clear()
        session.flush()  # delete the old lines before their numbers are reused
    for li in check.lines:
        order.lines.append(
            OrderLine(
                line_no=li.line_no,
                product_id=li.product.id if li.product else None,
                sku=li.sku,
                quantity=li.quantity,
                unit=li.unit,
                unit_price=li.unit_price,
                line_total=li.line_total,
                price_source=li.price_source or "none",
                price_explanation=li.price_explanation,
                quantity_backordered=li.backorder,
                status="problem" if li.blocking else "open",
            )
        )
    order.subtotal = check.subtotal
    review = check.review_json()
    order.review = None if review is None else orjson.dumps(review).decode()


def _set_status(order: Order, status: OrderStatus, note: str = "") -> None:
    order.status = status
    order.history.append(OrderStatusEvent(status=status, note=note, at=utcnow()))


def submit(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    client_order_id = parse_uuid(args, "client_order_id")
    existing = session.scalar(select(Order).where(Order.client_order_id == client_order_id))
    if existing is not None:
        if existing.account_id != account.id:
            raise Rejected("invalid", "client_order_id is taken")
        return _result(existing, "this order was submitted before")
    lines, cart = _requested_lines(session, account, args)
    ship_to = None
    if args.get("ship_to"):
        ship_to = session.scalar(
            select(ShipTo).where(
                ShipTo.account_id == account.id, ShipTo.code == str(args["ship_to"])
            )
        )
        if ship_to is None:
            raise Rejected("unknown_ship_to", f"no ship-to location {args['ship_to']!r}")
    requested_date = None
    if args.get("requested_date"):
        try:
            requested_date = dt.date.fromisoformat(str(args["requested_date"]))
        except ValueError:
            raise Rejected("invalid", "requested_date must be YYYY-MM-DD") from None
    check = check_order(session, account, lines, on=_today())
    number = bump_bucket(session, f"order_no:{account.id}")
    order = Order(
        client_order_id=client_order_id,
        number=f"OP-{number:06d}",
        account_id=account.id,
        user_id=user.id,
        ship_to_id=ship_to.id if ship_to else None,
        status=OrderStatus.SUBMITTED,
        po_number=str(args.get("po_number") or "")[:64],
        requested_date=requested_date,
        note=str(args.get("note") or ""),
        currency=account.currency,
        cart_id=cart.id if cart else None,
    )
    session.add(order)
    _write_lines(session, order, check)
    if check.needs_confirmation:
        _set_status(
            order,
            OrderStatus.NEEDS_CONFIRMATION,
            "; ".join(check.reasons) or "prices or lines changed since the order was built",
        )
    else:
        session.flush()
        if not route(session, account, order):
            _set_status(order, OrderStatus.SUBMITTED)
    if cart is not None:
        cart.status = "submitted"
        record_changes(session, account_bucket(account.id), [RowChange("cart", str(cart.id))])
    session.flush()
    _record(session, order)
    return _result(order)


def confirm_changes(
    session: Session, account: Account, user: User, args: dict[str, Any]
) -> Outcome:
    """The buyer accepts the explained changes; lines named in `remove_lines` are dropped."""
    require_role(user, *ORDERING_ROLES)
    order = own_order(session, account, args)
    if order.status != OrderStatus.NEEDS_CONFIRMATION:
        return _result(order, f"order {order.number} is {order.status}; nothing to confirm")
    remove = {int(n) for n in args.get("remove_lines") or []}
    review = orjson.loads(order.review) if order.review else {"lines": []}
    accepted = {li["line_no"]: li["unit_price"] for li in review.get("lines", [])}
    keep = [li for li in order.lines if li.line_no not in remove]
    if not keep:
        raise Rejected("empty_order", "every line was removed; cancel the order instead")
    requested = [
        RequestedLine(
            li.sku, li.quantity, li.unit, Decimal(accepted.get(li.line_no, str(li.unit_price)))
        )
        for li in keep
    ]
    check = check_order(session, account, requested, on=_today())
    blocking = [li for li in check.lines if li.blocking]
    if blocking:
        raise Rejected(
            "line_problem",
            "; ".join(f"{li.sku}: {li.blocking} — remove the line" for li in blocking),
        )
    _write_lines(session, order, check)
    if check.needs_confirmation:
        # Prices moved again since the review, or credit is still short: a new review.
        _set_status(
            order,
            OrderStatus.NEEDS_CONFIRMATION,
            "; ".join(check.reasons) or "prices changed again since your review",
        )
    else:
        order.review = None
        _set_status(order, OrderStatus.SUBMITTED, "changes confirmed by " + user.email)
        session.flush()
        route(session, account, order)
    session.flush()
    _record(session, order)
    return _result(order)


def cancel(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    order = own_order(session, account, args)
    if order.status == OrderStatus.CANCELLED:
        return _result(order, "already cancelled")
    if order.status not in CANCELLABLE:
        raise Rejected(
            "too_late",
            f"order {order.number} is already {order.status}; ask the supplier to cancel it",
        )
    _set_status(order, OrderStatus.CANCELLED, "cancelled by " + user.email)
    order.review = None
    if order.cart_id is not None:
        cart = session.get(Cart, order.cart_id)
        if cart is not None and cart.status == "submitted":
            cart.status = "open"  # the lines go back to the buyer
            record_changes(session, account_bucket(account.id), [RowChange("cart", str(cart.id))])
    session.flush()
    _record(session, order)
    return _result(order)

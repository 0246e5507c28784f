"""Events about parcels: a shipment with its lines, its delivery, and delays."""

from __future__ import annotations

import datetime as dt

from server.db import utcnow
from server.erp.carriers import canonical_carrier
from server.erp.events import AlreadyApplied, Delay, Delivered, EventRejected, ShipmentPosted
from server.erp.models import ErpShipmentRef
from server.erp.notes import qty, with_reason
from server.erp.state import OrderState
from server.orders.models import Shipment
from server.orders.models import ShipmentLine as ShipmentLineRow


def _same_shipment(state: OrderState, existing: Shipment, body: ShipmentPosted) -> bool:
    mine = {sl.order_line_id: sl.quantity for sl in existing.lines}
    if body.lines:
        theirs = {state.line(li.line_no).id: li.quantity for li in body.lines}
        if mine != theirs:
            return False
    return (existing.carrier, existing.tracking_number) == (
        canonical_carrier(body.carrier),
        body.tracking_number,
    )


def ship(state: OrderState, body: ShipmentPosted, at: dt.datetime | None) -> str:
    order = state.order
    existing = state.refs.get(body.ref)
    if existing is not None:
        if _same_shipment(state, existing, body):
            raise AlreadyApplied(f"shipment {body.ref} of order {order.number} is recorded already")
        raise EventRejected(
            "shipment_conflict",
            f"shipment {body.ref} of order {order.number} was posted before with another "
            "carrier, tracking number or lines",
        )
    if body.lines:
        wanted = [(state.line(li.line_no), li.quantity) for li in body.lines]
    else:
        wanted = [(li, state.open(li)) for li in order.lines if state.open(li) > 0]
        if not wanted:
            raise EventRejected("nothing_open", f"order {order.number} has nothing left to ship")
    for line, amount in wanted:
        if amount > state.open(line):
            cancelled = state.cancelled(line)
            raise EventRejected(
                "over_shipped",
                f"line {line.line_no} ({line.sku}): shipping {qty(amount)} {line.unit} is more "
                f"than ordered: {qty(line.quantity)} ordered, "
                f"{qty(line.quantity_shipped)} shipped before"
                + (f", {qty(cancelled)} cancelled" if cancelled else ""),
            )
    carrier = canonical_carrier(body.carrier)
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier,
        tracking_number=body.tracking_number,
        shipped_at=body.shipped_at or at or utcnow(),
        expected_delivery=body.expected_delivery,
        delivered_at=None,
    )
    for line, amount in wanted:
        shipment.lines.append(ShipmentLineRow(order_line_id=line.id, quantity=amount))
        line.quantity_shipped += amount
    state.session.add(shipment)
    state.session.flush()
    state.session.add(ErpShipmentRef(shipment_id=shipment.id, order_id=order.id, ref=body.ref))
    state.shipments.append(shipment)
    state.refs[body.ref] = shipment
    note = f"Shipped {len(wanted)} of {len(order.lines)} lines with {carrier}"
    note += f" {body.tracking_number}" if body.tracking_number else ""
    if body.expected_delivery:
        note += f", expected {body.expected_delivery.isoformat()}"
    return note


def _find_shipment(state: OrderState, ref: str | None, tracking: str | None) -> Shipment:
    if ref is not None and ref in state.refs:
        return state.refs[ref]
    if ref is None and tracking is not None:
        for s in state.shipments:
            if s.tracking_number == tracking:
                return s
    raise EventRejected(
        "unknown_shipment",
        f"order {state.order.number} has no shipment {ref or tracking!r}: "
        "post the shipment before its delivery",
    )


def deliver(state: OrderState, body: Delivered, at: dt.datetime | None) -> str:
    shipment = _find_shipment(state, body.ref, body.tracking_number)
    if shipment.delivered_at is not None:
        raise AlreadyApplied(f"that shipment was delivered at {shipment.delivered_at.isoformat()}")
    when = at or utcnow()
    if when < shipment.shipped_at:
        raise EventRejected(
            "delivered_before_shipped",
            f"delivered at {when.isoformat()} but shipped at {shipment.shipped_at.isoformat()}",
        )
    shipment.delivered_at = when
    return f"Delivered: {shipment.carrier} {shipment.tracking_number}".rstrip() + (
        f" ({len(shipment.lines)} lines)" if len(shipment.lines) > 1 else " (1 line)"
    )


def delay(state: OrderState, body: Delay) -> str:
    day = body.expected_date.isoformat()
    if body.shipment_ref is not None:
        shipment = _find_shipment(state, body.shipment_ref, None)
        if shipment.delivered_at is not None:
            raise EventRejected("delivered", f"shipment {body.shipment_ref} was delivered already")
        shipment.expected_delivery = body.expected_date
        note = f"Shipment {shipment.carrier} {shipment.tracking_number} delayed until {day}"
        return with_reason(note, body.reason)
    if body.line_no is not None:
        line = state.line(body.line_no)
        if state.open(line) <= 0:
            raise EventRejected("nothing_open", f"line {line.line_no} has nothing left to ship")
        state.info(line).expected_date = body.expected_date
        return with_reason(f"Line {line.line_no} delayed until {day}", body.reason)
    open_lines = [li for li in state.order.lines if state.open(li) > 0]
    moving = [s for s in state.shipments if s.delivered_at is None]
    if not open_lines and not moving:
        raise EventRejected(
            "nothing_open", f"order {state.order.number} was delivered; nothing left to delay"
        )
    for li in open_lines:
        state.info(li).expected_date = body.expected_date
    for s in moving:
        s.expected_delivery = body.expected_date
    return with_reason(f"Delayed until {day}", body.reason)

"""Events about lines: the order confirmation and the status of a single line.

Quantities are absolute: "3 of line 2 are backordered", so a re-sent event never doubles.
"""

from __future__ import annotations

from decimal import Decimal

from server.erp.events import EventRejected, LineStatus, OrderConfirmed
from server.erp.notes import assign_erp_number, part, qty, with_reason
from server.erp.state import OrderState
from server.orders.models import OrderStatus


def confirm_order(state: OrderState, body: OrderConfirmed) -> str:
    order = state.order
    if body.erp_number and order.erp_number and body.erp_number != order.erp_number:
        raise EventRejected(
            "erp_number_conflict",
            f"order {order.number} is ERP order {order.erp_number}, not {body.erp_number}",
        )
    given = {li.line_no: li for li in body.lines}
    for number, li in given.items():
        line = state.line(number)
        if li.quantity > state.target(line):
            raise EventRejected(
                "over_confirmed",
                f"line {number}: {qty(li.quantity)} {line.unit} confirmed but only "
                f"{qty(state.target(line))} ordered",
            )
    if order.status == OrderStatus.SUBMITTED:
        if not body.erp_number:
            raise EventRejected(
                "not_acknowledged",
                f"order {order.number} was not acknowledged: send erp_number with the confirmation",
            )
        assign_erp_number(state.session, order, body.erp_number)
    partial = []
    for line in order.lines:
        item = given.get(line.line_no)
        line.quantity_confirmed = item.quantity if item else state.target(line)
        info = state.info(line)
        if info.erp_status in ("", "confirmed"):
            info.erp_status = "confirmed"
            # The supplier's word replaces the stock estimate made when the order came in.
            line.quantity_backordered = Decimal(0)
        expected = (item.expected_date if item else None) or body.expected_date
        if expected is not None:
            info.expected_date = expected
        if line.quantity_confirmed < line.quantity:
            partial.append(
                f"line {line.line_no}: {qty(line.quantity_confirmed)} of "
                f"{qty(line.quantity)} {line.unit} confirmed"
            )
    note = f"Confirmed by the supplier as {order.erp_number}"
    if body.expected_date:
        note += f", expected {body.expected_date.isoformat()}"
    return note + ("; " + "; ".join(partial) if partial else "")


def set_line_status(state: OrderState, body: LineStatus) -> str:
    line = state.line(body.line_no)
    info = state.info(line)
    open_now = state.open(line)
    until = f" until {body.expected_date.isoformat()}" if body.expected_date else ""
    if body.status == "cancelled":
        cancel = (
            body.quantity if body.quantity is not None else line.quantity - line.quantity_shipped
        )
        if cancel + line.quantity_shipped > line.quantity:
            raise EventRejected(
                "over_cancelled",
                f"line {line.line_no}: cannot cancel {qty(cancel)} {line.unit}: "
                f"{qty(line.quantity)} ordered, {qty(line.quantity_shipped)} shipped already",
            )
        if cancel <= 0:
            raise EventRejected("nothing_open", f"line {line.line_no} was shipped in full")
        info.quantity_cancelled = cancel
        info.reason = body.reason
        if line.quantity - cancel - line.quantity_shipped <= 0:
            info.erp_status = "cancelled"
        line.quantity_confirmed = min(line.quantity_confirmed, line.quantity - cancel)
        return with_reason(f"{part(line, cancel)} cancelled", body.reason)
    if body.status == "confirmed":
        amount = body.quantity if body.quantity is not None else state.target(line)
        if amount > state.target(line):
            raise EventRejected(
                "over_confirmed",
                f"line {line.line_no}: {qty(amount)} {line.unit} confirmed but only "
                f"{qty(state.target(line))} ordered",
            )
        line.quantity_confirmed = amount
        info.erp_status = "confirmed"
        if body.expected_date:
            info.expected_date = body.expected_date
        return with_reason(f"{part(line, amount)} confirmed{until}", body.reason)
    amount = body.quantity if body.quantity is not None else open_now
    if amount <= 0 or amount > open_now:
        raise EventRejected(
            "nothing_open" if open_now <= 0 else "over_quantity",
            f"line {line.line_no}: {qty(amount)} {line.unit} {body.status} but only "
            f"{qty(open_now)} still to ship",
        )
    if body.status == "allocated":
        was_backordered = line.quantity_backordered > 0
        line.quantity_backordered = max(
            Decimal(0), min(line.quantity_backordered, open_now - amount)
        )
        line.quantity_confirmed = max(line.quantity_confirmed, line.quantity_shipped + amount)
        info.erp_status = "allocated"
        info.expected_date = body.expected_date or info.expected_date
        note = f"{part(line, amount)} in stock and reserved"
        if was_backordered:
            note = f"{part(line, amount)} back in stock and reserved (was backordered)"
        return with_reason(note + until, body.reason)
    line.quantity_backordered = amount
    info.erp_status = "backordered"
    info.expected_date = body.expected_date
    info.reason = body.reason
    return with_reason(f"{part(line, amount)} backordered{until or ' (no date yet)'}", body.reason)

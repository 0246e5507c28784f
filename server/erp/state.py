"""One order as the ERP link sees it: lines, line facts, shipments; and the derived status.

The order's status is never set by an event directly (an exception aside): after every event
it is derived again from what the lines and shipments show.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.accounts.models import Account
from server.erp.events import EventRejected
from server.erp.keys import KeyScope
from server.erp.models import ErpLineInfo, ErpShipmentRef
from server.orders.models import Order, OrderLine, OrderStatus, Shipment

EXCEPTION = "exception"  # an order status only the ERP sets; the next event clears it
ZERO = Decimal(0)


def find_order(session: Session, scope: KeyScope, ref: str, *, lock: bool = False) -> Order:
    """The order whose client_order_id or ERP number is `ref`, if the key may see it.

    An order of an account outside the key's scope is reported exactly like a missing one.
    """
    query = select(Order.id).join(Account, Account.id == Order.account_id)
    try:
        query = query.where(Order.client_order_id == uuid.UUID(ref))
    except ValueError:
        query = query.where(Order.erp_number == ref)
    if scope.accounts:
        query = query.where(Account.number.in_(sorted(scope.accounts)))
    ids = session.scalars(query.limit(2)).all()
    if not ids:
        raise EventRejected(
            "unknown_order",
            f"unknown order {ref!r}: no order has this client_order_id or ERP number",
        )
    if len(ids) > 1:
        raise EventRejected(
            "ambiguous_order", f"ERP number {ref!r} belongs to several orders; use client_order_id"
        )
    order = session.get(
        Order,
        ids[0],
        with_for_update=lock,  # concurrent events of one order apply one after the other
        populate_existing=lock,
        options=[selectinload(Order.lines), selectinload(Order.history)],
    )
    assert order is not None
    return order


@dataclass
class OrderState:
    order: Order
    session: Session
    shipments: list[Shipment]
    refs: dict[str, Shipment]
    infos: dict[int, ErpLineInfo] = field(default_factory=dict)  # by order line id

    @classmethod
    def load(cls, session: Session, order: Order) -> OrderState:
        shipments = list(
            session.scalars(
                select(Shipment)
                .where(Shipment.order_id == order.id)
                .options(selectinload(Shipment.lines))
                .order_by(Shipment.id)
            )
        )
        by_id = {s.id: s for s in shipments}
        refs = {
            r.ref: by_id[r.shipment_id]
            for r in session.scalars(
                select(ErpShipmentRef).where(ErpShipmentRef.order_id == order.id)
            )
        }
        infos = {
            i.order_line_id: i
            for i in session.scalars(
                select(ErpLineInfo).where(
                    ErpLineInfo.order_line_id.in_([li.id for li in order.lines])
                )
            )
        }
        return cls(order, session, shipments, refs, infos)

    def line(self, line_no: int) -> OrderLine:
        for li in self.order.lines:
            if li.line_no == line_no:
                return li
        numbers = [li.line_no for li in self.order.lines]
        raise EventRejected(
            "unknown_line",
            f"order {self.order.number} has no line {line_no} "
            f"(its lines are {min(numbers)}–{max(numbers)})"
            if numbers
            else f"order {self.order.number} has no lines",
        )

    def info(self, line: OrderLine) -> ErpLineInfo:
        found = self.infos.get(line.id)
        if found is None:
            found = ErpLineInfo(
                order_line_id=line.id,
                erp_status="",
                quantity_cancelled=ZERO,
                expected_date=None,
                reason="",
            )
            self.session.add(found)
            self.infos[line.id] = found
        return found

    def cancelled(self, line: OrderLine) -> Decimal:
        found = self.infos.get(line.id)
        return found.quantity_cancelled if found else ZERO

    def target(self, line: OrderLine) -> Decimal:
        """What the supplier still means to ship in all: ordered minus cancelled."""
        return line.quantity - self.cancelled(line)

    def open(self, line: OrderLine) -> Decimal:
        return max(ZERO, self.target(line) - line.quantity_shipped)

    def shipments_of(self, line: OrderLine) -> list[Shipment]:
        return [s for s in self.shipments if any(sl.order_line_id == line.id for sl in s.lines)]

    def line_status(self, line: OrderLine) -> str:
        target = self.target(line)
        if target <= 0:
            return "cancelled"
        if line.quantity_shipped >= target:
            delivered = all(s.delivered_at is not None for s in self.shipments_of(line))
            return "delivered" if delivered else "shipped"
        if line.quantity_shipped > 0:
            return "partly_shipped"
        if line.quantity_backordered > 0:
            return "backordered"
        erp_status = self.infos[line.id].erp_status if line.id in self.infos else ""
        if erp_status in ("confirmed", "allocated"):
            return erp_status
        if line.quantity_confirmed > 0:
            return "confirmed"
        return line.status if line.status in ("open", "problem") else "open"

    def derived_status(self) -> str:
        lines = self.order.lines
        active = [li for li in lines if self.target(li) > 0]
        if not active:
            return OrderStatus.CANCELLED
        if all(li.quantity_shipped >= self.target(li) for li in active):
            if self.shipments and all(s.delivered_at is not None for s in self.shipments):
                return OrderStatus.DELIVERED
            return OrderStatus.SHIPPED
        if any(li.quantity_shipped > 0 for li in lines):
            return OrderStatus.PARTLY_SHIPPED
        confirmed = any(li.quantity_confirmed > 0 for li in lines) or any(
            h.status == OrderStatus.CONFIRMED for h in self.order.history
        )
        return OrderStatus.CONFIRMED if confirmed else OrderStatus.SENT_TO_ERP

    def settle_lines(self) -> None:
        """Keep each line's backorder within what is still open, and its status current."""
        for li in self.order.lines:
            li.quantity_backordered = min(li.quantity_backordered, self.open(li))
            li.status = self.line_status(li)

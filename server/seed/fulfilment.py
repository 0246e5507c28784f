"""Turning order drafts into priced orders with a status history and shipments.

Each order runs through approval (over the buyer's spending limit), the ERP, confirmation,
one or two shipments (a backorder splits it) and delivery; only the steps that happened
before `cutoff` are kept, so the newest orders are still submitted, confirmed or partly
shipped while older ones are delivered.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.pricing import line_price
from server.orders.models import OrderStatus
from server.seed.history import DraftOrder
from server.seed.prices import AccountPricer
from server.seed.vocab import ORDER_NOTES

Row = dict[str, Any]
_FREIGHT_FROM = Decimal(3000)
_ERP_RUNS = (6, 10, 14)


@dataclass(slots=True)
class OrderRows:
    orders: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    shipments: list[Row] = field(default_factory=list)
    shipment_lines: list[Row] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Shipment:
    shipped: dt.datetime
    delivered: dt.datetime
    line_indexes: tuple[int, ...]


def _minutes(low: int, high: int, rng: random.Random) -> dt.timedelta:
    return dt.timedelta(minutes=rng.randint(low, high))


def _business_days_after(
    moment: dt.datetime, days: int, hours: tuple[int, int], rng: random.Random
) -> dt.datetime:
    day = moment.date()
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(*hours),
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=dt.UTC,
    )


def _next_erp_run(after: dt.datetime) -> dt.datetime:
    """The ERP interface picks orders up at 06:00, 10:00 and 14:00 UTC on working days."""
    day = after.date()
    while True:
        if day.weekday() < 5:
            for hour in _ERP_RUNS:
                run = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
                if run > after:
                    return run
        day += dt.timedelta(days=1)


class OrderBook:
    """Collects the rows of priced, numbered orders; feed it drafts oldest first."""

    def __init__(
        self, rng: random.Random, *, cutoff: dt.datetime, pricers: dict[int, AccountPricer]
    ) -> None:
        self._rng = rng
        self._cutoff = cutoff
        self._pricers = pricers
        self._sequence: dict[int, int] = {}
        self.rows = OrderRows()

    def _number(self, year: int) -> str:
        # Other customers order too: the supplier's numbers have gaps between ours.
        seq = self._sequence.get(year, self._rng.randint(100, 900)) + self._rng.randint(1, 40)
        self._sequence[year] = seq
        return f"SO-{year}-{seq:06d}"

    def add(self, draft: DraftOrder) -> None:
        rng = self._rng
        order_id = len(self.rows.orders) + 1
        number = self._number(draft.created.year)
        client_order_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        first_line_id = len(self.rows.lines) + 1
        subtotal = self._add_lines(order_id, draft, first_line_id)
        line_rows = self.rows.lines[first_line_id - 1 :]
        events, shipments, carrier = self._timeline(draft, subtotal, line_rows)
        happened = [e for e in events if e[1] < self._cutoff]
        status, updated_at = happened[-1][0], happened[-1][1]
        sent = any(e[0] == OrderStatus.SENT_TO_ERP for e in happened)
        for name, at, note in happened:
            self.rows.events.append(
                {
                    "id": len(self.rows.events) + 1,
                    "order_id": order_id,
                    "status": str(name),
                    "note": note,
                    "at": at,
                }
            )
        self._ship(order_id, draft, line_rows, happened, shipments, carrier)
        self.rows.orders.append(
            {
                "id": order_id,
                "client_order_id": client_order_id,
                "number": number,
                "account_id": draft.account.id,
                "user_id": draft.user.id,
                "ship_to_id": draft.ship_to_id,
                "status": str(status),
                "po_number": f"PO-{draft.created:%y}{rng.randint(10000, 99999)}"
                if rng.randrange(100) < 70
                else "",
                "requested_date": draft.created.date() + dt.timedelta(days=rng.randint(3, 14))
                if rng.randrange(100) < 20
                else None,
                "note": rng.choice(ORDER_NOTES) if rng.randrange(100) < 8 else "",
                "currency": "EUR",
                "subtotal": subtotal,
                "erp_number": f"45{order_id + 10_000_000:08d}" if sent else None,
                "created_at": draft.created,
                "updated_at": updated_at,
            }
        )

    def _add_lines(self, order_id: int, draft: DraftOrder, first_id: int) -> Decimal:
        pricer = self._pricers[draft.account.id]
        subtotal = Decimal(0)
        for n, line in enumerate(draft.lines):
            priced = line_price(
                pricing=pricer.pricing(line.product),
                quantity=Decimal(line.quantity),
                unit_factor=line.factor,
                on=draft.created.date(),
            )
            subtotal += priced.line_total.amount
            explanation = priced.resolution.explanation
            self.rows.lines.append(
                {
                    "id": first_id + n,
                    "order_id": order_id,
                    "line_no": n + 1,
                    "product_id": line.product.id,
                    "sku": line.product.sku,
                    "quantity": Decimal(line.quantity),
                    "unit": line.unit,
                    "unit_price": priced.unit_price.amount,
                    "line_total": priced.line_total.amount,
                    "price_source": explanation.source.value,
                    "price_explanation": explanation.text,
                    "quantity_confirmed": Decimal(0),
                    "quantity_shipped": Decimal(0),
                    "quantity_backordered": Decimal(0),
                    "status": "open",
                }
            )
        return subtotal

    def _timeline(
        self, draft: DraftOrder, subtotal: Decimal, lines: list[Row]
    ) -> tuple[list[tuple[str, dt.datetime, str]], list[_Shipment], str]:
        rng = self._rng
        events: list[tuple[str, dt.datetime, str]] = []
        at = draft.created
        limit = draft.user.spending_limit
        approver = draft.account.approver
        if limit is not None and subtotal > limit and approver is not None:
            events.append(
                (
                    OrderStatus.PENDING_APPROVAL,
                    at,
                    f"Over the spending limit of EUR {limit} of {draft.user.name}",
                )
            )
            at += _minutes(10, 240, rng)
            events.append((OrderStatus.SUBMITTED, at, f"Approved by {approver.name}"))
        else:
            events.append((OrderStatus.SUBMITTED, at, ""))
        at = _next_erp_run(at) + dt.timedelta(seconds=rng.randint(5, 300))
        events.append((OrderStatus.SENT_TO_ERP, at, ""))
        if rng.randrange(1000) < 15:
            events.append(
                (
                    OrderStatus.CANCELLED,
                    at + _minutes(30, 600, rng),
                    "Cancelled at the buyer's request",
                )
            )
            return events, [], ""
        at += _minutes(20, 240, rng)
        events.append((OrderStatus.CONFIRMED, at, ""))
        shipments = self._plan_shipments(at, len(lines))
        freight = subtotal > _FREIGHT_FROM or any(line["unit"] == "CS" for line in lines)
        carrier = "DB Schenker" if freight else rng.choice(("DHL", "DHL", "UPS"))
        if len(shipments) > 1:
            backordered = len(shipments[1].line_indexes)
            events.append(
                (
                    OrderStatus.PARTLY_SHIPPED,
                    shipments[0].shipped,
                    f"{backordered} of {len(lines)} lines backordered",
                )
            )
        events.append((OrderStatus.SHIPPED, shipments[-1].shipped, f"Shipped with {carrier}"))
        events.append((OrderStatus.DELIVERED, shipments[-1].delivered, ""))
        return events, shipments, carrier

    def _plan_shipments(self, confirmed: dt.datetime, count: int) -> list[_Shipment]:
        rng = self._rng
        shipped = _business_days_after(confirmed, rng.randint(1, 2), (13, 17), rng)
        delivered = _business_days_after(shipped, rng.randint(1, 2), (7, 14), rng)
        if count < 3 or rng.randrange(100) >= 12:
            return [_Shipment(shipped, delivered, tuple(range(count)))]
        later = set(rng.sample(range(count), rng.randint(1, count // 3)))
        shipped2 = _business_days_after(shipped, rng.randint(4, 12), (13, 17), rng)
        delivered2 = _business_days_after(shipped2, rng.randint(1, 2), (7, 14), rng)
        return [
            _Shipment(shipped, delivered, tuple(i for i in range(count) if i not in later)),
            _Shipment(shipped2, delivered2, tuple(sorted(later))),
        ]

    def _tracking(self, carrier: str, account_id: int) -> str:
        rng = self._rng
        if carrier == "DHL":
            return f"00340434{rng.randrange(10**12):012d}"
        if carrier == "UPS":
            return f"1ZV4W1{account_id:02d}68{rng.randrange(10**8):08d}"
        return f"{rng.randrange(10**9, 10**10)}"

    def _ship(
        self,
        order_id: int,
        draft: DraftOrder,
        lines: list[Row],
        happened: list[tuple[str, dt.datetime, str]],
        shipments: list[_Shipment],
        carrier: str,
    ) -> None:
        statuses = {e[0] for e in happened}
        if OrderStatus.CANCELLED in statuses:
            for line in lines:
                line["status"] = "cancelled"
            return
        if OrderStatus.CONFIRMED not in statuses:
            return
        for line in lines:
            line["quantity_confirmed"] = line["quantity"]
            line["status"] = "confirmed"
        for number, shipment in enumerate(shipments):
            if shipment.shipped >= self._cutoff:
                if number:  # the second shipment carries the backorder
                    for i in shipment.line_indexes:
                        lines[i]["quantity_backordered"] = lines[i]["quantity"]
                        lines[i]["status"] = "backordered"
                continue
            delivered = shipment.delivered if shipment.delivered < self._cutoff else None
            shipment_id = len(self.rows.shipments) + 1
            self.rows.shipments.append(
                {
                    "id": shipment_id,
                    "order_id": order_id,
                    "carrier": carrier,
                    "tracking_number": self._tracking(carrier, draft.account.id),
                    "shipped_at": shipment.shipped,
                    "expected_delivery": shipment.delivered.date(),
                    "delivered_at": delivered,
                }
            )
            for i in shipment.line_indexes:
                line = lines[i]
                line["quantity_shipped"] = line["quantity"]
                line["status"] = "delivered" if delivered else "shipped"
                self.rows.shipment_lines.append(
                    {
                        "id": len(self.rows.shipment_lines) + 1,
                        "shipment_id": shipment_id,
                        "order_line_id": line["id"],
                        "quantity": line["quantity"],
                    }
                )

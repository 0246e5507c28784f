"""What a simulated ERP does next with one order, decided from the order as it stands.

The plan is stateless: the next step follows from the order's status, lines and shipments,
and every random choice is drawn from (seed, order, step), so the same seed always plays
the same way, and a step repeated (after a crash) is an event replay that changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.gtin import gtin_check_digit
from server.db import utcnow
from server.erp.state import EXCEPTION, OrderState
from server.orders.models import OrderLine, OrderStatus, Shipment

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
_FREIGHT_FROM = Decimal(3000)
_DELAY_REASONS = (
    "Carrier delay: high volume at the hub",
    "Missed delivery attempt; new attempt scheduled",
    "Carrier delay: weather",
)
_BACKORDER_REASONS = ("Awaiting goods from the manufacturer", "Stock reserved for another order")
_CANCEL_REASONS = ("Discontinued by the manufacturer", "No longer available from the supplier")
IN_FLIGHT = (
    OrderStatus.SUBMITTED,
    OrderStatus.SENT_TO_ERP,
    OrderStatus.CONFIRMED,
    OrderStatus.PARTLY_SHIPPED,
    OrderStatus.SHIPPED,
    EXCEPTION,
)


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # unique within the order; part of every event id of the step
    delay_s: float  # simulated seconds after the order last changed
    ack: str | None = None  # acknowledge with this ERP number
    events: list[dict[str, Any]] = field(default_factory=list)


def rng_for(seed: int, state: OrderState, key: str) -> random.Random:
    return random.Random(f"{seed}:{state.order.client_order_id}:{key}")


def erp_number(state: OrderState) -> str:
    return f"45{state.order.id + 10_000_000:08d}"


def _business_days(days: int) -> str:
    day = utcnow().date()
    while days:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day.isoformat()


def tracking_number(carrier: str, rng: random.Random) -> str:
    """Numbers shaped like the carriers' own: DHL SSCC, UPS 1Z with check digit, Schenker."""
    if carrier == "DHL":
        body = f"340434{rng.randrange(10**11):011d}"
        return f"00{body}{gtin_check_digit(body)}"
    if carrier == "UPS":
        body = f"V4W{rng.randrange(1000):03d}{rng.choice(('01', '02', '03', '68'))}"
        body += f"{rng.randrange(10**7):07d}"
        return f"1Z{body}{ups_check_digit(body)}"
    return f"{rng.randrange(10**9, 10**10)}"


def ups_check_digit(body: str) -> int:
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    return (10 - total % 10) % 10


def _event(seed: int, state: OrderState, key: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": f"sim:{seed}:{state.order.client_order_id}:{key}",
        "type": kind,
        "order": str(state.order.client_order_id),
        **fields,
    }


def _confirm(seed: int, state: OrderState) -> Step:
    rng = rng_for(seed, state, "confirm")
    lines = list(state.order.lines)
    events = [_event(seed, state, "confirm", "order.confirmed")]
    if len(lines) >= 2 and rng.random() < 0.3:
        for line in rng.sample(lines, rng.randint(1, max(1, len(lines) // 3))):
            events.append(
                _event(
                    seed,
                    state,
                    f"backorder:{line.line_no}",
                    "line.status",
                    line_no=line.line_no,
                    status="backordered",
                    expected_date=_business_days(rng.randint(5, 12)),
                    reason=rng.choice(_BACKORDER_REASONS),
                )
            )
    elif len(lines) >= 3 and rng.random() < 0.08:
        line = rng.choice(lines)
        events.append(
            _event(
                seed,
                state,
                f"cancel:{line.line_no}",
                "line.status",
                line_no=line.line_no,
                status="cancelled",
                reason=rng.choice(_CANCEL_REASONS),
            )
        )
    return Step("confirm", rng.uniform(20 * MINUTE, 4 * HOUR), events=events)


def _carrier(state: OrderState, rng: random.Random) -> str:
    freight = state.order.subtotal > _FREIGHT_FROM or any(
        li.unit == "CS" for li in state.order.lines
    )
    return "DB Schenker" if freight else rng.choice(("DHL", "DHL", "UPS"))


def _ship(seed: int, state: OrderState, ready: list[OrderLine]) -> Step:
    number = len(state.shipments) + 1
    key = f"ship:{number}"
    rng = rng_for(seed, state, key)
    if not state.shipments and len(ready) >= 3 and rng.random() < 0.15:
        ready = ready[: (len(ready) + 1) // 2]  # the rest follows in a second parcel
    carrier = _carrier(state, rng)
    ref = f"DN-{state.order.erp_number or erp_number(state)}-{number}"
    event = _event(
        seed,
        state,
        key,
        "shipment",
        shipment_ref=ref,
        carrier=carrier,
        tracking_number=tracking_number(carrier, rng),
        expected_delivery=_business_days(rng.randint(1, 2)),
        lines=[{"line_no": li.line_no, "quantity": str(state.open(li))} for li in ready],
    )
    return Step(key, rng.uniform(4 * HOUR, 30 * HOUR), events=[event])


def _ref_of(state: OrderState, shipment: Shipment) -> str | None:
    return next((ref for ref, s in state.refs.items() if s is shipment), None)


def _deliver(seed: int, state: OrderState, shipment: Shipment, delayed: bool) -> Step:
    ref = _ref_of(state, shipment)
    target = {"shipment_ref": ref} if ref else {"tracking_number": shipment.tracking_number}
    key = f"deliver:{ref or shipment.tracking_number}"
    rng = rng_for(seed, state, key)
    if ref and not delayed and rng.random() < 0.12:
        expected = shipment.expected_delivery or utcnow().date()
        later = expected + dt.timedelta(days=rng.randint(1, 3))
        delay = _event(
            seed,
            state,
            f"delay:{ref}",
            "delay",
            shipment_ref=ref,
            expected_date=later.isoformat(),
            reason=rng.choice(_DELAY_REASONS),
        )
        return Step(f"delay:{ref}", rng.uniform(6 * HOUR, 20 * HOUR), events=[delay])
    event = _event(seed, state, key, "delivered", **target)
    return Step(key, rng.uniform(20 * HOUR, 50 * HOUR), events=[event])


def _restock(seed: int, state: OrderState, waiting: list[OrderLine], delayed: bool) -> Step:
    """The backordered goods arrive (all at once), now and then after one more delay."""
    first = waiting[0].line_no
    rng = rng_for(seed, state, f"restock:{first}")
    if not delayed and rng.random() < 0.2:
        key = f"bodelay:{first}"
        events = []
        for line in waiting:
            info = state.infos.get(line.id)
            base = info.expected_date if info and info.expected_date else utcnow().date()
            later = base + dt.timedelta(days=rng.randint(3, 7))
            events.append(
                _event(
                    seed,
                    state,
                    f"{key}:{line.line_no}",
                    "delay",
                    line_no=line.line_no,
                    expected_date=later.isoformat(),
                    reason="The manufacturer postponed its delivery",
                )
            )
        return Step(key, rng.uniform(1 * DAY, 3 * DAY), events=events)
    events = [
        _event(
            seed,
            state,
            f"restock:{line.line_no}",
            "line.status",
            line_no=line.line_no,
            status="allocated",
        )
        for line in waiting
    ]
    return Step(f"restock:{first}", rng.uniform(3 * DAY, 10 * DAY), events=events)


def next_step(seed: int, state: OrderState, posted: set[str]) -> Step | None:
    """The next thing the ERP does with the order, or None when it is done with it.

    `posted` holds the event ids already applied for this order (to delay only once).
    """
    order = state.order
    if order.status == OrderStatus.SUBMITTED:
        rng = rng_for(seed, state, "ack")
        return Step("ack", rng.uniform(5 * MINUTE, HOUR), ack=erp_number(state))
    if order.status == OrderStatus.SENT_TO_ERP:
        return _confirm(seed, state)
    if order.status not in IN_FLIGHT:
        return None
    ready = [li for li in order.lines if state.open(li) > 0 and li.quantity_backordered <= 0]
    if ready:
        return _ship(seed, state, ready)
    moving = [s for s in state.shipments if s.delivered_at is None]
    if moving:
        ref = _ref_of(state, moving[0])
        delayed = f"sim:{seed}:{order.client_order_id}:delay:{ref}" in posted
        return _deliver(seed, state, moving[0], delayed)
    waiting = [li for li in order.lines if state.open(li) > 0]
    if waiting:
        line_no = waiting[0].line_no
        delayed = f"sim:{seed}:{order.client_order_id}:bodelay:{line_no}:{line_no}" in posted
        return _restock(seed, state, waiting, delayed)
    return None

"""The events an ERP posts, read from JSON into typed values; a bad field rejects the event.

Quantities are absolute ("3 of this line are backordered"), never increments, so an event
sent again under a new id cannot double anything. Times without a zone are taken as UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

EVENT_TYPES = ("order.confirmed", "line.status", "shipment", "delivered", "delay", "exception")
LINE_STATUSES = ("confirmed", "allocated", "backordered", "cancelled")
_QUANTUM = Decimal("0.0001")


class EventRejected(Exception):
    """The event cannot be applied (now); `message` tells the ERP's integrator why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class AlreadyApplied(Exception):
    """The event repeats what the order already shows (say, a shipment re-sent under a new id)."""


@dataclass(frozen=True, slots=True)
class LineQuantity:
    line_no: int
    quantity: Decimal
    expected_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class OrderConfirmed:
    erp_number: str | None
    lines: tuple[LineQuantity, ...]
    expected_date: dt.date | None


@dataclass(frozen=True, slots=True)
class LineStatus:
    line_no: int
    status: str
    quantity: Decimal | None
    expected_date: dt.date | None
    reason: str


@dataclass(frozen=True, slots=True)
class ShipmentPosted:
    ref: str
    carrier: str
    tracking_number: str
    expected_delivery: dt.date | None
    shipped_at: dt.datetime | None
    lines: tuple[LineQuantity, ...]  # empty: everything still open


@dataclass(frozen=True, slots=True)
class Delivered:
    ref: str | None
    tracking_number: str | None


@dataclass(frozen=True, slots=True)
class Delay:
    expected_date: dt.date
    reason: str
    line_no: int | None
    shipment_ref: str | None


@dataclass(frozen=True, slots=True)
class OrderException:
    reason: str


Body = OrderConfirmed | LineStatus | ShipmentPosted | Delivered | Delay | OrderException


@dataclass(frozen=True, slots=True)
class ErpEventIn:
    event_id: str
    type: str
    order: str  # client_order_id or ERP number
    at: dt.datetime | None  # when it happened at the supplier
    body: Body
    payload_hash: str


def payload_hash(raw: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _bad(field: str, message: str) -> EventRejected:
    return EventRejected("invalid", f"{field}: {message}")


def text(raw: dict[str, Any], field: str, *, max_length: int, required: bool = False) -> str:
    value = raw.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise _bad(field, "must be text")
    value = str(value).strip()
    if required and not value:
        raise _bad(field, "is required")
    if len(value) > max_length:
        raise _bad(field, f"is longer than {max_length} characters")
    return value


def quantity(raw: dict[str, Any], field: str, *, required: bool = False) -> Decimal | None:
    value = raw.get(field)
    if value is None or value == "":
        if required:
            raise _bad(field, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _bad(field, "must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _bad(field, f"{value!r} is not a number") from None
    if not number.is_finite() or number <= 0:
        raise _bad(field, f"{value!r} must be greater than 0")
    if number != number.quantize(_QUANTUM):
        raise _bad(field, f"{value!r} has more than 4 decimal places")
    return number.quantize(_QUANTUM)


def line_no(raw: dict[str, Any], field: str = "line_no", *, required: bool = True) -> int | None:
    value = raw.get(field)
    if value is None or value == "":
        if required:
            raise _bad(field, "is required")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _bad(field, f"{value!r} is not a line number") from None
    if number < 1:
        raise _bad(field, f"{value!r} is not a line number")
    return number


def date(raw: dict[str, Any], field: str, *, required: bool = False) -> dt.date | None:
    value = text(raw, field, max_length=40, required=required)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise _bad(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def moment(raw: dict[str, Any], field: str) -> dt.datetime | None:
    value = text(raw, field, max_length=40)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(field, f"{value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _lines(raw: dict[str, Any], *, required_quantity: bool) -> tuple[LineQuantity, ...]:
    items = raw.get("lines")
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _bad("lines", "must be a list of {line_no, quantity}")
    out: list[LineQuantity] = []
    for item in items:
        number = line_no(item)
        assert number is not None
        qty = quantity(item, "quantity", required=required_quantity)
        if qty is None:
            raise _bad("lines", f"line {number} needs a quantity")
        out.append(LineQuantity(number, qty, date(item, "expected_date")))
    numbers = [li.line_no for li in out]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise _bad("lines", "line " + ", ".join(map(str, repeated)) + " is listed twice")
    return tuple(out)


def _body(kind: str, raw: dict[str, Any]) -> Body:
    if kind == "order.confirmed":
        return OrderConfirmed(
            erp_number=text(raw, "erp_number", max_length=64) or None,
            lines=_lines(raw, required_quantity=True),
            expected_date=date(raw, "expected_date"),
        )
    if kind == "line.status":
        status = text(raw, "status", max_length=16, required=True).lower()
        if status not in LINE_STATUSES:
            raise _bad("status", f"{status!r} is not one of {', '.join(LINE_STATUSES)}")
        number = line_no(raw)
        assert number is not None
        return LineStatus(
            line_no=number,
            status=status,
            quantity=quantity(raw, "quantity"),
            expected_date=date(raw, "expected_date"),
            reason=text(raw, "reason", max_length=500),
        )
    if kind == "shipment":
        return ShipmentPosted(
            ref=text(raw, "shipment_ref", max_length=64, required=True),
            carrier=text(raw, "carrier", max_length=64, required=True),
            tracking_number=text(raw, "tracking_number", max_length=64),
            expected_delivery=date(raw, "expected_delivery"),
            shipped_at=moment(raw, "shipped_at"),
            lines=_lines(raw, required_quantity=True),
        )
    if kind == "delivered":
        ref = text(raw, "shipment_ref", max_length=64) or None
        tracking = text(raw, "tracking_number", max_length=64) or None
        if ref is None and tracking is None:
            raise _bad("shipment_ref", "is required (or tracking_number)")
        return Delivered(ref, tracking)
    if kind == "delay":
        expected = date(raw, "expected_date", required=True)
        assert expected is not None
        return Delay(
            expected_date=expected,
            reason=text(raw, "reason", max_length=500),
            line_no=line_no(raw, required=False),
            shipment_ref=text(raw, "shipment_ref", max_length=64) or None,
        )
    return OrderException(reason=text(raw, "reason", max_length=500, required=True))


def parse_event(raw: object) -> ErpEventIn:
    """Read one posted event; raises EventRejected naming the first bad field."""
    if not isinstance(raw, dict):
        raise EventRejected("invalid", "an event must be a JSON object")
    event_id = text(raw, "event_id", max_length=100, required=True)
    kind = text(raw, "type", max_length=24, required=True)
    if kind not in EVENT_TYPES:
        raise _bad("type", f"{kind!r} is not one of {', '.join(EVENT_TYPES)}")
    order = text(raw, "order", max_length=64, required=True)
    return ErpEventIn(
        event_id=event_id,
        type=kind,
        order=order,
        at=moment(raw, "at"),
        body=_body(kind, raw),
        payload_hash=payload_hash(raw),
    )

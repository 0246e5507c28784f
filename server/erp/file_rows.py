"""The rows of shipment and order-status exports, read into the events the API takes.

Each event's id is derived from its content, so importing the same export again (or an
export that repeats yesterday's rows) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from server.erp_import.cells import RowCells, parse_date
from server.erp_import.columns import Column, Layout

ORDER = Column(
    "order",
    (
        "order id",
        "client order id",
        "order ref",
        "order reference",
        "sales order",
        "sales order number",
        "so number",
        "erp order",
    ),
    required=True,
)
LINE_NO = Column("line_no", ("line", "line number", "pos", "position", "item line"))
QUANTITY = Column("quantity", ("qty", "shipped qty", "quantity shipped"))

SHIPMENTS = Layout(
    "shipments file",
    (
        ORDER,
        Column(
            "shipment_ref",
            ("shipment", "shipment number", "delivery", "delivery note", "delivery number"),
            required=True,
        ),
        Column("carrier", ("forwarder", "shipping agent"), required=True),
        Column("tracking_number", ("tracking", "tracking no", "tracking id", "awb")),
        Column(LINE_NO.name, LINE_NO.synonyms, required=True),
        Column(QUANTITY.name, QUANTITY.synonyms, required=True),
        Column("shipped_at", ("ship date", "shipped", "shipping date", "date shipped")),
        Column("expected_delivery", ("eta", "expected delivery date", "expected")),
        Column("delivered_at", ("delivered", "delivered on", "pod date", "delivery date")),
    ),
)
ORDER_STATUS = Layout(
    "order status file",
    (
        ORDER,
        Column("status", ("state", "line status"), required=True),
        LINE_NO,
        Column("quantity", ("qty",)),
        Column("expected_date", ("eta", "expected", "new date", "due date", "available from")),
        Column("reason", ("note", "comment", "remark")),
        Column("erp_number", ("erp order number",)),
    ),
)
ROW_STATUSES = ("confirmed", "allocated", "backordered", "cancelled", "delayed", "exception")


@dataclass(frozen=True, slots=True)
class RowEvent:
    """An event read from the rows `rows` of the file (a shipment spans several rows)."""

    rows: tuple[int, ...]
    what: str  # for the report: "shipment S1 of order 4500012345"
    event: dict[str, Any]


def with_event_id(event: dict[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256(orjson.dumps(event, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {"event_id": f"file:{digest[:40]}", **event}


def when(cells: RowCells, column: str) -> str | None:
    """A date or an ISO time as ISO text (times without a zone are UTC); None when empty."""
    value = cells.raw(column)
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    day = parse_date(value)
    if day is None:
        cells.fail(column, f"{value!r} is not a date or time (write YYYY-MM-DD)")
        return None
    return day.isoformat()


def day(cells: RowCells, column: str) -> str | None:
    found = cells.date(column)
    return found.isoformat() if found else None


def line_number(cells: RowCells, *, required: bool) -> int | None:
    if not cells.raw("line_no"):
        if required:
            cells.fail("line_no", "a value is required")
        return None
    return cells.integer("line_no", default=0, minimum=1)


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    row: int
    order: str
    ref: str
    head: dict[str, Any]  # carrier, tracking, dates: the same on every row of a shipment
    delivered_at: str | None
    line_no: int
    quantity: str


def read_shipment_row(cells: RowCells) -> ShipmentRow | None:
    order = cells.text("order", max_length=64, required=True)
    ref = cells.text("shipment_ref", max_length=64, required=True)
    head = {
        "carrier": cells.text("carrier", max_length=64, required=True),
        "tracking_number": cells.text("tracking_number", max_length=64),
        "shipped_at": when(cells, "shipped_at"),
        "expected_delivery": day(cells, "expected_delivery"),
    }
    delivered_at = when(cells, "delivered_at")
    number = line_number(cells, required=True)
    quantity = cells.required_decimal("quantity", positive=True)
    if not cells.ok or number is None:
        return None
    return ShipmentRow(
        cells.row, order, ref, head, delivered_at, number, format(quantity.normalize(), "f")
    )


def read_status_row(cells: RowCells) -> RowEvent | None:
    """One order-status row as an order.confirmed, line.status, delay or exception event."""
    order = cells.text("order", max_length=64, required=True)
    status = cells.choice("status", ROW_STATUSES, default="")
    number = line_number(cells, required=status in ("allocated", "backordered", "cancelled"))
    quantity = cells.decimal("quantity", positive=True)
    expected = day(cells, "expected_date")
    reason = cells.text("reason", max_length=500)
    erp_number = cells.text("erp_number", max_length=64)
    if status == "delayed" and expected is None:
        cells.fail("expected_date", "a delay needs the new expected date")
    if status == "exception" and not reason:
        cells.fail("reason", "an exception needs a reason")
    if quantity is not None and number is None:
        cells.fail("quantity", "a quantity needs a line_no")
    if not cells.ok:
        return None
    event: dict[str, Any] = {"order": order}
    if status == "confirmed" and number is None:
        event |= {"type": "order.confirmed", "erp_number": erp_number or None}
        event |= {"expected_date": expected}
    elif status == "delayed":
        event |= {"type": "delay", "expected_date": expected, "line_no": number, "reason": reason}
    elif status == "exception":
        event |= {"type": "exception", "reason": reason}
    else:
        event |= {
            "type": "line.status",
            "line_no": number,
            "status": status,
            "quantity": None if quantity is None else format(quantity.normalize(), "f"),
            "expected_date": expected,
            "reason": reason,
        }
    what = f"{status} of order {order}" + (f" line {number}" if number else "")
    return RowEvent((cells.row,), what, with_event_id(event))

"""Request and response bodies of the integration API (what docs/erp-integration.md shows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class ReadyLine(BaseModel):
    line_no: int
    sku: str
    quantity: str
    unit: str
    unit_price: str
    line_total: str


class Address(BaseModel):
    code: str
    name: str
    street: str
    postal_code: str
    city: str
    country: str


class Buyer(BaseModel):
    name: str
    email: str


class ReadyOrder(BaseModel):
    client_order_id: str
    number: str
    account_number: str
    account_name: str
    buyer: Buyer | None
    ship_to: Address | None
    po_number: str
    requested_date: dt.date | None
    note: str
    currency: str
    subtotal: str
    created_at: dt.datetime
    lines: list[ReadyLine]


class AckRequest(BaseModel):
    erp_number: str = Field(min_length=1, max_length=64)


class AckResult(BaseModel):
    client_order_id: str
    number: str
    erp_number: str


class EventBatch(BaseModel):
    # Each event is checked on its own, so one bad event does not refuse the batch.
    events: list[Any] = Field(max_length=500)


class OrderRef(BaseModel):
    client_order_id: str
    number: str
    erp_number: str | None
    status: str


class EventResult(BaseModel):
    event_id: str
    type: str
    status: str  # applied | duplicate | rejected
    code: str
    message: str
    order: OrderRef | None
    first_applied_at: str | None = None


class EventResults(BaseModel):
    results: list[EventResult]

"""HTTP: the caller's account's orders, with lines, status history and shipments."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.deps import CallerDep, SessionDep
from server.orders.models import Order, Shipment

router = APIRouter(prefix="/api/v1", tags=["orders"])


class OrderSummary(BaseModel):
    number: str
    client_order_id: str
    status: str
    po_number: str
    currency: str
    subtotal: str
    created_at: dt.datetime
    line_count: int


class OrderLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: str
    unit: str
    unit_price: str
    line_total: str
    price_explanation: str
    quantity_confirmed: str
    quantity_shipped: str
    quantity_backordered: str
    status: str


class StatusEventPublic(BaseModel):
    status: str
    note: str
    at: dt.datetime


class ShipmentPublic(BaseModel):
    carrier: str
    tracking_number: str
    shipped_at: dt.datetime
    expected_delivery: dt.date | None
    delivered_at: dt.datetime | None
    lines: list[tuple[int, str]]  # (order line number, quantity)


class OrderDetail(OrderSummary):
    note: str
    requested_date: dt.date | None
    erp_number: str | None
    lines: list[OrderLinePublic]
    history: list[StatusEventPublic]
    shipments: list[ShipmentPublic]


def _summary_fields(o: Order) -> dict[str, object]:
    return {
        "number": o.number,
        "client_order_id": str(o.client_order_id),
        "status": o.status,
        "po_number": o.po_number,
        "currency": o.currency,
        "subtotal": str(o.subtotal),
        "created_at": o.created_at,
        "line_count": len(o.lines),
    }


@router.get("/orders")
def list_orders(
    caller: CallerDep,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    order_status: str | None = Query(None, alias="status"),
) -> list[OrderSummary]:
    query = (
        select(Order)
        .where(Order.account_id == caller.account_id)
        .options(selectinload(Order.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if order_status:
        query = query.where(Order.status == order_status)
    return [OrderSummary.model_validate(_summary_fields(o)) for o in session.scalars(query)]


@router.get("/orders/{number}")
def get_order(number: str, caller: CallerDep, session: SessionDep) -> OrderDetail:
    order = session.scalar(
        select(Order)
        .where(Order.account_id == caller.account_id, Order.number == number)
        .options(selectinload(Order.lines), selectinload(Order.history))
    )
    if order is None:  # another account's order looks exactly like a missing one
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no order {number}")
    shipments = session.scalars(
        select(Shipment).where(Shipment.order_id == order.id).options(selectinload(Shipment.lines))
    ).all()
    line_no = {line.id: line.line_no for line in order.lines}
    return OrderDetail.model_validate(
        {
            **_summary_fields(order),
            "note": order.note,
            "requested_date": order.requested_date,
            "erp_number": order.erp_number,
            "lines": [
                OrderLinePublic(
                    line_no=li.line_no,
                    sku=li.sku,
                    quantity=str(li.quantity),
                    unit=li.unit,
                    unit_price=str(li.unit_price),
                    line_total=str(li.line_total),
                    price_explanation=li.price_explanation,
                    quantity_confirmed=str(li.quantity_confirmed),
                    quantity_shipped=str(li.quantity_shipped),
                    quantity_backordered=str(li.quantity_backordered),
                    status=li.status,
                )
                for li in order.lines
            ],
            "history": [
                StatusEventPublic(status=h.status, note=h.note, at=h.at) for h in order.history
            ],
            "shipments": [
                ShipmentPublic(
                    carrier=s.carrier,
                    tracking_number=s.tracking_number,
                    shipped_at=s.shipped_at,
                    expected_delivery=s.expected_delivery,
                    delivered_at=s.delivered_at,
                    lines=[(line_no[sl.order_line_id], str(sl.quantity)) for sl in s.lines],
                )
                for s in shipments
            ],
        }
    )

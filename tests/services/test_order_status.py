"""The order timeline, line quantities and shipments read from synced order documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.services.order_status import OrderTrack, StepState, order_track
from tests.services.orders import OrderDoc

TODAY = dt.date(2026, 11, 22)


def track(order: OrderDoc, today: dt.date = TODAY, queued: bool = False) -> OrderTrack:
    return order_track(order.doc, today=today, queued=queued)


def states(t: OrderTrack) -> list[tuple[str, str]]:
    return [(step.key, step.state.value) for step in t.timeline]


def test_a_submitted_order_waits_for_the_supplier() -> None:
    t = track(OrderDoc())
    assert states(t) == [
        ("submitted", "current"),
        ("sent", "future"),
        ("confirmed", "future"),
        ("shipped", "future"),
        ("delivered", "future"),
    ]
    first = t.timeline[0]
    assert first.title == "Submitted" and first.detail == "PO PO-4711"
    assert first.at == dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    assert all(step.at is None for step in t.timeline[1:])
    assert t.current is first and not t.late and t.shipments == []


def test_a_queued_order_is_on_this_device_first() -> None:
    t = track(OrderDoc(), queued=True)
    assert t.status == "pending"
    assert states(t)[:2] == [("queued", "current"), ("submitted", "future")]
    assert t.timeline[0].title == "Queued on this device" and t.timeline[0].waiting


def test_every_step_of_a_delivered_order_has_its_time_and_facts() -> None:
    order = (
        OrderDoc()
        .sent("4500012345")
        .confirmed()
        .shipped(1, 2, carrier="UPS", tracking="1Z999")
        .delivered()
    )
    t = track(order)
    assert [s.key for s in t.timeline] == ["submitted", "sent", "confirmed", "shipped", "delivered"]
    assert [s.state for s in t.timeline[:-1]] == [StepState.DONE] * 4
    assert t.timeline[-1].current and t.timeline[-1].done is False
    assert [s.at.hour if s.at else None for s in t.timeline] == [9, 10, 11, 14, 9]
    sent, confirmed, shipped = t.timeline[1:4]
    assert sent.detail == confirmed.detail == "ERP order 4500012345"
    assert shipped.detail == "UPS 1Z999"
    assert t.erp_number == "4500012345" and t.expected is None and not t.late
    (parcel,) = t.shipments
    assert parcel.delivered and parcel.tracking_url == "https://track.example/1Z999"
    assert [(li.line_no, li.sku, li.quantity) for li in parcel.lines] == [
        (1, "FAS-1", Decimal(4)),
        (2, "FAS-2", Decimal(4)),
    ]


def test_partly_shipped_with_a_backorder() -> None:
    order = OrderDoc("FAS-1", "FAS-2", "FAS-3").sent().confirmed()
    order.backordered(3, "4.0000", "2026-12-03", "2026-11-20T11:05:00+00:00")
    order.shipped(1, 2, at="2026-11-21T14:00:00+00:00", eta="2026-11-24")
    t = track(order)
    assert states(t) == [
        ("submitted", "done"),
        ("sent", "done"),
        ("confirmed", "done"),
        ("partly_shipped", "current"),
        ("shipped", "future"),
        ("delivered", "future"),
    ]
    partly, shipped, delivered = t.timeline[3:]
    assert partly.detail == "2 of 3 lines shipped" and partly.at is not None
    assert shipped.detail == "1 of 3 lines still to ship"
    assert shipped.expected == dt.date(2026, 12, 3) and delivered.expected == dt.date(2026, 12, 3)
    line3 = t.lines[2]
    assert (line3.ordered, line3.confirmed, line3.shipped, line3.backordered, line3.open) == (
        Decimal(4),
        Decimal(4),
        Decimal(0),
        Decimal(4),
        Decimal(4),
    )
    assert line3.expected_date == dt.date(2026, 12, 3) and line3.status == "backordered"
    assert t.lines[0].open == 0 and t.backordered_skus == ["FAS-3"]
    assert t.expected == dt.date(2026, 12, 3)


def test_a_parcel_past_its_day_makes_the_order_delayed() -> None:
    order = OrderDoc().sent().confirmed().shipped(1, 2, eta="2026-11-21")
    on_time = track(order, today=dt.date(2026, 11, 21))
    assert not on_time.late and on_time.current is not None and on_time.current.key == "shipped"
    late = track(order, today=dt.date(2026, 11, 23))
    assert late.late and late.shipments[0].late
    assert states(late)[-3:] == [
        ("shipped", "done"),
        ("delayed", "current"),
        ("delivered", "future"),
    ]
    delayed = late.timeline[-2]
    assert delayed.tone == "warn" and delayed.detail == "Expected 2026-11-21, not here yet"
    assert delayed.expected == dt.date(2026, 11, 21) and not delayed.waiting
    # Delivered late is delivered: no delay any more.
    assert not track(order.delivered(), today=dt.date(2026, 11, 30)).late


def test_an_exception_shows_where_the_order_stopped_and_why() -> None:
    order = OrderDoc().sent().confirmed().exception("Address unknown", "2026-11-21T08:00:00+00:00")
    t = track(order)
    assert states(t) == [
        ("submitted", "done"),
        ("sent", "done"),
        ("confirmed", "done"),
        ("exception", "current"),
        ("shipped", "future"),
        ("delivered", "future"),
    ]
    problem = t.timeline[3]
    assert problem.title == "Problem reported" and problem.detail == "Address unknown"
    assert problem.tone == "warn" and problem.at is not None


def test_a_cancelled_order_ends_there() -> None:
    order = OrderDoc().sent().confirmed()
    order.cancelled_line(1, "2026-11-21T08:00:00+00:00")
    partly = track(order)
    assert partly.status == "confirmed" and partly.lines[0].cancelled == 4
    order.cancelled_line(2, "2026-11-21T08:05:00+00:00")
    t = track(order)
    assert states(t) == [
        ("submitted", "done"),
        ("sent", "done"),
        ("confirmed", "done"),
        ("cancelled", "current"),
    ]
    assert t.timeline[-1].tone == "bad" and "discontinued" in t.timeline[-1].detail
    assert t.expected is None and not t.late


def test_approval_steps_when_the_order_needed_one() -> None:
    order = OrderDoc()
    order.doc["history"] = [
        {
            "status": "pending_approval",
            "at": "2026-11-20T09:00:00+00:00",
            "note": "Over the spending limit of EUR 500",
        }
    ]
    order.doc["status"] = "pending_approval"
    waiting = track(order)
    assert states(waiting)[:3] == [
        ("submitted", "done"),
        ("approval", "current"),
        ("sent", "future"),
    ]
    assert waiting.timeline[1].title == "Waiting for approval" and waiting.timeline[1].waiting
    assert "spending limit" in waiting.timeline[1].detail

    approved = order.copy().status_entry(
        "submitted", "2026-11-20T09:40:00+00:00", "Approved by Anna Approver"
    )
    t = track(approved)
    assert t.timeline[1].title == "Approved" and t.timeline[1].current
    assert not t.timeline[1].waiting
    assert t.timeline[1].detail == "Approved by Anna Approver"
    assert t.timeline[1].at == dt.datetime(2026, 11, 20, 9, 40, tzinfo=dt.UTC)
    assert track(approved.sent()).timeline[1].done

    rejected = order.copy().status_entry("rejected", "2026-11-20T10:00:00+00:00", "Too much")
    t = track(rejected)
    assert states(t) == [("submitted", "done"), ("approval", "current")]
    assert t.timeline[-1].title == "Rejected" and t.timeline[-1].tone == "bad"
    assert t.timeline[-1].detail == "Too much"


def test_an_order_sent_back_for_review_waits_for_the_buyer() -> None:
    order = OrderDoc()
    order.doc["history"] = [
        {"status": "needs_confirmation", "at": "2026-11-20T09:00:00+00:00", "note": "price changed"}
    ]
    order.doc["status"] = "needs_confirmation"
    t = track(order)
    assert states(t)[:2] == [("submitted", "done"), ("review", "current")]
    assert t.timeline[1].title == "Waiting for you"
    order.status_entry("submitted", "2026-11-20T09:30:00+00:00", "changes confirmed by buyer")
    accepted = track(order).timeline[1]
    assert accepted.title == "Changes accepted" and accepted.current
    assert accepted.at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def test_a_document_with_odd_or_missing_fields_still_reads() -> None:
    t = order_track(
        {
            "client_order_id": "x",
            "status": "invoiced",
            "lines": "nope",
            "history": [None, {"status": 3}],
            "shipments": [{"lines": None}],
            "created_at": "yesterday",
        },
        today=TODAY,
    )
    assert t.lines == [] and len(t.shipments) == 1
    assert t.shipments[0].carrier == "" and t.shipments[0].tracking_url is None
    assert any(step.current for step in t.timeline)

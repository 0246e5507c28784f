"""The notification centre over a real replica file: after each sync it compares the orders
(and the stock of backordered products) with what it saw last and records what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import order_notices as kinds
from app.services.notifications import KINDS, NoticeDraft, NotificationCentre
from app.store.replica import Replica
from tests.services.orders import OrderDoc
from tests.store.helpers import page, row, stock

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


class Feed:
    """Pulls rows into the replica the way sync pages do, then lets the centre compare."""

    def __init__(self, replica: Replica) -> None:
        self.replica = replica
        self.positions = {"account:1": 0, "stock:1": 0}
        self.centre = NotificationCentre(replica, clock=lambda: NOW)

    def _apply(self, bucket: str, entity: str, key: str, data: dict[str, Any]) -> None:
        start = self.positions[bucket]
        self.positions[bucket] = start + 1
        self.replica.apply_page(
            page(bucket, [row(entity, key, start + 1, data)], start=start, reset=start == 0)
        )

    def orders(self, *docs: OrderDoc) -> None:
        for order in docs:
            doc = order.doc
            self._apply("account:1", "order", doc["client_order_id"], doc)

    def stock(self, sku: str, available: str) -> None:
        self._apply("stock:1", "stock", sku, stock(sku, available))

    def sync(self, *docs: OrderDoc) -> list[tuple[str, str, str]]:
        """Pull ``docs``, compare; (kind, title, text) of the new notifications."""
        self.orders(*docs)
        return [(n.kind, n.title, n.text) for n in self.centre.after_sync()]


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[Feed]:
    with Replica.open(tmp_path) as replica:
        yield Feed(replica)


def other(order: OrderDoc, number: str, suffix: str) -> OrderDoc:
    copy = order.copy()
    copy.doc["number"] = number
    copy.doc["client_order_id"] = copy.doc["client_order_id"][:-2] + suffix
    return copy


def test_the_first_comparison_announces_nothing_then_each_event_once(feed: Feed) -> None:
    order = OrderDoc().sent()
    history = other(OrderDoc().sent().confirmed().shipped(1, 2).delivered(), "OP-000001", "01")
    assert feed.sync(order, history) == []  # a new data folder: no flood of old news
    assert feed.sync() == []  # nothing changed

    assert feed.sync(order.confirmed()) == [
        (
            kinds.ORDER_CONFIRMED,
            "Order OP-000042 confirmed",
            "PO PO-4711: Confirmed by the supplier as ERP order 4500012345",
        )
    ]
    assert feed.sync(order) == []  # the same document again
    assert feed.sync(order.shipped(1, eta="2026-11-24")) == [
        (
            kinds.ORDER_SHIPPED,
            "Order OP-000042 partly shipped",
            "PO PO-4711: DHL 00340434161094042557, expected 2026-11-24",
        )
    ]
    shipped = order.shipped(2, carrier="UPS", tracking="1Z1", eta="2026-11-25")
    assert [n[:2] for n in feed.sync(shipped)] == [(kinds.ORDER_SHIPPED, "Order OP-000042 shipped")]
    feed.sync(order.delivered(0))  # one of two parcels: no news
    assert feed.sync(order.delivered(1)) == [
        (kinds.ORDER_DELIVERED, "Order OP-000042 delivered", "PO PO-4711: All 2 parcels delivered")
    ]
    assert feed.centre.unread_count() == 4


def test_several_steps_in_one_sync_give_the_furthest_only(feed: Feed) -> None:
    order = OrderDoc().sent()
    feed.sync(order)
    order.confirmed().shipped(1, 2).delivered()
    assert [n[0] for n in feed.sync(order)] == [kinds.ORDER_DELIVERED]


def test_an_order_new_to_this_device_is_compared_with_a_just_submitted_one(feed: Feed) -> None:
    feed.sync()  # the first comparison, with no orders yet
    assert feed.sync(OrderDoc()) == []
    confirmed = other(OrderDoc().sent().confirmed(), "OP-000043", "43")
    assert [n[:2] for n in feed.sync(confirmed)] == [
        (kinds.ORDER_CONFIRMED, "Order OP-000043 confirmed")
    ]


def test_delays_problems_backorders_and_cancellations(feed: Feed) -> None:
    order = OrderDoc("FAS-1", "FAS-2", "FAS-3").sent().confirmed().shipped(1, eta="2026-11-24")
    feed.sync(order)
    order.delayed_parcel(0, "2026-11-26", "2026-11-23T08:00:00+00:00")
    assert feed.sync(order) == [
        (
            kinds.ORDER_DELAYED,
            "Order OP-000042 delayed",
            "PO PO-4711: DHL 00340434161094042557 now expected 2026-11-26",
        )
    ]

    order.backordered(2, "4.0000", "2026-12-03", "2026-11-23T09:00:00+00:00")
    assert feed.sync(order) == [
        (
            kinds.LINE_BACKORDERED,
            "Backorder on order OP-000042",
            "PO PO-4711: line 2 (FAS-2): 4 EA backordered, expected 2026-12-03",
        )
    ]
    order.line(2)["expected_date"] = "2026-12-08"
    assert [n[2] for n in feed.sync(order)] == [
        "PO PO-4711: line 2 (FAS-2) now expected 2026-12-08"
    ]
    order.allocated(2, "2026-11-24T09:00:00+00:00")
    assert feed.sync(order) == [
        (
            kinds.BACK_IN_STOCK,
            "Back in stock for order OP-000042",
            "PO PO-4711: line 2 (FAS-2) is in stock and reserved for you",
        )
    ]

    order.exception("Address unknown: please call the driver", "2026-11-24T10:00:00+00:00")
    assert feed.sync(order) == [
        (
            kinds.ORDER_EXCEPTION,
            "Problem with order OP-000042",
            "PO PO-4711: Address unknown: please call the driver",
        )
    ]
    order.cancelled_line(3, "2026-11-24T11:00:00+00:00")
    order.doc["status"] = "partly_shipped"  # the next event clears the exception
    assert feed.sync(order) == [
        (
            kinds.ORDER_CANCELLED,
            "Line cancelled on order OP-000042",
            "PO PO-4711: line 3 (FAS-3) cancelled",
        )
    ]


def test_a_cancelled_order(feed: Feed) -> None:
    order = OrderDoc().sent()
    feed.sync(order)
    order.cancelled_line(1, "2026-11-21T08:00:00+00:00")
    order.cancelled_line(2, "2026-11-21T08:01:00+00:00")
    assert feed.sync(order) == [
        (
            kinds.ORDER_CANCELLED,
            "Order OP-000042 cancelled",
            "PO PO-4711: Line 2 cancelled: discontinued",
        )
    ]


def test_a_backordered_product_back_in_stock(feed: Feed) -> None:
    order = OrderDoc("FAS-1", "FAS-2").sent().confirmed()
    order.backordered(2, "4.0000", "2026-12-03", "2026-11-20T11:05:00+00:00")
    feed.stock("FAS-2", "0")
    feed.stock("FAS-1", "0")
    assert feed.sync(order) == []
    feed.stock("FAS-1", "50")  # not backordered anywhere: no news
    assert feed.sync() == []
    feed.stock("FAS-2", "12")
    assert feed.sync() == [
        (
            kinds.BACK_IN_STOCK,
            "FAS-2 is back in stock",
            "12 available again; backordered on order OP-000042",
        )
    ]
    feed.stock("FAS-2", "7")
    assert feed.sync() == []  # still in stock: said already
    feed.stock("FAS-2", "0")
    feed.sync()
    feed.stock("FAS-2", "3")
    assert [n[0] for n in feed.sync()] == [kinds.BACK_IN_STOCK]
    notice = feed.centre.notices()[0]
    assert notice.order_id == order.doc["client_order_id"] and notice.order_ref == "OP-000042"


def test_read_state_desktop_messages_and_choices(feed: Feed) -> None:
    centre = feed.centre
    order = OrderDoc().sent()
    feed.sync(order)
    feed.sync(order.confirmed())
    feed.sync(order.shipped(1, 2))
    assert centre.unread_count() == 2
    assert [n.created_at for n in centre.notices()] == [NOW.isoformat()] * 2
    # Each new notification is offered once, for the kinds wanted (all at first).
    assert [n.kind for n in centre.take_unannounced()] == [
        kinds.ORDER_CONFIRMED,
        kinds.ORDER_SHIPPED,
    ]
    assert centre.take_unannounced() == []
    centre.set_desktop_choice(kinds.ORDER_DELIVERED, False)
    assert centre.desktop_choices() == {k.name: k.name != kinds.ORDER_DELIVERED for k in KINDS}
    feed.sync(order.delivered())
    assert centre.take_unannounced() == []  # recorded, but no desktop message wanted
    assert centre.unread_count() == 3

    newest = centre.notices()[0]
    assert centre.mark_read([newest.id]) == 1 and centre.mark_read([newest.id]) == 0
    assert [n.id for n in centre.notices(unread_only=True)] == [n.id for n in centre.notices()[1:]]
    assert centre.mark_read() == 2 and centre.unread_count() == 0


def test_other_features_record_their_own_kinds(feed: Feed) -> None:
    """The generic API: a kind, an order reference, a title and a text."""
    (notice_id,) = feed.centre.record(
        NoticeDraft(
            "approval_requested",
            "Order OP-000050 waits for your approval",
            "Over the spending limit",
            "some-order-id",
            "OP-000050",
        )
    )
    (notice,) = feed.centre.notices()
    assert (notice.id, notice.kind, notice.order_ref, notice.read) == (
        notice_id,
        "approval_requested",
        "OP-000050",
        False,
    )

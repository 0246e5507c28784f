from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.store import carts
from app.store.replica import Replica
from tests.store.helpers import account, page, price, product, row


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with Replica.open(tmp_path) as opened:
        opened.apply_page(
            page("catalog:1", [
                row("product", "FAS-1", 1, product("FAS-1", list_price="0.5000", units=[
                    {"code": "EA", "factor": 1, "gtin": None},
                    {"code": "BX", "factor": 100, "gtin": None}])),
                row("product", "FAS-2", 2, product("FAS-2", list_price=None)),
            ], start=0, reset=True)
        )  # fmt: skip
        opened.apply_page(
            page("prices:1", [row("price", "FAS-1", 1, price(
                "FAS-1", [("0", "0.4500"), ("1000", "0.4000")]))], start=0, reset=True)
        )  # fmt: skip
        opened.apply_page(page("account:3", [row("account", "A-1", 1, account())], start=0))
        yield opened


def mutations(replica: Replica) -> list[tuple[str, dict[str, Any]]]:
    return [(e.name, e.args) for e in replica.outbox.entries()]


def test_cart_changes_queue_the_protocol_mutations(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, " Site A ")
    line = carts.add_to_cart(replica, cart_id, "fas-1", Decimal("2"), "bx")
    same = carts.add_to_cart(replica, cart_id, "FAS-1", Decimal("1.5"), "BX")
    other = carts.set_line(replica, cart_id, "FAS-1", Decimal(7), "EA")
    carts.set_line_quantity(replica, cart_id, other, Decimal(9))
    carts.remove_line(replica, cart_id, other)
    carts.rename_cart(replica, cart_id, "Site B")
    assert same == line
    assert [(li.sku, li.quantity, li.unit) for li in carts.cart_lines(replica, cart_id)] == [
        ("FAS-1", Decimal("3.5"), "BX"),
    ]  # fmt: skip
    assert mutations(replica) == [
        ("cart.create", {"cart_id": cart_id, "name": "Site A"}),
        ("cart.set_line", {"cart_id": cart_id, "line_id": line, "sku": "FAS-1",
                           "quantity": "2", "unit": "BX"}),
        ("cart.set_line", {"cart_id": cart_id, "line_id": line, "sku": "FAS-1",
                           "quantity": "3.5", "unit": "BX"}),
        ("cart.set_line", {"cart_id": cart_id, "line_id": other, "sku": "FAS-1",
                           "quantity": "7", "unit": "EA"}),
        ("cart.set_line", {"cart_id": cart_id, "line_id": other, "sku": "FAS-1",
                           "quantity": "9", "unit": "EA"}),
        ("cart.remove_line", {"cart_id": cart_id, "line_id": other}),
        ("cart.rename", {"cart_id": cart_id, "name": "Site B"}),
    ]  # fmt: skip
    found = carts.cart_by_name(replica, "site b")
    assert found is not None and found.line_count == 1 and found.local_changes
    assert not found.synced


def test_bad_input_is_refused_without_queuing(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    with pytest.raises(ValueError):
        carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(0), "EA")
    with pytest.raises(TypeError):
        carts.add_to_cart(replica, cart_id, "FAS-1", 1.5, "EA")  # type: ignore[arg-type]
    with pytest.raises(carts.CartNotFound):
        carts.add_to_cart(replica, "nope", "FAS-1", Decimal(1), "EA")
    with pytest.raises(ValueError):
        carts.create_cart(replica, "  ")
    assert len(replica.outbox.entries()) == 1


def test_delete_hides_the_cart(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    carts.delete_cart(replica, cart_id)
    assert carts.carts(replica) == []
    assert [c.status for c in carts.carts(replica, include_closed=True)] == ["deleted"]
    assert mutations(replica)[-1] == ("cart.delete", {"cart_id": cart_id})
    with pytest.raises(carts.CartClosed):
        carts.rename_cart(replica, cart_id, "B")


def test_submit_prices_locally_queues_the_order_and_closes_the_cart(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(2), "BX")
    carts.add_to_cart(replica, cart_id, "FAS-2", Decimal(5), "EA")  # no price offline
    order_id = carts.submit_cart(
        replica, cart_id, po_number="PO-7", ship_to="S1", requested_date=date(2026, 12, 1),
        note="gate 3", on=date(2026, 11, 23),
    )  # fmt: skip
    name, args = mutations(replica)[-1]
    assert name == "order.submit"
    assert args["client_order_id"] == order_id and args["cart_id"] == cart_id
    assert args["seen_currency"] == "EUR" and args["requested_date"] == "2026-12-01"
    seen = [(li["sku"], li["quantity"], li["unit"], li["seen_unit_price"]) for li in args["lines"]]
    assert seen == [
        ("FAS-1", "2", "BX", "45.0000"),  # 200 EA at the price-list tier, per box
        ("FAS-2", "5", "EA", None),
    ]  # fmt: skip
    assert args["lines"][0]["seen_price"]["source"] == "tier"

    (order,) = carts.local_orders(replica)
    assert (order.client_order_id, order.status, order.queued) == (order_id, "pending", True)
    assert order.subtotal == Decimal("90.00") and order.po_number == "PO-7"
    assert carts.carts(replica) == []
    with pytest.raises(carts.CartClosed):
        carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(1), "EA")
    with pytest.raises(carts.CartClosed):
        carts.submit_cart(replica, cart_id, po_number=None, ship_to=None,
                          requested_date=None, note=None)  # fmt: skip


def test_an_empty_cart_cannot_be_submitted(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    with pytest.raises(carts.EmptyCart):
        carts.submit_cart(replica, cart_id, po_number=None, ship_to=None,
                          requested_date=None, note=None)  # fmt: skip
    assert carts.local_orders(replica) == []


def server_cart(
    cart_id: str, lines: list[tuple[str, str, str]], status: str = "open"
) -> dict[str, Any]:
    return {
        "cart_id": cart_id, "name": "A", "status": status, "owner_email": "b@x.test",
        "updated_at": "2026-11-23T10:00:00+00:00",
        "lines": [{"line_id": i, "sku": s, "quantity": q, "unit": "EA", "updated_at": None}
                  for i, s, q in lines],
    }  # fmt: skip


def test_an_echo_does_not_overwrite_unsent_edits(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    line = carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(4), "EA")
    # An echo of the cart as the server had it before this device pushed.
    replica.apply_page(page("account:3", [row("cart", cart_id, 2, server_cart(cart_id, []))],
                            start=1))  # fmt: skip
    assert [li.quantity for li in carts.cart_lines(replica, cart_id)] == [Decimal(4)]
    assert replica.checkpoint_of("account:3").count == 2  # the server's row is stored
    assert replica.corrupted_keys("account:3") == []

    replica.outbox.mark_results(
        [{"id": e.id, "status": "applied"} for e in replica.outbox.pending()]
    )
    replica.apply_page(
        page("account:3", [row("cart", cart_id, 3, server_cart(cart_id, [(line, "FAS-1", "4")]))],
             start=2)
    )  # fmt: skip
    (cart,) = carts.carts(replica)
    assert cart.synced and not cart.local_changes
    assert [li.line_id for li in carts.cart_lines(replica, cart_id)] == [line]


def test_a_rejected_cart_change_shows_the_servers_cart_again(replica: Replica) -> None:
    cart_id = "c-1"
    replica.apply_page(page("account:3", [row("cart", cart_id, 2, server_cart(
        cart_id, [("l1", "FAS-1", "1")]))], start=1))  # fmt: skip
    carts.set_line_quantity(replica, cart_id, "l1", Decimal(9))
    assert carts.cart_lines(replica, cart_id)[0].quantity == Decimal(9)
    (entry,) = replica.outbox.pending()
    replica.outbox.mark_results([{"id": entry.id, "status": "rejected", "message": "locked"}])
    assert carts.cart_lines(replica, cart_id)[0].quantity == Decimal(1)


def test_a_rejected_order_reopens_its_cart(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(1), "EA")
    order_id = carts.submit_cart(replica, cart_id, po_number=None, ship_to=None,
                                 requested_date=None, note=None)  # fmt: skip
    submit = replica.outbox.entries()[-1]
    replica.outbox.mark_results(
        [{"id": submit.id, "status": "rejected", "message": "account on hold"}]
    )
    (order,) = carts.local_orders(replica)
    assert order.status == "rejected" and order.client_order_id == order_id
    assert [c.status for c in carts.carts(replica)] == ["open"]


def test_the_servers_order_replaces_the_queued_one(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "A")
    carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(1), "EA")
    order_id = carts.submit_cart(replica, cart_id, po_number="PO", ship_to=None,
                                 requested_date=None, note=None)  # fmt: skip
    replica.outbox.mark_results(
        [{"id": e.id, "status": "applied", "result": {"order_number": "SO-1"}}
         for e in replica.outbox.pending()]
    )  # fmt: skip
    assert carts.local_orders(replica)[0].status == "submitted"
    echo: dict[str, Any] = {"client_order_id": order_id, "number": "SO-1", "status": "submitted",
            "po_number": "PO", "created_at": "2026-11-23T10:00:00+00:00", "currency": "EUR",
            "subtotal": "0.45", "lines": [], "history": [], "review": None}  # fmt: skip
    replica.apply_page(page("account:3", [row("order", order_id, 5, echo)], start=1))
    assert carts.local_orders(replica) == []
    (order,) = carts.orders(replica)
    assert (order.number, order.queued) == ("SO-1", False)


def test_a_tombstone_keeps_a_cart_with_unsent_edits_as_local(replica: Replica) -> None:
    cart_id = "c-2"
    replica.apply_page(page("account:3", [row("cart", cart_id, 2, server_cart(cart_id, []))],
                            start=1))  # fmt: skip
    carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(1), "EA")
    replica.apply_page(page("account:3", [row("cart", cart_id, 3, None)], start=2))
    (cart,) = carts.carts(replica)
    assert not cart.synced and cart.line_count == 1
    assert replica.checkpoint_of("account:3").count == 1  # only the account row


def test_many_lines_are_added_in_one_transaction(replica: Replica) -> None:
    cart_id = carts.create_cart(replica, "Import")
    first = carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(1), "EA")
    ids = carts.add_many(replica, cart_id, [
        ("fas-1", Decimal(2), "ea"), ("FAS-2", Decimal(5), "EA"), ("FAS-1", Decimal(1), "BX"),
        ("FAS-2", Decimal(1), "EA"),
    ])  # fmt: skip
    assert ids[0] == first and ids[1] == ids[3] and len(set(ids)) == 3
    assert sorted((li.sku, li.quantity, li.unit) for li in carts.cart_lines(replica, cart_id)) == [
        ("FAS-1", Decimal(1), "BX"), ("FAS-1", Decimal(3), "EA"), ("FAS-2", Decimal(6), "EA"),
    ]  # fmt: skip
    # One mutation per line touched, carrying its final quantity.
    queued = [args for name, args in mutations(replica) if name == "cart.set_line"][1:]
    assert sorted((a["sku"], a["quantity"], a["unit"]) for a in queued) == [
        ("FAS-1", "1", "BX"), ("FAS-1", "3", "EA"), ("FAS-2", "6", "EA"),
    ]  # fmt: skip
    with pytest.raises(ValueError):
        carts.add_many(replica, cart_id, [("FAS-1", Decimal(1), "EA"), ("FAS-2", Decimal(0), "EA")])
    # The bad item refused the whole batch: nothing of it was kept.
    assert sum(li.quantity for li in carts.cart_lines(replica, cart_id)) == Decimal(10)

"""`orderpad orders show ORDER` and `orders --json` with the timeline, line quantities and
shipments, and `orderpad notifications`, after the simulated ERP played an order through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.workspace import Workspace
from tests.cli.test_orderpad_cli import as_json, orderpad
from tests.support import RunningServer, server_cli, start_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server of its own: the simulated ERP moves every open order it finds."""
    path = tmp_path_factory.mktemp("tracking-cli") / "server.sqlite3"
    running = start_server(f"sqlite:///{path}", skus=150)
    try:
        yield running
    finally:
        running.stop()


def single_units(data: Path, count: int) -> list[str]:
    """Active, priced SKUs sold by the piece (no minimum, no pack multiple)."""
    with Workspace(data) as ws:
        found = [
            hit.sku
            for hit in ws.search_products("", limit=300)
            if (p := ws.product(hit.sku)) is not None
            and p.status == "active"
            and p.min_qty <= 1
            and p.multiple == 1
            and ws.price_of(hit.sku).unit_price is not None
        ]
    assert len(found) >= count
    return found[:count]


def test_an_order_played_through_by_the_erp(server: RunningServer, tmp_path: Path) -> None:
    data = tmp_path / "cli"
    buyer = server.user(account="10010", role="buyer")
    login = ["login", "--server", server.url, "--email", buyer["email"],
             "--password", buyer["password"]]  # fmt: skip
    assert orderpad(data, *login).returncode == 0
    assert orderpad(data, "sync").returncode == 0
    skus = single_units(data, 3)
    for sku in skus:  # a small order: no approval needed
        assert orderpad(data, "cart", "add", sku, "2").returncode == 0
    submitted = as_json(orderpad(data, "cart", "submit", "--po", "PO-CLI-TRACK", "--json"))
    assert orderpad(data, "sync").returncode == 0
    before = as_json(orderpad(data, "orders", "show", "PO-CLI-TRACK", "--json"))
    assert before["client_order_id"] == submitted["client_order_id"]
    assert before["timeline"][0]["key"] == "submitted"
    if before["status"] != "submitted":  # priced differently: the buyer must confirm first
        pytest.skip(f"the order is {before['status']}, not released to the ERP")
    assert before["shipments"] == [] and before["lines"][0]["quantity_shipped"] == "0"

    played = server_cli(server.database_url, "simulate-erp", "--once", "--seed", "11")
    assert "orders taken over" in played.stdout
    assert orderpad(data, "sync").returncode == 0

    shown = as_json(orderpad(data, "orders", "show", before["number"], "--json"))
    erp = shown["erp_number"]
    assert erp and shown["status"] in {"delivered", "cancelled"}
    # Keys of `orders show` stay; the timeline, shipments and line quantities come along.
    assert {"client_order_id", "number", "status", "po_number", "lines", "history"} <= set(shown)
    steps = [(s["key"], s["state"]) for s in shown["timeline"]]
    assert steps[:3] == [("submitted", "done"), ("sent", "done"), ("confirmed", "done")]
    assert all(s["at"] for s in shown["timeline"] if s["state"] != "future")
    assert next(s for s in shown["timeline"] if s["key"] == "sent")["detail"] == f"ERP order {erp}"
    line = shown["lines"][0]
    quantities = {"quantity", "quantity_confirmed", "quantity_shipped", "quantity_backordered",
                  "quantity_cancelled", "quantity_open", "expected_date", "unit_price"}  # fmt: skip
    assert quantities <= set(line)
    if shown["status"] == "delivered":
        assert steps[-1] == ("delivered", "current")
        assert shown["shipments"] and all(p["delivered_at"] for p in shown["shipments"])
        parcel = shown["shipments"][0]
        assert parcel["carrier"] and parcel["tracking_number"]
        assert parcel["tracking_url"].startswith("https://")
        assert parcel["lines"][0]["sku"] in skus
        assert all(li["quantity_open"] == "0" for li in shown["lines"])
    # The same order by its ERP number, and in the list with the same facts.
    assert as_json(orderpad(data, "orders", "show", erp, "--json"))["number"] == shown["number"]
    listed = as_json(orderpad(data, "orders", "--json"))
    mine = next(o for o in listed if o["client_order_id"] == shown["client_order_id"])
    assert mine["erp_number"] == erp and mine["timeline"] == shown["timeline"]
    assert mine["shipments"] == shown["shipments"] and mine["line_count"] == len(skus)
    text = orderpad(data, "orders", "show", "PO-CLI-TRACK")
    assert text.returncode == 0 and f"ERP {erp}" in text.stdout and "shipments" in text.stdout

    # What the buyer is told: one notification for the order (the furthest step).
    news = as_json(orderpad(data, "notifications", "--unread", "--json"))
    about = [n for n in news if n["order_id"] == shown["client_order_id"]]
    kind = "order_delivered" if shown["status"] == "delivered" else "order_cancelled"
    assert kind in {n["kind"] for n in about}
    assert orderpad(data, "notifications", "--mark-read").returncode == 0
    assert as_json(orderpad(data, "notifications", "--unread", "--json")) == []
    missing = orderpad(data, "orders", "show", "NO-SUCH-ORDER")
    assert missing.returncode == 1 and "no order" in missing.stderr

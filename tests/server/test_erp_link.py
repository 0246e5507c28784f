"""The ERP link against a real server process: API keys, ready/ack, events, files, simulator.

The ERP's view (an API key) and the buyer's view (a sync pull) are checked side by side:
whatever the ERP posts must show up in the order row the desktop receives.
"""

from __future__ import annotations

import csv
import random
import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from app.domain.gtin import gtin_check_digit
from server.erp.carriers import canonical_carrier, tracking_url
from server.erp.sim_plan import tracking_number, ups_check_digit
from tests.server.scoping import scoped
from tests.server.test_sync_server import mutation, pull_all, push
from tests.support import (
    RunningServer,
    create_pg_database,
    drop_pg_database,
    server_cli,
    start_server,
)

A, B = "10010", "10020"


class Replica:
    """A buyer's pulled rows, kept up to date with incremental pulls."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.cursors: dict[str, int] = {}
        self.orders: dict[str, dict[str, Any]] = {}

    def pull(self) -> int:
        """Pull what changed; returns the number of order rows that came."""
        self.cursors, rows, _ = pull_all(self.client, self.cursors, limit=5000)
        came = 0
        for bucket in rows.values():
            for (entity, key), row in bucket.items():
                if entity == "order":
                    self.orders[key] = row["data"]
                    came += 1
        return came

    def order(self, client_order_id: str) -> dict[str, Any]:
        self.pull()
        return self.orders[client_order_id]


class Erp:
    """The ERP's side: a key and an HTTP client that sends it."""

    def __init__(self, server: RunningServer, key: str) -> None:
        self.key = key
        self.http = httpx.Client(
            base_url=server.url, timeout=30, headers={"Authorization": f"ApiKey {key}"}
        )

    def ready(self, limit: int = 1000) -> list[dict[str, Any]]:
        r = self.http.get("/api/v1/erp/orders/ready", params={"limit": limit})
        assert r.status_code == 200, r.text
        data: list[dict[str, Any]] = r.json()
        return data

    def ack(self, client_order_id: str, erp_number: str) -> httpx.Response:
        return self.http.post(
            f"/api/v1/erp/orders/{client_order_id}/ack", json={"erp_number": erp_number}
        )

    def post(self, *events: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.http.post("/api/v1/erp/events", json={"events": list(events)})
        assert r.status_code == 200, r.text
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def event(self, kind: str, order: str, **fields: Any) -> dict[str, Any]:
        return self.post({"event_id": f"e-{uuid.uuid4()}", "type": kind, "order": order, **fields})[
            0
        ]


def create_key(server: RunningServer, name: str, *accounts: str) -> str:
    args = ["api-key", "create", name]
    if accounts:
        args += ["--accounts", ",".join(accounts)]
    out = server_cli(server.database_url, *args).stdout.strip().splitlines()
    assert "shown only this once" in out[0]
    return out[-1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("erp-link") / "server.sqlite3"
    running = start_server(f"sqlite:///{path}", skus=150)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def erp(server: RunningServer) -> Iterator[Erp]:
    client = Erp(server, create_key(server, "middleware"))
    yield client
    client.http.close()


@pytest.fixture(scope="module")
def buyers(server: RunningServer) -> Iterator[dict[str, httpx.Client]]:
    clients = {a: server.client_for(server.user(account=a, role="buyer")) for a in (A, B)}
    yield clients
    for c in clients.values():
        c.close()


@pytest.fixture(scope="module")
def replica(buyers: dict[str, httpx.Client]) -> Replica:
    return Replica(buyers[A])


def submit(buyer: httpx.Client, *quantities: int, po: str = "") -> str:
    """Submit an order of distinct in-stock SKUs; returns its client_order_id."""
    products = [
        p
        for p in buyer.get("/api/v1/products", params={"limit": 300}).json()
        if p["status"] == "active"
        and p["price"]
        and Decimal(p["min_qty"]) <= 1
        and Decimal(p["multiple"]) == 1
    ]
    ship_to = buyer.get("/api/v1/ship-tos").json()[0]["code"]
    order_id = str(uuid.uuid4())
    lines = [
        {
            "sku": p["sku"],
            "quantity": str(q),
            "unit": p["base_unit"],
            "seen_unit_price": p["price"]["unit_price"],
        }
        for p, q in zip(products, quantities, strict=False)
    ]
    result = push(
        buyer,
        mutation(
            "order.submit", client_order_id=order_id, lines=lines, ship_to=ship_to, po_number=po
        ),
    )["results"][0]
    assert result["status"] == "applied" and result["result"]["order_status"] == "submitted"
    return order_id


def acked(erp: Erp, buyer: httpx.Client, *quantities: int) -> tuple[str, str]:
    """A submitted and acknowledged order: (client_order_id, erp_number)."""
    order_id = submit(buyer, *quantities)
    number = f"45{uuid.uuid4().int % 10**8:08d}"
    assert erp.ack(order_id, number).status_code == 200
    return order_id, number


# --- ready and ack -----------------------------------------------------------------------


@scoped("GET", "/api/v1/erp/orders/ready")
def test_ready_orders_come_until_acknowledged(
    server: RunningServer, erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    first = submit(buyers[A], 2, 1, po="PO-4711")
    second = submit(buyers[B], 3)
    ready = erp.ready()
    ids = [o["client_order_id"] for o in ready]
    assert first in ids and second in ids and ids.index(first) < ids.index(second)
    mine = next(o for o in ready if o["client_order_id"] == first)
    assert mine["account_number"] == A and mine["po_number"] == "PO-4711"
    assert mine["ship_to"]["city"] and mine["buyer"]["email"]
    assert [(li["line_no"], li["quantity"]) for li in mine["lines"]] == [
        (1, "2.0000"),
        (2, "1.0000"),
    ]
    assert {"sku", "unit", "unit_price"} <= set(mine["lines"][0])
    # Not acknowledged: it comes again (at least once), in the same place.
    assert [o["client_order_id"] for o in erp.ready()] == ids

    assert erp.ack(first, "4500000001").status_code == 200
    again = [o["client_order_id"] for o in erp.ready()]
    assert first not in again and second in again
    row = replica.order(first)
    assert row["status"] == "sent_to_erp" and row["erp_number"] == "4500000001"
    assert row["history"][-1]["note"] == "Sent to the supplier (ERP order 4500000001)"

    # A key limited to account A sees only A's orders.
    only_a = Erp(server, create_key(server, "only-a", A))
    assert {o["account_number"] for o in only_a.ready()} == {A}
    assert second not in {o["client_order_id"] for o in only_a.ready()}


@scoped("POST", "/api/v1/erp/orders/{client_order_id}/ack")
def test_ack_is_idempotent_and_another_number_conflicts(
    server: RunningServer, erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id = submit(buyers[A], 1)
    first = erp.ack(order_id, "4500000002")
    again = erp.ack(order_id, "4500000002")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["erp_number"] == "4500000002"
    other = erp.ack(order_id, "4500000099")
    assert other.status_code == 409
    assert "4500000002" in other.json()["detail"] and "4500000099" in other.json()["detail"]
    row = replica.order(order_id)
    assert [h["status"] for h in row["history"]].count("sent_to_erp") == 1
    assert row["erp_number"] == "4500000002"
    # Another order cannot take the same ERP number.
    taken = erp.ack(submit(buyers[A], 1), "4500000002")
    assert taken.status_code == 409 and "already assigned" in taken.json()["detail"]

    # Scoping: a key for account B gets 404 for A's order, exactly as for no order at all.
    only_b = Erp(server, create_key(server, "only-b", B))
    theirs = only_b.ack(order_id, "4500000002")
    unknown = only_b.ack(str(uuid.uuid4()), "4500000002")
    assert theirs.status_code == unknown.status_code == 404
    assert only_b.ack("not-a-uuid", "1").status_code == 404
    assert replica.order(order_id)["erp_number"] == "4500000002"


def test_a_cancelled_order_is_not_taken_over(erp: Erp, buyers: dict[str, httpx.Client]) -> None:
    order_id = submit(buyers[A], 1)
    cancel = push(buyers[A], mutation("order.cancel", client_order_id=order_id))["results"][0]
    assert cancel["status"] == "applied"
    assert order_id not in {o["client_order_id"] for o in erp.ready()}
    r = erp.ack(order_id, "4500000003")
    assert r.status_code == 409 and "cancelled" in r.json()["detail"]


# --- events ------------------------------------------------------------------------------


@scoped("POST", "/api/v1/erp/events")
def test_a_key_cannot_touch_another_accounts_order(
    server: RunningServer, erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id, number = acked(erp, buyers[A], 1)
    only_b = Erp(server, create_key(server, "events-b", B))
    for ref in (order_id, number):
        theirs = only_b.event("exception", ref, reason="stolen")
        unknown = only_b.event("exception", ref + "0" if ref == number else str(uuid.uuid4()))
        assert theirs["status"] == "rejected" and theirs["code"] == "unknown_order"
        assert unknown["status"] == "rejected"
        assert theirs["message"].replace(ref, "X") == (
            "unknown order 'X': no order has this client_order_id or ERP number"
        )
    # Replaying A's event id with B's key reveals nothing either.
    event = {"event_id": f"e-{uuid.uuid4()}", "type": "exception", "order": order_id, "reason": "x"}
    assert erp.post(event)[0]["status"] == "applied"
    stolen = only_b.post(event)[0]
    assert stolen["status"] == "rejected" and stolen["order"] is None
    assert replica.order(order_id)["status"] == "exception"


def test_keys_and_tokens_do_not_mix(
    server: RunningServer, erp: Erp, buyers: dict[str, httpx.Client]
) -> None:
    paths = [
        ("GET", "/api/v1/erp/orders/ready"),
        ("POST", f"/api/v1/erp/orders/{uuid.uuid4()}/ack"),
        ("POST", "/api/v1/erp/events"),
    ]
    body = {"erp_number": "1", "events": []}
    token = buyers[A].headers["Authorization"]
    for method, path in paths:
        for headers in ({"Authorization": token}, {}, {"Authorization": "ApiKey opk_wrong"}):
            r = httpx.request(method, server.url + path, headers=headers, json=body)
            assert r.status_code == 401, (method, path, headers)
        assert erp.http.request(method, path, json=body).status_code in (200, 404)
        r = httpx.request(method, server.url + path, headers={"X-API-Key": erp.key}, json=body)
        assert r.status_code in (200, 404)
    # A key is no token: the buyer API refuses it.
    for headers in ({"Authorization": f"ApiKey {erp.key}"}, {"X-API-Key": erp.key}):
        assert httpx.get(f"{server.url}/api/v1/orders", headers=headers).status_code == 401
        pull = httpx.post(
            f"{server.url}/api/v1/sync/pull", headers=headers, json={"protocol": 1, "cursors": {}}
        )
        assert pull.status_code == 401
    # A revoked key stops working at once and is listed as revoked, never shown again.
    key = create_key(server, "short-lived")
    assert Erp(server, key).http.get("/api/v1/erp/orders/ready").status_code == 200
    server_cli(server.database_url, "api-key", "revoke", "short-lived")
    r = Erp(server, key).http.get("/api/v1/erp/orders/ready")
    assert r.status_code == 401 and "revoked" in r.json()["detail"]
    listing = server_cli(server.database_url, "api-key", "list").stdout
    assert "short-lived" in listing and "revoked" in listing and key not in listing


def test_a_replayed_event_changes_nothing(
    erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id, number = acked(erp, buyers[A], 2, 1)
    event = {"event_id": f"confirm-{number}", "type": "order.confirmed", "order": number}
    first = erp.post(event)[0]
    assert first["status"] == "applied" and first["order"]["status"] == "confirmed"
    assert first["message"] == f"Confirmed by the supplier as {number}"
    row = replica.order(order_id)
    again = erp.post(event, event)
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert again[0]["message"] == first["message"] and again[0]["order"] == first["order"]
    assert replica.pull() == 0  # nothing new reached the buyer
    assert replica.order(order_id) == row
    changed = erp.post({**event, "erp_number": "other"})[0]
    assert changed["status"] == "rejected" and changed["code"] == "event_id_reused"


def test_out_of_order_events_apply_once_their_cause_is_there(
    erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id, number = acked(erp, buyers[A], 2)
    before = replica.order(order_id)
    delivered = {
        "event_id": f"pod-{number}",
        "type": "delivered",
        "order": number,
        "shipment_ref": "DN-1",
        "at": "2030-01-01T10:00:00Z",
    }
    early = erp.post(delivered)[0]
    assert early["status"] == "rejected" and early["code"] == "unknown_shipment"
    assert "has no shipment 'DN-1'" in early["message"]
    assert replica.pull() == 0 and replica.order(order_id) == before  # nothing half-applied

    shipment = {
        "event_id": f"ship-{number}",
        "type": "shipment",
        "order": number,
        "shipment_ref": "DN-1",
        "carrier": "dhl express",
        "tracking_number": "00340434161094042557",
        "expected_delivery": "2030-01-03",
    }
    results = erp.post(shipment, delivered)
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert results[0]["message"] == (
        "Shipped 1 of 1 lines with DHL 00340434161094042557, expected 2030-01-03"
    )
    row = replica.order(order_id)
    assert row["status"] == "delivered" and row["lines"][0]["status"] == "delivered"
    [s] = row["shipments"]
    assert s["carrier"] == "DHL" and s["lines"] == [{"line_no": 1, "quantity": "2.0000"}]
    assert s["tracking_url"].startswith("https://www.dhl.com/")
    assert s["tracking_url"].endswith("00340434161094042557")
    assert s["delivered_at"] is not None and s["expected_delivery"] == "2030-01-03"
    # The same shipment re-sent under another id is recognised; with other lines refused.
    resent = erp.post({**shipment, "event_id": f"ship2-{number}"})[0]
    assert resent["status"] == "duplicate"
    other = erp.post({**shipment, "event_id": f"ship3-{number}", "tracking_number": "1"})[0]
    assert other["status"] == "rejected" and other["code"] == "shipment_conflict"


def test_a_shipment_for_an_unknown_order_is_rejected(erp: Erp) -> None:
    result = erp.event(
        "shipment",
        "4599999999",
        shipment_ref="DN-9",
        carrier="UPS",
        lines=[{"line_no": 1, "quantity": 1}],
    )
    assert result["status"] == "rejected" and result["code"] == "unknown_order"
    assert "'4599999999'" in result["message"]
    bad = erp.post({"event_id": "x-1", "type": "teleport", "order": "1"}, {"type": "delay"})
    assert [r["status"] for r in bad] == ["rejected", "rejected"]
    assert "type" in bad[0]["message"] and "event_id" in bad[1]["message"]


def test_over_shipping_is_rejected(
    erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id, _number = acked(erp, buyers[A], 3)
    before = replica.order(order_id)
    result = erp.event(
        "shipment",
        order_id,
        shipment_ref="DN-1",
        carrier="UPS",
        tracking_number="1Z999AA10123456784",
        lines=[{"line_no": 1, "quantity": 4}],
    )
    assert result["status"] == "rejected" and result["code"] == "over_shipped"
    assert "3 ordered, 0 shipped before" in result["message"]
    unknown_line = erp.event(
        "shipment",
        order_id,
        shipment_ref="DN-1",
        carrier="UPS",
        lines=[{"line_no": 7, "quantity": 1}],
    )
    assert unknown_line["code"] == "unknown_line" and "no line 7" in unknown_line["message"]
    assert replica.pull() == 0 and replica.order(order_id) == before


def test_status_follows_partial_shipments_and_cancellations(
    erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    order_id, number = acked(erp, buyers[A], 5, 2, 4)

    def post(kind: str, **fields: Any) -> dict[str, Any]:
        result = erp.event(kind, number, **fields)
        assert result["status"] == "applied", result
        return result

    post("order.confirmed")
    backorder = post(
        "line.status",
        line_no=2,
        status="backordered",
        expected_date="2026-12-03",
        reason="awaiting goods",
    )
    assert backorder["message"] == "Line 2 backordered until 2026-12-03: awaiting goods"
    first = post(
        "shipment",
        shipment_ref="DN-1",
        carrier="DHL",
        tracking_number="00340434161094042557",
        lines=[{"line_no": 1, "quantity": 3}],
    )
    assert first["order"]["status"] == "partly_shipped"
    assert first["message"] == "Shipped 1 of 3 lines with DHL 00340434161094042557"
    cancel = post("line.status", line_no=3, status="cancelled", reason="discontinued")
    assert cancel["order"]["status"] == "partly_shipped"
    assert cancel["message"] == "Line 3 cancelled: discontinued"
    row = replica.order(order_id)
    lines = {li["line_no"]: li for li in row["lines"]}
    assert lines[1]["status"] == "partly_shipped" and Decimal(lines[1]["quantity_shipped"]) == 3
    assert lines[2]["status"] == "backordered" and lines[2]["expected_date"] == "2026-12-03"
    assert Decimal(lines[2]["quantity_backordered"]) == 2
    assert lines[3]["status"] == "cancelled" and Decimal(lines[3]["quantity_cancelled"]) == 4

    post("line.status", line_no=2, status="allocated")
    second = post(
        "shipment",
        shipment_ref="DN-2",
        carrier="UPS",
        tracking_number="1Z999AA10123456784",
        lines=[{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 2}],
    )
    assert second["order"]["status"] == "shipped"  # the cancelled line does not hold it up
    assert post("delivered", shipment_ref="DN-1")["order"]["status"] == "shipped"
    delay = post("delay", shipment_ref="DN-2", expected_date="2026-12-10", reason="weather")
    assert delay["message"] == "Shipment UPS 1Z999AA10123456784 delayed until 2026-12-10: weather"
    assert post("delivered", shipment_ref="DN-2")["order"]["status"] == "delivered"

    row = replica.order(order_id)
    assert row["status"] == "delivered"
    assert [li["status"] for li in row["lines"]] == ["delivered", "delivered", "cancelled"]
    assert [li["quantity_backordered"] for li in row["lines"]] == ["0.0000"] * 3
    dn1, dn2 = row["shipments"]
    assert dn1["lines"] == [{"line_no": 1, "quantity": "3.0000"}]
    assert dn2["lines"] == [
        {"line_no": 1, "quantity": "2.0000"},
        {"line_no": 2, "quantity": "2.0000"},
    ]
    assert dn2["expected_delivery"] == "2026-12-10"
    assert dn2["tracking_url"] == "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"
    statuses = [h["status"] for h in row["history"]]
    assert statuses == [
        "submitted",
        "sent_to_erp",
        "confirmed",
        "confirmed",
        "partly_shipped",
        "partly_shipped",
        "partly_shipped",
        "shipped",
        "shipped",
        "shipped",
        "delivered",
    ]
    assert all(h["note"] for h in row["history"][1:])


# --- files -------------------------------------------------------------------------------


def test_exported_files_apply_once(
    server: RunningServer,
    erp: Erp,
    buyers: dict[str, httpx.Client],
    replica: Replica,
    tmp_path: Path,
) -> None:
    order_id, number = acked(erp, buyers[A], 4, 1)
    status_file = tmp_path / "status.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in (
        ("Order", "Status", "Line", "Qty", "ETA", "Reason"),
        (number, "confirmed", None, None, None, None),
        (number, "backordered", 2, 1, "03.12.2026", "awaiting goods"),
        (number, "backordered", 9, 1, "2026-12-03", None),
    ):
        sheet.append(values)
    book.save(status_file)
    shipments = tmp_path / "shipments.csv"
    with shipments.open("w", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(
            ["Order", "Delivery note", "Carrier", "Tracking no", "Pos", "Qty", "Ship date",
             "Delivered"]
        )  # fmt: skip
        w.writerow([number, "80001", "DB Schenker", "1234567890", "1", "4", "2025-01-10",
                    "2025-01-13"])  # fmt: skip
        w.writerow([number, "80002", "DPD", "01234567890123", "2", "2", "", ""])

    first = server_cli(
        server.database_url, "import", "order-status", str(status_file), "--json", check=False
    )
    report = _json(first.stdout)
    assert first.returncode == 1 and report["applied"] == 2
    assert [(e["row"], "no line 9" in e["message"]) for e in report["errors"]] == [(4, True)]
    ships = server_cli(server.database_url, "import", "shipments", str(shipments), check=False)
    assert ships.returncode == 1
    assert "row 3" in ships.stdout and "more than ordered" in ships.stdout
    row = replica.order(order_id)
    assert row["status"] == "partly_shipped"  # line 2 (backordered) has not shipped
    assert row["lines"][1]["expected_date"] == "2026-12-03"
    [s] = row["shipments"]
    assert s["carrier"] == "DB Schenker" and s["delivered_at"].startswith("2025-01-13")
    assert s["tracking_url"].endswith("refNumber=1234567890")

    # The same files again: every good row is recognised, nothing changes.
    again = _json(
        server_cli(
            server.database_url, "import", "order-status", str(status_file), "--json", check=False
        ).stdout
    )
    assert again["applied"] == 0 and again["unchanged"] == 2
    ships_again = server_cli(
        server.database_url, "import", "shipments", str(shipments), check=False
    )
    assert "0 applied, 2 unchanged" in ships_again.stdout
    assert replica.pull() == 0
    assert (
        server_cli(server.database_url, "import", "stock", "/nonexistent", check=False).returncode
        == 2
    )


def _json(text: str) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(text)
    return data


# --- the simulated ERP -------------------------------------------------------------------


def test_simulate_erp_moves_orders_forward_and_the_buyer_sees_it(
    server: RunningServer, erp: Erp, buyers: dict[str, httpx.Client], replica: Replica
) -> None:
    fresh = submit(buyers[A], 3, 2, 1, 4)
    waiting = [o["client_order_id"] for o in erp.ready() if o["account_number"] == A]
    assert fresh in waiting
    out = server_cli(server.database_url, "simulate-erp", "--once", "--seed", "5")
    assert "refused" not in out.stderr, out.stderr
    assert "0 refused" in out.stdout.splitlines()[-1]
    assert erp.ready() == []
    replica.pull()
    for order_id in waiting:
        row = replica.orders[order_id]
        assert row["status"] in ("delivered", "cancelled"), row["history"]
        if row["status"] == "delivered":
            assert row["erp_number"] and row["shipments"]
            assert all(s["tracking_url"] and s["delivered_at"] for s in row["shipments"])
            notes = " | ".join(h["note"] for h in row["history"])
            assert "Confirmed by the supplier" in notes and "Shipped" in notes
    # Nothing left to do: a second run is a no-op.
    again = server_cli(server.database_url, "simulate-erp", "--once", "--seed", "5")
    assert "0 orders taken over, 0 events applied" in again.stdout


# --- PostgreSQL: concurrent events --------------------------------------------------------


@pytest.fixture(scope="module")
def pg_server(pg_available: str) -> Iterator[RunningServer]:
    name = create_pg_database()
    base = pg_available.split("://", 1)[1].rsplit("/", 1)[0]
    running = start_server(f"postgresql+psycopg://{base}/{name}", skus=150)
    try:
        yield running
    finally:
        running.stop()
        drop_pg_database(name)


@pytest.mark.postgres
def test_concurrent_events_apply_once_each_on_postgres(pg_server: RunningServer) -> None:
    erp = Erp(pg_server, create_key(pg_server, "pg"))
    with pg_server.client_for(pg_server.user(account=A, role="buyer")) as buyer:
        order_id, number = acked(erp, buyer, 2, 2, 2, 2)
        shipments = [
            {
                "event_id": f"ship-{number}-{n}",
                "type": "shipment",
                "order": number,
                "shipment_ref": f"DN-{n}",
                "carrier": "DHL",
                "tracking_number": f"0034043416109404255{n}",
                "lines": [{"line_no": n, "quantity": 2}],
            }
            for n in (1, 2, 3, 4)
        ]
        results: list[dict[str, Any]] = []

        def send(event: dict[str, Any]) -> None:
            with httpx.Client(
                base_url=pg_server.url, timeout=30, headers={"X-API-Key": erp.key}
            ) as c:
                results.extend(
                    c.post("/api/v1/erp/events", json={"events": [event]}).json()["results"]
                )

        # Every shipment twice at once; different shipments of one order race each other too.
        threads = [threading.Thread(target=send, args=(e,)) for e in shipments * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        by_event: dict[str, list[str]] = {}
        for r in results:
            by_event.setdefault(r["event_id"], []).append(r["status"])
        assert {k: sorted(v) for k, v in by_event.items()} == {
            e["event_id"]: ["applied", "duplicate"] for e in shipments
        }
        row = Replica(buyer).order(order_id)
    assert row["status"] == "shipped"  # derived from all four lines, none lost
    assert [li["quantity_shipped"] for li in row["lines"]] == ["2.0000"] * 4
    assert len(row["shipments"]) == 4
    assert sum(h["note"].startswith("Shipped") for h in row["history"]) == 4


# --- carriers (no server) ----------------------------------------------------------------


def test_known_carriers_get_a_tracking_link() -> None:
    assert (
        canonical_carrier("dhl express") == "DHL" and canonical_carrier("Schenker") == "DB Schenker"
    )
    assert canonical_carrier("Kühne Logistik") == "Kühne Logistik"
    for carrier, host in (
        ("DHL", "www.dhl.com"),
        ("ups", "www.ups.com"),
        ("DB Schenker", "www.dbschenker.com"),
        ("DPD", "tracking.dpd.de"),
        ("FedEx", "www.fedex.com"),
    ):
        url = tracking_url(carrier, "AB 12/3")
        assert (
            url is not None and url.startswith(f"https://{host}/") and url.endswith("AB%2012%2F3")
        )
    assert tracking_url("Spedition Maier", "123") is None and tracking_url("DHL", " ") is None


def test_simulated_tracking_numbers_look_real_and_repeat_for_a_seed() -> None:
    first = [tracking_number(c, random.Random(3)) for c in ("DHL", "UPS", "DB Schenker")]
    assert first == [tracking_number(c, random.Random(3)) for c in ("DHL", "UPS", "DB Schenker")]
    dhl, ups, schenker = first
    assert len(dhl) == 20 and dhl.startswith("00340434")
    assert int(dhl[-1]) == gtin_check_digit(dhl[2:-1])
    assert len(ups) == 18 and ups.startswith("1Z")
    assert ups_check_digit("999AA1012345678") == 4  # the check digit of 1Z999AA10123456784
    assert int(ups[-1]) == ups_check_digit(ups[2:-1])
    assert len(schenker) == 10 and schenker.isdigit()

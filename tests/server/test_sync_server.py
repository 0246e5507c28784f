"""The sync endpoints against a real server process: pull, push, idempotency, scoping."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.domain.checksum import fold, row_hash
from tests.server.scoping import scoped
from tests.support import RunningServer

Rows = dict[str, dict[tuple[str, str], dict[str, Any]]]


def pull_all(
    client: httpx.Client,
    cursors: dict[str, int] | None = None,
    epoch: str | None = None,
    limit: int = 300,
) -> tuple[dict[str, int], Rows, list[dict[str, Any]]]:
    """Pull until `more` is false; returns cursors, live rows by bucket, and every answer."""
    cursors = dict(cursors or {})
    rows: Rows = {}
    answers = []
    while True:
        answer = client.post(
            "/api/v1/sync/pull",
            json={"protocol": 1, "epoch": epoch, "cursors": cursors, "limit": limit},
        ).json()
        answers.append(answer)
        epoch = answer["epoch"]
        for b in answer["buckets"]:
            assert b["to"] >= cursors.get(b["bucket"], 0) or b["reset"]
            bucket_rows = rows.setdefault(b["bucket"], {})
            for r in b["rows"]:
                if r["deleted"]:
                    bucket_rows.pop((r["entity"], r["key"]), None)
                else:
                    bucket_rows[(r["entity"], r["key"])] = r
            cursors[b["bucket"]] = b["to"]
        if not answer["more"]:
            return cursors, rows, answers


def push(
    client: httpx.Client, *mutations: dict[str, Any], device: str | None = None
) -> dict[str, Any]:
    body = {
        "protocol": 1,
        "device_id": device or str(uuid.uuid4()),
        "mutations": [
            {"seq": i + 1, "created_at": "2026-11-23T10:00:00Z", **m}
            for i, m in enumerate(mutations)
        ],
    }
    r = client.post("/api/v1/sync/push", json=body)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


def mutation(mutation_name: str, **args: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "name": mutation_name, "args": args}


@pytest.fixture(scope="module")
def buyer(demo_server: RunningServer) -> Iterator[httpx.Client]:
    with demo_server.client_for(demo_server.user(account="10010", role="buyer")) as c:
        yield c


def test_a_full_pull_pages_and_matches_every_checkpoint(buyer: httpx.Client) -> None:
    cursors, rows, answers = pull_all(buyer, limit=250)
    assert len(answers) > 2  # it really paged
    kinds = {b.split(":")[0] for b in cursors}
    assert kinds == {"catalog", "stock", "prices", "contracts", "account"}
    final = {}
    for answer in answers:
        for b in answer["buckets"]:
            if b["checkpoint"]:
                final[b["bucket"]] = b["checkpoint"]
    for bucket, cp in final.items():
        live = rows[bucket]
        assert cp["count"] == len(live), bucket
        assert cp["checksum"] == fold(row_hash(e, k, r["position"]) for (e, k), r in live.items())
    product = next(
        r["data"] for (e, _k), r in rows[next(b for b in rows if b.startswith("catalog"))].items()
    )
    assert {"sku", "name", "units", "min_qty", "multiple", "status"} <= set(product)
    assert any(e == "order" for (e, _k) in rows[next(b for b in rows if b.startswith("account"))])


def test_an_incremental_pull_returns_only_what_changed(buyer: httpx.Client) -> None:
    cursors, _rows, _ = pull_all(buyer, limit=5000)
    _c, again, _ = pull_all(buyer, cursors)
    assert all(not r for r in again.values())
    cart_id = str(uuid.uuid4())
    assert (
        push(buyer, mutation("cart.create", cart_id=cart_id, name="Monday"))["results"][0]["status"]
        == "applied"
    )
    _c, delta, _ = pull_all(buyer, cursors)
    changed = [k for b in delta.values() for k in b]
    assert changed == [("cart", cart_id)]


@scoped("POST", "/api/v1/sync/pull")
def test_buckets_come_from_the_token_not_the_request(
    demo_server: RunningServer, buyer: httpx.Client
) -> None:
    other = next(u for u in demo_server.users if u["account"] != "10010" and "buyer" in u["roles"])
    with demo_server.client_for(other) as them:
        their_cursors, _r, _a = pull_all(them, limit=5000)
    mine, _r, _a = pull_all(buyer, limit=5000)
    foreign = {b: 0 for b in their_cursors if b not in mine}
    assert foreign
    answer = buyer.post(
        "/api/v1/sync/pull", json={"protocol": 1, "epoch": None, "cursors": foreign, "limit": 5000}
    ).json()
    assert set(answer["dropped"]) == set(foreign)
    assert not {b["bucket"] for b in answer["buckets"]} & set(foreign)


def test_an_old_client_is_told_to_upgrade(buyer: httpx.Client) -> None:
    r = buyer.post("/api/v1/sync/pull", json={"protocol": 0, "cursors": {}})
    assert r.status_code == 426
    assert r.json()["detail"]["min_protocol"] == 1


def test_another_epoch_means_every_bucket_is_reset(buyer: httpx.Client) -> None:
    cursors, _rows, _ = pull_all(buyer, limit=5000)
    answer = buyer.post(
        "/api/v1/sync/pull",
        json={"protocol": 1, "epoch": "restored-from-backup", "cursors": cursors, "limit": 100},
    ).json()
    assert all(b["reset"] and b["from"] == 0 for b in answer["buckets"])


def _a_sku(client: httpx.Client) -> dict[str, Any]:
    products = client.get("/api/v1/products", params={"limit": 200}).json()
    return next(
        p
        for p in products
        if p["status"] == "active"
        and p["price"]
        and p["min_qty"] in ("1", "1.0000")
        and p["multiple"] in ("1", "1.0000")
    )


def test_a_replayed_mutation_returns_the_stored_result(buyer: httpx.Client) -> None:
    product = _a_sku(buyer)
    m = mutation(
        "order.submit",
        client_order_id=str(uuid.uuid4()),
        lines=[
            {
                "sku": product["sku"],
                "quantity": "2",
                "unit": product["base_unit"],
                "seen_unit_price": product["price"]["unit_price"],
            }
        ],
    )
    first = push(buyer, m)["results"][0]
    second = push(buyer, m)["results"][0]
    assert first["status"] == "applied", first
    assert second["replayed"] is True and first["replayed"] is False
    assert {k: v for k, v in first.items() if k != "replayed"} == {
        k: v for k, v in second.items() if k != "replayed"
    }
    numbers = [o["number"] for o in buyer.get("/api/v1/orders", params={"limit": 500}).json()]
    assert numbers.count(first["result"]["order_number"]) == 1

    tampered = {**m, "args": {**m["args"], "po_number": "changed"}}
    answer = push(buyer, tampered)["results"][0]
    assert answer["status"] == "rejected" and answer["code"] == "tampered"


def test_the_same_batch_pushed_concurrently_creates_one_order(
    buyer: httpx.Client, demo_server: RunningServer
) -> None:
    product = _a_sku(buyer)
    order_id = str(uuid.uuid4())
    m = mutation(
        "order.submit",
        client_order_id=order_id,
        lines=[
            {
                "sku": product["sku"],
                "quantity": "1",
                "unit": product["base_unit"],
                "seen_unit_price": product["price"]["unit_price"],
            }
        ],
    )
    token = buyer.headers["Authorization"]
    results: list[dict[str, Any]] = []

    def send() -> None:
        with httpx.Client(
            base_url=demo_server.url, headers={"Authorization": token}, timeout=30
        ) as c:
            results.append(push(c, m)["results"][0])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert {r["result"]["order_number"] for r in results} and len(
        {r["result"]["order_number"] for r in results}
    ) == 1
    assert sum(not r["replayed"] for r in results) == 1
    orders = buyer.get("/api/v1/orders", params={"limit": 500}).json()
    assert sum(o["client_order_id"] == order_id for o in orders) == 1


def test_a_viewer_cannot_order(demo_server: RunningServer) -> None:
    with demo_server.client_for(demo_server.user(role="viewer")) as viewer:
        answer = push(
            viewer,
            mutation(
                "order.submit",
                client_order_id=str(uuid.uuid4()),
                lines=[{"sku": "X", "quantity": "1", "unit": "EA"}],
            ),
        )
    result = answer["results"][0]
    assert result["status"] == "rejected" and result["code"] == "forbidden"


def test_a_higher_price_waits_for_the_buyer_and_says_why(buyer: httpx.Client) -> None:
    product = _a_sku(buyer)
    now = Decimal(product["price"]["unit_price"])
    seen = (now * Decimal("0.9")).quantize(Decimal("0.0001"))
    order_id = str(uuid.uuid4())
    result = push(
        buyer,
        mutation(
            "order.submit",
            client_order_id=order_id,
            po_number="PO-77",
            lines=[
                {
                    "sku": product["sku"],
                    "quantity": "1",
                    "unit": product["base_unit"],
                    "seen_unit_price": str(seen),
                }
            ],
        ),
    )["results"][0]
    assert result["status"] == "needs_confirmation", result
    line = result["result"]["review"]["lines"][0]
    assert line["seen_unit_price"] == str(seen)
    assert Decimal(line["unit_price"]) == now
    assert "+11.1 %" in line["change"]
    confirmed = push(buyer, mutation("order.confirm_changes", client_order_id=order_id))
    assert confirmed["results"][0]["result"]["order_status"] == "submitted"


def test_a_lower_price_goes_through(buyer: httpx.Client) -> None:
    product = _a_sku(buyer)
    seen = Decimal(product["price"]["unit_price"]) * 2
    result = push(
        buyer,
        mutation(
            "order.submit",
            client_order_id=str(uuid.uuid4()),
            lines=[
                {
                    "sku": product["sku"],
                    "quantity": "1",
                    "unit": product["base_unit"],
                    "seen_unit_price": str(seen),
                }
            ],
        ),
    )["results"][0]
    assert result["status"] == "applied"
    assert result["result"]["order_status"] == "submitted"


@scoped("POST", "/api/v1/sync/push")
def test_mutations_cannot_touch_another_accounts_cart(
    demo_server: RunningServer, buyer: httpx.Client
) -> None:
    cart_id = str(uuid.uuid4())
    push(buyer, mutation("cart.create", cart_id=cart_id, name="Mine"))
    other = next(u for u in demo_server.users if u["account"] != "10010" and "buyer" in u["roles"])
    with demo_server.client_for(other) as them:
        for m in (
            mutation("cart.rename", cart_id=cart_id, name="Stolen"),
            mutation("cart.delete", cart_id=cart_id),
            mutation(
                "cart.set_line",
                cart_id=cart_id,
                line_id=str(uuid.uuid4()),
                sku="X",
                quantity="1",
                unit="EA",
            ),
        ):
            result = push(them, m)["results"][0]
            assert result["status"] == "rejected" and result["code"] == "not_found"
        # Replaying another account's mutation id reveals nothing and changes nothing.
        stolen = push(
            them,
            {
                "id": str(uuid.uuid4()),
                "name": "cart.create",
                "args": {"cart_id": cart_id, "name": "x"},
            },
        )["results"][0]
        assert stolen["status"] == "rejected"
    _c, rows, _ = pull_all(buyer, limit=5000)
    cart = next(
        r["data"] for b in rows.values() for (e, k), r in b.items() if e == "cart" and k == cart_id
    )
    assert cart["name"] == "Mine" and cart["status"] == "open"


def test_a_device_sequence_gap_is_reported(buyer: httpx.Client) -> None:
    device = str(uuid.uuid4())
    body = {
        "protocol": 1,
        "device_id": device,
        "mutations": [{**mutation("cart.create", cart_id=str(uuid.uuid4()), name="a"), "seq": 1}],
    }
    assert buyer.post("/api/v1/sync/push", json=body).json()["seq_gap"] is None
    body["mutations"] = [{**mutation("cart.create", cart_id=str(uuid.uuid4()), name="b"), "seq": 5}]
    assert buyer.post("/api/v1/sync/push", json=body).json()["seq_gap"] == [2, 4]

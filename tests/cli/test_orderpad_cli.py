"""The headless `orderpad` commands, run as a person or a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import RunningServer

pytestmark = pytest.mark.e2e


def orderpad(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_buyer_orders_from_the_command_line(demo_server: RunningServer, tmp_path: Path) -> None:
    data = tmp_path / "cli"
    buyer = demo_server.user(account="10030", role="buyer")
    login = orderpad(
        data,
        "login",
        "--server",
        demo_server.url,
        "--email",
        buyer["email"],
        "--password",
        buyer["password"],
    )
    assert login.returncode == 0, login.stderr
    assert "password" not in login.stdout.lower() and buyer["password"] not in login.stderr
    assert orderpad(data, "sync").returncode == 0
    status = as_json(orderpad(data, "status", "--json"))
    assert status["products"] > 0
    assert {a["area"] for a in status["areas"]} == {"catalog", "prices", "stock", "orders"}
    assert all(a["synced_at"] for a in status["areas"])
    products = as_json(orderpad(data, "products", "--limit", "50", "--json"))
    sku = next(p["sku"] for p in products if p["status"] == "active")
    detail = as_json(orderpad(data, "products", sku, "--limit", "1", "--json"))
    assert detail[0]["sku"] == sku  # an exact SKU comes first

    # 1200 is a whole multiple of every pack size the demo uses (6, 10, 12, 25, 50, 100, …).
    add = orderpad(data, "cart", "add", sku, "1200", "--cart", "CLI")
    assert add.returncode == 0, add.stderr
    cart = as_json(orderpad(data, "cart", "show", "--cart", "CLI", "--json"))
    assert [(li["sku"], li["quantity"], li["problems"]) for li in cart["lines"]] == [
        (sku, "1200", [])
    ]
    assert cart["total"] == cart["lines"][0]["line_total"]
    bad = orderpad(data, "cart", "add", "NO-SUCH-SKU", "1", "--cart", "CLI")
    assert bad.returncode == 1 and "unknown SKU" in bad.stderr

    submitted = as_json(
        orderpad(data, "cart", "submit", "--cart", "CLI", "--po", "PO-CLI", "--json")
    )
    assert submitted["status"] == "queued"
    pending = as_json(orderpad(data, "outbox", "--json"))
    assert [e["name"] for e in pending][-1] == "order.submit"
    assert orderpad(data, "sync").returncode == 0
    orders = as_json(orderpad(data, "orders", "--json"))
    mine = next(o for o in orders if o["client_order_id"] == submitted["client_order_id"])
    assert mine["number"] and mine["po_number"] == "PO-CLI"
    assert mine["status"] in {"submitted", "needs_confirmation", "pending_approval"}


def test_sync_without_a_server_fails_clearly_and_keeps_everything(
    demo_server: RunningServer, tmp_path: Path
) -> None:
    data = tmp_path / "down"
    buyer = demo_server.user(account="10010", role="buyer")
    assert (
        orderpad(
            data,
            "login",
            "--server",
            demo_server.url,
            "--email",
            buyer["email"],
            "--password",
            buyer["password"],
        ).returncode
        == 0
    )
    assert orderpad(data, "sync").returncode == 0
    sku = as_json(orderpad(data, "products", "--json", "--limit", "1"))[0]["sku"]
    assert orderpad(data, "cart", "add", sku, "5").returncode == 0
    # The line, and the cart unless the account's "Default" cart came down with the sync.
    queued = as_json(orderpad(data, "status", "--json"))["outbox"]["pending"]
    assert queued in (1, 2)
    profile = json.loads((data / "profile.json").read_text())
    profile["server_url"] = "http://127.0.0.1:9"  # nothing listens there
    (data / "profile.json").write_text(json.dumps(profile))
    result = orderpad(data, "sync")
    assert result.returncode == 1
    assert "cannot reach http://127.0.0.1:9" in result.stderr
    assert as_json(orderpad(data, "status", "--json"))["outbox"]["pending"] == queued


def test_not_signed_in_says_how(tmp_path: Path) -> None:
    result = orderpad(tmp_path / "new", "sync")
    assert result.returncode == 1
    assert "orderpad login" in result.stderr

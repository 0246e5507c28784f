"""End-to-end sync against a real server process, with injected faults.

Every scenario ends with `assert_converged`: no order lost or duplicated, every outbox entry
answered once, the replica equal to the server's view (checksums), cursors never backwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.services.workspace import Workspace
from app.store.outbox import OutboxState
from app.sync.engine import SyncEngine
from app.sync.errors import ClientTooOld, Offline, SignInRequired
from tests.e2e.harness import (
    FaultyTransport,
    assert_converged,
    seeded_plan,
    server_orders,
    server_sql,
)
from tests.support import RunningServer, start_server

pytestmark = pytest.mark.e2e
BUYER = "buyer1@acme-industrial.example"
ACCOUNT = "10010"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server of this module's own: these tests change server data."""
    path = tmp_path_factory.mktemp("e2e-server") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield s
    finally:
        s.stop()


def signed_in(server: RunningServer, data_dir: Path, email: str = BUYER, **kw: object) -> Workspace:
    ws = Workspace(data_dir, **kw)  # type: ignore[arg-type]
    ws.login(server.url, email, "demo-" + email.split("@")[0])
    ws.sync()
    return ws


def orderable(ws: Workspace, n: int = 3) -> list[str]:
    """SKUs that can be ordered as 1 base unit with a price."""
    out = []
    for hit in ws.search_products("", limit=400):
        product = ws.product(hit.sku)
        if (
            product
            and product.status == "active"
            and product.min_qty == 1
            and product.multiple == 1
            and ws.replica.pricing_of(hit.sku) is not None
        ):
            out.append(hit.sku)
        if len(out) == n:
            return out
    raise AssertionError("no orderable products in the demo")


def fill_and_submit(ws: Workspace, skus: list[str], cart: str, po: str) -> str:
    for sku in skus:
        ws.add_to_cart(sku, Decimal(2), cart=cart)
    return ws.submit_cart(cart, po_number=po)


def test_work_offline_then_reconnect(server: RunningServer, tmp_path: Path) -> None:
    ws = signed_in(server, tmp_path / "a")
    skus = orderable(ws)
    server.stop()
    try:
        order_id = fill_and_submit(ws, skus, "Offline", "PO-OFF")
        with pytest.raises(Offline):
            ws.sync()
        assert [o.status for o in ws.orders() if o.client_order_id == order_id] == ["pending"]
        assert ws.outbox.counts()["pending"] >= len(skus) + 2
    finally:
        server.start()
    report = ws.sync()
    assert report.applied >= len(skus) + 2 and report.rejected == 0
    assert [s for oid, _n, s in server_orders(server, ACCOUNT) if oid == order_id] == ["submitted"]
    assert_converged(ws, server)


@pytest.mark.parametrize("fault", ["before", "after"])
def test_a_dropped_push_is_retried_without_duplicates(
    server: RunningServer, tmp_path: Path, fault: str
) -> None:
    drops = {"left": 1}

    def plan(request: object, _n: int) -> str | None:
        if "/sync/push" in str(getattr(request, "url", "")) and drops["left"]:
            drops["left"] -= 1
            return fault
        return None

    transport = FaultyTransport(plan)
    ws = signed_in(server, tmp_path / fault, transport=transport)
    order_id = fill_and_submit(ws, orderable(ws), "Drop", f"PO-{fault}")
    with pytest.raises(Offline):
        ws.sync()
    assert transport.injected == [(fault, "/api/v1/sync/push")]
    ws.sync()
    assert [oid for oid, _n, _s in server_orders(server, ACCOUNT)].count(order_id) == 1
    assert_converged(ws, server)


def test_a_batch_cut_in_the_middle_resumes(server: RunningServer, tmp_path: Path) -> None:
    cut = {"push": 0}

    def plan(request: object, _n: int) -> str | None:
        if "/sync/push" in str(getattr(request, "url", "")):
            cut["push"] += 1
            return "after" if cut["push"] == 2 else None
        return None

    ws = signed_in(server, tmp_path / "mid", transport=FaultyTransport(plan))
    order_id = fill_and_submit(ws, orderable(ws, 3), "Mid", "PO-MID")
    client = ws.client()
    engine = SyncEngine(ws.replica, client, ws.outbox, batch_size=2)
    with pytest.raises(Offline):
        engine.sync()
    # The first batch is answered, the second was applied but its answer was lost.
    states = [e.state for e in ws.outbox.entries()]
    assert states[:2] == [OutboxState.APPLIED, OutboxState.APPLIED]
    engine.sync()
    client.close()
    assert [oid for oid, _n, _s in server_orders(server, ACCOUNT)].count(order_id) == 1
    assert_converged(ws, server)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_faults_never_lose_or_duplicate(
    server: RunningServer, tmp_path: Path, seed: int
) -> None:
    transport = FaultyTransport(seeded_plan(seed))
    ws = Workspace(tmp_path / "rnd", transport=transport)
    ws.login(server.url, BUYER, "demo-buyer1")
    for _ in range(20):
        try:
            ws.sync()
            break
        except Offline:
            continue
    skus = orderable(ws, 3)
    orders = []
    for i in range(4):
        orders.append(fill_and_submit(ws, skus[: 1 + i % 3], f"R{seed}-{i}", f"PO-R{seed}-{i}"))
        with contextlib.suppress(Offline):
            ws.sync()
    for _ in range(40):
        try:
            ws.sync()
            break
        except Offline:
            continue
    assert transport.injected, "the seed injected no fault"
    remote = [oid for oid, _n, _s in server_orders(server, ACCOUNT)]
    assert all(remote.count(o) == 1 for o in orders)
    transport.plan = lambda _r, _n: None
    assert_converged(ws, server)


@pytest.mark.parametrize(
    "skew",
    [dt.timedelta(days=1), dt.timedelta(days=-1), dt.timedelta(days=365), dt.timedelta(days=-365)],
)
def test_a_wrong_client_clock_changes_nothing(
    server: RunningServer, tmp_path: Path, skew: dt.timedelta
) -> None:
    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + skew

    ws = signed_in(server, tmp_path / "skew", clock=clock)
    true_today = dt.datetime.now(dt.UTC).date()
    assert (
        abs((ws.today() - true_today).days) <= 1 and ws.today() != (clock()).date()
    ) or skew.days == 0
    skus = orderable(ws, 2)
    order_id = fill_and_submit(ws, skus, "Skew", "PO-SKEW")
    report = ws.sync()
    assert report.needs_confirmation == 0 and report.rejected == 0
    assert [s for oid, _n, s in server_orders(server, ACCOUNT) if oid == order_id] == ["submitted"]
    assert_converged(ws, server)


def test_a_cursor_older_than_the_history_resnapshots(server: RunningServer, tmp_path: Path) -> None:
    ws = signed_in(server, tmp_path / "old")
    cursors = ws.replica.cursors()
    catalog = next(b for b in cursors if b.startswith("catalog:"))
    server_sql(
        server, "UPDATE bucket_counters SET history_floor = position + 0 WHERE bucket = ?", catalog
    )
    server_sql(
        server,
        "UPDATE bucket_counters SET position = position + 5, "
        "history_floor = position + 5 WHERE bucket = ?",
        catalog,
    )
    count = ws.replica.product_count()
    ws.sync()
    assert ws.replica.product_count() == count
    assert ws.replica.cursors()[catalog] >= cursors[catalog]
    assert_converged(ws, server)


def test_a_server_restored_from_backup_is_downloaded_again(
    server: RunningServer, tmp_path: Path
) -> None:
    ws = signed_in(server, tmp_path / "epoch")
    server_sql(server, "UPDATE server_meta SET value = 'restored-from-backup' WHERE name = 'epoch'")
    server.stop()
    server.start()  # the epoch is read per request; a restart mirrors a restore
    ws.sync()
    assert ws.replica.get_meta("epoch") == "restored-from-backup"
    assert_converged(ws, server)


def test_a_corrupted_local_row_is_repaired(server: RunningServer, tmp_path: Path) -> None:
    import sqlite3

    ws = signed_in(server, tmp_path / "corrupt")
    with sqlite3.connect(ws.replica.path) as db:
        db.execute(
            "UPDATE products SET data = replace(data, '\"name\"', '\"nmae\"') "
            "WHERE rowid = (SELECT min(rowid) FROM products)"
        )
    catalog = next(b for b in ws.replica.cursors() if b.startswith("catalog:"))
    assert ws.replica.corrupted_keys(catalog)
    report = ws.sync(verify=True)
    assert catalog in report.redownloaded
    assert not ws.replica.corrupted_keys(catalog)
    assert_converged(ws, server)


def test_a_rejected_mutation_does_not_block_the_queue(
    server: RunningServer, tmp_path: Path
) -> None:
    from app.store.outbox import enqueue

    ws = signed_in(server, tmp_path / "reject")
    with ws.replica.session() as session:
        enqueue(
            session, "order.cancel", {"client_order_id": "00000000-0000-4000-8000-000000000000"}
        )
    order_id = fill_and_submit(ws, orderable(ws, 1), "AfterReject", "PO-AR")
    report = ws.sync()
    assert report.rejected == 1 and report.applied >= 3
    rejected = ws.outbox.entries([OutboxState.REJECTED])
    assert rejected[0].result and "no such order" in rejected[0].result["message"]
    assert order_id in [oid for oid, _n, _s in server_orders(server, ACCOUNT)]
    assert_converged(ws, server)


def test_two_devices_edit_one_cart(server: RunningServer, tmp_path: Path) -> None:
    one = signed_in(server, tmp_path / "one")
    two = signed_in(server, tmp_path / "two", email="buyer2@acme-industrial.example")
    a, b = orderable(one, 2)
    one.add_to_cart(a, Decimal(1), cart="Shared")
    one.sync()
    two.sync()
    two.add_to_cart(b, Decimal(3), cart="Shared")
    one.add_to_cart(a, Decimal(1), cart="Shared")
    one.sync()
    two.sync()
    one.sync()
    for ws in (one, two):
        lines = {li.sku: li.quantity for li in ws.cart("Shared").lines}
        assert lines == {a: Decimal(2), b: Decimal(3)}, lines
    order_id = two.submit_cart("Shared", po_number="PO-SHARED")
    two.sync()
    one.sync()
    assert [c.status for c in one.carts() if c.name == "Shared"] == ["submitted"]
    assert order_id in [o.client_order_id for o in one.orders()]
    assert_converged(one, server)
    assert_converged(two, server)


def test_an_outdated_client_holds_its_pushes(tmp_path: Path) -> None:
    s = start_server(f"sqlite:///{tmp_path}/old.sqlite3", skus=100)
    try:
        ws = signed_in(s, tmp_path / "c")
        ws.add_to_cart(orderable(ws, 1)[0], Decimal(1))
        s.stop()
        s.env["ORDERPAD_MIN_PROTOCOL"] = "2"
        s.start()
        with pytest.raises(ClientTooOld):
            ws.sync()
        assert ws.status().held_for_upgrade
        assert ws.outbox.counts()["pending"] == 2  # cart.create and cart.set_line kept
        with pytest.raises(ClientTooOld):
            ws.sync()  # pulls are refused too; nothing is pushed while held
        assert ws.outbox.counts()["pending"] == 2
    finally:
        s.stop()


def test_expired_tokens_refresh_or_ask_to_sign_in(tmp_path: Path) -> None:
    s = start_server(
        f"sqlite:///{tmp_path}/tok.sqlite3",
        skus=100,
        env={"ORDERPAD_ACCESS_TOKEN_TTL": "1", "ORDERPAD_REFRESH_TOKEN_TTL": "4"},
    )
    try:
        ws = signed_in(s, tmp_path / "c")
        time.sleep(1.5)  # the access token expired while "offline"
        ws.add_to_cart(orderable(ws, 1)[0], Decimal(1))
        assert ws.sync().applied == 2
        time.sleep(4.5)  # now the refresh token expired too
        ws.add_to_cart(orderable(ws, 2)[1], Decimal(1))
        with pytest.raises(SignInRequired):
            ws.sync()
        assert ws.outbox.counts()["pending"] == 1
        ws.login(s.url, BUYER, "demo-buyer1")
        assert ws.sync().applied == 1
    finally:
        s.stop()


def _outbox_size(replica: Path) -> int:
    import sqlite3

    with sqlite3.connect(replica, timeout=30) as db:
        return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def test_killed_during_pull_and_during_outbox_writes(server: RunningServer, tmp_path: Path) -> None:
    data = tmp_path / "kill"
    ws = Workspace(data)
    ws.login(server.url, BUYER, "demo-buyer1")
    ws.close()
    base = [sys.executable, "-m", "app.cli", "--data-dir", str(data)]
    for delay in (0.3, 0.6, 0.9):
        proc = subprocess.Popen([*base, "sync", "--page-limit", "50"])
        time.sleep(delay)
        proc.kill()
        proc.wait()
    ws = Workspace(data)
    ws.sync()
    skus = orderable(ws, 3)
    ws.close()
    writer = subprocess.Popen([*base, "cart", "add", skus[0], "1", "--cart", "Kill"])
    writer.wait()
    script = (
        "import sys; from decimal import Decimal; from pathlib import Path;"
        "from app.services.workspace import Workspace;"
        f"ws = Workspace(Path({str(data)!r}));"
        f"[ws.add_to_cart({skus[1]!r}, Decimal(1), cart='Kill') for _ in range(10000)]"
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _outbox_size(ws_path := data / "replica.sqlite3") < 8:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert _outbox_size(ws_path) >= 8, "the writer was killed before it wrote anything"
    ws = Workspace(data)
    # Every local line change has its outbox entry and vice versa: replaying the outbox
    # on the server yields exactly the local cart.
    local = {li.sku: li.quantity for li in ws.cart("Kill").lines}
    ws.sync()
    ws.sync()
    assert {li.sku: li.quantity for li in ws.cart("Kill").lines} == local
    assert_converged(ws, server)


def test_one_pusher_per_device_even_with_two_processes(
    server: RunningServer, tmp_path: Path
) -> None:
    ws = signed_in(server, tmp_path / "single")
    ws.add_to_cart(orderable(ws, 1)[0], Decimal(1), cart="Single")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.sync.lock import PushLock;"
            f"lock = PushLock(Path({str(ws.data_dir)!r})); assert lock.acquire();"
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        report = ws.sync()
        assert report.pushed == 0 and report.push_skipped
        assert ws.outbox.counts()["pending"] == 2
    finally:
        holder.kill()
        holder.wait()
    # The OS dropped the dead process's lock: the queue goes out now.
    assert ws.sync().applied == 2
    assert_converged(ws, server)

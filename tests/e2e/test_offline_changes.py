"""What the server changed while a buyer worked offline reaches them, explained.

Server data changes go through the ERP import command, as in production.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.services.workspace import Workspace
from tests.e2e.harness import assert_converged, server_orders
from tests.support import RunningServer, server_cli, start_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("offline-changes") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield s
    finally:
        s.stop()


def signed_in(server: RunningServer, data_dir: Path, email: str) -> Workspace:
    ws = Workspace(data_dir)
    ws.login(server.url, email, "demo-" + email.split("@")[0])
    ws.sync()
    return ws


def tier_priced(
    ws: Workspace, skip: frozenset[str] | set[str] = frozenset()
) -> tuple[str, str, Decimal]:
    """A product priced from its price-list tier at quantity 1: (sku, list code, price)."""
    for hit in ws.search_products("", limit=400):
        product = ws.product(hit.sku)
        pricing = ws.replica.pricing_of(hit.sku)
        if (
            hit.sku in skip
            or product is None
            or product.status != "active"
            or product.min_qty != 1
            or product.multiple != 1
            or pricing is None
            or pricing.contracts
            or pricing.price_list is None
        ):
            continue
        first = min(pricing.price_list.tiers, key=lambda t: t.min_qty)
        if first.min_qty <= 1:
            return hit.sku, pricing.price_list.price_list_code, first.unit_price
    raise AssertionError("no tier-priced product")


def import_file(server: RunningServer, kind: str, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    out = server_cli(server.database_url, "import", kind, str(path), check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def order_lines(server: RunningServer, order_id: str) -> list[tuple[str, str, str]]:
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        return [
            (r[0], str(r[1]), r[2])
            for r in db.execute(
                "SELECT l.sku, l.quantity_backordered, l.status FROM order_lines l "
                "JOIN orders o ON o.id = l.order_id WHERE o.client_order_id = ?",
                (order_id.replace("-", ""),),
            )
        ]


def status_of(server: RunningServer, account: str, order_id: str) -> str:
    return next(s for oid, _n, s in server_orders(server, account) if oid == order_id)


@pytest.mark.parametrize(
    ("email", "account", "factor", "expected"),
    [
        ("buyer1@bergmann-metallbau.example", "10030", Decimal("1.05"), "needs_confirmation"),
        ("buyer2@bergmann-metallbau.example", "10030", Decimal("0.90"), "submitted"),
        # Hamburg accepts rises up to 2 % without asking.
        ("buyer1@acme-hamburg.example", "10011", Decimal("1.01"), "submitted"),
    ],
)
def test_a_price_changed_while_offline(
    server: RunningServer, tmp_path: Path, email: str, account: str, factor: Decimal, expected: str
) -> None:
    ws = signed_in(server, tmp_path / "c", email)
    sku, price_list, price = tier_priced(ws)
    ws.add_to_cart(sku, Decimal(1))
    seen = ws.cart().lines[0].unit_price
    assert seen == price
    order_id = ws.submit_cart(po_number="PO-PRICE")
    new = (price * factor).quantize(Decimal("0.0001"))
    import_file(
        server,
        "prices",
        tmp_path / "p.csv",
        f"price_list,sku,min_qty,price\n{price_list},{sku},1,{new}\n",
    )
    report = ws.sync()
    assert status_of(server, account, order_id) == expected
    entry = next(e for e in ws.outbox_entries() if e.name == "order.submit")
    if expected == "needs_confirmation":
        assert report.needs_confirmation == 1
        assert "+5.0 %" in (entry.result or {})["message"]
        ws.confirm_order(order_id)
        ws.sync()
        assert status_of(server, account, order_id) == "submitted"
    else:
        assert (entry.result or {})["status"] == "applied"
    assert_converged(ws, server)
    # Put the price back for the other cases.
    import_file(
        server,
        "prices",
        tmp_path / "p.csv",
        f"price_list,sku,min_qty,price\n{price_list},{sku},1,{price}\n",
    )


def test_discontinued_and_out_of_stock_while_offline(server: RunningServer, tmp_path: Path) -> None:
    ws = signed_in(server, tmp_path / "d", "admin@bergmann-metallbau.example")
    gone, _pl, _p = tier_priced(ws)
    short, _pl, _p = tier_priced(ws, skip={gone})
    name = ws.product(gone).name  # type: ignore[union-attr]
    ws.add_to_cart(gone, Decimal(1), cart="Disc")
    ws.add_to_cart(short, Decimal(1), cart="Disc")
    order_id = ws.submit_cart("Disc", po_number="PO-DISC")
    import_file(
        server, "products", tmp_path / "prod.csv", f"sku,name,status\n{gone},{name},discontinued\n"
    )
    stock = "sku,warehouse,available\n" + "".join(f"{short},{w},0\n" for w in ("DUS", "HAM", "MUC"))
    import_file(server, "stock", tmp_path / "stock.csv", stock)
    ws.sync()
    assert status_of(server, "10030", order_id) == "needs_confirmation"
    message = (next(e for e in ws.outbox_entries() if e.name == "order.submit").result or {})[
        "message"
    ]
    assert f"{gone}: discontinued" in message
    lines = {sku: (backordered, st) for sku, backordered, st in order_lines(server, order_id)}
    assert Decimal(lines[short][0]) == 1  # short stock becomes a backorder, not a refusal
    assert ws.product(gone).status == "discontinued"  # type: ignore[union-attr]
    # The buyer drops the discontinued line and confirms the rest.
    line_no = [sku for sku, _b, _t in order_lines(server, order_id)].index(gone) + 1
    ws.confirm_order(order_id, remove_lines=[line_no])
    ws.sync()
    assert status_of(server, "10030", order_id) == "submitted"
    assert [s for s, _b, _t in order_lines(server, order_id)] == [short]
    assert_converged(ws, server)


def test_products_entering_and_leaving_the_assortment(
    server: RunningServer, tmp_path: Path
) -> None:
    # Nordlicht (10020) buys from JAN-SAFE; Bergmann (10030) from FULL.
    nord = signed_in(server, tmp_path / "n", "buyer1@nordlicht-facility.example")
    berg = signed_in(server, tmp_path / "b", "buyer1@bergmann-metallbau.example")
    theirs = {h.sku for h in nord.search_products("", limit=1000)}
    outside = next(h for h in berg.search_products("", limit=1000) if h.sku not in theirs)
    inside, _pl, _p = tier_priced(
        berg, skip={h.sku for h in berg.search_products("", limit=1000) if h.sku not in theirs}
    )
    assert nord.product(outside.sku) is None
    berg.add_to_cart(inside, Decimal(1), cart="Scope")
    order_id = berg.submit_cart("Scope", po_number="PO-SCOPE")
    # `outside` joins JAN-SAFE (and stays in FULL); `inside` leaves FULL (stays in JAN-SAFE).
    name_out = berg.product(outside.sku).name  # type: ignore[union-attr]
    name_in = nord.product(inside).name  # type: ignore[union-attr]
    import_file(
        server,
        "products",
        tmp_path / "scope.csv",
        "sku,name,assortments\n"
        f"{outside.sku},{name_out},FULL;JAN-SAFE\n{inside},{name_in},JAN-SAFE;MRO\n",
    )
    nord.sync()
    berg.sync()
    assert nord.product(outside.sku) is not None  # arrived although the row did not change
    assert berg.product(inside) is None  # tombstoned for the account that lost it
    # The order built offline with it now waits, explaining why.
    assert status_of(server, "10030", order_id) == "needs_confirmation"
    assert_converged(nord, server)
    assert_converged(berg, server)


@pytest.mark.postgres
def test_offline_order_round_trip_on_postgres(pg_available: str, tmp_path: Path) -> None:
    from tests.support import create_pg_database, drop_pg_database

    name = create_pg_database()
    base = pg_available.split("://", 1)[1].rsplit("/", 1)[0]
    s = start_server(f"postgresql+psycopg://{base}/{name}", skus=200)
    try:
        ws = signed_in(s, tmp_path / "pg", "buyer1@acme-industrial.example")
        sku, _pl, _p = tier_priced(ws)
        s.stop()
        ws.add_to_cart(sku, Decimal(2))
        order_id = ws.submit_cart(po_number="PO-PG")
        s.start()
        report = ws.sync(verify=True)
        assert report.applied == 3 and report.redownloaded == []
        assert order_id in [o.client_order_id for o in ws.orders() if o.number]
    finally:
        s.stop()
        drop_pg_database(name)

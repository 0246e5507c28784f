"""The demo seed: deterministic, valid barcodes and quantities, consistent orders, sync-ready."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from server.accounts.models import parse_roles
from server.auth.passwords import hash_password, verify_password
from server.changes.service import live_keys
from server.db import make_engine
from server.migrate import upgrade
from server.models import (
    Account,
    Assortment,
    AssortmentProduct,
    BucketCounter,
    Change,
    ContractPrice,
    Order,
    OrderLine,
    OrderStatusEvent,
    PriceList,
    PriceListItem,
    Product,
    ProductUnit,
    ServerMeta,
    Shipment,
    ShipmentLine,
    ShipTo,
    Stock,
    User,
    Warehouse,
)
from server.seed import SeedError, SeedReport, seed_demo
from server.seed import accounts as seed_accounts

TODAY = dt.date(2026, 11, 23)  # a Monday
SKUS = 600
CENT = Decimal("0.01")


@dataclass
class Seeded:
    engine: Engine
    report: SeedReport


def _seed(path: Path, *, seed: int, skus: int = SKUS) -> Seeded:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return Seeded(engine, seed_demo(engine, skus=skus, seed=seed, today=TODAY))


_hash_once = functools.cache(hash_password)


@pytest.fixture(scope="module", autouse=True)
def _hash_each_demo_password_once() -> Iterator[None]:
    """argon2 is slow on purpose; the seeds in this module share real hashes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seed_accounts, "hash_password", _hash_once)
        yield


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    result = _seed(tmp_path_factory.mktemp("seed") / "demo.sqlite3", seed=42)
    yield result
    result.engine.dispose()


@pytest.fixture
def session(seeded: Seeded) -> Iterator[Session]:
    with Session(seeded.engine) as s:
        yield s


def gs1_valid(code: str) -> bool:
    """Independent GS1 check: weights 1,3,1,3... from the left for an even length, else 3,1..."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    weights = [3 if (len(code) - i) % 2 == 0 else 1 for i in range(len(code))]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def test_gs1_helper_knows_real_barcodes() -> None:
    assert gs1_valid("4006381333931")  # a real EAN-13
    assert gs1_valid("10614141000415")  # GS1's own GTIN-14 example
    assert not gs1_valid("4006381333932")


def _snapshot(engine: Engine) -> dict[str, Sequence[Any]]:
    with Session(engine) as s:
        return {
            "products": s.execute(
                select(
                    Product.sku,
                    Product.name,
                    Product.description,
                    Product.brand,
                    Product.list_price,
                    Product.min_qty,
                    Product.multiple,
                    Product.status,
                    Product.replacement_sku,
                ).order_by(Product.id)
            ).all(),
            "units": s.execute(
                select(
                    ProductUnit.product_id, ProductUnit.code, ProductUnit.factor, ProductUnit.gtin
                ).order_by(ProductUnit.id)
            ).all(),
            "prices": s.execute(
                select(
                    PriceListItem.price_list_id,
                    PriceListItem.product_id,
                    PriceListItem.min_qty,
                    PriceListItem.price,
                ).order_by(PriceListItem.id)
            ).all(),
            "stock": s.execute(
                select(
                    Stock.product_id,
                    Stock.warehouse_id,
                    Stock.available,
                    Stock.next_receipt_date,
                    Stock.as_of,
                ).order_by(Stock.product_id, Stock.warehouse_id)
            ).all(),
            "contracts": s.execute(
                select(
                    ContractPrice.account_id,
                    ContractPrice.contract_code,
                    ContractPrice.product_id,
                    ContractPrice.price,
                ).order_by(ContractPrice.id)
            ).all(),
            "users": s.execute(
                select(User.email, User.name, User.roles_raw).order_by(User.id)
            ).all(),
            "orders": s.execute(
                select(
                    Order.number,
                    Order.client_order_id,
                    Order.created_at,
                    Order.subtotal,
                    Order.status,
                ).order_by(Order.id)
            ).all(),
        }


def test_same_seed_gives_the_same_demo_and_another_seed_a_different_one(
    seeded: Seeded, tmp_path: Path
) -> None:
    again = _seed(tmp_path / "again.sqlite3", seed=42)
    other = _seed(tmp_path / "other.sqlite3", seed=7)
    first = _snapshot(seeded.engine)
    assert _snapshot(again.engine) == first
    assert again.report.users == seeded.report.users
    different = _snapshot(other.engine)
    assert different["products"] != first["products"]
    assert different["orders"] != first["orders"]
    # Who signs in does not depend on the seed; their names do.
    assert [u.email for u in other.report.users] == [u.email for u in seeded.report.users]
    again.engine.dispose()
    other.engine.dispose()


def test_report_matches_the_database(seeded: Seeded, session: Session) -> None:
    report = seeded.report
    assert report.products == SKUS == session.scalar(select(func.count(Product.id)))
    assert report.accounts == 5 == session.scalar(select(func.count(Account.id)))
    assert report.orders == session.scalar(select(func.count(Order.id)))
    assert report.order_lines == session.scalar(select(func.count(OrderLine.id)))
    assert 1500 <= report.orders <= 3000
    assert 20 <= len(report.users) <= 25
    assert report.seconds > 0


def test_skus_are_unique_and_carry_their_category_prefix(session: Session) -> None:
    rows = session.execute(select(Product.sku, Product.category)).all()
    assert len({sku for sku, _ in rows}) == len(rows)
    prefix_of: dict[str, set[str]] = defaultdict(set)
    for sku, category in rows:
        assert re.fullmatch(r"[A-Z]{3}-\d{6}", sku), sku
        prefix_of[category].add(sku[:3])
    assert len(prefix_of) >= 12
    assert all(len(prefixes) == 1 for prefixes in prefix_of.values())


def test_every_gtin_is_valid_unique_and_shares_the_item_reference(session: Session) -> None:
    units = session.scalars(select(ProductUnit)).all()
    gtins = [u.gtin for u in units]
    assert all(g is not None for g in gtins)
    assert len(set(gtins)) == len(gtins)
    base_gtin: dict[int, str] = {}
    for unit in units:
        assert unit.gtin is not None and gs1_valid(unit.gtin), unit.gtin
        assert len(unit.gtin) == 14  # stored as GTIN-14
        if unit.factor == 1:
            assert unit.gtin[0] == "0"  # an EAN-13 piece barcode, zero-padded
            base_gtin[unit.product_id] = unit.gtin[1:]
    assert len(base_gtin) == SKUS
    packs = [u for u in units if u.factor > 1]
    assert len({u.product_id for u in packs}) > SKUS // 2  # most products come in packs
    for unit in packs:
        assert unit.gtin is not None
        assert unit.gtin[0] in "12345678"
        assert unit.gtin[1:13] == base_gtin[unit.product_id][:12]


def test_units_and_quantity_rules_fit_together(session: Session) -> None:
    products = {p.id: p for p in session.scalars(select(Product))}
    assert {p.base_unit for p in products.values()} >= {"EA", "PR", "M", "L"}
    assert any(p.multiple > 1 for p in products.values())
    for product in products.values():
        assert product.min_qty >= 1 and product.min_qty % product.multiple == 0
        assert product.currency == "EUR" and product.list_price is not None
        assert product.list_price > 0
        assert product.list_price == product.list_price.quantize(Decimal("0.0001"))
    for unit in session.scalars(select(ProductUnit).where(ProductUnit.factor > 1)):
        assert unit.factor % products[unit.product_id].multiple == 0


def test_discontinued_products_point_to_an_active_replacement(session: Session) -> None:
    status = dict(session.execute(select(Product.sku, Product.status)).all())
    discontinued = session.scalars(select(Product).where(Product.status == "discontinued")).all()
    assert 0 < len(discontinued) < SKUS // 10
    for product in discontinued:
        assert product.replacement_sku is not None
        assert status[product.replacement_sku] == "active"


def test_stock_in_every_warehouse_for_every_product(session: Session) -> None:
    warehouses = session.scalars(select(Warehouse.code)).all()
    assert sorted(warehouses) == ["DUS", "HAM", "MUC"]
    rows = session.scalars(select(Stock)).all()
    assert len(rows) == SKUS * 3
    assert any(r.available == 0 for r in rows) and any(r.available > 0 for r in rows)
    assert any(r.next_receipt_date is not None for r in rows)
    for row in rows:
        assert row.as_of.tzinfo is not None
        if row.next_receipt_date is not None:
            assert row.next_receipt_date > TODAY and row.next_receipt_qty


def test_assortments_differ_by_category(session: Session) -> None:
    categories = dict(session.execute(select(Product.id, Product.category)).all())
    members: dict[str, set[int]] = defaultdict(set)
    for code, product_id in session.execute(
        select(Assortment.code, AssortmentProduct.product_id).join(
            AssortmentProduct, AssortmentProduct.assortment_id == Assortment.id
        )
    ):
        members[code].add(product_id)
    assert members["FULL"] == set(categories)
    assert {categories[p] for p in members["JAN-SAFE"]} == {"Janitorial", "Safety", "Packaging"}
    mro = {categories[p] for p in members["MRO"]}
    assert "Welding" not in mro and "Hydraulics" not in mro and len(mro) >= 10
    assert len({frozenset(m) for m in members.values()}) == 3


def test_price_lists_have_cheaper_tiers_for_more(session: Session) -> None:
    lists = {p.code: p for p in session.scalars(select(PriceList))}
    assert set(lists) == {"STD", "GOLD", "PROMO"}
    promo = lists["PROMO"]
    assert promo.valid_from is not None and promo.valid_to is not None
    assert promo.valid_from <= TODAY <= promo.valid_to
    list_price = {
        pid: price
        for pid, price in session.execute(select(Product.id, Product.list_price))
        if price is not None
    }
    tiers: dict[tuple[int, int], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for item in session.scalars(select(PriceListItem)):
        tiers[(item.price_list_id, item.product_id)].append((item.min_qty, item.price))
    std = [t for (pl, _), t in tiers.items() if pl == lists["STD"].id]
    assert len(std) > SKUS // 2
    assert sum(len(t) >= 2 for t in std) > len(std) // 2
    for (price_list_id, product_id), product_tiers in tiers.items():
        product_tiers.sort()
        assert product_tiers[0][0] == 1
        prices = [price for _, price in product_tiers]
        assert prices == sorted(prices, reverse=True)
        assert prices[0] <= list_price[product_id]
        if price_list_id == lists["STD"].id:
            assert prices[0] >= list_price[product_id] * Decimal("0.95") - CENT


def test_accounts_users_and_ship_tos(seeded: Seeded, session: Session) -> None:
    accounts = session.scalars(select(Account).order_by(Account.id)).all()
    by_number = {a.number: a for a in accounts}
    usable = [a for a in accounts if not a.on_hold]
    assert len(usable) == 4 and len(accounts) == 5
    assert len({a.assortment_id for a in usable}) >= 3
    assert len({a.price_list_id for a in usable}) >= 2
    subsidiary = [a for a in accounts if a.parent_id is not None]
    assert len(subsidiary) == 1 and by_number["10010"].id == subsidiary[0].parent_id
    assert sorted(a.price_tolerance_pct for a in accounts)[-1] == 2
    assert any(a.open_balance > a.credit_limit * Decimal("0.9") for a in usable)
    for account in accounts:
        assert account.currency == "EUR"
        ship_tos = session.scalars(select(ShipTo).where(ShipTo.account_id == account.id)).all()
        assert sum(s.is_default for s in ship_tos) == 1
        if not account.on_hold:
            assert 2 <= len(ship_tos) <= 4
    for account in usable:
        users = session.scalars(select(User).where(User.account_id == account.id)).all()
        roles = set().union(*(parse_roles(u.roles_raw) for u in users))
        assert {r.value for r in roles} >= {"admin", "buyer", "approver", "viewer"}
        approver = next(u for u in users if u.roles_raw == "approver")
        for user in users:
            assert user.email.endswith(".example")
            if user.spending_limit is not None:
                assert user.manager_id == approver.id
            if "admin" in user.roles_raw:
                assert user.spending_limit is None


def test_demo_passwords_verify(seeded: Seeded, session: Session) -> None:
    hashes = dict(session.execute(select(User.email, User.password_hash)).all())
    assert set(hashes) == {u.email for u in seeded.report.users}
    # argon2 is slow on purpose: check each distinct (hash, password) pair once.
    pairs = {(hashes[u.email], u.password) for u in seeded.report.users}
    assert all(len(password) >= 8 for _, password in pairs)
    for password_hash, password in pairs:
        assert verify_password(password_hash, password)
    password_hash, password = min(pairs)
    assert not verify_password(password_hash, password + "x")


def test_contract_prices_have_current_expired_and_future_windows(session: Session) -> None:
    rows = session.scalars(select(ContractPrice)).all()
    per_account = Counter(r.account_id for r in rows)
    assert len(per_account) == 2
    windows = {(r.contract_code, r.valid_from, r.valid_to) for r in rows}
    assert all(re.fullmatch(r"C-\d{4}-\d{3}", code) for code, _, _ in windows)
    assert any(f is not None and t is not None and f <= TODAY <= t for _, f, t in windows)
    assert any(t is not None and TODAY - dt.timedelta(days=10) <= t < TODAY for _, _, t in windows)
    assert any(f is not None and f > TODAY for _, f, _ in windows)


def test_order_lines_respect_quantity_rules_and_add_up(session: Session) -> None:
    products = {p.id: p for p in session.scalars(select(Product))}
    factors = {(u.product_id, u.code): u.factor for u in session.scalars(select(ProductUnit))}
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in session.scalars(select(OrderLine)):
        lines[line.order_id].append(line)
    sources: Counter[str] = Counter()
    for order in session.scalars(select(Order)):
        own = lines[order.id]
        assert 3 <= len(own) <= 25
        assert sorted(line.line_no for line in own) == list(range(1, len(own) + 1))
        for line in own:
            assert line.product_id is not None
            product = products[line.product_id]
            assert line.sku == product.sku
            base = line.quantity * factors[(product.id, line.unit)]
            assert base >= product.min_qty and base % product.multiple == 0, (line.sku, base)
            expected = (line.unit_price * line.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
            assert line.line_total == expected
            sources[line.price_source] += 1
        assert order.subtotal == sum((line.line_total for line in own), Decimal(0))
    assert set(sources) >= {"contract", "tier"}


def test_orders_span_two_years_with_aware_times(session: Session) -> None:
    start = dt.datetime(2024, 11, 24, tzinfo=dt.UTC)
    cutoff = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    orders = session.scalars(select(Order)).all()
    for order in orders:
        assert order.created_at.tzinfo is not None and order.updated_at.tzinfo is not None
        assert start <= order.created_at < cutoff
        assert order.created_at <= order.updated_at < cutoff
    assert min(o.created_at for o in orders) < start + dt.timedelta(days=30)
    assert max(o.created_at for o in orders) > cutoff - dt.timedelta(days=7)
    for event in session.scalars(select(OrderStatusEvent)):
        assert event.at.tzinfo is not None and event.at < cutoff
    for shipment in session.scalars(select(Shipment)):
        assert shipment.shipped_at.tzinfo is not None
        if shipment.delivered_at is not None:
            assert shipment.shipped_at < shipment.delivered_at < cutoff


def test_order_numbers_and_client_ids_are_unique(session: Session) -> None:
    rows = session.execute(select(Order.account_id, Order.number, Order.client_order_id)).all()
    assert len({(a, n) for a, n, _ in rows}) == len(rows)
    assert len({c for _, _, c in rows}) == len(rows)
    # History came through the ERP; the orders waiting for approval went through Orderpad.
    assert all(re.fullmatch(r"(SO-20\d\d-|OP-)\d{6}", n) for _, n, _ in rows)
    assert all(c.version == 4 for _, _, c in rows)


def test_accounts_reorder_their_favourites(session: Session) -> None:
    counts = Counter(
        session.execute(
            select(Order.account_id, OrderLine.sku).join(Order, Order.id == OrderLine.order_id)
        ).all()
    )
    for account_id in session.scalars(select(Account.id).where(Account.on_hold.is_(False))):
        staples = [sku for (a, sku), n in counts.items() if a == account_id and n >= 5]
        assert len(staples) >= 10, account_id


def test_status_history_and_shipments_tell_one_story(session: Session) -> None:
    events: dict[int, list[str]] = defaultdict(list)
    for event in session.scalars(select(OrderStatusEvent).order_by(OrderStatusEvent.id)):
        events[event.order_id].append(event.status)
    shipped_per_line: dict[int, Decimal] = defaultdict(Decimal)
    for line_id, quantity in session.execute(
        select(ShipmentLine.order_line_id, ShipmentLine.quantity)
    ):
        shipped_per_line[line_id] += quantity
    carriers = set(session.scalars(select(Shipment.carrier)))
    assert carriers <= {"DHL", "UPS", "DB Schenker"} and len(carriers) >= 2
    orders = session.scalars(select(Order).order_by(Order.created_at)).all()
    statuses = Counter(o.status for o in orders)
    assert statuses["delivered"] > len(orders) * 0.8
    assert statuses["submitted"] >= 4  # each usable account's newest order
    for order in orders:
        history = events[order.id]
        assert history[-1] == order.status
        assert history[0] in ("submitted", "pending_approval")
        if order.status == "delivered":
            core = [s for s in history if s not in ("pending_approval", "partly_shipped")]
            assert core == ["submitted", "sent_to_erp", "confirmed", "shipped", "delivered"]
            assert order.erp_number
    for line in session.scalars(select(OrderLine)):
        assert shipped_per_line[line.id] == line.quantity_shipped
    recent = {o.status for o in orders[-40:]}
    assert "submitted" in recent and recent & {"confirmed", "shipped", "partly_shipped"}


def test_every_seeded_row_is_in_the_change_log(session: Session) -> None:
    counters = {c.bucket: c for c in session.scalars(select(BucketCounter))}
    accounts = session.scalars(select(Account)).all()
    expected = {f"account:{a.id}" for a in accounts} | {f"contracts:{a.id}" for a in accounts}
    expected |= {f"catalog:{a.assortment_id}" for a in accounts}
    expected |= {f"stock:{a.assortment_id}" for a in accounts}
    expected |= {f"prices:{a.price_list_id}" for a in accounts}
    for bucket in expected:
        logged = session.execute(
            select(Change.entity, Change.key, Change.position, Change.deleted)
            .where(Change.bucket == bucket)
            .order_by(Change.position)
        ).all()
        # Every live row is in the log once, at positions 1..N, and nothing is a tombstone.
        assert sorted((e, k) for e, k, _p, _d in logged) == sorted(
            (c.entity, c.key) for c in live_keys(session, bucket)
        )
        assert [p for _e, _k, p, _d in logged] == list(range(1, len(logged) + 1))
        assert not any(d for *_x, d in logged)
        if logged:
            assert counters[bucket].position == len(logged)
            assert counters[bucket].history_floor == 0
        else:  # an account without contracts: no counter until its first change
            assert bucket.startswith("contracts:") and bucket not in counters
    assert {b for b in counters if not b.startswith("order_no:")} <= expected
    assert session.get(ServerMeta, "epoch") is not None


def test_seeding_twice_refuses_and_changes_nothing(seeded: Seeded, session: Session) -> None:
    before = session.scalar(select(func.count(Order.id)))
    with pytest.raises(SeedError, match="already seeded"):
        seed_demo(seeded.engine, skus=10, seed=1, today=TODAY)
    assert session.scalar(select(func.count(Order.id))) == before


def test_refuses_a_database_with_accounts_but_no_products(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    upgrade(engine)
    with Session(engine) as s, s.begin():
        s.add(Account(number="99999", name="Made by hand"))
    with pytest.raises(SeedError, match="accounts"):
        seed_demo(engine, skus=10, today=TODAY)
    engine.dispose()


def test_a_failed_seed_leaves_the_database_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.seed import demo

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # Fails after the catalog went in: none of it may stay.

    engine = make_engine(f"sqlite:///{tmp_path / 'broken.sqlite3'}")
    upgrade(engine)
    monkeypatch.setattr(demo, "build_accounts", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        seed_demo(engine, skus=50, today=TODAY)
    with Session(engine) as s:
        assert s.scalar(select(func.count(Product.id))) == 0
        assert s.scalar(select(func.count(Order.id))) == 0
    engine.dispose()


def test_skus_must_be_positive(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ValueError, match="skus"):
        seed_demo(engine, skus=0)
    engine.dispose()


@pytest.mark.postgres
def test_seed_on_postgres(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        upgrade(engine)
        report = seed_demo(engine, skus=300, seed=3, today=TODAY)
        with Session(engine) as s, s.begin():
            assert s.scalar(select(func.count(Product.id))) == 300
            assert s.scalar(select(func.count(OrderLine.id))) == report.order_lines
            order = s.scalars(select(Order).order_by(Order.id.desc()).limit(1)).one()
            assert order.created_at.tzinfo is not None
            assert isinstance(order.subtotal, Decimal)
            # The id sequences moved past the seeded ids: ordinary inserts still work.
            s.add(Warehouse(code="BER", name="Berlin east"))
            s.add(ShipTo(account_id=order.account_id, code="NEW", name="New site"))
            s.flush()
        with pytest.raises(SeedError):
            seed_demo(engine, skus=10, today=TODAY)
    finally:
        engine.dispose()

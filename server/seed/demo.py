"""`seed_demo`: fill an empty, migrated database with a realistic industrial-supplies demo.

The same `seed` (and `today`) always gives the same catalog, prices, accounts and order
history. Everything is written in one transaction with Core bulk inserts, so a failure
leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.domain.pricing import ContractPrice as ContractTerms
from server.models import (
    Account,
    Assortment,
    AssortmentProduct,
    ContractPrice,
    Order,
    OrderLine,
    OrderStatusEvent,
    PriceList,
    PriceListItem,
    Product,
    ProductUnit,
    Shipment,
    ShipmentLine,
    ShipTo,
    Stock,
    User,
    Warehouse,
)
from server.seed.accounts import SeededAccount, account_specs, build_accounts
from server.seed.approvals import route_history, seed_rules, seed_waiting_orders
from server.seed.assortments import ASSORTMENTS, assortment_rows
from server.seed.catalog import CatalogGenerator, CatalogProduct
from server.seed.fulfilment import OrderBook
from server.seed.history import DraftOrder, draft_orders
from server.seed.prices import (
    AccountPricer,
    PriceListSpec,
    TierGenerator,
    Tiers,
    contract_prices,
    price_list_rows,
    price_lists,
)
from server.seed.snapshot import start_history
from server.seed.stock import StockGenerator, warehouse_rows, warehouses
from server.seed.writer import BulkWriter

# Products kept in memory for order history and contracts, whatever the catalog size.
_POOL_TARGET = 6000
_CHUNK = 5000
_STREAMS = ("catalog", "stock", "prices", "pool", "accounts", "history", "contracts", "orders")


class SeedError(RuntimeError):
    """The database cannot be seeded (it already holds data)."""


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    password: str
    name: str
    roles: list[str]
    account_number: str
    account_name: str


@dataclass(frozen=True, slots=True)
class SeedReport:
    users: list[DemoUser]
    accounts: int
    products: int
    orders: int
    order_lines: int
    seconds: float


@dataclass(slots=True)
class _Pool:
    """A sample of the catalog, per assortment, with its price-list tiers."""

    by_assortment: dict[str, list[CatalogProduct]]
    tiers: dict[int, Tiers]


def seed_demo(
    engine: Engine, *, skus: int = 20_000, seed: int = 42, today: dt.date | None = None
) -> SeedReport:
    """Seed the demo into the (migrated, empty) database at `engine`.

    Raises SeedError when the database already holds products (or accounts, users,
    orders...), ValueError when `skus` < 1. `today` anchors the history (default: UTC today).
    """
    if skus < 1:
        raise ValueError(f"skus must be at least 1, not {skus}")
    started = time.perf_counter()
    today = today or dt.datetime.now(dt.UTC).date()
    # The nightly ERP snapshot: stock and catalog are "as of" the start of today (UTC).
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    master = random.Random(seed)
    # One generator per concern, so that e.g. the accounts do not depend on the catalog size.
    rngs = {name: random.Random(master.getrandbits(64)) for name in _STREAMS}
    lists = price_lists(today)
    with Session(engine) as session, session.begin():
        _refuse_unless_empty(session)
        writer = BulkWriter(session)
        pool = _write_catalog(writer, rngs, lists, skus=skus, today=today, stamp=stamp)
        account_rows = build_accounts(
            rngs["accounts"],
            account_specs(today),
            stamp=stamp,
            assortment_ids={a.code: a.id for a in ASSORTMENTS},
            price_list_ids={p.code: p.id for p in lists},
        )
        writer.write(Account, account_rows.accounts)
        writer.write(ShipTo, account_rows.ship_tos)
        # Managers first: a user's manager must exist when the user row arrives.
        writer.write(User, sorted(account_rows.users, key=lambda r: r["manager_id"] is not None))
        _write_orders(writer, rngs, account_rows.seeded, pool, lists, today=today, stamp=stamp)
        session.flush()
        seed_rules(session, account_rows.seeded)
        route_history(session)
        start_history(session)
        writer.reset_sequences()
        seed_waiting_orders(session, account_rows.seeded, seed=seed, stamp=stamp)
        session.flush()
        orders = session.scalar(select(func.count(Order.id))) or 0
        order_lines = session.scalar(select(func.count(OrderLine.id))) or 0
    return SeedReport(
        users=[
            DemoUser(u.email, u.password, u.name, list(u.roles), a.spec.number, a.spec.name)
            for a in account_rows.seeded
            for u in a.users
        ],
        accounts=len(account_rows.accounts),
        products=writer.counts.get("products", 0),
        orders=orders,
        order_lines=order_lines,
        seconds=round(time.perf_counter() - started, 3),
    )


def _refuse_unless_empty(session: Session) -> None:
    if session.scalar(select(Product.id).limit(1)) is not None:
        raise SeedError("database already seeded; use a fresh database")
    # The seed assigns ids itself, so any of these rows would collide with it.
    for model in (Account, User, Order, Warehouse, Assortment, PriceList):
        if session.scalar(select(model.id).limit(1)) is not None:
            raise SeedError(
                f"database already holds {model.__tablename__}; seed only a fresh database"
            )


def _write_catalog(
    writer: BulkWriter,
    rngs: dict[str, random.Random],
    lists: list[PriceListSpec],
    *,
    skus: int,
    today: dt.date,
    stamp: dt.datetime,
) -> _Pool:
    specs = warehouses()
    writer.write(Warehouse, warehouse_rows(specs))
    writer.write(Assortment, assortment_rows())
    writer.write(PriceList, price_list_rows(lists))
    catalog = CatalogGenerator(rngs["catalog"], stamp=stamp)
    stock = StockGenerator(rngs["stock"], specs, today=today, as_of=stamp)
    tiers = TierGenerator(rngs["prices"], lists)
    pool = _Pool({a.code: [] for a in ASSORTMENTS}, {})
    pool_rng = rngs["pool"]
    for chunk in catalog.chunks(skus, _CHUNK):
        stock_rows, member_rows, price_rows = [], [], []
        for product in chunk.products:
            stock_rows += stock.rows(product)
            product_tiers = tiers.tiers(product)
            price_rows += tiers.rows(product.id, product_tiers)
            in_pool = pool_rng.randrange(skus) < _POOL_TARGET
            if in_pool:
                pool.tiers[product.id] = product_tiers
            for assortment in ASSORTMENTS:
                if assortment.holds(product.category):
                    member_rows.append({"assortment_id": assortment.id, "product_id": product.id})
                    if in_pool:
                        pool.by_assortment[assortment.code].append(product)
        writer.write(Product, chunk.product_rows)
        writer.write(ProductUnit, chunk.unit_rows)
        writer.write(Stock, stock_rows)
        writer.write(AssortmentProduct, member_rows)
        writer.write(PriceListItem, price_rows)
    return pool


def _write_orders(
    writer: BulkWriter,
    rngs: dict[str, random.Random],
    accounts: list[SeededAccount],
    pool: _Pool,
    price_list_specs: list[PriceListSpec],
    *,
    today: dt.date,
    stamp: dt.datetime,
) -> None:
    lists = {p.code: p for p in price_list_specs}
    drafts: list[DraftOrder] = []
    pricers: dict[int, AccountPricer] = {}
    contract_rows_written = 0
    for account in accounts:
        candidates = pool.by_assortment[account.spec.assortment]
        own = draft_orders(rngs["history"], account, candidates, today=today)
        drafts += own
        terms: dict[int, tuple[ContractTerms, ...]] = {}
        if account.spec.contracts:
            chosen = _contract_products(rngs["contracts"], own, candidates)
            rows, terms = contract_prices(
                rngs["contracts"],
                account_id=account.id,
                contracts=account.spec.contracts,
                products=chosen,
                first_id=contract_rows_written + 1,
            )
            writer.write(ContractPrice, rows)
            contract_rows_written += len(rows)
        pricers[account.id] = AccountPricer(lists[account.spec.price_list], pool.tiers, terms)
    book = OrderBook(rngs["orders"], cutoff=stamp, pricers=pricers)
    for draft in sorted(drafts, key=lambda d: (d.created, d.account.id)):
        book.add(draft)
    writer.write(Order, book.rows.orders)
    writer.write(OrderLine, book.rows.lines)
    writer.write(OrderStatusEvent, book.rows.events)
    writer.write(Shipment, book.rows.shipments)
    writer.write(ShipmentLine, book.rows.shipment_lines)


def _contract_products(
    rng: random.Random, drafts: list[DraftOrder], candidates: list[CatalogProduct]
) -> list[CatalogProduct]:
    """A few hundred products: mostly what the account buys most, plus some it might."""
    wanted = rng.randint(200, 400)
    ordered = Counter(line.product.id for d in drafts for line in d.lines)
    by_id = {p.id: p for p in candidates}
    chosen = [by_id[pid] for pid, _ in ordered.most_common(wanted * 7 // 10) if pid in by_id]
    taken = {p.id for p in chosen}
    rest = [p for p in candidates if p.active and p.id not in taken]
    chosen += rng.sample(rest, min(len(rest), wanted - len(chosen)))
    return chosen

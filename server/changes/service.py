"""Recording changes: every business write calls these inside its own transaction.

Buckets:
- ``catalog:<assortment id>``  products of an assortment (entity ``product``, key SKU)
- ``stock:<assortment id>``    stock of those products, all warehouses (entity ``stock``, key SKU)
- ``prices:<price list id>``   tiers of one product in one list (entity ``price``, key SKU)
- ``contracts:<account id>``   an account's contract prices (entity ``contract``, key SKU)
- ``account:<account id>``     the account, ship-tos, users, orders (entity name, key)

A product's change is fanned out to every assortment that holds it; a scope change (product
added to or removed from an assortment) is a change or tombstone in that assortment's buckets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.accounts.models import Account, ShipTo, User
from server.approvals.models import ApprovalRuleRow
from server.carts.models import Cart
from server.catalog.models import Assortment, AssortmentProduct, Product
from server.changes.models import BucketCounter, Change, ServerMeta
from server.db import utcnow
from server.orders.models import Order
from server.pricing.models import ContractPrice, PriceList, PriceListItem
from server.stock.models import Stock


def catalog_bucket(assortment_id: int) -> str:
    return f"catalog:{assortment_id}"


def stock_bucket(assortment_id: int) -> str:
    return f"stock:{assortment_id}"


def prices_bucket(price_list_id: int) -> str:
    return f"prices:{price_list_id}"


def contracts_bucket(account_id: int) -> str:
    return f"contracts:{account_id}"


def account_bucket(account_id: int) -> str:
    return f"account:{account_id}"


@dataclass(frozen=True, slots=True)
class RowChange:
    entity: str
    key: str
    deleted: bool = False


def _upsert(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert or move (bucket, entity, key) rows; one compiled statement run as executemany."""
    ins = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = ins(Change)
    stmt = stmt.on_conflict_do_update(
        index_elements=["bucket", "entity", "key"],
        set_={
            "position": stmt.excluded.position,
            "deleted": stmt.excluded.deleted,
            "at": stmt.excluded.at,
        },
    )
    session.execute(stmt, rows)


def bump_bucket(session: Session, bucket: str, count: int = 1) -> int:
    """Reserve `count` positions in `bucket`; returns the last one. Locks the counter row."""
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(ins(BucketCounter).values(bucket=bucket, position=0).on_conflict_do_nothing())
    end = session.execute(
        update(BucketCounter)
        .where(BucketCounter.bucket == bucket)
        .values(position=BucketCounter.position + count)
        .returning(BucketCounter.position)
    ).scalar_one()
    return int(end)


_CHUNK = 500


def record_changes(session: Session, bucket: str, changes: Sequence[RowChange]) -> int:
    """Log `changes` in `bucket` at fresh positions; returns the bucket's new position."""
    unique = list({(c.entity, c.key): c for c in changes}.values())
    if not unique:
        return 0
    end = bump_bucket(session, bucket, len(unique))
    start = end - len(unique) + 1
    now = utcnow()
    rows: list[dict[str, object]] = [
        {
            "bucket": bucket,
            "entity": c.entity,
            "key": c.key,
            "position": start + i,
            "deleted": c.deleted,
            "at": now,
        }
        for i, c in enumerate(unique)
    ]
    for i in range(0, len(rows), 5_000):
        _upsert(session, rows[i : i + 5_000])
    return end


def assortments_of(session: Session, product_ids: Iterable[int]) -> dict[int, list[int]]:
    """assortment id -> the given product ids it holds."""
    ids = list(set(product_ids))
    result: dict[int, list[int]] = {}
    for i in range(0, len(ids), _CHUNK):
        for assortment_id, product_id in session.execute(
            select(AssortmentProduct.assortment_id, AssortmentProduct.product_id).where(
                AssortmentProduct.product_id.in_(ids[i : i + _CHUNK])
            )
        ):
            result.setdefault(assortment_id, []).append(product_id)
    return result


def record_product_changes(
    session: Session, skus_by_id: dict[int, str], *, stock: bool = False
) -> None:
    """A product (or its stock, with `stock=True`) changed: tell every assortment holding it."""
    entity = "stock" if stock else "product"
    for assortment_id, product_ids in assortments_of(session, skus_by_id).items():
        bucket = stock_bucket(assortment_id) if stock else catalog_bucket(assortment_id)
        record_changes(session, bucket, [RowChange(entity, skus_by_id[p]) for p in product_ids])


def record_scope_change(
    session: Session, assortment_id: int, skus: Sequence[str], *, removed: bool
) -> None:
    """Products entered or left an assortment: rows (or tombstones) in its catalog and stock."""
    for bucket, entity in (
        (catalog_bucket(assortment_id), "product"),
        (stock_bucket(assortment_id), "stock"),
    ):
        record_changes(session, bucket, [RowChange(entity, s, deleted=removed) for s in skus])


def server_epoch(session: Session) -> str:
    """This database's epoch: new after a restore from backup or a re-initialisation."""
    meta = session.get(ServerMeta, "epoch")
    if meta is None:
        meta = ServerMeta(name="epoch", value=uuid.uuid4().hex)
        session.add(meta)
        session.flush()
    return meta.value


def live_keys(session: Session, bucket: str) -> list[RowChange]:
    """Every row a bucket holds now, read from the business tables."""
    kind, _, owner_raw = bucket.partition(":")
    owner = int(owner_raw)
    in_assortment = select(AssortmentProduct.product_id).where(
        AssortmentProduct.assortment_id == owner
    )
    if kind == "catalog":
        skus = session.scalars(select(Product.sku).where(Product.id.in_(in_assortment)))
        return [RowChange("product", s) for s in skus]
    if kind == "stock":
        skus = session.scalars(
            select(Product.sku).where(
                Product.id.in_(in_assortment),
                Product.id.in_(select(Stock.product_id).distinct()),
            )
        )
        return [RowChange("stock", s) for s in skus]
    if kind == "prices":
        skus = session.scalars(
            select(Product.sku).where(
                Product.id.in_(
                    select(PriceListItem.product_id).where(PriceListItem.price_list_id == owner)
                )
            )
        )
        return [RowChange("price", s) for s in skus]
    if kind == "contracts":
        skus = session.scalars(
            select(Product.sku).where(
                Product.id.in_(
                    select(ContractPrice.product_id).where(ContractPrice.account_id == owner)
                )
            )
        )
        return [RowChange("contract", s) for s in skus]
    if kind == "account":
        out = [
            RowChange("account", n)
            for n in session.scalars(select(Account.number).where(Account.id == owner))
        ]
        out += [
            RowChange("ship_to", c)
            for c in session.scalars(select(ShipTo.code).where(ShipTo.account_id == owner))
        ]
        out += [
            RowChange("user", str(i))
            for i in session.scalars(select(User.id).where(User.account_id == owner))
        ]
        out += [
            RowChange("cart", str(i))
            for i in session.scalars(select(Cart.id).where(Cart.account_id == owner))
        ]
        out += [
            RowChange("approval_rule", str(i))
            for i in session.scalars(
                select(ApprovalRuleRow.id).where(
                    ApprovalRuleRow.account_id == owner, ApprovalRuleRow.deleted.is_(False)
                )
            )
        ]
        out += [
            RowChange("order", str(i))
            for i in session.scalars(
                select(Order.client_order_id)
                .where(Order.account_id == owner)
                .order_by(Order.created_at)
            )
        ]
        return out
    raise ValueError(f"unknown bucket kind {kind!r}")


def all_buckets(session: Session) -> list[str]:
    buckets: list[str] = []
    for aid in session.scalars(select(Assortment.id)):
        buckets += [catalog_bucket(aid), stock_bucket(aid)]
    buckets += [prices_bucket(pid) for pid in session.scalars(select(PriceList.id))]
    for acc in session.scalars(select(Account.id)):
        buckets += [contracts_bucket(acc), account_bucket(acc)]
    return buckets


def reconcile_bucket(session: Session, bucket: str) -> int:
    """Log every row the bucket holds but the log lacks, and tombstone what it lost.

    Used after the demo seed and as a repair tool; returns the number of changes logged.
    """
    live = live_keys(session, bucket)
    logged = {
        (e, k): deleted
        for e, k, deleted in session.execute(
            select(Change.entity, Change.key, Change.deleted).where(Change.bucket == bucket)
        )
    }
    live_set = {(c.entity, c.key) for c in live}
    todo = [c for c in live if logged.get((c.entity, c.key), True)]
    todo += [
        RowChange(e, k, deleted=True)
        for (e, k), deleted in logged.items()
        if not deleted and (e, k) not in live_set
    ]
    if not todo:
        return 0
    if not logged:
        # A fresh bucket: plain bulk insert is much faster than an upsert per row.
        end = bump_bucket(session, bucket, len(todo))
        start = end - len(todo) + 1
        now = utcnow()
        rows = [
            {
                "bucket": bucket,
                "entity": c.entity,
                "key": c.key,
                "position": start + i,
                "deleted": False,
                "at": now,
            }
            for i, c in enumerate(todo)
        ]
        for i in range(0, len(rows), 10_000):
            session.execute(insert(Change), rows[i : i + 10_000])
    else:
        record_changes(session, bucket, todo)
    return len(todo)


def reconcile_all(session: Session) -> int:
    return sum(reconcile_bucket(session, b) for b in all_buckets(session))

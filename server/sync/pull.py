"""Pull: the changes of a caller's buckets since its cursors, in pages, with checkpoints."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.checksum import fold, row_hash
from server.accounts.models import Account
from server.changes.models import BucketCounter
from server.changes.service import (
    account_bucket,
    catalog_bucket,
    contracts_bucket,
    prices_bucket,
    server_epoch,
    stock_bucket,
)
from server.db import utcnow
from server.sync import PROTOCOL_VERSION
from server.sync.serialize import (
    Data,
    RawQuery,
    load_account_entities,
    load_contracts,
    load_prices,
    load_products,
    load_stock,
)

MAX_LIMIT = 10_000


def caller_buckets(account: Account) -> list[str]:
    """The buckets an account may read, derived from the account row (never the request)."""
    buckets = [account_bucket(account.id), contracts_bucket(account.id)]
    if account.price_list_id is not None:
        buckets.append(prices_bucket(account.price_list_id))
    if account.assortment_id is not None:
        buckets += [catalog_bucket(account.assortment_id), stock_bucket(account.assortment_id)]
    return buckets


@dataclass(frozen=True, slots=True)
class Checkpoint:
    position: int
    count: int
    checksum: str


class CheckpointCache:
    """Checkpoints by (epoch, bucket, position): a position never changes meaning in an epoch."""

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[tuple[str, str, int], Checkpoint] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: tuple[str, str, int]) -> Checkpoint | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[str, str, int], value: Checkpoint) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def checkpoint(session: Session, bucket: str, position: int) -> Checkpoint:
    """Live-row count and checksum of `bucket` as of `position`."""
    rows = RawQuery(session).rows(
        "SELECT entity, key, position FROM changes "
        "WHERE bucket = {m} AND deleted = {m} AND position <= {m}",
        (bucket, False, position),
    )
    hashes = [row_hash(entity, key, pos) for entity, key, pos in rows]
    return Checkpoint(position=position, count=len(hashes), checksum=fold(hashes))


def _load(session: Session, bucket: str, entity: str, keys: list[str]) -> dict[str, Data]:
    kind, _, owner_raw = bucket.partition(":")
    owner = int(owner_raw)
    if kind == "catalog":
        return load_products(session, owner, keys)
    if kind == "stock":
        return load_stock(session, owner, keys)
    if kind == "prices":
        return load_prices(session, owner, keys)
    if kind == "contracts":
        return load_contracts(session, owner, keys)
    if kind == "account":
        return load_account_entities(session, owner, entity, keys)
    return {}


def _page(
    session: Session, bucket: str, cursor: int, reset: bool, budget: int, top: int
) -> tuple[list[dict[str, Any]], int, bool]:
    """Rows after `cursor` up to `top`; returns (rows, new cursor, complete)."""
    # The driver's rows, not SQLAlchemy's: up to 10,000 of them per page.
    live_only = " AND deleted = {m}" if reset else ""
    changes = RawQuery(session).rows(
        "SELECT entity, key, position, deleted FROM changes WHERE bucket = {m} "
        f"AND position > {{m}} AND position <= {{m}}{live_only} ORDER BY position LIMIT {{m}}",
        (bucket, cursor, top, *((False,) if reset else ()), budget + 1),
    )
    complete = len(changes) <= budget
    changes = changes[:budget]
    by_entity: dict[str, list[str]] = {}
    for entity, key, _pos, deleted in changes:
        if not deleted:
            by_entity.setdefault(entity, []).append(key)
    data = {entity: _load(session, bucket, entity, keys) for entity, keys in by_entity.items()}
    rows: list[dict[str, Any]] = []
    for entity, key, pos, deleted in changes:
        row = None if deleted else data[entity].get(key)
        if row is None and reset:
            continue  # gone since it was logged; a snapshot does not carry tombstones
        rows.append(
            {"entity": entity, "key": key, "position": pos, "deleted": row is None, "data": row}
        )
    new_cursor = top if complete else changes[-1][2]
    return rows, new_cursor, complete


def pull(
    session: Session,
    account: Account,
    *,
    cursors: dict[str, int],
    epoch: str | None,
    limit: int,
    cache: CheckpointCache,
    verify: bool = False,
) -> dict[str, Any]:
    """Build one pull answer (see docs/sync-protocol.md). `verify` asks for the checkpoint of
    every complete bucket, changed or not, so a client can check its replica."""
    current_epoch = server_epoch(session)
    other_epoch = epoch is not None and epoch != current_epoch
    buckets = caller_buckets(account)
    budget = max(1, min(limit, MAX_LIMIT))
    counters = {
        c.bucket: c
        for c in session.scalars(select(BucketCounter).where(BucketCounter.bucket.in_(buckets)))
    }
    answer: list[dict[str, Any]] = []
    more = False
    for bucket in buckets:
        counter = counters.get(bucket)
        top = counter.position if counter else 0
        floor = counter.history_floor if counter else 0
        cursor = cursors.get(bucket, 0)
        reset = other_epoch or cursor <= 0 or cursor < floor or cursor > top
        if reset:
            cursor = 0
        if budget <= 0:
            more = True
            break
        rows, new_cursor, complete = _page(session, bucket, cursor, reset, budget, top)
        budget -= max(1, len(rows))
        more = more or not complete
        cp = None
        if complete and (verify or rows or reset or cursor != new_cursor):
            key = (current_epoch, bucket, new_cursor)
            cp = cache.get(key)
            if cp is None:
                cp = checkpoint(session, bucket, new_cursor)
                cache.put(key, cp)
        answer.append(
            {
                "bucket": bucket,
                "reset": reset,
                "from": cursor,
                "to": new_cursor,
                "complete": complete,
                "rows": rows,
                "checkpoint": None
                if cp is None
                else {"position": cp.position, "count": cp.count, "checksum": cp.checksum},
            }
        )
    return {
        "protocol": PROTOCOL_VERSION,
        "epoch": current_epoch,
        "server_time": utcnow().isoformat(),
        "buckets": answer,
        "dropped": sorted(b for b in cursors if b not in buckets),
        "more": more,
    }

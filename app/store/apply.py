"""Applying pull pages: rows, tombstones, the cursor and reset bookkeeping, in bulk.

Everything here runs inside the caller's transaction (``Replica.apply_page`` opens it), so a
page and its cursor are stored together or not at all.

Resets: a page with ``reset`` and ``from == 0`` starts a new *generation* of its bucket and
marks it resetting; every row written carries the generation it arrived in. When a
``complete`` page of a resetting bucket arrives, rows of older generations are the ones the
server did not send again, and are deleted. Until then the old rows stay visible, so a
re-download never leaves the replica empty half-way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.store import search_index
from app.store.entities import (
    OTHER,
    EntityTable,
    UnitRow,
    all_tables,
    canonical,
    digest_of,
    project_product,
    table_for,
)
from app.store.outbox import PENDING_CART_IDS_SQL
from app.store.pages import BucketPage, PageRow

SYNC_COLUMNS = ("bucket", "position", "digest", "data", "gen")
_FIRST_PROJECTION = 1 + len(SYNC_COLUMNS)  # index of the first projected value in a row tuple
_CHUNK = 900  # stays below SQLite's host-parameter limit with room for extra parameters


class CursorGap(ValueError):
    """A page starts after the stored cursor: applying it would skip changes silently."""


@dataclass(slots=True)
class BucketCursor:
    cursor: int = 0
    gen: int = 0
    resetting: bool = False


@dataclass(frozen=True, slots=True)
class _Existing:
    bucket: str | None
    gen: int
    position: int | None
    digest: str | None


def read_state(conn: Connection, bucket: str) -> BucketCursor:
    row = conn.exec_driver_sql(
        "SELECT cursor, gen, resetting FROM bucket_state WHERE bucket = ?", (bucket,)
    ).first()
    if row is None:
        return BucketCursor()
    return BucketCursor(int(row[0]), int(row[1]), bool(row[2]))


def write_state(conn: Connection, bucket: str, state: BucketCursor, synced_at: str | None) -> None:
    conn.exec_driver_sql(
        "INSERT INTO bucket_state (bucket, cursor, gen, resetting, synced_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET cursor = excluded.cursor, "
        "gen = excluded.gen, resetting = excluded.resetting, "
        "synced_at = COALESCE(excluded.synced_at, bucket_state.synced_at)",
        (bucket, state.cursor, state.gen, int(state.resetting), synced_at),
    )


@dataclass(frozen=True, slots=True)
class PreparedRow:
    """A live row checked and serialised: canonical JSON, its digest and typed columns."""

    key: str
    position: int
    digest: str
    text: str
    projection: tuple[object, ...]
    units: list[UnitRow]


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A page with every row checked and serialised, ready for a short write transaction."""

    page: BucketPage
    live: dict[str, list[PreparedRow]]  # by entity
    dead: dict[str, list[PageRow]]  # tombstones by entity


def prepare_page(page: BucketPage) -> PreparedPage:
    """Check and serialise ``page`` without touching the database (any thread may call it).

    Raises MalformedRow for a live row this version cannot read. A key sent twice keeps
    its last version.
    """
    latest: dict[tuple[str, str], PageRow] = {}
    for row in page.rows:
        latest[(row.entity, row.key)] = row
    live: dict[str, list[PreparedRow]] = {}
    dead: dict[str, list[PageRow]] = {}
    for row in latest.values():
        if row.data is None:
            dead.setdefault(row.entity, []).append(row)
            continue
        table = table_for(row.entity)
        if table.entity == "product":
            projection, units = project_product(row.key, row.data)
        else:
            projection, units = table.project(row.key, row.data), _NO_UNITS
        text = canonical(row.data)
        live.setdefault(row.entity, []).append(
            PreparedRow(row.key, row.position, digest_of(text), text.decode(), projection, units)
        )
    return PreparedPage(page, live, dead)


_NO_UNITS: list[UnitRow] = []


def apply_page(conn: Connection, prepared: PreparedPage, *, now: str) -> None:
    """Store a prepared page and advance its bucket's cursor, in the caller's transaction."""
    page = prepared.page
    state = read_state(conn, page.bucket)
    if page.reset and page.from_position == 0:
        state = BucketCursor(page.to_position, state.gen + 1, True)
    elif page.from_position > state.cursor:
        raise CursorGap(
            f"bucket {page.bucket}: page starts at {page.from_position}, "
            f"the replica is at {state.cursor}"
        )
    else:
        # An overlapping page (a retried pull) is harmless; the cursor never goes back.
        state.cursor = max(state.cursor, page.to_position)
    for entity in {**prepared.live, **prepared.dead}:
        live = prepared.live.get(entity, [])
        dead = prepared.dead.get(entity, [])
        _apply_rows(conn, entity, page.bucket, state.gen, live, dead)
    if page.complete and state.resetting:
        remove_bucket_rows(conn, page.bucket, older_than_gen=state.gen)
        state.resetting = False
    write_state(conn, page.bucket, state, now)


def remove_bucket_rows(conn: Connection, bucket: str, *, older_than_gen: int | None = None) -> None:
    """Delete the rows of ``bucket`` (only those of generations other than the given one).

    A cart with unsent local edits is detached (kept as a local cart) instead of deleted.
    """
    where = "bucket = ?"
    params: tuple[object, ...] = (bucket,)
    if older_than_gen is not None:
        where += " AND gen != ?"
        params += (older_than_gen,)
    conn.exec_driver_sql(
        "UPDATE carts SET local = COALESCE(local, data), bucket = NULL, position = NULL, "
        f"digest = NULL, data = NULL WHERE {where} AND cart_id IN ({PENDING_CART_IDS_SQL})",
        params,
    )
    search_index.unindex(conn, where, params)
    conn.exec_driver_sql(
        f"DELETE FROM product_units WHERE sku IN (SELECT sku FROM products WHERE {where})", params
    )
    for table in {t.table for t in all_tables()}:
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE {where}", params)


def _apply_rows(
    conn: Connection,
    entity: str,
    bucket: str,
    gen: int,
    live: list[PreparedRow],
    tombstones: list[PageRow],
) -> None:
    table = table_for(entity)
    keys = [row.key for row in live] + [row.key for row in tombstones]
    found = _existing(conn, table, entity, keys)
    # SKUs are case-insensitive in the products table: match the stored spelling.
    fold = _ascii_lower if table.entity == "product" else _same
    existing = {fold(key): old for key, old in found.items()}
    lookup = {key: existing.get(fold(key)) for key in keys}

    def fresh(key: str, position: int) -> bool:
        # An older version of a row already stored in this generation must not win.
        old = lookup[key]
        return not (
            old is not None
            and old.bucket == bucket
            and old.gen == gen
            and old.position is not None
            and old.position > position
        )

    dead = [
        row.key
        for row in tombstones
        if fresh(row.key, row.position)
        and (old := lookup[row.key]) is not None
        and old.bucket == bucket  # the row may belong to another bucket by now
    ]
    rows = [row for row in live if fresh(row.key, row.position)]
    params = [
        (row.key, bucket, row.position, row.digest, row.text, gen, *row.projection) for row in rows
    ]
    if table is OTHER:
        _write_other(conn, entity, params, dead)
    elif table.entity == "cart":
        _write_carts(conn, table, params, dead)
    elif table.entity == "product":
        _write_products(conn, table, params, dead, rows, lookup)
    else:
        if table.entity == "order":
            # The echo of an order queued here replaces the local copy, whatever its key.
            conn_many(
                conn,
                "DELETE FROM orders WHERE bucket IS NULL AND client_order_id = ? AND key != ?",
                [(p[_FIRST_PROJECTION], p[0]) for p in params],  # client_order_id, key
            )
        _write_keyed(conn, table, params, dead)


def _write_keyed(
    conn: Connection, table: EntityTable, params: list[tuple[object, ...]], dead: list[str]
) -> None:
    extra = ("local",) if table.local_copy else ()  # the server's version replaces ours
    params_extra = [(*p, None) for p in params] if extra else params
    columns = (table.key_column, *SYNC_COLUMNS, *table.columns, *extra)
    conn_many(conn, _upsert_sql(table.table, (table.key_column,), columns), params_extra)
    delete = f"DELETE FROM {table.table} WHERE {table.key_column} = ?"
    conn_many(conn, delete, [(key,) for key in dead])


def _write_products(
    conn: Connection,
    table: EntityTable,
    params: list[tuple[object, ...]],
    dead: list[str],
    rows: list[PreparedRow],
    lookup: dict[str, _Existing | None],
) -> None:
    # Units and search terms follow the data: rewrite them only for new or changed rows
    # (a re-download after an epoch change sends every row again, mostly unchanged).
    changed = [row for row in rows if (old := lookup[row.key]) is None or old.digest != row.digest]
    replaced = [row.key for row in changed if lookup[row.key] is not None]
    search_index.unindex_skus(conn, replaced + dead)
    _write_keyed(conn, table, params, dead)
    conn_many(conn, "DELETE FROM product_units WHERE sku = ?", [(k,) for k in replaced + dead])
    conn_many(
        conn,
        "INSERT INTO product_units (sku, code, factor, gtin) VALUES (?, ?, ?, ?)",
        [(row.key, *unit) for row in changed for unit in row.units],
    )
    search_index.index_skus(conn, [row.key for row in changed])


def _write_carts(
    conn: Connection, table: EntityTable, params: list[tuple[object, ...]], dead: list[str]
) -> None:
    # A cart with unsent local edits keeps its local version; the server's is stored beside
    # it (for checksums) and takes over once the outbox has no pending entry for the cart.
    pending = {str(r[0]) for r in conn.exec_driver_sql(PENDING_CART_IDS_SQL)}
    settled = [(*p, None) for p in params if p[0] not in pending]
    dirty = [p for p in params if p[0] in pending]
    columns = (table.key_column, *SYNC_COLUMNS, *table.columns)
    conn_many(conn, _upsert_sql("carts", ("cart_id",), (*columns, "local")), settled)
    conn_many(conn, _upsert_sql("carts", ("cart_id",), columns, SYNC_COLUMNS), dirty)
    conn_many(
        conn,
        "UPDATE carts SET local = COALESCE(local, data), bucket = NULL, position = NULL, "
        "digest = NULL, data = NULL WHERE cart_id = ?",
        [(key,) for key in dead if key in pending],
    )
    conn_many(conn, "DELETE FROM carts WHERE cart_id = ?", [(k,) for k in dead if k not in pending])


def _write_other(
    conn: Connection, entity: str, params: list[tuple[object, ...]], dead: list[str]
) -> None:
    columns = ("entity", "key", *SYNC_COLUMNS)
    conn_many(
        conn, _upsert_sql("other_rows", ("entity", "key"), columns), [(entity, *p) for p in params]
    )
    conn_many(
        conn, "DELETE FROM other_rows WHERE entity = ? AND key = ?", [(entity, k) for k in dead]
    )


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(key: str) -> str:
    return key.translate(_ASCII_LOWER)  # what SQLite's NOCASE folds


def _same(key: str) -> str:
    return key


def _existing(
    conn: Connection, table: EntityTable, entity: str, keys: Sequence[str]
) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    key_column = table.key_column
    scope, scope_params = ("entity = ? AND ", (entity,)) if table is OTHER else ("", ())
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for key, bucket, gen, position, digest in conn.exec_driver_sql(
            f"SELECT {key_column}, bucket, gen, position, digest FROM {table.table} "
            f"WHERE {scope}{key_column} IN ({marks})",
            (*scope_params, *chunk),
        ):
            found[key] = _Existing(bucket, gen, position, digest)
    return found


def _upsert_sql(
    table: str,
    key_columns: tuple[str, ...],
    columns: tuple[str, ...],
    update_columns: Iterable[str] | None = None,
) -> str:
    updates = [c for c in (update_columns or columns) if c not in key_columns]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in updates)
    )


def conn_many(conn: Connection, sql: str, params: Sequence[tuple[Any, ...]]) -> None:
    """executemany through the driver (bulk speed); does nothing for no parameters."""
    if params:
        conn.exec_driver_sql(sql, list(params))

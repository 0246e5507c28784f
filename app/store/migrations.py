"""Schema migrations of the replica, run in one transaction every time it is opened.

Steps are frozen: never edit a released step, append a new one. A step may add tables and
columns and rebuild projections from the stored ``data``; it must never drop or empty the
outbox (unsent orders!) or the meta table (device id, outbox sequence): ``migrate`` checks
both after every step and rolls the whole upgrade back if one was touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

PROTECTED_TABLES = ("outbox", "meta")


class MigrationError(RuntimeError):
    """A migration failed or broke a rule; the replica file was left as it was."""


class ReplicaTooNew(MigrationError):
    """The file was written by a newer Orderpad; this version must not touch it."""


@dataclass(frozen=True, slots=True)
class Migration:
    """Step ``version`` (1, 2, …): ``apply`` runs inside the upgrade's transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def sql_step(version: int, description: str, *statements: str) -> Migration:
    """A step that runs plain SQL statements in order."""

    def run(conn: Connection) -> None:
        for statement in statements:
            conn.exec_driver_sql(statement)

    return Migration(version, description, run)


_SYNCED = "bucket TEXT NOT NULL, position INTEGER NOT NULL, digest TEXT NOT NULL, "
_SYNCED += "data TEXT NOT NULL, gen INTEGER NOT NULL"
_MAYBE_SYNCED = "bucket TEXT, position INTEGER, digest TEXT, data TEXT, "
_MAYBE_SYNCED += "gen INTEGER NOT NULL DEFAULT 0, local TEXT"
_FTS_COLUMNS = "sku, name, description, brand, category, barcodes"


def _keyed(table: str, key: str) -> str:
    return f"CREATE TABLE {table} ({key} TEXT NOT NULL PRIMARY KEY, {_SYNCED})"


_V1 = (
    "CREATE TABLE meta (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE bucket_state (
        bucket TEXT NOT NULL PRIMARY KEY, cursor INTEGER NOT NULL DEFAULT 0,
        gen INTEGER NOT NULL DEFAULT 0, resetting BOOLEAN NOT NULL DEFAULT 0, synced_at TEXT)""",
    """CREATE TABLE outbox (
        id TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, name TEXT NOT NULL,
        args TEXT NOT NULL, created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
            ('pending', 'sending', 'applied', 'rejected', 'needs_confirmation')),
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, result TEXT,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX ix_outbox_state ON outbox (state, seq)",
    # SKUs are case-insensitive (as on the server): one NOCASE unique index serves exact,
    # case-insensitive and prefix lookups. ``id`` is a rowid alias for the FTS index.
    # No (bucket, gen) indexes anywhere: a table holds one bucket or few rows, and every
    # index costs the bulk insert more than it saves the rare scans by bucket.
    f"""CREATE TABLE products (
        id INTEGER NOT NULL PRIMARY KEY, sku TEXT NOT NULL UNIQUE COLLATE NOCASE, {_SYNCED},
        name TEXT NOT NULL, description TEXT, category TEXT, brand TEXT,
        base_unit TEXT NOT NULL, min_qty TEXT, multiple TEXT, list_price TEXT, currency TEXT,
        status TEXT NOT NULL, replacement_sku TEXT, barcodes TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX ix_products_category ON products (category)",
    """CREATE TABLE product_units (
        sku TEXT NOT NULL COLLATE NOCASE, code TEXT NOT NULL, factor INTEGER NOT NULL,
        gtin TEXT, PRIMARY KEY (sku, code)) WITHOUT ROWID""",
    "CREATE INDEX ix_product_units_gtin ON product_units (gtin) WHERE gtin IS NOT NULL",
    # External content: the index keeps no copy of the text. No triggers keep it in step:
    # FTS5 flushes its pending terms at every trigger's statement savepoint, which made
    # bulk sync 3x slower; search_index.py maintains it per page instead.
    f"""CREATE VIRTUAL TABLE products_fts USING fts5({_FTS_COLUMNS},
        content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    # Merge index segments less eagerly while writing (bulk sync inserts faster).
    "INSERT INTO products_fts (products_fts, rank) VALUES ('automerge', 16)",
    _keyed("stock", "sku"),
    _keyed("prices", "sku"),
    _keyed("contracts", "sku"),
    "CREATE TABLE accounts (number TEXT NOT NULL PRIMARY KEY, "
    f"{_SYNCED}, name TEXT, currency TEXT)",
    "CREATE TABLE ship_tos (code TEXT NOT NULL PRIMARY KEY, "
    f"{_SYNCED}, name TEXT, is_default BOOLEAN NOT NULL)",
    f"CREATE TABLE users (id TEXT NOT NULL PRIMARY KEY, {_SYNCED}, email TEXT, name TEXT)",
    f"""CREATE TABLE carts (cart_id TEXT NOT NULL PRIMARY KEY, {_MAYBE_SYNCED},
        name TEXT NOT NULL, status TEXT NOT NULL, updated_at TEXT)""",
    f"""CREATE TABLE orders (key TEXT NOT NULL PRIMARY KEY, {_MAYBE_SYNCED},
        client_order_id TEXT NOT NULL, number TEXT, status TEXT NOT NULL, created_at TEXT,
        po_number TEXT)""",
    "CREATE INDEX ix_orders_client_order_id ON orders (client_order_id)",
    "CREATE INDEX ix_orders_created_at ON orders (created_at)",
    f"""CREATE TABLE other_rows (entity TEXT NOT NULL, key TEXT NOT NULL, {_SYNCED},
        PRIMARY KEY (entity, key))""",
)

# Quick order: the buyer's own part numbers (synced or learned when the buyer confirms one),
# the column mappings confirmed per spreadsheet layout, and saved lists (order templates)
# (app/store/partnumbers.py, layouts.py, lists.py).
_V2 = (
    """CREATE TABLE part_numbers (
        part_number TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, sku TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('synced', 'learned')), updated_at TEXT NOT NULL)""",
    """CREATE TABLE import_layouts (
        fingerprint TEXT NOT NULL PRIMARY KEY, mapping TEXT NOT NULL, headers TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE saved_lists (
        list_id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, shared BOOLEAN NOT NULL,
        owner_email TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX ux_saved_lists_name ON saved_lists (name COLLATE NOCASE)",
    """CREATE TABLE saved_list_lines (
        list_id TEXT NOT NULL REFERENCES saved_lists (list_id) ON DELETE CASCADE,
        position INTEGER NOT NULL, sku TEXT NOT NULL, quantity TEXT NOT NULL,
        unit TEXT NOT NULL, note TEXT, PRIMARY KEY (list_id, position)) WITHOUT ROWID""",
)

# The notification centre (local only, app/store/notifications.py): notifications with
# read and shown-as-desktop-message state, what the detector saw last of each order and
# stock row, and the per-kind choice of desktop messages.
_V3_NOTIFICATIONS = (
    """CREATE TABLE notifications (
        id INTEGER NOT NULL PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
        body TEXT NOT NULL, order_id TEXT, order_ref TEXT, created_at TEXT NOT NULL,
        read_at TEXT, announced_at TEXT)""",
    "CREATE INDEX ix_notifications_unread ON notifications (read_at)",
    """CREATE TABLE notification_watch (
        subject TEXT NOT NULL PRIMARY KEY, digest TEXT, facts TEXT NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE notification_prefs (
        kind TEXT NOT NULL PRIMARY KEY, desktop BOOLEAN NOT NULL) WITHOUT ROWID""",
)

# Catalog filters (app/store/catalog.py): brand is filtered through an index like category,
# and "in stock" through a flag projected from the stock row (any warehouse with some
# available), filled here from the rows already synced. The name index lets a list in name
# order stop at its first page: "in stock" with no text took 50 ms at 100,000 SKUs, 0.1 ms
# with it (measured: no cost to the bulk sync beyond the noise).
_V4_CATALOG_FILTERS = (
    "CREATE INDEX ix_products_brand ON products (brand)",
    "CREATE INDEX ix_products_name ON products (name)",
    "ALTER TABLE stock ADD COLUMN in_stock BOOLEAN NOT NULL DEFAULT 0",
    """UPDATE stock SET in_stock = EXISTS (
        SELECT 1 FROM json_each(stock.data, '$.warehouses') AS w
        WHERE CAST(json_extract(w.value, '$.available') AS REAL) > 0)""",
)

MIGRATIONS: tuple[Migration, ...] = (
    sql_step(1, "initial replica schema", *_V1),
    sql_step(2, "quick order: part numbers, import layouts, saved lists", *_V2),
    sql_step(3, "notification centre: notifications, watch, desktop choices", *_V3_NOTIFICATIONS),
    sql_step(4, "catalog filters: brand and name indexes, in_stock", *_V4_CATALOG_FILTERS),
)


def current_version(conn: Connection) -> int:
    """The highest step applied to this file (0 for a new file)."""
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).first()
    if exists is None:
        return 0
    return int(
        conn.exec_driver_sql("SELECT COALESCE(MAX(version), 0) FROM schema_version").scalar_one()
    )


def migrate(engine: Engine, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the steps this file lacks, all in one transaction; return the new version.

    Raises ReplicaTooNew for a file from a newer version, MigrationError when a step fails or
    touches a protected table (nothing is changed then).
    """
    versions = [step.version for step in steps]
    if versions != sorted(set(versions)) or (versions and versions[0] < 1):
        raise ValueError(f"migration versions must be unique and ascending: {versions}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        version = current_version(conn)
        newest = versions[-1] if versions else 0
        if version > newest:
            raise ReplicaTooNew(
                f"the replica has schema version {version}; this Orderpad knows up to {newest}"
            )
        for step in steps:
            if step.version <= version:
                continue
            before = _protected_counts(conn)
            try:
                step.apply(conn)
            except Exception as exc:
                raise MigrationError(f"migration {step.version} failed: {exc}") from exc
            _check_protected(conn, step, before)
            conn.exec_driver_sql(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (step.version, step.description, datetime.now(UTC).isoformat()),
            )
            version = step.version
        return version


def _protected_counts(conn: Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in PROTECTED_TABLES:
        if _table_exists(conn, table):
            counts[table] = int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())
    return counts


def _check_protected(conn: Connection, step: Migration, before: dict[str, int]) -> None:
    for table, count in before.items():
        if not _table_exists(conn, table):
            raise MigrationError(f"migration {step.version} dropped the {table} table")
        after = int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())
        if after < count:
            raise MigrationError(
                f"migration {step.version} removed {count - after} rows from {table}"
            )


def _table_exists(conn: Connection, table: str) -> bool:
    row = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).first()
    return row is not None

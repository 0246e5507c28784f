"""The façade over the local replica: what the sync engine and the services call.

One SQLite file (WAL) in the user's data dir. Every method runs its own short transaction;
``session()`` gives a transaction to callers that write several things at once (a local
change and its outbox entry). Sessions and the objects they load never cross threads: open
one per unit of work on the thread that uses it (the Replica itself may be shared).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.orm import Session

from app.domain.pricing import ProductPricing
from app.domain.quantity import QuantityRule
from app.domain.units import ProductUnits
from app.store import apply, catalog, integrity
from app.store.apply import PreparedPage, prepare_page
from app.store.carts import settle_after_results
from app.store.catalog import GtinMatch, ProductDetails, ProductHit
from app.store.migrations import MIGRATIONS, Migration, migrate
from app.store.outbox import Outbox
from app.store.pages import BucketPage, Checkpoint
from app.store.schema import BucketState, Meta

FILE_NAME = "replica.sqlite3"
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 30000",
    "PRAGMA synchronous = NORMAL",
)


@dataclass(frozen=True, slots=True)
class SyncState:
    """How far one bucket is synced, for the "last synced" line of each data area."""

    bucket: str
    cursor: int
    resetting: bool
    synced_at: datetime | None


class Replica:
    """The local replica. ``Replica.open(data_dir)``; ``close()`` when done (or ``with``)."""

    def __init__(self, path: Path, engine: Engine) -> None:
        # Use Replica.open(): it configures the connection and runs the migrations.
        self._path = path
        self._engine = engine
        # Writers take the write lock up front: a deferred transaction that upgrades to a
        # writer can fail with SQLITE_BUSY at once, without waiting for busy_timeout.
        self._writer = engine.execution_options(orderpad_begin="IMMEDIATE")
        self.outbox = Outbox(self.session, after_results=settle_after_results)

    @classmethod
    def open(cls, data_dir: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> Replica:
        """Open (creating if needed) ``data_dir/replica.sqlite3`` and bring its schema up to date.

        Raises migrations.ReplicaTooNew for a file written by a newer Orderpad and
        MigrationError when an upgrade fails (the file is then left untouched).
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / FILE_NAME
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure)
        event.listen(engine, "begin", _begin)
        try:
            migrate(engine.execution_options(orderpad_begin="IMMEDIATE"), migrations)
            replica = cls(path, engine)
            with replica.session() as session:
                session.connection().exec_driver_sql(
                    "INSERT INTO meta (name, value) VALUES ('device_id', ?) ON CONFLICT DO NOTHING",
                    (str(uuid.uuid4()),),
                )
        except BaseException:
            engine.dispose()
            raise
        return replica

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A Session in a write transaction: committed on success, rolled back on error.

        Use it on one thread only, and keep it short: it holds the replica's write lock.
        """
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A Session in a read transaction (a consistent snapshot; does not block writers)."""
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, name: str) -> str | None:
        with self.reading() as session:
            row = session.get(Meta, name)
            return None if row is None else row.value

    def set_meta(self, name: str, value: str) -> None:
        with self.session() as session:
            _set_meta(session, name, value)

    @property
    def device_id(self) -> str:
        """This replica's device id: made on first open, kept for the file's lifetime."""
        value = self.get_meta("device_id")
        assert value is not None  # written by open()
        return value

    @property
    def epoch(self) -> str | None:
        """The server epoch the cursors belong to (None before the first sync)."""
        return self.get_meta("epoch")

    @epoch.setter
    def epoch(self, value: str) -> None:
        self.set_meta("epoch", value)

    def switch_epoch(self, epoch: str) -> bool:
        """Adopt the server's ``epoch``; if it is new, set every cursor to 0 in the same
        transaction (rows stay until each bucket's re-download completes). Returns whether
        it changed. Storing a new epoch with the old cursors would make the server serve
        increments from positions of another database."""
        with self.session() as session:
            row = session.get(Meta, "epoch")
            if row is not None and row.value == epoch:
                return False
            session.connection().exec_driver_sql("UPDATE bucket_state SET cursor = 0")
            _set_meta(session, "epoch", epoch)
            return True

    # -- sync ---------------------------------------------------------------------------

    def cursors(self) -> dict[str, int]:
        """bucket -> cursor, as sent in a pull request."""
        with self.reading() as session:
            rows = session.execute(select(BucketState.bucket, BucketState.cursor))
            return {bucket: cursor for bucket, cursor in rows}

    def sync_states(self) -> list[SyncState]:
        with self.reading() as session:
            return [
                SyncState(
                    row.bucket,
                    row.cursor,
                    row.resetting,
                    datetime.fromisoformat(row.synced_at) if row.synced_at else None,
                )
                for row in session.scalars(select(BucketState).order_by(BucketState.bucket))
            ]

    def apply_page(self, page: BucketPage | PreparedPage) -> None:
        """Store one bucket page and its cursor in one transaction (all or nothing).

        Raises entities.MalformedRow for a row this version cannot read and
        apply.CursorGap for a page that starts past the stored cursor. Pass a page from
        ``prepare_page`` to keep the checking and serialising off the database thread.
        """
        prepared = page if isinstance(page, PreparedPage) else prepare_page(page)
        with self.session() as session:
            apply.apply_page(session.connection(), prepared, now=datetime.now(UTC).isoformat())

    @staticmethod
    def prepare_page(page: BucketPage) -> PreparedPage:
        """Check and serialise a page without the database (about half of the apply work).

        Thread-safe: a sync engine can prepare page N+1 on its network thread while the
        database thread applies page N. Raises entities.MalformedRow.
        """
        return prepare_page(page)

    def drop_buckets(self, names: Iterable[str]) -> None:
        """Forget buckets that left the caller's scope: their rows and cursors."""
        with self.session() as session:
            conn = session.connection()
            for name in names:
                apply.remove_bucket_rows(conn, name)
                conn.exec_driver_sql("DELETE FROM bucket_state WHERE bucket = ?", (name,))

    def reset_bucket(self, bucket: str) -> None:
        """Set ``bucket``'s cursor to 0: the next pull re-downloads it with reset semantics."""
        with self.session() as session:
            conn = session.connection()
            state = apply.read_state(conn, bucket)
            state.cursor = 0
            apply.write_state(conn, bucket, state, None)

    def checkpoint_of(self, bucket: str) -> Checkpoint:
        """Count and checksum of ``bucket``'s live rows, to compare with the server's."""
        with self.reading() as session:
            return integrity.checkpoint_of(session.connection(), bucket)

    def corrupted_keys(self, bucket: str) -> list[tuple[str, str]]:
        """(entity, key) of rows damaged on disk (data or typed columns changed)."""
        with self.reading() as session:
            return integrity.corrupted_keys(session.connection(), bucket)

    # -- catalog ------------------------------------------------------------------------

    def search_products(
        self, query: str, *, limit: int = 50, category: str | None = None
    ) -> list[ProductHit]:
        with self.reading() as session:
            return catalog.search_products(session, query, limit=limit, category=category)

    def product_by_sku(self, sku: str) -> ProductDetails | None:
        with self.reading() as session:
            return catalog.product_by_sku(session, sku)

    def product_by_gtin(self, gtin: str) -> GtinMatch | None:
        """Raises app.domain.gtin.InvalidGtin for a code that is not a GTIN."""
        with self.reading() as session:
            return catalog.product_by_gtin(session, gtin)

    def product_count(self) -> int:
        with self.reading() as session:
            return catalog.product_count(session)

    def pricing_of(self, sku: str) -> ProductPricing | None:
        with self.reading() as session:
            return catalog.pricing_of(session, sku)

    def units_of(self, sku: str) -> ProductUnits:
        """Raises catalog.UnknownProduct."""
        with self.reading() as session:
            return catalog.units_of(session, sku)

    def rule_of(self, sku: str) -> QuantityRule:
        """Raises catalog.UnknownProduct."""
        with self.reading() as session:
            return catalog.rule_of(session, sku)


def _set_meta(session: Session, name: str, value: str) -> None:
    session.merge(Meta(name=name, value=value))


def _configure(dbapi_connection: Any, _record: object) -> None:
    # Transactions are begun explicitly in _begin: pysqlite's own implicit BEGIN would leave
    # DDL (migrations) outside the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("orderpad_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")

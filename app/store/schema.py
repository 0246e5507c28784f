"""The replica's tables as SQLAlchemy models: the current schema, for queries.

``migrations.py`` creates and changes these tables with frozen DDL; a test checks the two
agree. Every synced table carries ``bucket``, ``position``, ``digest`` (sha256 of the
canonical JSON of ``data``), ``data`` (that JSON text, as received) and ``gen`` (the reset
generation of its bucket it was last received in), plus typed projection columns.
Decimals stay TEXT, exactly as the server sent them.
"""

from __future__ import annotations

from sqlalchemy import Index, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about this replica: device id, server epoch, outbox sequence."""

    __tablename__ = "meta"

    name: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]


class SchemaVersion(Base):
    """One row per migration step applied to this file."""

    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    description: Mapped[str]
    applied_at: Mapped[str]


class BucketState(Base):
    """The cursor of one bucket and whether a re-download (reset) is under way."""

    __tablename__ = "bucket_state"

    bucket: Mapped[str] = mapped_column(primary_key=True)
    cursor: Mapped[int] = mapped_column(default=0)
    gen: Mapped[int] = mapped_column(default=0)
    resetting: Mapped[bool] = mapped_column(default=False)
    synced_at: Mapped[str | None]


class _Synced:
    bucket: Mapped[str]
    position: Mapped[int]
    digest: Mapped[str]
    data: Mapped[str]
    gen: Mapped[int]


class _MaybeSynced:
    """Rows that may exist only locally (carts, orders): the synced columns are then NULL."""

    bucket: Mapped[str | None]
    position: Mapped[int | None]
    digest: Mapped[str | None]
    data: Mapped[str | None]
    gen: Mapped[int] = mapped_column(default=0)
    # The local version (same JSON shape as ``data``) while it is ahead of the server's.
    local: Mapped[str | None]


class Product(_Synced, Base):
    # An INTEGER rowid alias, because the FTS index refers to rowids and VACUUM may renumber
    # the implicit rowid of a table without one; ``sku`` is the natural (unique) key.
    __tablename__ = "products"
    __table_args__ = (
        Index("ix_products_category", "category"),
        Index("ix_products_brand", "brand"),
        Index("ix_products_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(collation="NOCASE"), unique=True)
    name: Mapped[str]
    description: Mapped[str | None]
    category: Mapped[str | None]
    brand: Mapped[str | None]
    base_unit: Mapped[str]
    min_qty: Mapped[str | None]
    multiple: Mapped[str | None]
    list_price: Mapped[str | None]
    currency: Mapped[str | None]
    status: Mapped[str]
    replacement_sku: Mapped[str | None]
    # Every GTIN of the product's units, space-separated, for the FTS index.
    barcodes: Mapped[str] = mapped_column(default="")


class ProductUnit(Base):
    """The units of a product (rewritten with it by apply.py; no foreign key, for speed)."""

    __tablename__ = "product_units"
    __table_args__ = (
        Index("ix_product_units_gtin", "gtin", sqlite_where=text("gtin IS NOT NULL")),
        {"sqlite_with_rowid": False},
    )

    sku: Mapped[str] = mapped_column(String(collation="NOCASE"), primary_key=True)
    code: Mapped[str] = mapped_column(primary_key=True)
    factor: Mapped[int]
    gtin: Mapped[str | None]  # normalised to 14 digits; None when the server's was invalid


class Stock(_Synced, Base):
    __tablename__ = "stock"
    sku: Mapped[str] = mapped_column(primary_key=True)
    in_stock: Mapped[bool] = mapped_column(default=False)  # any warehouse has some available


class Price(_Synced, Base):
    __tablename__ = "prices"
    sku: Mapped[str] = mapped_column(primary_key=True)


class Contract(_Synced, Base):
    __tablename__ = "contracts"
    sku: Mapped[str] = mapped_column(primary_key=True)


class Account(_Synced, Base):
    __tablename__ = "accounts"
    number: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str | None]
    currency: Mapped[str | None]


class ShipTo(_Synced, Base):
    __tablename__ = "ship_tos"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str | None]
    is_default: Mapped[bool]


class User(_Synced, Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(primary_key=True)
    email: Mapped[str | None]
    name: Mapped[str | None]


class Cart(_MaybeSynced, Base):
    """A cart, synced or local-only; the projection shows the local version when there is one."""

    __tablename__ = "carts"
    cart_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    status: Mapped[str]
    updated_at: Mapped[str | None]


class Order(_MaybeSynced, Base):
    """An order; a queued one is local-only (``bucket`` NULL) until the server echoes it."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_client_order_id", "client_order_id"),
        Index("ix_orders_created_at", "created_at"),
    )

    key: Mapped[str] = mapped_column(primary_key=True)
    client_order_id: Mapped[str]
    number: Mapped[str | None]
    status: Mapped[str]
    created_at: Mapped[str | None]
    po_number: Mapped[str | None]


class OtherRow(_Synced, Base):
    """Rows of entities this client version does not know yet (forward compatibility)."""

    __tablename__ = "other_rows"
    entity: Mapped[str] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(primary_key=True)


class OutboxRow(Base):
    """A local change waiting for (or answered by) the server. Never dropped by a migration."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state", "state", "seq"),)

    id: Mapped[str] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str]
    args: Mapped[str]
    created_at: Mapped[str]
    state: Mapped[str] = mapped_column(default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None]
    result: Mapped[str | None]
    updated_at: Mapped[str]

"""Tables: one counter row per bucket, the collapsed change log, and server metadata."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, utcnow


class BucketCounter(Base):
    """The last position handed out in a bucket.

    Writers bump it with UPDATE ... RETURNING inside their own transaction, so the row lock
    serialises writers of one bucket: positions become visible in the order they were given,
    which a plain sequence on PostgreSQL does not guarantee.
    """

    __tablename__ = "bucket_counters"

    bucket: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    # Positions at or below this were compacted away: a cursor older than it must re-snapshot.
    history_floor: Mapped[int] = mapped_column(BigInteger, default=0)


class Change(Base):
    """The latest change of one row (entity, key) in one bucket; a delete is a tombstone."""

    __tablename__ = "changes"
    __table_args__ = (
        UniqueConstraint("bucket", "entity", "key"),
        Index("ix_changes_bucket_position", "bucket", "position"),
    )

    id: Mapped[int] = mapped_column(
        Integer().with_variant(BigInteger, "postgresql"), primary_key=True
    )
    bucket: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ServerMeta(Base):
    """Key/value facts about this server database (its epoch, the protocol version)."""

    __tablename__ = "server_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))

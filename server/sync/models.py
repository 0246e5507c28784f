"""Tables: every pushed mutation (applied at most once) and each device's last sequence."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, utcnow


class Mutation(Base):
    """One client mutation. The primary key is the client's UUID: a replay cannot re-apply."""

    __tablename__ = "mutations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(40))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24))
    result: Mapped[str] = mapped_column(Text)  # the JSON answer, returned verbatim on replay
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)

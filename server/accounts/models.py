"""Tables: buyer accounts, ship-to locations, users and their roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    BUYER = "buyer"
    APPROVER = "approver"
    VIEWER = "viewer"


def parse_roles(raw: str) -> frozenset[Role]:
    """`"admin buyer"` -> {ADMIN, BUYER}; an unknown role name raises ValueError."""
    return frozenset(Role(part) for part in raw.replace(",", " ").split())


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return " ".join(sorted(r.value for r in roles))


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    payment_terms: Mapped[str] = mapped_column(String(64), default="Net 30")
    credit_limit: Mapped[Decimal] = mapped_column(default=Decimal(0))
    open_balance: Mapped[Decimal] = mapped_column(default=Decimal(0))
    on_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    assortment_id: Mapped[int | None] = mapped_column(ForeignKey("assortments.id"))
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"))
    # Percent by which a re-priced order may rise without the buyer confirming it.
    price_tolerance_pct: Mapped[Decimal] = mapped_column(default=Decimal(0))
    # Whether an account admin's own orders skip the approval rules.
    admin_bypass_approval: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    ship_tos: Mapped[list[ShipTo]] = relationship(back_populates="account")
    users: Mapped[list[User]] = relationship(back_populates="account")


class ShipTo(Base):
    __tablename__ = "ship_tos"
    __table_args__ = (UniqueConstraint("account_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="DE")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    account: Mapped[Account] = relationship(back_populates="ship_tos")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles_raw: Mapped[str] = mapped_column("roles", String(100), default="buyer")
    spending_limit: Mapped[Decimal | None] = mapped_column(default=None)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="users")

    @property
    def roles(self) -> frozenset[Role]:
        return parse_roles(self.roles_raw)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

"""API keys for the ERP: create (shown once), list, revoke, and recognise a presented key."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import Account
from server.db import utcnow
from server.erp.models import ApiKey

KEY_PREFIX = "opk_"


class ApiKeyRefused(Exception):
    """A key cannot be created or revoked as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class KeyScope:
    """Who is calling the integration API: one key, and the accounts it may see."""

    key_id: int
    name: str
    accounts: frozenset[str]  # account numbers; empty means every account

    def allows(self, account_number: str) -> bool:
        return not self.accounts or account_number in self.accounts

    @property
    def source(self) -> str:
        return f"api:{self.name}"


ALL_ACCOUNTS = KeyScope(key_id=0, name="admin", accounts=frozenset())


@dataclass(frozen=True, slots=True)
class KeyInfo:
    name: str
    prefix: str
    accounts: list[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _accounts_of(row: ApiKey) -> list[str]:
    return row.accounts.split()


def create_key(session: Session, *, name: str, accounts: list[str]) -> str:
    """Store a new key named `name`; returns the key itself, which is never stored."""
    name = name.strip()
    if not name or len(name) > 64:
        raise ApiKeyRefused("a key needs a name of 1 to 64 characters")
    if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise ApiKeyRefused(f"a key named {name!r} exists already (revoked keys keep their name)")
    wanted = sorted({a.strip() for a in accounts if a.strip()})
    known = set(session.scalars(select(Account.number).where(Account.number.in_(wanted))))
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise ApiKeyRefused("no such account: " + ", ".join(unknown))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            name=name,
            prefix=key[:12],
            key_hash=hash_key(key),
            accounts=" ".join(wanted),
            created_at=utcnow(),
        )
    )
    return key


def list_keys(session: Session) -> list[KeyInfo]:
    return [
        KeyInfo(row.name, row.prefix, _accounts_of(row), row.created_at, row.revoked_at)
        for row in session.scalars(select(ApiKey).order_by(ApiKey.name))
    ]


def revoke_key(session: Session, *, name: str) -> bool:
    """Revoke the key `name`; False when it was revoked before. Unknown names raise."""
    row = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is None:
        raise ApiKeyRefused(f"no key named {name!r}")
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def scope_for(session: Session, key: str) -> KeyScope | None:
    """The scope of a live key, or None for an unknown or revoked one."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None:
        return None
    return KeyScope(key_id=row.id, name=row.name, accounts=frozenset(_accounts_of(row)))

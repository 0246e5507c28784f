"""Sign-in, token refresh (rotating, reuse-detecting), sign-out and login rate limiting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.accounts.models import User
from server.auth.models import LoginAttempt, RefreshToken
from server.auth.passwords import verify_password
from server.auth.tokens import (
    AccessClaims,
    hash_refresh_token,
    issue_access_token,
    new_family,
    new_refresh_token,
)
from server.config import Settings
from server.db import utcnow


class LoginRefused(Exception):
    """Wrong email or password, or the user is inactive (one message for all: no oracle)."""


class TooManyAttempts(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class RefreshRefused(Exception):
    """The refresh token is unknown, expired, revoked or was already used."""


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def _failures_since(session: Session, column: object, value: str, since: dt.datetime) -> int:
    return int(
        session.scalar(
            select(func.count(LoginAttempt.id)).where(
                column == value,  # type: ignore[arg-type]
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= since,
            )
        )
        or 0
    )


def check_rate_limit(session: Session, settings: Settings, *, email: str, address: str) -> None:
    """Raise TooManyAttempts when this email or this address failed too often lately."""
    since = utcnow() - dt.timedelta(seconds=settings.login_window_s)
    if (
        _failures_since(session, LoginAttempt.email, email, since)
        >= settings.login_max_failures_per_email
        or _failures_since(session, LoginAttempt.address, address, since)
        >= settings.login_max_failures_per_address
    ):
        raise TooManyAttempts(settings.login_window_s)


def _issue_pair(session: Session, settings: Settings, user: User, family: str) -> TokenPair:
    now = utcnow()
    refresh = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family=family,
            token_hash=hash_refresh_token(refresh),
            issued_at=now,
            expires_at=now + dt.timedelta(seconds=settings.refresh_token_ttl_s),
        )
    )
    claims = AccessClaims(
        user_id=user.id,
        account_id=user.account_id,
        family=family,
        expires_at=int(now.timestamp()) + settings.access_token_ttl_s,
    )
    return TokenPair(
        access_token=issue_access_token(settings.secret_key, claims),
        refresh_token=refresh,
        expires_in=settings.access_token_ttl_s,
        refresh_expires_in=settings.refresh_token_ttl_s,
    )


def login(
    session: Session, settings: Settings, *, email: str, password: str, address: str
) -> TokenPair:
    email = email.strip().lower()
    check_rate_limit(session, settings, email=email, address=address)
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        session.add(LoginAttempt(email=email, address=address, succeeded=False))
        raise LoginRefused("wrong email or password")
    session.add(LoginAttempt(email=email, address=address, succeeded=True))
    return _issue_pair(session, settings, user, new_family())


def refresh(session: Session, settings: Settings, *, refresh_token: str) -> TokenPair:
    """Swap a refresh token for a new pair. Reusing a spent token revokes its whole family."""
    row = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
    )
    if row is None or row.revoked:
        raise RefreshRefused("refresh token is not valid; sign in again")
    if row.used:
        revoke_family(session, row.family)
        raise RefreshRefused("refresh token was already used; sign in again")
    if row.expires_at <= utcnow():
        raise RefreshRefused("refresh token expired; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise RefreshRefused("user is no longer active")
    row.used = True
    return _issue_pair(session, settings, user, row.family)


def revoke_family(session: Session, family: str) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.family == family).values(revoked=True))


def family_is_live(session: Session, family: str) -> bool:
    """False once the login behind an access token was signed out or found stolen."""
    return (
        session.scalar(
            select(func.count(RefreshToken.id)).where(
                RefreshToken.family == family, RefreshToken.revoked.is_(False)
            )
        )
        or 0
    ) > 0

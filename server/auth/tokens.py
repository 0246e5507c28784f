"""Access tokens: short-lived, HMAC-signed, carrying the user, account and login family."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import orjson


class InvalidToken(Exception):
    """The token is malformed, forged or expired; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    account_id: int
    family: str
    expires_at: int  # unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def issue_access_token(secret: str, claims: AccessClaims) -> str:
    body = _b64(
        orjson.dumps(
            {
                "u": claims.user_id,
                "a": claims.account_id,
                "f": claims.family,
                "exp": claims.expires_at,
            }
        )
    )
    return f"{body}.{_sign(secret, body)}"


def read_access_token(secret: str, token: str, *, now: int) -> AccessClaims:
    try:
        body, signature = token.split(".", 1)
    except ValueError:
        raise InvalidToken("malformed token") from None
    if not hmac.compare_digest(signature, _sign(secret, body)):
        raise InvalidToken("bad token signature")
    try:
        data = orjson.loads(_unb64(body))
        claims = AccessClaims(int(data["u"]), int(data["a"]), str(data["f"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError):
        raise InvalidToken("malformed token") from None
    if claims.expires_at <= now:
        raise InvalidToken("access token expired")
    return claims


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_family() -> str:
    return secrets.token_hex(16)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

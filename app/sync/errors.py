"""What can go wrong talking to the server, split by what the caller should do about it."""

from __future__ import annotations


class SyncError(Exception):
    """Base: the message is written for the person at the keyboard."""


class Offline(SyncError):
    """The server could not be reached (no network, server down, dropped connection).

    Nothing is lost: local changes stay in the outbox and go out on the next sync.
    """


class ServerBusy(SyncError):
    """The server answered 5xx or 429: try again later (with backoff)."""


class SignInRequired(SyncError):
    """No valid session: the refresh token expired or was revoked. Sign in again; the outbox
    is kept and is sent after signing in."""


class ClientTooOld(SyncError):
    """The server no longer speaks this client's protocol: work offline, pushes are held."""


class RequestRefused(SyncError):
    """The server refused a request for good (4xx other than the cases above)."""

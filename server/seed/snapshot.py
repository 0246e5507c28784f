"""Seeded data enters the change log like any other write, so a client's first pull is a
snapshot served by the same paging as every later delta."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.changes.service import reconcile_all, server_epoch


def start_history(session: Session) -> int:
    """Log every seeded row in its buckets; returns the number of change rows written."""
    logged = reconcile_all(session)
    server_epoch(session)
    return logged

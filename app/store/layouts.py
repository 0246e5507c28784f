"""Column mappings a buyer confirmed, per spreadsheet layout (a fingerprint of the header
row), so the next file of the same layout imports without asking. Local to this device."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from app.store.replica import Replica


def remember(
    replica: Replica, fingerprint: str, mapping: dict[str, Any], headers: list[str]
) -> None:
    """Store ``mapping`` (JSON-ready) for ``fingerprint``, replacing an earlier one."""
    with replica.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO import_layouts (fingerprint, mapping, headers, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET "
            "mapping = excluded.mapping, headers = excluded.headers, "
            "updated_at = excluded.updated_at",
            (
                fingerprint,
                orjson.dumps(mapping).decode(),
                orjson.dumps(headers).decode(),
                datetime.now(UTC).isoformat(),
            ),
        )


def recall(replica: Replica, fingerprint: str) -> dict[str, Any] | None:
    """The mapping stored for ``fingerprint``, or None."""
    with replica.reading() as session:
        text = (
            session.connection()
            .exec_driver_sql(
                "SELECT mapping FROM import_layouts WHERE fingerprint = ?", (fingerprint,)
            )
            .scalar()
        )
    if text is None:
        return None
    data = orjson.loads(text)
    return data if isinstance(data, dict) else None


def forget(replica: Replica, fingerprint: str) -> None:
    with replica.session() as session:
        session.connection().exec_driver_sql(
            "DELETE FROM import_layouts WHERE fingerprint = ?", (fingerprint,)
        )

"""Saved lists (order templates): named lists of SKU, quantity and unit, kept on this device.

A list is the buyer's own or marked ``shared`` for the account; lists are not synced yet (the
server has no lists), so "shared" is a label until it does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store.replica import Replica


class ListExists(ValueError):
    """A list of that name exists already (names ignore case)."""


@dataclass(frozen=True, slots=True)
class SavedList:
    list_id: str
    name: str
    shared: bool
    owner_email: str | None
    created_at: str
    updated_at: str
    line_count: int


@dataclass(frozen=True, slots=True)
class SavedListLine:
    position: int
    sku: str
    quantity: Decimal
    unit: str
    note: str | None = None


def save_list(
    replica: Replica,
    name: str,
    lines: Sequence[SavedListLine],
    *,
    shared: bool = False,
    owner_email: str | None = None,
    replace: bool = False,
) -> str:
    """Store a list; returns its id. An existing list of that name is replaced only with
    ``replace`` (else ListExists). Raises ValueError for an empty name."""
    title = name.strip()
    if not title:
        raise ValueError("a list needs a name")
    now = datetime.now(UTC).isoformat()
    with replica.session() as session:
        conn = session.connection()
        row = conn.exec_driver_sql(
            "SELECT list_id, created_at FROM saved_lists WHERE name = ? COLLATE NOCASE", (title,)
        ).first()
        if row is not None and not replace:
            raise ListExists(f"a list named {title!r} exists already")
        list_id, created = (str(row[0]), str(row[1])) if row else (str(uuid.uuid4()), now)
        if row is not None:
            conn.exec_driver_sql("DELETE FROM saved_lists WHERE list_id = ?", (list_id,))
        conn.exec_driver_sql(
            "INSERT INTO saved_lists (list_id, name, shared, owner_email, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (list_id, title, shared, owner_email, created, now),
        )
        for position, line in enumerate(lines, start=1):
            conn.exec_driver_sql(
                "INSERT INTO saved_list_lines (list_id, position, sku, quantity, unit, note) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (list_id, position, line.sku, f"{line.quantity:f}", line.unit, line.note),
            )
    return list_id


def saved_lists(replica: Replica) -> list[SavedList]:
    """Every list, by name."""
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT l.list_id, l.name, l.shared, l.owner_email, l.created_at, l.updated_at, "
            "(SELECT COUNT(*) FROM saved_list_lines x WHERE x.list_id = l.list_id) "
            "FROM saved_lists l ORDER BY l.name COLLATE NOCASE"
        )
        return [
            SavedList(str(r[0]), str(r[1]), bool(r[2]), r[3], str(r[4]), str(r[5]), int(r[6]))
            for r in rows
        ]


def list_by_name(replica: Replica, name: str) -> SavedList | None:
    wanted = name.strip().casefold()
    return next((item for item in saved_lists(replica) if item.name.casefold() == wanted), None)


def list_lines(replica: Replica, list_id: str) -> list[SavedListLine]:
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT position, sku, quantity, unit, note FROM saved_list_lines "
            "WHERE list_id = ? ORDER BY position",
            (list_id,),
        )
        return [SavedListLine(int(r[0]), str(r[1]), Decimal(r[2]), str(r[3]), r[4]) for r in rows]


def delete_list(replica: Replica, list_id: str) -> bool:
    """Delete a list and its lines; returns whether it existed."""
    with replica.session() as session:
        result = session.connection().exec_driver_sql(
            "DELETE FROM saved_lists WHERE list_id = ?", (list_id,)
        )
        return bool(result.rowcount)

"""Local-only tables of the notification centre: the notifications with read / shown
state, what the detector saw last of each order or stock row, and the per-kind choice of
desktop messages. Nothing here is synced; every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

KEEP = 1000  # notifications kept; older ones are dropped when new ones come


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """A notification to record. ``order_id`` is the client order id it is about (None when
    it is about no order); ``order_ref`` is what the person calls that order (its number)."""

    kind: str
    title: str
    text: str
    order_id: str | None = None
    order_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    kind: str
    title: str
    text: str
    order_id: str | None
    order_ref: str | None
    created_at: str  # ISO 8601, UTC
    read: bool
    announced: bool  # offered as a desktop message already (or deliberately not)


_COLUMNS = "id, kind, title, body, order_id, order_ref, created_at, read_at, announced_at"


def _notice(row: Sequence[Any]) -> Notice:
    id_, kind, title, body, order_id, order_ref, created, read_at, announced_at = row
    return Notice(int(id_), str(kind), str(title), str(body), order_id, order_ref, str(created),
                  read_at is not None, announced_at is not None)  # fmt: skip


def record(conn: Connection, drafts: Iterable[NoticeDraft], *, now: str) -> list[int]:
    """Store ``drafts`` as unread notifications created ``now``; returns their ids."""
    ids = []
    for d in drafts:
        cursor = conn.exec_driver_sql(
            "INSERT INTO notifications (kind, title, body, order_id, order_ref, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (d.kind, d.title, d.text, d.order_id, d.order_ref, now),
        )
        ids.append(int(cursor.lastrowid or 0))
    if ids:
        conn.exec_driver_sql(
            "DELETE FROM notifications WHERE id <= "
            "(SELECT id FROM notifications ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (KEEP,),
        )
    return ids


def notices(conn: Connection, *, unread_only: bool = False, limit: int = 200) -> list[Notice]:
    """Newest first."""
    where = "WHERE read_at IS NULL " if unread_only else ""
    rows = conn.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM notifications {where}ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [_notice(row) for row in rows]


def unread_count(conn: Connection) -> int:
    row = conn.exec_driver_sql("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL").one()
    return int(row[0])


def mark_read(conn: Connection, ids: Sequence[int] | None, *, now: str) -> int:
    """Mark ``ids`` (None: every notification) read; returns how many changed."""
    if ids is None:
        cursor = conn.exec_driver_sql(
            "UPDATE notifications SET read_at = ? WHERE read_at IS NULL", (now,)
        )
        return int(cursor.rowcount)
    changed = 0
    for id_ in ids:
        cursor = conn.exec_driver_sql(
            "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", (now, id_)
        )
        changed += int(cursor.rowcount)
    return changed


def take_unannounced(conn: Connection, *, now: str, limit: int = 50) -> list[Notice]:
    """The notifications not offered as desktop messages yet (oldest first), now marked as
    offered: each one is offered once, whichever window or command takes it."""
    rows = conn.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM notifications WHERE announced_at IS NULL AND read_at IS NULL "
        "ORDER BY id LIMIT ?",
        (limit,),
    ).all()
    conn.exec_driver_sql(
        "UPDATE notifications SET announced_at = ? WHERE announced_at IS NULL", (now,)
    )
    return [_notice(row) for row in rows]


# -- what the detector saw last ---------------------------------------------------------------
def watched(conn: Connection, subjects: Sequence[str]) -> dict[str, Any]:
    """subject -> the facts stored for it (decoded JSON)."""
    found: dict[str, Any] = {}
    for start in range(0, len(subjects), 500):
        chunk = subjects[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT subject, facts FROM notification_watch WHERE subject IN ({marks})"
        for subject, facts in conn.exec_driver_sql(sql, tuple(chunk)):
            found[str(subject)] = orjson.loads(facts)
    return found


def watch(conn: Connection, facts: dict[str, tuple[str | None, Any]]) -> None:
    """Store subject -> (digest of what was seen, facts) for the next comparison."""
    rows = [
        (subject, digest, orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode())
        for subject, (digest, value) in facts.items()
    ]
    if rows:
        conn.exec_driver_sql(
            "INSERT INTO notification_watch (subject, digest, facts) VALUES (?, ?, ?) "
            "ON CONFLICT (subject) DO UPDATE SET digest = excluded.digest, facts = excluded.facts",
            rows,
        )


def forget(conn: Connection, subjects: Iterable[str]) -> None:
    rows = [(s,) for s in subjects]
    if rows:
        conn.exec_driver_sql("DELETE FROM notification_watch WHERE subject = ?", rows)


def watched_subjects(conn: Connection, prefix: str) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT subject FROM notification_watch WHERE subject >= ? AND subject < ?",
        (prefix, prefix + "\uffff"),
    )
    return [str(row[0]) for row in rows]


def changed_orders(conn: Connection) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(client order id, digest, document, seen before) of every synced order whose
    document differs from what the detector saw last."""
    rows = conn.exec_driver_sql(
        "SELECT o.client_order_id, o.digest, o.data, w.subject IS NOT NULL FROM orders o "
        "LEFT JOIN notification_watch w ON w.subject = 'order:' || o.client_order_id "
        "WHERE o.data IS NOT NULL AND (w.digest IS NULL OR w.digest != o.digest)"
    )
    return [(str(cid), str(digest), orjson.loads(data), bool(seen))
            for cid, digest, data, seen in rows]  # fmt: skip


def open_order_docs(conn: Connection, statuses: Sequence[str]) -> list[dict[str, Any]]:
    """The synced documents of orders in ``statuses`` (for the backorder stock watch)."""
    marks = ", ".join("?" * len(statuses))
    rows = conn.exec_driver_sql(
        f"SELECT data FROM orders WHERE data IS NOT NULL AND status IN ({marks})", tuple(statuses)
    )
    return [orjson.loads(row[0]) for row in rows]


def stock_docs(conn: Connection, skus: Sequence[str]) -> dict[str, dict[str, Any]]:
    """SKU (as asked) -> its synced stock document, for the SKUs that have one."""
    found: dict[str, dict[str, Any]] = {}
    for sku in skus:
        row = conn.exec_driver_sql(
            "SELECT data FROM stock WHERE sku = ? COLLATE NOCASE", (sku,)
        ).first()
        if row is not None:
            found[sku] = orjson.loads(row[0])
    return found


# -- desktop message choices ------------------------------------------------------------------
def desktop_choices(conn: Connection) -> dict[str, bool]:
    """kind -> whether a desktop message is wanted; kinds never chosen are absent (on)."""
    rows = conn.exec_driver_sql("SELECT kind, desktop FROM notification_prefs")
    return {str(kind): bool(on) for kind, on in rows}


def set_desktop_choice(conn: Connection, kind: str, on: bool) -> None:
    conn.exec_driver_sql(
        "INSERT INTO notification_prefs (kind, desktop) VALUES (?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET desktop = excluded.desktop",
        (kind, int(on)),
    )

"""The outbox: every local change that must reach the server, as a named mutation.

``enqueue`` is called inside the transaction of the local change it describes, so the change
and its mutation are stored together or not at all. Entries are never deleted: an answered
one keeps its state and the server's result as history for the sync centre.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from app.store.schema import OutboxRow


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting to be sent
    SENDING = "sending"  # handed to the server, no answer yet (sent again after a crash)
    APPLIED = "applied"
    REJECTED = "rejected"  # permanent: shown to the buyer, the queue moves on
    NEEDS_CONFIRMATION = "needs_confirmation"  # the server waits for the buyer


UNSENT = (OutboxState.PENDING, OutboxState.SENDING)
_ANSWERS = frozenset({OutboxState.APPLIED, OutboxState.REJECTED, OutboxState.NEEDS_CONFIRMATION})

# Carts with unsent mutations: their local version must survive an older server echo.
PENDING_CART_IDS_SQL = (
    "SELECT json_extract(args, '$.cart_id') FROM outbox "
    "WHERE state IN ('pending', 'sending') AND json_extract(args, '$.cart_id') IS NOT NULL"
)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One mutation; ``result`` is the server's answer (``code``, ``message``, ``result``…)."""

    id: str
    seq: int
    name: str
    args: dict[str, Any]
    created_at: datetime
    state: OutboxState
    attempts: int
    last_error: str | None
    result: dict[str, Any] | None

    def to_wire(self) -> dict[str, Any]:
        """The mutation as the push request carries it."""
        return {
            "id": self.id,
            "seq": self.seq,
            "name": self.name,
            "args": self.args,
            "created_at": self.created_at.isoformat(),
        }


def utc_now() -> datetime:
    return datetime.now(UTC)


def enqueue(session: Session, name: str, args: dict[str, Any]) -> OutboxEntry:
    """Queue mutation ``name`` in ``session``'s transaction and return it.

    Call it with the same session that writes the local change (``with replica.session() as
    s: change(s); enqueue(s, ...)``): if that transaction rolls back, the mutation vanishes
    with the change. ``args`` must be JSON-ready (decimals as strings: a Decimal raises
    TypeError). The sequence number is allocated here, increasing per device forever.
    """
    payload = orjson.dumps(args).decode()
    conn = session.connection()
    conn.exec_driver_sql(
        "INSERT INTO meta (name, value) VALUES ('outbox_seq', '0') ON CONFLICT DO NOTHING"
    )
    seq = int(
        conn.exec_driver_sql(
            "UPDATE meta SET value = MAX(CAST(value AS INTEGER), "
            "(SELECT COALESCE(MAX(seq), 0) FROM outbox)) + 1 "
            "WHERE name = 'outbox_seq' RETURNING CAST(value AS INTEGER)"
        ).scalar_one()
    )
    now = utc_now()
    entry = OutboxEntry(
        id=str(uuid.uuid4()),
        seq=seq,
        name=name,
        args=orjson.loads(payload),
        created_at=now,
        state=OutboxState.PENDING,
        attempts=0,
        last_error=None,
        result=None,
    )
    session.execute(
        insert(OutboxRow).values(
            id=entry.id,
            seq=seq,
            name=name,
            args=payload,
            created_at=now.isoformat(),
            state=entry.state.value,
            attempts=0,
            updated_at=now.isoformat(),
        )
    )
    return entry


ResultsHook = Callable[[Session, list[tuple[OutboxEntry, OutboxState]]], None]


class Outbox:
    """Reading and settling the outbox, each call in its own transaction.

    The sync engine: ``pending()`` → ``mark_sending(ids)`` → push → ``mark_results(answer
    ["results"])`` on an answer, or ``mark_failed(ids, reason)`` on a transport error.
    """

    def __init__(
        self,
        sessions: Callable[[], AbstractContextManager[Session]],
        *,
        after_results: ResultsHook | None = None,
    ) -> None:
        self._sessions = sessions
        self._after_results = after_results

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        """Unanswered entries (pending or sending) in ``seq`` order."""
        with self._sessions() as session:
            rows = session.scalars(
                select(OutboxRow)
                .where(OutboxRow.state.in_([s.value for s in UNSENT]))
                .order_by(OutboxRow.seq)
                .limit(limit)
            )
            return [_entry(row) for row in rows]

    def entries(self, states: Iterable[OutboxState | str] | None = None) -> list[OutboxEntry]:
        """All entries (or those in ``states``), oldest first."""
        with self._sessions() as session:
            query = select(OutboxRow).order_by(OutboxRow.seq)
            if states is not None:
                query = query.where(OutboxRow.state.in_([OutboxState(s).value for s in states]))
            return [_entry(row) for row in session.scalars(query)]

    def counts(self) -> dict[str, int]:
        """Number of entries per state (every state present, zero included)."""
        with self._sessions() as session:
            rows = session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state))
            found = {state: int(count) for state, count in rows}
        return {state.value: int(found.get(state.value, 0)) for state in OutboxState}

    def mark_sending(self, ids: Sequence[str]) -> None:
        """Record that these entries are being pushed (counts an attempt)."""
        with self._sessions() as session:
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), OutboxRow.state.in_([s.value for s in UNSENT]))
                .values(
                    state=OutboxState.SENDING.value,
                    attempts=OutboxRow.attempts + 1,
                    updated_at=utc_now().isoformat(),
                )
            )

    def mark_failed(self, ids: Sequence[str], error: str) -> None:
        """A transient failure (no answer, 5xx, 429): back to pending with the reason."""
        with self._sessions() as session:
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), OutboxRow.state.in_([s.value for s in UNSENT]))
                .values(
                    state=OutboxState.PENDING.value,
                    last_error=error,
                    updated_at=utc_now().isoformat(),
                )
            )

    def mark_results(self, results: list[dict[str, Any]]) -> list[OutboxEntry]:
        """Store the push answer's ``results`` in one transaction; returns the updated entries.

        Unknown ids are ignored (another device's answer cannot reach us, a stale one may).
        A result with an unknown ``status`` raises ValueError before anything is written.
        """
        parsed: list[tuple[str, OutboxState, dict[str, Any]]] = []
        for result in results:
            status = result.get("status")
            if not isinstance(result.get("id"), str) or status not in _ANSWERS:
                raise ValueError(f"not a mutation result: {result!r}")
            parsed.append((result["id"], OutboxState(status), result))
        now = utc_now().isoformat()
        outcomes: list[tuple[OutboxEntry, OutboxState]] = []
        with self._sessions() as session:
            for entry_id, state, result in parsed:
                row = session.get(OutboxRow, entry_id)
                if row is None:
                    continue
                row.state = state.value
                row.result = orjson.dumps(result).decode()
                message = result.get("message")
                row.last_error = str(message) if state is OutboxState.REJECTED else None
                row.updated_at = now
                outcomes.append((_entry(row), state))
            session.flush()
            if self._after_results is not None and outcomes:
                self._after_results(session, outcomes)
        return [entry for entry, _ in outcomes]

    def retry(self, entry_id: str) -> OutboxEntry:
        """Send a rejected mutation again, as a new entry (new id and seq); returns it.

        The server answers a replayed id with its stored result, so the same id could never
        succeed. The old entry stays rejected, its result noting ``retried_as``. Raises
        KeyError for an unknown id and ValueError when the entry was not rejected.
        """
        with self._sessions() as session:
            row = session.get(OutboxRow, entry_id)
            if row is None:
                raise KeyError(entry_id)
            if row.state != OutboxState.REJECTED.value:
                raise ValueError(f"only a rejected mutation can be retried, not {row.state}")
            entry = enqueue(session, row.name, orjson.loads(row.args))
            result = orjson.loads(row.result) if row.result else {}
            result["retried_as"] = entry.id
            row.result = orjson.dumps(result).decode()
            row.updated_at = entry.created_at.isoformat()
            return entry


def pending_for_cart(session: Session, cart_id: str) -> int:
    """How many unsent mutations concern ``cart_id``."""
    return int(
        session.execute(
            text(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') "
                "AND json_extract(args, '$.cart_id') = :c"
            ),
            {"c": cart_id},
        ).scalar_one()
    )


def _entry(row: OutboxRow) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        seq=row.seq,
        name=row.name,
        args=orjson.loads(row.args),
        created_at=datetime.fromisoformat(row.created_at),
        state=OutboxState(row.state),
        attempts=row.attempts,
        last_error=row.last_error,
        result=orjson.loads(row.result) if row.result else None,
    )

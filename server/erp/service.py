"""Posting ERP events: each applied at most once (UNIQUE event id), in its own transaction.

``post_events(sessions, scope, raw_events, source=...)`` returns one result per event:
``applied``, ``duplicate`` (a replay, or nothing new) or ``rejected`` with a message. Only
applied events are stored, so an event rejected now (a delivery before its shipment) can be
sent again under the same id once its cause is fixed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from server.accounts.models import Account
from server.db import utcnow
from server.erp.apply import apply_event
from server.erp.events import AlreadyApplied, ErpEventIn, EventRejected, parse_event
from server.erp.keys import KeyScope
from server.erp.models import ErpEvent
from server.erp.state import find_order
from server.orders.models import Order

log = logging.getLogger("orderpad.server.erp")
MAX_EVENTS = 500
_ATTEMPTS = 8


def order_summary(order: Order) -> dict[str, Any]:
    return {
        "client_order_id": str(order.client_order_id),
        "number": order.number,
        "erp_number": order.erp_number,
        "status": order.status,
    }


def _answer(
    event_id: str, kind: str, status: str, code: str, message: str, order: Order | None
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": kind,
        "status": status,
        "code": code,
        "message": message,
        "order": order_summary(order) if order is not None else None,
    }


def _replay(
    session: Session, scope: KeyScope, stored: ErpEvent, event: ErpEventIn
) -> dict[str, Any]:
    order = session.get(Order, stored.order_id)
    account = session.get(Account, order.account_id) if order else None
    if account is None or not scope.allows(account.number):
        # Someone else's event id: say no more than that it is taken.
        raise EventRejected("event_id_taken", f"event_id {event.event_id!r} is already used")
    if stored.payload_hash != event.payload_hash:
        raise EventRejected(
            "event_id_reused",
            f"event_id {event.event_id!r} was used before for an event with other content",
        )
    result: dict[str, Any] = orjson.loads(stored.result)
    return {
        **result,
        "status": "duplicate",
        "code": "duplicate",
        "first_applied_at": stored.received_at.isoformat(),
    }


def _stored(session: Session, event: ErpEventIn) -> ErpEvent | None:
    return session.scalar(select(ErpEvent).where(ErpEvent.event_id == event.event_id))


def post_event(
    sessions: sessionmaker[Session], scope: KeyScope, raw: object, *, source: str
) -> dict[str, Any]:
    """Apply one raw event in its own transaction and answer for it (see module docs)."""
    event_id = str(raw.get("event_id", "")) if isinstance(raw, dict) else ""
    kind = str(raw.get("type", "")) if isinstance(raw, dict) else ""
    try:
        event = parse_event(raw)
    except EventRejected as exc:
        return _answer(event_id, kind, "rejected", exc.code, exc.message, None)
    for attempt in range(_ATTEMPTS):
        session = sessions()
        try:
            with session.begin():
                stored = _stored(session, event)
                if stored is not None:
                    return _replay(session, scope, stored, event)
                order = find_order(session, scope, event.order, lock=True)
                # Look again under the order's lock: a twin of this event may just have won.
                stored = _stored(session, event)
                if stored is not None:
                    return _replay(session, scope, stored, event)
                apply_event(session, order, event)
                answer = _answer(
                    event.event_id, event.type, "applied", "ok", order.history[-1].note, order
                )
                session.add(
                    ErpEvent(
                        event_id=event.event_id,
                        type=event.type,
                        order_id=order.id,
                        payload_hash=event.payload_hash,
                        source=source[:100],
                        result=orjson.dumps(answer).decode(),
                        received_at=utcnow(),
                    )
                )
            return answer
        except EventRejected as exc:
            return _answer(event.event_id, event.type, "rejected", exc.code, exc.message, None)
        except AlreadyApplied as exc:
            return _answer(event.event_id, event.type, "duplicate", "duplicate", str(exc), None)
        except (IntegrityError, OperationalError) as exc:
            # The same event arrived concurrently and won, or SQLite was busy: start again;
            # the next round finds the stored result.
            log.warning("retrying ERP event %s after %s", event.event_id, type(exc).__name__)
            time.sleep(0.05 * (attempt + 1))
        finally:
            session.close()
    raise RuntimeError(f"ERP event {event.event_id} could not be stored")


def post_events(
    sessions: sessionmaker[Session], scope: KeyScope, raws: list[object], *, source: str
) -> list[dict[str, Any]]:
    return [post_event(sessions, scope, raw, source=source) for raw in raws]

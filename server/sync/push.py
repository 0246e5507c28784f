"""Push: apply a batch of client mutations, each at most once, each in its own transaction."""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from server.accounts.models import Account, User
from server.approvals import service as approvals
from server.carts import service as carts
from server.changes.models import BucketCounter
from server.db import utcnow
from server.orders import service as orders
from server.sync.models import Device, Mutation
from server.sync.outcome import Outcome, Rejected
from server.sync.pull import caller_buckets

log = logging.getLogger("orderpad.server.push")

Handler = Callable[[Session, Account, User, dict[str, Any]], Outcome]
HANDLERS: dict[str, Handler] = {
    "cart.create": carts.create,
    "cart.rename": carts.rename,
    "cart.delete": carts.delete,
    "cart.set_line": carts.set_line,
    "cart.remove_line": carts.remove_line,
    "order.submit": orders.submit,
    "order.confirm_changes": orders.confirm_changes,
    "order.cancel": orders.cancel,
    "approval.decide": approvals.decide,
    "approval_rule.save": approvals.save_rule,
    "approval_rule.delete": approvals.delete_rule,
    "user.set_limit": approvals.set_limit,
}
MAX_BATCH = 500


def payload_hash(name: str, args: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps([name, args], option=orjson.OPT_SORT_KEYS)).hexdigest()


def _stored(row: Mutation, *, replayed: bool) -> dict[str, Any]:
    result: dict[str, Any] = orjson.loads(row.result)
    return {**result, "id": str(row.id), "replayed": replayed}


def _refusal(mid: str, code: str, message: str) -> dict[str, Any]:
    """A refusal that is not stored (the mutation was never ours to apply)."""
    return {
        "id": mid,
        "status": "rejected",
        "code": code,
        "message": message,
        "result": {},
        "replayed": False,
    }


def _apply_one(
    sessions: sessionmaker[Session], *, user_id: int, device_id: uuid.UUID, raw: dict[str, Any]
) -> dict[str, Any]:
    mid_raw = str(raw.get("id", ""))
    try:
        mid = uuid.UUID(mid_raw)
    except ValueError:
        return _refusal(mid_raw, "invalid", "mutation id must be a UUID")
    name = str(raw.get("name", ""))
    args = raw.get("args") if isinstance(raw.get("args"), dict) else {}
    assert isinstance(args, dict)
    digest = payload_hash(name, args)
    for attempt in range(8):
        with sessions() as session:
            existing = session.get(Mutation, mid)
            if existing is not None:
                user = session.get(User, user_id)
                if user is None or existing.account_id != user.account_id:
                    return _refusal(mid_raw, "invalid", "mutation id is taken")
                if existing.payload_hash != digest:
                    log.warning("mutation %s replayed with a different payload", mid)
                    return _refusal(
                        mid_raw,
                        "tampered",
                        "this mutation id was used before with different content",
                    )
                return _stored(existing, replayed=True)
            # The user's rights are read now, not when the token was issued.
            user = session.get(User, user_id)
            if user is None or not user.active:
                return _refusal(mid_raw, "forbidden", "this user can no longer make changes")
            account = session.get(Account, user.account_id)
            assert account is not None
            handler = HANDLERS.get(name)
            try:
                try:
                    if handler is None:
                        raise Rejected("unknown_mutation", f"this server does not know {name!r}")
                    outcome = handler(session, account, user, args).to_json()
                except Rejected as exc:
                    session.rollback()
                    outcome = {
                        "status": "rejected",
                        "code": exc.code,
                        "message": exc.message,
                        "result": {},
                    }
                session.add(
                    Mutation(
                        id=mid,
                        account_id=account.id,
                        user_id=user.id,
                        device_id=device_id,
                        seq=int(raw.get("seq") or 0),
                        name=name[:40],
                        payload_hash=digest,
                        status=outcome["status"],
                        result=orjson.dumps(outcome).decode(),
                        received_at=utcnow(),
                    )
                )
                session.commit()
            except (IntegrityError, OperationalError) as exc:
                # The same mutation (or order) arrived concurrently and won, or SQLite was
                # busy: start again; the next round finds the stored result.
                session.rollback()
                log.warning("retrying mutation %s after %s", mid, exc)
                time.sleep(0.05 * (attempt + 1))
                continue
            return {**outcome, "id": mid_raw, "replayed": False}
    raise RuntimeError(f"mutation {mid} could not be stored")


def _note_device(
    sessions: sessionmaker[Session], *, user: User, device_id: uuid.UUID, seqs: list[int]
) -> list[int] | None:
    """Remember the device's highest sequence; return [from, to] of a gap before this batch."""
    if not seqs:
        return None
    with sessions() as session, session.begin():
        device = session.get(Device, device_id, with_for_update=True)
        if device is None:
            device = Device(id=device_id, account_id=user.account_id, user_id=user.id, last_seq=0)
            session.add(device)
        elif device.account_id != user.account_id:
            raise Rejected("invalid", "device id belongs to another account")
        gap = None
        first = min(seqs)
        if device.last_seq and first > device.last_seq + 1:
            gap = [device.last_seq + 1, first - 1]
            log.warning("device %s skipped sequence numbers %s..%s", device_id, *gap)
        device.last_seq = max(device.last_seq, *seqs)
        device.last_seen = utcnow()
        return gap


def push(
    sessions: sessionmaker[Session],
    *,
    user: User,
    device_id: uuid.UUID,
    mutations: list[dict[str, Any]],
) -> dict[str, Any]:
    seqs = [int(m["seq"]) for m in mutations if isinstance(m.get("seq"), int)]
    gap = _note_device(sessions, user=user, device_id=device_id, seqs=seqs)
    results = [_apply_one(sessions, user_id=user.id, device_id=device_id, raw=m) for m in mutations]
    with sessions() as session:
        account = session.get(Account, user.account_id)
        assert account is not None
        buckets = caller_buckets(account)
        pull_to = {
            c.bucket: c.position
            for c in session.scalars(select(BucketCounter).where(BucketCounter.bucket.in_(buckets)))
        }
    return {"results": results, "pull_to": pull_to, "seq_gap": gap}

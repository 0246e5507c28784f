"""The replica's view of approvals: rules, people, orders waiting, and queued decisions.

Rules arrive as ``approval_rule`` rows (kept in ``other_rows``), people as ``user`` rows, the
approval state inside each order row. Decisions and admin edits are outbox mutations; until
the server answers, the unsent ones are laid over the replicated data so the queue and the
rule list show what this device already did.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson

from app.domain.approvals import ApprovalRule, Person, RuleError
from app.store.outbox import UNSENT, OutboxEntry, enqueue
from app.store.replica import Replica

Doc = dict[str, Any]

DECIDE = "approval.decide"
SAVE_RULE = "approval_rule.save"
DELETE_RULE = "approval_rule.delete"
SET_LIMIT = "user.set_limit"


def _query(replica: Replica, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with replica.reading() as session:
        return [tuple(r) for r in session.connection().exec_driver_sql(sql, params)]


def unsent(replica: Replica, *names: str) -> list[OutboxEntry]:
    """This device's mutations of these names that the server has not answered yet."""
    return [e for e in replica.outbox.entries(UNSENT) if e.name in names]


def people(replica: Replica) -> dict[int, Person]:
    """The account's users as rules see them, with this device's unsent limit changes."""
    out: dict[int, Person] = {}
    for (data,) in _query(replica, "SELECT data FROM users"):
        doc = orjson.loads(data)
        limit = doc.get("spending_limit")
        out[int(doc["id"])] = Person(
            id=int(doc["id"]),
            name=str(doc.get("name") or doc.get("email") or ""),
            email=str(doc.get("email") or ""),
            roles=frozenset(str(r) for r in doc.get("roles") or ()),
            active=bool(doc.get("active", True)),
            manager_id=None if doc.get("manager_id") is None else int(doc["manager_id"]),
            spending_limit=None if limit in (None, "") else Decimal(str(limit)),
        )
    for entry in unsent(replica, SET_LIMIT):
        uid = int(entry.args["user_id"])
        if uid in out:
            raw = entry.args.get("spending_limit")
            p = out[uid]
            out[uid] = Person(
                p.id, p.name, p.email, p.roles, p.active, p.manager_id,
                None if raw in (None, "") else Decimal(str(raw)),
            )  # fmt: skip
    return out


def account(replica: Replica) -> Doc:
    rows = _query(replica, "SELECT data FROM accounts ORDER BY number LIMIT 1")
    return orjson.loads(rows[0][0]) if rows else {}


def rules(replica: Replica) -> list[tuple[ApprovalRule, Doc, bool]]:
    """(rule, its replicated row, edited here and not yet sent) for every rule, with this
    device's unsent edits and deletions applied."""
    found: dict[str, tuple[ApprovalRule, Doc, bool]] = {}
    for (data,) in _query(
        replica, "SELECT data FROM other_rows WHERE entity = 'approval_rule' ORDER BY key"
    ):
        doc = orjson.loads(data)
        try:
            rule = ApprovalRule.from_dict(doc)
        except RuleError:
            continue  # a rule this client cannot read is the server's to enforce
        found[rule.id] = (rule, doc, False)
    for entry in unsent(replica, SAVE_RULE, DELETE_RULE):
        rid = str(entry.args.get("rule_id"))
        if entry.name == DELETE_RULE:
            found.pop(rid, None)
            continue
        base = found[rid][1] if rid in found else {}
        # The version the server will hold once this edit lands (each save adds one), so a
        # second edit queued before a sync is based on the first, not refused as a conflict.
        landed = int(found[rid][0].version) + 1 if rid in found else 1
        try:
            rule = ApprovalRule.from_dict({**entry.args, "version": landed})
        except RuleError:
            continue
        found[rid] = (rule, base, True)
    return sorted(found.values(), key=lambda t: (t[0].level, t[0].name.casefold()))


def orders_with_approval(replica: Replica) -> list[Doc]:
    """Every replicated order that has an approval route (waiting or decided), newest first."""
    rows = _query(
        replica,
        "SELECT data FROM orders WHERE data IS NOT NULL "
        "AND json_extract(data, '$.approval') IS NOT NULL ORDER BY created_at DESC",
    )
    return [orjson.loads(r[0]) for r in rows]


def queue_decision(
    replica: Replica, *, client_order_id: str, decision: str, comment: str, version: int
) -> OutboxEntry:
    with replica.session() as session:
        return enqueue(
            session,
            DECIDE,
            {
                "client_order_id": client_order_id,
                "decision": decision,
                "comment": comment,
                "version": version,
            },
        )


def queue_rule(replica: Replica, rule: ApprovalRule, *, base_version: int | None) -> OutboxEntry:
    args = {**rule.as_dict(), "base_version": base_version}
    args.pop("version", None)
    with replica.session() as session:
        return enqueue(session, SAVE_RULE, args)


def queue_rule_deletion(replica: Replica, rule_id: str) -> OutboxEntry:
    with replica.session() as session:
        return enqueue(session, DELETE_RULE, {"rule_id": rule_id})


def queue_limit(replica: Replica, *, user_id: int, limit: Decimal | None) -> OutboxEntry:
    with replica.session() as session:
        return enqueue(
            session,
            SET_LIMIT,
            {"user_id": user_id, "spending_limit": None if limit is None else str(limit)},
        )

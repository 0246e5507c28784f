"""Approval routing, decisions and rule edits, with the rules of app.domain.approvals.

`route` is called when an order is ready to go (submitted, or its changes confirmed); it puts
the order in `pending_approval` when a rule fires. `decide` is the `approval.decide` mutation.
Rule and limit edits re-route the account's pending orders, bumping their approval version so
a decision made on the old route is refused as stale instead of applied to a different one.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.approvals import (
    ApprovalRule,
    ApprovalStep,
    Decision,
    OrderFacts,
    Person,
    RuleError,
    apply_decision,
    carry_decisions,
    judge,
    outcome,
    plan_approval,
    waiting_for,
)
from server.accounts.models import Account, Role, ShipTo, User
from server.approvals.models import ApprovalDecision, ApprovalRuleRow, OrderApproval
from server.carts.models import Cart, CartLine
from server.carts.service import parse_uuid, require_role
from server.catalog.models import Product
from server.changes.service import RowChange, account_bucket, record_changes
from server.db import utcnow
from server.orders.lookup import own_order
from server.orders.models import Order, OrderStatus, OrderStatusEvent
from server.sync.outcome import Outcome, Rejected, applied


def person(user: User) -> Person:
    return Person(
        id=user.id,
        name=user.name,
        email=user.email,
        roles=frozenset(r.value for r in user.roles),
        active=user.active,
        manager_id=user.manager_id,
        spending_limit=user.spending_limit,
    )


def people_of(session: Session, account_id: int) -> dict[int, Person]:
    return {
        u.id: person(u) for u in session.scalars(select(User).where(User.account_id == account_id))
    }


def rule_of(row: ApprovalRuleRow) -> ApprovalRule:
    return ApprovalRule.from_dict(
        {
            "rule_id": str(row.id),
            "name": row.name,
            "enabled": row.enabled,
            "level": row.level,
            "applies_to": row.applies_to.split(),
            "conditions": orjson.loads(row.conditions),
            "approvers": orjson.loads(row.approvers),
            "version": row.version,
        }
    )


def rules_of(session: Session, account_id: int) -> list[ApprovalRule]:
    rows = session.scalars(
        select(ApprovalRuleRow).where(
            ApprovalRuleRow.account_id == account_id, ApprovalRuleRow.deleted.is_(False)
        )
    )
    return [rule_of(r) for r in rows]


def facts_for(session: Session, account: Account, order: Order, buyer: Person) -> OrderFacts:
    product_ids = [li.product_id for li in order.lines if li.product_id is not None]
    categories = set(
        session.scalars(select(Product.category).where(Product.id.in_(product_ids))).all()
    )
    ship_to = session.get(ShipTo, order.ship_to_id) if order.ship_to_id else None
    credit = None
    if account.credit_limit > 0:
        credit = account.credit_limit - account.open_balance
    return OrderFacts(
        buyer=buyer,
        total=order.subtotal,
        currency=order.currency,
        skus=frozenset(li.sku.upper() for li in order.lines),
        categories=frozenset(c for c in categories if c),
        ship_to=ship_to.code if ship_to else None,
        credit_available=credit,
    )


def _steps(approval: OrderApproval | None) -> list[ApprovalStep]:
    if approval is None:
        return []
    return [ApprovalStep.from_dict(s) for s in orjson.loads(approval.steps)]


def _store(approval: OrderApproval, steps: list[ApprovalStep]) -> None:
    approval.steps = orjson.dumps([s.as_dict() for s in steps]).decode()


def _route_only(steps: list[ApprovalStep]) -> list[tuple[object, ...]]:
    return [(s.level, s.rule_id, s.reasons, s.approvers, s.approver_ids) for s in steps]


def _history(order: Order, status: OrderStatus, note: str) -> None:
    order.status = status
    order.history.append(OrderStatusEvent(status=status, note=note, at=utcnow()))


def _waiting_note(
    steps: list[ApprovalStep], buyer: Person, people: dict[int, Person], prefix: str
) -> str:
    rules = "; ".join(f"{s.rule_name}: {', '.join(s.reasons)}" for s in steps)
    who = ", ".join(p.name for p in waiting_for(steps, buyer=buyer, people=people))
    return f"{prefix} ({rules}); with {who or 'nobody: ask your account admin'}"


def route(session: Session, account: Account, order: Order) -> bool:
    """Route a ready order: `pending_approval` when a rule fires (True), else `submitted`."""
    people = people_of(session, account.id)
    buyer = people.get(order.user_id) if order.user_id is not None else None
    steps: list[ApprovalStep] = []
    if buyer is not None:
        steps = plan_approval(
            rules_of(session, account.id),
            facts_for(session, account, order, buyer),
            people,
            admin_bypass=account.admin_bypass_approval,
        )
    approval = session.get(OrderApproval, order.id) if order.id else None
    if not steps or buyer is None:
        if approval is not None:
            session.delete(approval)
        return False
    if approval is None:
        approval = OrderApproval(order_id=order.id, version=1)
        session.add(approval)
    else:
        approval.version += 1
    _store(approval, steps)
    _history(
        order,
        OrderStatus.PENDING_APPROVAL,
        _waiting_note(steps, buyer, people, "waiting for approval"),
    )
    return True


def _record(session: Session, account_id: int, *changes: RowChange) -> None:
    record_changes(session, account_bucket(account_id), list(changes))


def _return_to_carts(session: Session, order: Order) -> Cart:
    """A rejected order's lines go back to the buyer: its cart reopens, or a new cart."""
    cart = session.get(Cart, order.cart_id) if order.cart_id else None
    if cart is not None and cart.status == "submitted":
        cart.status = "open"
        return cart
    cart = Cart(
        id=uuid.uuid4(),
        account_id=order.account_id,
        owner_id=order.user_id,
        name=f"Returned {order.number}"[:100],
        status="open",
    )
    now = utcnow()
    cart.lines = [
        CartLine(
            id=uuid.uuid4(),
            sku=li.sku,
            quantity=li.quantity,
            unit=li.unit,
            created_at=now,
            updated_at=now,
        )
        for li in order.lines
    ]
    session.add(cart)
    return cart


def decide(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    """`approval.decide`: {client_order_id, decision: approve|reject, comment, version}."""
    raw_decision = str(args.get("decision") or "")
    if raw_decision not in ("approve", "reject"):
        raise Rejected("invalid", "decision must be approve or reject")
    decision: Decision = "approve" if raw_decision == "approve" else "reject"
    comment = str(args.get("comment") or "").strip()[:2000]
    if decision == "reject" and not comment:
        raise Rejected("invalid", "say why you reject the order (a comment is required)")
    order = own_order(session, account, args)
    approval = session.get(OrderApproval, order.id)
    if approval is None:
        raise Rejected("not_pending", f"order {order.number} does not need approval")
    people = people_of(session, account.id)
    decider = person(user)
    buyer = people.get(order.user_id) if order.user_id is not None else None
    if buyer is None:
        raise Rejected("not_found", "the order's buyer is gone")
    steps = _steps(approval)
    if order.status != OrderStatus.PENDING_APPROVAL and outcome(steps) == "pending":
        # Cancelled (or sent back to the buyer) while it waited: nothing is left to decide.
        raise Rejected("not_pending", f"order {order.number} is {order.status.replace('_', ' ')}")
    verdict = judge(steps, decider=decider, decision=decision, buyer=buyer, people=people)
    result = {
        "order_number": order.number,
        "client_order_id": str(order.client_order_id),
        "approval_version": approval.version,
    }
    if verdict.noop:
        session.add(
            ApprovalDecision(
                order_id=order.id, user_id=user.id, decision=decision, comment=comment, noop=True
            )
        )
        _record(session, account.id, RowChange("order", str(order.client_order_id)))
        return applied(verdict.message, order_status=order.status, **result)
    if not verdict.applies:
        raise Rejected(verdict.code, f"order {order.number}: {verdict.message}")
    seen = args.get("version")
    if seen is not None and int(seen) != approval.version:
        raise Rejected(
            "stale",
            f"order {order.number}: its approval route changed since you looked at it "
            f"(version {seen}, now {approval.version}); review it again",
        )
    now = utcnow()
    steps = apply_decision(
        steps, verdict, decider=decider, decision=decision, at=now, comment=comment
    )
    _store(approval, steps)
    levels = sorted({steps[i].level for i in verdict.steps})
    session.add(
        ApprovalDecision(
            order_id=order.id,
            user_id=user.id,
            decision=decision,
            levels=" ".join(str(n) for n in levels),
            comment=comment,
            at=now,
        )
    )
    changes = [RowChange("order", str(order.client_order_id))]
    said = f" ({comment})" if comment else ""
    state = outcome(steps)
    if state == "approved":
        _history(order, OrderStatus.SUBMITTED, f"approved by {user.name}{said}")
        message = f"order {order.number} approved: on its way to the supplier"
    elif state == "rejected":
        cart = _return_to_carts(session, order)
        _history(
            order,
            OrderStatus.REJECTED,
            f"rejected by {user.name}: {comment}; the lines are back in cart {cart.name!r}",
        )
        changes.append(RowChange("cart", str(cart.id)))
        message = f"order {order.number} rejected; its lines are back in the buyer's carts"
    else:
        note = _waiting_note(steps, buyer, people, f"level {levels[-1]} approved by {user.name}")
        _history(order, OrderStatus.PENDING_APPROVAL, note)
        message = f"order {order.number}: {note}"
    session.flush()
    _record(session, account.id, *changes)
    return applied(message, order_status=order.status, **result)


def reroute_pending(session: Session, account: Account) -> int:
    """Re-evaluate every order waiting for approval after rules, limits or roles changed.

    Decisions already made on a step that survives are kept; an order no rule holds any more
    goes on to the supplier. Returns how many orders changed.
    """
    orders = session.scalars(
        select(Order)
        .where(Order.account_id == account.id, Order.status == OrderStatus.PENDING_APPROVAL)
        .options(selectinload(Order.lines), selectinload(Order.history))
    ).all()
    if not orders:
        return 0
    people = people_of(session, account.id)
    rules = rules_of(session, account.id)
    changed = []
    for order in orders:
        approval = session.get(OrderApproval, order.id)
        buyer = people.get(order.user_id) if order.user_id is not None else None
        if approval is None or buyer is None:
            continue
        old = _steps(approval)
        new = carry_decisions(
            old,
            plan_approval(
                rules,
                facts_for(session, account, order, buyer),
                people,
                admin_bypass=account.admin_bypass_approval,
            ),
        )
        if _route_only(new) == _route_only(old):
            continue
        approval.version += 1
        _store(approval, new)
        if outcome(new) == "approved":
            _history(order, OrderStatus.SUBMITTED, "approval no longer needed: the rules changed")
        else:
            _history(
                order,
                OrderStatus.PENDING_APPROVAL,
                _waiting_note(new, buyer, people, "approval route changed"),
            )
        changed.append(RowChange("order", str(order.client_order_id)))
    if changed:
        session.flush()
        _record(session, account.id, *changed)
    return len(changed)


def _rule_args(session: Session, account: Account, args: dict[str, Any]) -> ApprovalRule:
    try:
        rule = ApprovalRule.from_dict({**args, "version": 1})
    except RuleError as e:
        raise Rejected("invalid_rule", str(e)) from None
    named = set(rule.approvers.users)
    if named:
        found = set(
            session.scalars(
                select(User.id).where(User.account_id == account.id, User.id.in_(named))
            )
        )
        if named - found:
            raise Rejected("invalid_rule", f"no such user in this account: {sorted(named - found)}")
    return rule


def save_rule(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    """`approval_rule.save`: create or replace a rule (admins only); `base_version` guards
    against overwriting someone else's edit."""
    require_role(user, Role.ADMIN)
    rule_id = parse_uuid(args, "rule_id")
    rule = _rule_args(session, account, args)
    row = session.get(ApprovalRuleRow, rule_id)
    if row is not None and row.account_id != account.id:
        raise Rejected("invalid", "rule_id is taken")
    base = args.get("base_version")
    if row is not None and base is not None and int(base) != row.version:
        by = session.get(User, row.updated_by_id) if row.updated_by_id else None
        raise Rejected(
            "conflict",
            f"rule {row.name!r} was changed by {by.name if by else 'someone'} at "
            f"{row.updated_at:%Y-%m-%d %H:%M} UTC after you opened it; review it again",
        )
    if row is None:
        row = ApprovalRuleRow(id=rule_id, account_id=account.id, version=0)
        session.add(row)
    row.name = rule.name[:200]
    row.enabled = rule.enabled
    row.level = rule.level
    row.applies_to = " ".join(rule.applies_to)
    row.conditions = orjson.dumps([c.as_dict() for c in rule.conditions]).decode()
    row.approvers = orjson.dumps(rule.approvers.as_dict()).decode()
    row.version += 1
    row.deleted = False
    row.updated_by_id = user.id
    row.updated_at = utcnow()
    session.flush()
    _record(session, account.id, RowChange("approval_rule", str(row.id)))
    rerouted = reroute_pending(session, account)
    return applied(
        f"rule {row.name!r} saved (version {row.version})",
        rule_id=str(row.id),
        version=row.version,
        rerouted_orders=rerouted,
    )


def delete_rule(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, Role.ADMIN)
    row = session.get(ApprovalRuleRow, parse_uuid(args, "rule_id"))
    if row is None or row.account_id != account.id:
        raise Rejected("not_found", "no such rule")
    if not row.deleted:
        row.deleted = True
        row.version += 1
        row.updated_by_id = user.id
        session.flush()
        _record(session, account.id, RowChange("approval_rule", str(row.id), deleted=True))
    rerouted = reroute_pending(session, account)
    return applied(f"rule {row.name!r} deleted", rerouted_orders=rerouted)


def set_limit(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    """`user.set_limit`: {user_id, spending_limit (null for none)}; admins only."""
    require_role(user, Role.ADMIN)
    try:
        target_id = int(args.get("user_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Rejected("invalid", "user_id must be a number") from None
    target = session.get(User, target_id)
    if target is None or target.account_id != account.id:
        raise Rejected("not_found", "no such user in this account")
    raw = args.get("spending_limit")
    limit: Decimal | None = None
    if raw not in (None, ""):
        try:
            limit = Decimal(str(raw))
        except InvalidOperation:
            raise Rejected("invalid", f"spending limit {raw!r} is not an amount") from None
        if not limit.is_finite() or limit < 0:
            raise Rejected("invalid", f"spending limit {raw!r} must be zero or more")
    target.spending_limit = limit
    session.flush()
    _record(session, account.id, RowChange("user", str(target.id)))
    rerouted = reroute_pending(session, account)
    shown = "none" if limit is None else f"{limit} {account.currency}"
    return applied(f"{target.name}'s spending limit is {shown}", rerouted_orders=rerouted)


def approval_docs(session: Session, orders: list[Order]) -> dict[int, dict[str, Any]]:
    """The `approval` part of each order's sync row: steps with names, and every decision."""
    ids = [o.id for o in orders]
    if not ids:
        return {}
    approvals = {
        a.order_id: a
        for a in session.scalars(select(OrderApproval).where(OrderApproval.order_id.in_(ids)))
    }
    if not approvals:
        return {}
    decisions: dict[int, list[ApprovalDecision]] = {}
    for d in session.scalars(
        select(ApprovalDecision)
        .where(ApprovalDecision.order_id.in_(list(approvals)))
        .order_by(ApprovalDecision.id)
    ):
        decisions.setdefault(d.order_id, []).append(d)
    account_ids = {o.account_id for o in orders if o.id in approvals}
    users = {u.id: u for u in session.scalars(select(User).where(User.account_id.in_(account_ids)))}

    def who(uid: int | None) -> dict[str, Any] | None:
        u = users.get(uid) if uid is not None else None
        return {"id": u.id, "name": u.name, "email": u.email} if u else None

    out = {}
    for order_id, a in approvals.items():
        steps = []
        for s in _steps(a):
            doc = s.as_dict()
            doc["approver_names"] = [users[i].name for i in s.approver_ids if i in users]
            doc["decided_by_name"] = (who(s.decided_by) or {}).get("name")
            steps.append(doc)
        out[order_id] = {
            "version": a.version,
            "outcome": outcome(_steps(a)),
            "steps": steps,
            "decisions": [
                {
                    "by": who(d.user_id),
                    "decision": d.decision,
                    "levels": [int(n) for n in d.levels.split()],
                    "comment": d.comment,
                    "noop": d.noop,
                    "at": d.at.isoformat(),
                }
                for d in decisions.get(order_id, [])
            ],
        }
    return out


def rule_doc(row: ApprovalRuleRow, updated_by: str | None) -> dict[str, Any]:
    return {
        **rule_of(row).as_dict(),
        "updated_by": updated_by,
        "updated_at": row.updated_at.isoformat(),
    }

"""Demo approval rules, and orders already waiting for each demo approver.

Every account with an approver gets three rules: over the buyer's own limit (level 1, the
buyer's manager or an approver), chemicals and welding gases (level 1, approvers) and large
orders (level 2, the account admin). Then each such account's first buyer submits three orders
through the real `order.submit` path, so they are priced, checked and routed exactly as a live
order would be, and wait in `pending_approval`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import ROUND_CEILING, Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.approvals import plan_approval
from server.accounts.models import Account, User
from server.approvals.models import ApprovalRuleRow, OrderApproval
from server.approvals.service import facts_for, people_of, person, rules_of
from server.catalog.models import AssortmentProduct, Product
from server.orders import service as orders
from server.orders.models import Order, OrderStatus
from server.seed.accounts import SeededAccount
from server.stock.models import Stock

_NAMESPACE = uuid.UUID("6f1d7a52-2b1e-4f7e-9a51-0d6c1f3b8e20")

LARGE_ORDER = Decimal("5000")
_WATCHED = ("Lubricants", "Welding")


def _rules(account: SeededAccount) -> list[dict[str, Any]]:
    return [
        {
            "name": "Over the buyer's own limit",
            "level": 1,
            "applies_to": [],
            "conditions": [{"field": "spending_limit_exceeded", "op": "is", "value": "true"}],
            "approvers": {"roles": ["approver"], "users": [], "manager": True},
        },
        {
            "name": "Chemicals and welding gases",
            "level": 1,
            "applies_to": ["buyer"],
            "conditions": [{"field": "category", "op": "in", "value": "Lubricants, Welding"}],
            "approvers": {"roles": ["approver"], "users": [], "manager": False},
        },
        {
            "name": "Large order",
            "level": 2,
            "applies_to": [],
            "conditions": [{"field": "order_total", "op": ">", "value": str(LARGE_ORDER)}],
            "approvers": {"roles": ["admin"], "users": [], "manager": False},
        },
    ]


def seed_rules(session: Session, accounts: list[SeededAccount]) -> int:
    """Write the demo rules (logged later with the rest of the seed); returns how many."""
    count = 0
    for account in accounts:
        if account.approver is None:
            continue
        for rule in _rules(account):
            session.add(
                ApprovalRuleRow(
                    id=uuid.uuid5(_NAMESPACE, f"{account.spec.number}:{rule['name']}"),
                    account_id=account.id,
                    name=rule["name"],
                    level=rule["level"],
                    applies_to=" ".join(rule["applies_to"]),
                    conditions=orjson.dumps(rule["conditions"]).decode(),
                    approvers=orjson.dumps(rule["approvers"]).decode(),
                )
            )
            count += 1
    session.flush()
    return count


def route_history(session: Session) -> int:
    """Seeded history orders still pending at the cut-off get their route (no new event)."""
    pending = session.scalars(
        select(Order).where(Order.status == OrderStatus.PENDING_APPROVAL)
    ).all()
    routed = 0
    for order in pending:
        account = session.get(Account, order.account_id)
        buyer = session.get(User, order.user_id) if order.user_id else None
        if account is None or buyer is None:
            continue
        people = people_of(session, account.id)
        steps = plan_approval(
            rules_of(session, account.id),
            facts_for(session, account, order, person(buyer)),
            people,
            admin_bypass=account.admin_bypass_approval,
        )
        if not steps:
            order.status = OrderStatus.SUBMITTED
            continue
        session.add(
            OrderApproval(
                order_id=order.id,
                steps=orjson.dumps([s.as_dict() for s in steps]).decode(),
                version=1,
            )
        )
        routed += 1
    session.flush()
    return routed


def _basket(
    session: Session,
    account: Account,
    rng: random.Random,
    target: Decimal,
    *,
    watched: bool = False,
    count: int = 4,
) -> list[dict[str, str]]:
    """Active, stocked, list-priced products of the account's assortment worth about `target`;
    from the categories the demo rules watch when `watched`, from the others otherwise."""
    category = Product.category.in_(_WATCHED)
    rows = session.execute(
        select(
            Product.sku, Product.list_price, Product.min_qty, Product.multiple, Product.base_unit
        )
        .join(AssortmentProduct, AssortmentProduct.product_id == Product.id)
        .join(Stock, Stock.product_id == Product.id)
        .where(
            AssortmentProduct.assortment_id == account.assortment_id,
            Product.status == "active",
            Product.list_price > 0,
            category if watched else ~category,
            Stock.available > 500,
        )
        .order_by(Product.id)
        .limit(400)
    ).all()
    unique = list(dict.fromkeys(rows))
    picks = rng.sample(unique, k=min(count, len(unique)))
    lines = []
    share = target / max(len(picks), 1)
    for sku, list_price, min_qty, multiple, unit in picks:
        price = Decimal(list_price or 1)
        step = max(multiple or Decimal(1), Decimal(1))
        qty = (share / price / step).to_integral_value(ROUND_CEILING) * step
        qty = max(qty, min_qty or Decimal(1), step)
        lines.append({"sku": sku, "quantity": str(qty.normalize()), "unit": unit})
    return lines


def seed_waiting_orders(
    session: Session, accounts: list[SeededAccount], *, seed: int, stamp: dt.datetime
) -> int:
    """Three orders per account waiting for its approver, submitted in the hours before
    `stamp` (so the seed stays deterministic); returns how many are waiting."""
    rng = random.Random(seed)
    waiting = 0
    for seeded in accounts:
        if seeded.approver is None:
            continue
        buyer_seed = next(
            (u for u in seeded.orderers if u.spending_limit is not None and "admin" not in u.roles),
            None,
        )
        account = session.get(Account, seeded.id)
        buyer = session.get(User, buyer_seed.id) if buyer_seed else None
        if account is None or buyer is None or buyer.spending_limit is None:
            continue
        targets = (
            buyer.spending_limit * Decimal("1.3"),  # over the buyer's limit
            Decimal(300),  # small, but in a watched category
            max(buyer.spending_limit * Decimal("1.8"), LARGE_ORDER * Decimal("1.6")),  # 2 levels
        )
        credit_left = account.credit_limit - account.open_balance
        for n, target in enumerate(targets):
            if account.credit_limit > 0 and target * Decimal("1.2") > credit_left:
                continue  # it would wait for the buyer (credit), not for an approver
            if n == 1:
                lines = _basket(session, account, rng, target, watched=True, count=1)
                lines += _basket(session, account, rng, target, count=2) if lines else []
            else:
                lines = _basket(session, account, rng, target)
            if not lines:
                continue
            outcome = orders.submit(
                session,
                account,
                buyer,
                {
                    "client_order_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "lines": lines,
                    "po_number": f"PO-APPROVE-{n + 1}",
                    "note": "Demo: waiting for approval",
                },
            )
            order = session.scalar(
                select(Order).where(
                    Order.client_order_id == uuid.UUID(outcome.result["client_order_id"])
                )
            )
            if order is not None:
                at = stamp - dt.timedelta(hours=3 - n, minutes=rng.randint(0, 50))
                order.created_at = order.updated_at = at
                for event in order.history:
                    event.at = at
            if outcome.result.get("order_status") == OrderStatus.PENDING_APPROVAL:
                waiting += 1
    return waiting

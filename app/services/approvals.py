"""Approvals for the UI and the command line: the queue, decisions, the preview, rules.

Everything works offline against the replica: a decision is judged here with the same
`app.domain.approvals` code the server uses (so an obvious refusal is said at once) and
queued; the server judges it again when it arrives and its answer shows in the outbox.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.domain.approvals import (
    ApprovalRule,
    ApprovalStep,
    Approvers,
    Condition,
    Decision,
    OrderFacts,
    Person,
    RuleError,
    active_level,
    judge,
    plan_approval,
    waiting_for,
)
from app.services.workspace import WorkspaceError
from app.store import approvals as store

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from app.store.replica import Replica


class ApprovalError(WorkspaceError):
    """An approval action that cannot be done; the message says why, in the buyer's words."""


@dataclass(frozen=True, slots=True)
class StepView:
    level: int
    rule_name: str
    reasons: list[str]
    state: str  # pending | approved | rejected
    approvers: list[str]
    decided_by: str | None
    decided_at: str | None
    comment: str


@dataclass(frozen=True, slots=True)
class DecisionView:
    by: str
    decision: str
    comment: str
    at: str
    levels: list[int]
    noop: bool


@dataclass(frozen=True, slots=True)
class ApprovalView:
    """One order with an approval route, as an approver or its buyer sees it."""

    client_order_id: str
    number: str | None
    po_number: str | None
    status: str
    buyer: str
    buyer_email: str
    total: Decimal | None
    currency: str | None
    created_at: str | None
    line_count: int
    version: int
    outcome: str
    level: int | None
    steps: list[StepView]
    decisions: list[DecisionView]
    waiting_for: list[str]
    can_decide: bool  # by the signed-in user, now
    queued_decision: str | None  # decided on this device, not sent yet
    price_notes: list[str]

    @property
    def ref(self) -> str:
        return self.number or self.client_order_id


@dataclass(frozen=True, slots=True)
class PreviewRule:
    """A rule that will fire for a cart: before submitting, the buyer sees who must approve."""

    name: str
    level: int
    reasons: list[str]
    approvers: list[str]


@dataclass(frozen=True, slots=True)
class RuleView:
    rule: ApprovalRule
    conditions: str
    approvers: str
    applies_to: str
    updated_by: str | None
    updated_at: str | None
    unsent: bool

    def as_json(self) -> dict[str, Any]:
        return {
            **self.rule.as_dict(),
            "conditions_text": self.conditions,
            "approvers_text": self.approvers,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at,
            "unsent": self.unsent,
        }


@dataclass(frozen=True, slots=True)
class DecisionResult:
    ref: str
    queued: bool
    message: str


PAST = {"approve": "approved", "reject": "rejected"}


def past(decision: str | None) -> str:
    """ "approve" -> "approved", for messages."""
    return PAST.get(decision or "", decision or "")


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class ApprovalDesk:
    """The approval use cases of one workspace; get it with ``workspace.approvals``."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def _replica(self) -> Replica:
        return self._ws.replica

    # -- who ---------------------------------------------------------------------------
    def people(self) -> dict[int, Person]:
        return store.people(self._replica)

    def me(self, people: dict[int, Person] | None = None) -> Person | None:
        profile = self._ws.profile
        if profile is None:
            return None
        email = profile.email.casefold()
        return next(
            (p for p in (people or self.people()).values() if p.email.casefold() == email), None
        )

    def _approvers_text(self, approvers: Approvers, people: dict[int, Person]) -> str:
        parts = [f"role {r}" for r in approvers.roles]
        parts += [people[u].name if u in people else f"user {u}" for u in approvers.users]
        if approvers.manager:
            parts.append("the buyer's manager")
        return ", ".join(parts) or "nobody"

    # -- the queue ---------------------------------------------------------------------
    def orders(self) -> list[ApprovalView]:
        """Every order with an approval route, newest first."""
        people = self.people()
        me = self.me(people)
        queued = {
            str(e.args.get("client_order_id")): str(e.args.get("decision"))
            for e in store.unsent(self._replica, store.DECIDE)
        }
        return [
            self._view(doc, people, me, queued) for doc in store.orders_with_approval(self._replica)
        ]

    def queue(self) -> list[ApprovalView]:
        """Orders awaiting the signed-in user's decision (not yet decided on this device)."""
        return [v for v in self.orders() if v.can_decide and v.queued_decision is None]

    def waiting_count(self) -> int:
        return len(self.queue())

    def order(self, ref: str) -> ApprovalView:
        client_id = self._ws._order_id(ref)
        for view in self.orders():
            if view.client_order_id == client_id:
                return view
        raise ApprovalError(f"order {ref} has no approval route")

    def _view(
        self,
        doc: dict[str, Any],
        people: dict[int, Person],
        me: Person | None,
        queued: dict[str, str],
    ) -> ApprovalView:
        approval = doc.get("approval") or {}
        steps = [ApprovalStep.from_dict(s) for s in approval.get("steps") or ()]
        buyer = next(
            (
                p
                for p in people.values()
                if p.email.casefold() == str(doc.get("user_email") or "").casefold()
            ),
            None,
        )
        status = str(doc.get("status") or "")
        can = False
        if me is not None and buyer is not None and status == "pending_approval":
            verdict = judge(steps, decider=me, decision="approve", buyer=buyer, people=people)
            can = verdict.applies
        return ApprovalView(
            client_order_id=str(doc.get("client_order_id") or ""),
            number=doc.get("number"),
            po_number=doc.get("po_number") or None,
            status=status,
            buyer=buyer.name if buyer else str(doc.get("user_email") or "?"),
            buyer_email=str(doc.get("user_email") or ""),
            total=_dec(doc.get("subtotal")),
            currency=doc.get("currency"),
            created_at=doc.get("created_at"),
            line_count=len(doc.get("lines") or ()),
            version=int(approval.get("version") or 1),
            outcome=str(approval.get("outcome") or ""),
            level=active_level(steps) if status == "pending_approval" else None,
            steps=[
                StepView(
                    level=s.level,
                    rule_name=s.rule_name,
                    reasons=list(s.reasons),
                    state=s.state,
                    approvers=[p.name for p in people.values() if p.id in s.approver_ids]
                    or [str(n) for n in raw.get("approver_names") or ()],
                    decided_by=raw.get("decided_by_name"),
                    decided_at=raw.get("decided_at"),
                    comment=s.comment,
                )
                for s, raw in zip(steps, approval.get("steps") or (), strict=True)
            ],
            decisions=[
                DecisionView(
                    by=str((d.get("by") or {}).get("name") or "someone"),
                    decision=str(d.get("decision") or ""),
                    comment=str(d.get("comment") or ""),
                    at=str(d.get("at") or ""),
                    levels=[int(n) for n in d.get("levels") or ()],
                    noop=bool(d.get("noop")),
                )
                for d in approval.get("decisions") or ()
            ],
            waiting_for=[p.name for p in waiting_for(steps, buyer=buyer, people=people)]
            if buyer is not None and status == "pending_approval"
            else [],
            can_decide=can,
            queued_decision=queued.get(str(doc.get("client_order_id"))),
            price_notes=[
                f"{li.get('sku')}: {li.get('price_explanation')}"
                for li in doc.get("lines") or ()
                if li.get("price_explanation")
            ],
        )

    # -- deciding ----------------------------------------------------------------------
    def decide(
        self, refs: Sequence[str], decision: Decision, *, comment: str = ""
    ) -> list[DecisionResult]:
        """Approve or reject each order (bulk); every one that may be decided is queued.

        A refusal the replica already shows (not an approver, own order, already decided, a
        later level) is reported for that order and the others go on. A rejection needs a
        comment. Raises ApprovalError only when nothing at all could be queued."""
        comment = comment.strip()
        if decision == "reject" and not comment:
            raise ApprovalError("say why you reject (a comment is required)")
        people = self.people()
        me = self.me(people)
        if me is None:
            raise ApprovalError("sign in first: this device does not know who you are")
        views = {v.client_order_id: v for v in self.orders()}
        routes = {
            str(doc.get("client_order_id")): [
                ApprovalStep.from_dict(s) for s in doc["approval"].get("steps") or ()
            ]
            for doc in store.orders_with_approval(self._replica)
        }
        results = []
        for ref in refs:
            try:
                client_id = self._ws._order_id(ref)
            except WorkspaceError as exc:
                results.append(DecisionResult(ref, False, str(exc)))
                continue
            view = views.get(client_id)
            if view is None:
                results.append(DecisionResult(ref, False, f"order {ref} has no approval route"))
                continue
            message = self._refusal(view, routes.get(client_id, []), me, people, decision)
            if message:
                results.append(DecisionResult(view.ref, False, message))
                continue
            store.queue_decision(
                self._replica,
                client_order_id=client_id,
                decision=decision,
                comment=comment,
                version=view.version,
            )
            done = "approved" if decision == "approve" else "rejected"
            results.append(DecisionResult(view.ref, True, f"{view.ref} {done}; queued for sync"))
        if results and not any(r.queued for r in results):
            raise ApprovalError("; ".join(r.message for r in results))
        return results

    def _refusal(
        self,
        view: ApprovalView,
        steps: list[ApprovalStep],
        me: Person,
        people: dict[int, Person],
        decision: Decision,
    ) -> str | None:
        """Why this device already knows the decision cannot be made, or None."""
        if view.queued_decision is not None:
            done = past(view.queued_decision)
            return f"{view.ref}: you already {done} it on this device (not synced yet)"
        if view.status != "pending_approval":
            return f"{view.ref} is {view.status.replace('_', ' ')}; nothing to decide"
        buyer = next((p for p in people.values() if p.email == view.buyer_email), None)
        if buyer is None:
            return f"{view.ref}: its buyer is not in this replica; sync first"
        verdict = judge(steps, decider=me, decision=decision, buyer=buyer, people=people)
        if verdict.applies:
            return None
        return f"{view.ref}: {verdict.message}"

    # -- before submitting -------------------------------------------------------------
    def preview(self, cart: str | None = None, *, ship_to: str | None = None) -> list[PreviewRule]:
        """The rules a cart will fire and who must approve, from the replicated rules."""
        people = self.people()
        me = self.me(people)
        if me is None:
            return []
        view = self._ws.cart(cart)
        categories = set()
        for line in view.lines:
            product = self._ws.product(line.sku)
            if product is not None and product.category:
                categories.add(product.category)
        account = store.account(self._replica)
        limit = _dec(account.get("credit_limit")) or Decimal(0)
        balance = _dec(account.get("open_balance")) or Decimal(0)
        facts = OrderFacts(
            buyer=me,
            total=view.total,
            currency=view.currency or str(account.get("currency") or ""),
            skus=frozenset(li.sku.upper() for li in view.lines),
            categories=frozenset(categories),
            ship_to=ship_to,
            credit_available=limit - balance if limit > 0 else None,
        )
        rules = [r for r, _doc, _unsent in store.rules(self._replica)]
        steps = plan_approval(
            rules, facts, people, admin_bypass=bool(account.get("admin_bypass_approval", True))
        )
        return [
            PreviewRule(
                name=s.rule_name,
                level=s.level,
                reasons=list(s.reasons),
                approvers=[people[i].name for i in s.approver_ids if i in people],
            )
            for s in steps
        ]

    # -- rules and limits (account admins) ---------------------------------------------
    def rules(self) -> list[RuleView]:
        people = self.people()
        return [
            RuleView(
                rule=rule,
                conditions=rule.describe(),
                approvers=self._approvers_text(rule.approvers, people),
                applies_to=", ".join(rule.applies_to) or "every role",
                updated_by=doc.get("updated_by"),
                updated_at=doc.get("updated_at"),
                unsent=unsent,
            )
            for rule, doc, unsent in store.rules(self._replica)
        ]

    def _require_admin(self) -> None:
        me = self.me()
        if me is None or "admin" not in me.roles:
            raise ApprovalError("only an account admin can change approval rules and limits")

    def save_rule(
        self,
        *,
        name: str,
        conditions: Sequence[tuple[str, str, str]],
        approver_roles: Sequence[str] = (),
        approver_users: Sequence[str] = (),
        manager: bool = False,
        level: int = 1,
        applies_to: Sequence[str] = (),
        enabled: bool = True,
        rule_id: str | None = None,
    ) -> RuleView:
        """Create or replace a rule (queued); approver users are named by email."""
        self._require_admin()
        people = self.people()
        by_email = {p.email.casefold(): p.id for p in people.values()}
        unknown = [u for u in approver_users if u.casefold() not in by_email]
        if unknown:
            raise ApprovalError(f"no such user in this account: {', '.join(unknown)}")
        existing = {r.rule.id: r for r in self.rules()}
        base = existing.get(rule_id) if rule_id else None
        try:
            rule = ApprovalRule(
                id=rule_id or str(uuid.uuid4()),
                name=name.strip(),
                enabled=enabled,
                level=level,
                applies_to=tuple(sorted(set(applies_to))),
                conditions=tuple(Condition.parse(f, o, v) for f, o, v in conditions),
                approvers=Approvers(
                    roles=tuple(sorted(set(approver_roles))),
                    users=tuple(sorted({by_email[u.casefold()] for u in approver_users})),
                    manager=manager,
                ),
            )
            rule.check()
        except RuleError as exc:
            raise ApprovalError(str(exc)) from None
        store.queue_rule(
            self._replica, rule, base_version=base.rule.version if base is not None else None
        )
        return next(r for r in self.rules() if r.rule.id == rule.id)

    def delete_rule(self, rule_id: str) -> None:
        self._require_admin()
        if rule_id not in {r.rule.id for r in self.rules()}:
            raise ApprovalError(f"no rule {rule_id}")
        store.queue_rule_deletion(self._replica, rule_id)

    def set_limit(self, email: str, limit: str | None) -> Person:
        """Set a user's per-order spending limit (None or "" for no limit); queued."""
        self._require_admin()
        people = self.people()
        user = next((p for p in people.values() if p.email.casefold() == email.casefold()), None)
        if user is None:
            raise ApprovalError(f"no user {email} in this account")
        amount = None
        if limit not in (None, ""):
            try:
                amount = Decimal(str(limit).replace(",", "."))
            except InvalidOperation:
                raise ApprovalError(f"{limit!r} is not an amount") from None
            if not amount.is_finite() or amount < 0:
                raise ApprovalError("a spending limit is zero or more")
        store.queue_limit(self._replica, user_id=user.id, limit=amount)
        return self.people()[user.id]


def when(text: str | None) -> str:
    """An ISO time as the UI shows it (UTC)."""
    if not text:
        return ""
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

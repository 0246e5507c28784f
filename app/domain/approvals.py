"""Approval rules: which rules an order fires, who must approve it, and what a decision does.

The client evaluates the replicated rules offline to tell a buyer, before submitting, who will
have to approve; the server evaluates the same rules to route the order and to judge every
decision. Nothing here reads a clock or a database: callers pass the facts in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Literal

from app.domain.money import round_money
from app.domain.roles import APPROVER_ROLES as APPROVER_ROLES
from app.domain.roles import KNOWN_ROLES as KNOWN_ROLES

MAX_LEVEL = 5


class RuleError(ValueError):
    """A rule that cannot be evaluated; the message says which part and why."""


class Field(StrEnum):
    ORDER_TOTAL = "order_total"
    DISTINCT_SKUS = "distinct_skus"
    CATEGORY = "category"
    SHIP_TO = "ship_to"
    SPENDING_LIMIT_EXCEEDED = "spending_limit_exceeded"
    CREDIT_EXCEEDED = "credit_exceeded"


class Op(StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "="
    NE = "!="
    IN = "in"
    NOT_IN = "not in"
    IS = "is"


_NUMERIC = (Op.GT, Op.GE, Op.LT, Op.LE, Op.EQ, Op.NE)
FIELD_OPS: dict[Field, tuple[Op, ...]] = {
    Field.ORDER_TOTAL: _NUMERIC,
    Field.DISTINCT_SKUS: _NUMERIC,
    Field.CATEGORY: (Op.IN, Op.NOT_IN),
    Field.SHIP_TO: (Op.IN, Op.NOT_IN),
    Field.SPENDING_LIMIT_EXCEEDED: (Op.IS,),
    Field.CREDIT_EXCEEDED: (Op.IS,),
}
FIELD_LABELS: dict[Field, str] = {
    Field.ORDER_TOTAL: "order total",
    Field.DISTINCT_SKUS: "distinct SKUs",
    Field.CATEGORY: "a product category",
    Field.SHIP_TO: "ship-to location",
    Field.SPENDING_LIMIT_EXCEEDED: "buyer's spending limit exceeded",
    Field.CREDIT_EXCEEDED: "credit limit exceeded",
}


def _values(raw: str) -> frozenset[str]:
    return frozenset(v.strip().casefold() for v in raw.split(",") if v.strip())


def _number(raw: str, what: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise RuleError(f"{what}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise RuleError(f"{what}: {raw!r} is not a number")
    return value


def _compare(left: Decimal, op: Op, right: Decimal) -> bool:
    return {
        Op.GT: left > right,
        Op.GE: left >= right,
        Op.LT: left < right,
        Op.LE: left <= right,
        Op.EQ: left == right,
        Op.NE: left != right,
    }[op]


@dataclass(frozen=True, slots=True)
class Condition:
    """`order_total > 1000`, `category in Safety, Chemicals`, `credit_exceeded is true`."""

    field: Field
    op: Op
    value: str

    @classmethod
    def parse(cls, field_name: str, op: str, value: object) -> Condition:
        try:
            f = Field(field_name)
        except ValueError:
            known = ", ".join(x.value for x in Field)
            raise RuleError(f"unknown condition {field_name!r} (one of {known})") from None
        try:
            o = Op(op)
        except ValueError:
            raise RuleError(f"unknown operator {op!r} for {f.value}") from None
        if o not in FIELD_OPS[f]:
            allowed = ", ".join(x.value for x in FIELD_OPS[f])
            raise RuleError(f"{f.value} takes {allowed}, not {o.value!r}")
        text = str(value if value is not None else "").strip()
        condition = cls(f, o, text)
        condition.check()
        return condition

    def check(self) -> None:
        what = FIELD_LABELS[self.field]
        if self.field is Field.ORDER_TOTAL:
            if _number(self.value, what) < 0:
                raise RuleError(f"{what}: {self.value} is negative")
        elif self.field is Field.DISTINCT_SKUS:
            n = _number(self.value, what)
            if n != n.to_integral_value() or n < 0:
                raise RuleError(f"{what}: {self.value} is not a whole number")
        elif self.op is Op.IS:
            if self.value.casefold() not in ("true", "false"):
                raise RuleError(f"{what}: say true or false, not {self.value!r}")
        elif not _values(self.value):
            raise RuleError(f"{what}: name at least one value")

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field.value, "op": self.op.value, "value": self.value}

    def describe(self) -> str:
        return f"{FIELD_LABELS[self.field]} {self.op.value} {self.value}"


@dataclass(frozen=True, slots=True)
class Approvers:
    """Who may approve: any of the roles, the named users, or the buyer's manager."""

    roles: tuple[str, ...] = ()
    users: tuple[int, ...] = ()
    manager: bool = False

    def empty(self) -> bool:
        return not (self.roles or self.users or self.manager)

    def as_dict(self) -> dict[str, Any]:
        return {"roles": list(self.roles), "users": list(self.users), "manager": self.manager}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Approvers:
        raw = raw or {}
        return cls(
            roles=tuple(sorted({str(r) for r in raw.get("roles") or ()})),
            users=tuple(sorted({int(u) for u in raw.get("users") or ()})),
            manager=bool(raw.get("manager")),
        )


@dataclass(frozen=True, slots=True)
class ApprovalRule:
    """One rule of an account. `applies_to` empty means every buyer role, present and future."""

    id: str
    name: str
    enabled: bool = True
    level: int = 1
    applies_to: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    approvers: Approvers = field(default_factory=Approvers)
    version: int = 1

    def check(self) -> None:
        """Raise RuleError with the first problem a person must fix."""
        if not self.name.strip():
            raise RuleError("the rule needs a name")
        if not 1 <= self.level <= MAX_LEVEL:
            raise RuleError(f"level must be 1 to {MAX_LEVEL}, not {self.level}")
        if not self.conditions:
            raise RuleError(f"rule {self.name!r} needs at least one condition")
        for c in self.conditions:
            c.check()
        for role in (*self.applies_to, *self.approvers.roles):
            if role not in KNOWN_ROLES:
                raise RuleError(f"unknown role {role!r} (one of {', '.join(sorted(KNOWN_ROLES))})")
        if self.approvers.empty():
            raise RuleError(f"rule {self.name!r} names no approver")

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.id,
            "name": self.name,
            "enabled": self.enabled,
            "level": self.level,
            "applies_to": list(self.applies_to),
            "conditions": [c.as_dict() for c in self.conditions],
            "approvers": self.approvers.as_dict(),
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ApprovalRule:
        """Parse and check a rule as the wire and the replica carry it."""
        try:
            conditions = tuple(
                Condition.parse(str(c.get("field")), str(c.get("op")), c.get("value"))
                for c in raw.get("conditions") or ()
            )
            rule = cls(
                id=str(raw.get("rule_id") or raw.get("id") or ""),
                name=str(raw.get("name") or "").strip(),
                enabled=bool(raw.get("enabled", True)),
                level=int(raw.get("level") or 1),
                applies_to=tuple(sorted({str(r) for r in raw.get("applies_to") or ()})),
                conditions=conditions,
                approvers=Approvers.from_dict(raw.get("approvers")),
                version=int(raw.get("version") or 1),
            )
        except (TypeError, ValueError, AttributeError) as e:
            if isinstance(e, RuleError):
                raise
            raise RuleError(f"malformed rule: {e}") from None
        rule.check()
        return rule

    def describe(self) -> str:
        return " and ".join(c.describe() for c in self.conditions)


@dataclass(frozen=True, slots=True)
class Person:
    """A user of the account as rules see them."""

    id: int
    name: str
    email: str
    roles: frozenset[str]
    active: bool = True
    manager_id: int | None = None
    spending_limit: Decimal | None = None

    def may_approve(self) -> bool:
        return self.active and bool(self.roles & APPROVER_ROLES)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What rules look at. `credit_available` None means the account has no credit limit."""

    buyer: Person
    total: Decimal
    currency: str
    skus: frozenset[str]
    categories: frozenset[str]
    ship_to: str | None
    credit_available: Decimal | None = None

    @property
    def over_spending_limit(self) -> bool:
        limit = self.buyer.spending_limit
        return limit is not None and self.total > limit

    @property
    def over_credit(self) -> bool:
        return self.credit_available is not None and self.total > self.credit_available


def _money(amount: Decimal, currency: str) -> str:
    return f"{round_money(amount, currency):,} {currency}"


def _holds(c: Condition, facts: OrderFacts) -> str | None:
    """The reason a condition holds for the order, in the buyer's words, or None."""
    if c.field is Field.ORDER_TOTAL:
        limit = _number(c.value, "order total")
        if _compare(facts.total, c.op, limit):
            total = _money(facts.total, facts.currency)
            return f"order total {total} {c.op.value} {_money(limit, facts.currency)}"
        return None
    if c.field is Field.DISTINCT_SKUS:
        n = Decimal(len(facts.skus))
        if _compare(n, c.op, _number(c.value, "distinct SKUs")):
            return f"{len(facts.skus)} distinct SKUs {c.op.value} {c.value}"
        return None
    if c.field in (Field.CATEGORY, Field.SHIP_TO):
        wanted = _values(c.value)
        if c.field is Field.CATEGORY:
            have = {x.casefold() for x in facts.categories}
            hits = sorted(x for x in facts.categories if x.casefold() in wanted)
            if c.op is Op.IN and wanted & have:
                return "contains " + ", ".join(hits)
            if c.op is Op.NOT_IN and not wanted & have:
                return f"contains no {c.value}"
            return None
        ship_to = (facts.ship_to or "").casefold()
        inside = ship_to in wanted
        if inside == (c.op is Op.IN):
            return f"ship-to {facts.ship_to or '(default)'} {c.op.value} {c.value}"
        return None
    want = c.value.casefold() == "true"
    if c.field is Field.SPENDING_LIMIT_EXCEEDED:
        if facts.over_spending_limit == want:
            if not want:
                return "within the buyer's spending limit"
            limit = facts.buyer.spending_limit or Decimal(0)
            return f"over {facts.buyer.name}'s per-order limit of {_money(limit, facts.currency)}"
        return None
    if facts.over_credit == want:
        if not want:
            return "within the credit left"
        left = facts.credit_available or Decimal(0)
        return f"exceeds the credit left ({_money(left, facts.currency)})"
    return None


@dataclass(frozen=True, slots=True)
class FiredRule:
    rule: ApprovalRule
    reasons: tuple[str, ...]


def fired_rules(rules: Iterable[ApprovalRule], facts: OrderFacts) -> list[FiredRule]:
    """Every enabled rule that applies to the buyer's roles and whose conditions all hold."""
    out = []
    for rule in sorted(rules, key=lambda r: (r.level, r.name.casefold(), r.id)):
        if not rule.enabled or not rule.conditions:
            continue
        if rule.applies_to and not facts.buyer.roles & set(rule.applies_to):
            continue
        reasons = [_holds(c, facts) for c in rule.conditions]
        if all(r is not None for r in reasons):
            out.append(FiredRule(rule, tuple(r for r in reasons if r)))
    return out


def eligible(approvers: Approvers, *, buyer: Person, people: Mapping[int, Person]) -> list[Person]:
    """Who may decide a step now. The buyer only when nobody else can."""
    found = [
        p
        for p in people.values()
        if p.may_approve()
        and (
            set(p.roles) & set(approvers.roles)
            or p.id in approvers.users
            or (approvers.manager and buyer.manager_id == p.id)
        )
    ]
    others = [p for p in found if p.id != buyer.id]
    return sorted(others or found, key=lambda p: (p.name.casefold(), p.id))


StepState = Literal["pending", "approved", "rejected"]


@dataclass(frozen=True, slots=True)
class ApprovalStep:
    """One fired rule of one order, and what became of it."""

    level: int
    rule_id: str
    rule_name: str
    reasons: tuple[str, ...]
    approvers: Approvers
    approver_ids: tuple[int, ...]
    state: StepState = "pending"
    decided_by: int | None = None
    decided_at: dt.datetime | None = None
    comment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "reasons": list(self.reasons),
            "approvers": self.approvers.as_dict(),
            "approver_ids": list(self.approver_ids),
            "state": self.state,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ApprovalStep:
        at = raw.get("decided_at")
        state = str(raw.get("state") or "pending")
        return cls(
            level=int(raw.get("level") or 1),
            rule_id=str(raw.get("rule_id") or ""),
            rule_name=str(raw.get("rule_name") or ""),
            reasons=tuple(str(r) for r in raw.get("reasons") or ()),
            approvers=Approvers.from_dict(raw.get("approvers")),
            approver_ids=tuple(int(i) for i in raw.get("approver_ids") or ()),
            state=state if state in ("approved", "rejected") else "pending",  # type: ignore[arg-type]
            decided_by=None if raw.get("decided_by") is None else int(raw["decided_by"]),
            decided_at=dt.datetime.fromisoformat(str(at)) if at else None,
            comment=str(raw.get("comment") or ""),
        )


def plan_approval(
    rules: Iterable[ApprovalRule],
    facts: OrderFacts,
    people: Mapping[int, Person],
    *,
    admin_bypass: bool,
) -> list[ApprovalStep]:
    """The steps an order must pass, lowest level first; empty when it needs no approval.

    A step whose approvers are all gone falls to the account's admins, so an order is never
    routed to nobody while an admin exists.
    """
    if admin_bypass and "admin" in facts.buyer.roles:
        return []
    steps = []
    for fired in fired_rules(rules, facts):
        who = eligible(fired.rule.approvers, buyer=facts.buyer, people=people)
        approvers = fired.rule.approvers
        if not who:
            approvers = Approvers(roles=("admin",))
            who = eligible(approvers, buyer=facts.buyer, people=people)
        steps.append(
            ApprovalStep(
                level=fired.rule.level,
                rule_id=fired.rule.id,
                rule_name=fired.rule.name,
                reasons=fired.reasons,
                approvers=approvers,
                approver_ids=tuple(p.id for p in who),
            )
        )
    return steps


Outcome = Literal["pending", "approved", "rejected"]


def outcome(steps: Sequence[ApprovalStep]) -> Outcome:
    if any(s.state == "rejected" for s in steps):
        return "rejected"
    if all(s.state == "approved" for s in steps):
        return "approved"
    return "pending"


def active_level(steps: Sequence[ApprovalStep]) -> int | None:
    """The level now waiting for decisions (level 2 waits until level 1 is approved)."""
    if outcome(steps) != "pending":
        return None
    return min(s.level for s in steps if s.state == "pending")


def waiting_for(
    steps: Sequence[ApprovalStep], *, buyer: Person, people: Mapping[int, Person]
) -> list[Person]:
    """Who can decide the order now, for "who has it"."""
    level = active_level(steps)
    found: dict[int, Person] = {}
    for s in steps:
        if s.level == level and s.state == "pending":
            for p in eligible(s.approvers, buyer=buyer, people=people):
                found[p.id] = p
    return sorted(found.values(), key=lambda p: (p.name.casefold(), p.id))


Decision = Literal["approve", "reject"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a decision does: `apply` to these step indexes, or why it cannot (code, message)."""

    steps: tuple[int, ...] = ()
    code: str = ""
    message: str = ""
    noop: bool = False

    @property
    def applies(self) -> bool:
        return bool(self.steps)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _when(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "an earlier time"


def judge(
    steps: Sequence[ApprovalStep],
    *,
    decider: Person,
    decision: Decision,
    buyer: Person,
    people: Mapping[int, Person],
) -> Verdict:
    """Judge a decision against the order's steps and the people as they are now.

    The same decision already made by someone else is a no-op; a different one is refused
    as "already decided by X at T"; a decider without the right is refused with the reason.
    """
    if not decider.active:
        return Verdict(code="forbidden", message=f"{decider.name} is disabled and cannot decide")
    if not decider.roles & APPROVER_ROLES:
        return Verdict(code="forbidden", message=f"{decider.name} no longer has the approver role")

    def mine(s: ApprovalStep) -> bool:
        return any(p.id == decider.id for p in eligible(s.approvers, buyer=buyer, people=people))

    level = active_level(steps)
    if level is not None:
        now = [i for i, s in enumerate(steps) if s.level == level and s.state == "pending"]
        chosen = tuple(i for i in now if mine(steps[i]))
        if chosen:
            return Verdict(steps=chosen)
    done = [s for s in steps if s.state != "pending"]
    if level is None and outcome(steps) == "rejected":
        done = [s for s in done if s.state == "rejected"]
    elif level is not None:
        done = [s for s in done if mine(s) or s.decided_by == decider.id]
    if done:
        last = max(done, key=lambda s: (s.decided_at is not None, s.decided_at or _EPOCH))
        who = people.get(last.decided_by) if last.decided_by is not None else None
        by = f"{who.name if who else 'someone'} at {_when(last.decided_at)}"
        past = "approved" if decision == "approve" else "rejected"
        if last.state == past:
            return Verdict(code="ok", message=f"already {past} by {by}", noop=True)
        return Verdict(code="already_decided", message=f"already {last.state} by {by}")
    if level is None:
        return Verdict(code="not_pending", message="this order does not wait for approval")
    if decider.id == buyer.id:
        return Verdict(code="own_order", message="you cannot approve your own order")
    later = [s for s in steps if s.state == "pending" and s.level > level and mine(s)]
    if later:
        return Verdict(
            code="not_yet", message=f"level {level} must be approved before level {later[0].level}"
        )
    return Verdict(code="forbidden", message=f"{decider.name} is not an approver of this order")


def apply_decision(
    steps: Sequence[ApprovalStep],
    verdict: Verdict,
    *,
    decider: Person,
    decision: Decision,
    at: dt.datetime,
    comment: str,
) -> list[ApprovalStep]:
    """The steps after an applicable verdict."""
    state: StepState = "approved" if decision == "approve" else "rejected"
    chosen = set(verdict.steps)
    return [
        replace(s, state=state, decided_by=decider.id, decided_at=at, comment=comment)
        if i in chosen
        else s
        for i, s in enumerate(steps)
    ]


def carry_decisions(old: Sequence[ApprovalStep], new: Sequence[ApprovalStep]) -> list[ApprovalStep]:
    """Re-routed steps keep the decisions already made on the same rule at the same level."""
    by_rule = {(s.rule_id, s.level): s for s in old if s.state != "pending"}
    out = []
    for s in new:
        done = by_rule.get((s.rule_id, s.level))
        if done is not None:
            s = replace(
                s,
                state=done.state,
                decided_by=done.decided_by,
                decided_at=done.decided_at,
                comment=done.comment,
            )
        out.append(s)
    return out

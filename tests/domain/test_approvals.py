from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.approvals import (
    ApprovalRule,
    Approvers,
    Condition,
    OrderFacts,
    Person,
    RuleError,
    active_level,
    apply_decision,
    carry_decisions,
    eligible,
    fired_rules,
    judge,
    outcome,
    plan_approval,
    waiting_for,
)

D = Decimal
T = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

BUYER = Person(1, "Bea Buyer", "bea@x", frozenset({"buyer"}), manager_id=3, spending_limit=D(1000))
APPROVER = Person(2, "Alex Approver", "alex@x", frozenset({"approver"}))
MANAGER = Person(3, "Mia Manager", "mia@x", frozenset({"approver", "buyer"}))
ADMIN = Person(4, "Ada Admin", "ada@x", frozenset({"admin", "buyer"}))
PEOPLE = {p.id: p for p in (BUYER, APPROVER, MANAGER, ADMIN)}


def rule(
    name: str,
    *conditions: tuple[str, str, str],
    level: int = 1,
    approvers: Approvers = Approvers(roles=("approver",)),  # noqa: B008
    applies_to: tuple[str, ...] = (),
    enabled: bool = True,
) -> ApprovalRule:
    return ApprovalRule(
        id=name.lower().replace(" ", "-"),
        name=name,
        enabled=enabled,
        level=level,
        applies_to=applies_to,
        conditions=tuple(Condition.parse(*c) for c in conditions),
        approvers=approvers,
    )


def facts(
    total: str = "500",
    *,
    buyer: Person = BUYER,
    skus: int = 2,
    categories: tuple[str, ...] = ("Fasteners",),
    ship_to: str | None = "MAIN",
    credit: str | None = None,
) -> OrderFacts:
    return OrderFacts(
        buyer=buyer,
        total=D(total),
        currency="EUR",
        skus=frozenset(f"SKU{i}" for i in range(skus)),
        categories=frozenset(categories),
        ship_to=ship_to,
        credit_available=None if credit is None else D(credit),
    )


def test_each_condition_fires_with_a_reason_in_the_buyers_words() -> None:
    rules = [
        rule("Big", ("order_total", ">", "1000")),
        rule("Many", ("distinct_skus", ">=", "3")),
        rule("Chem", ("category", "in", "Lubricants, welding")),
        rule("Site", ("ship_to", "in", "PLANT2")),
        rule("Limit", ("spending_limit_exceeded", "is", "true")),
        rule("Credit", ("credit_exceeded", "is", "true")),
    ]
    got = fired_rules(
        rules,
        facts("1500.5", skus=3, categories=("Welding", "Tools"), ship_to="plant2", credit="900"),
    )
    reasons = {f.rule.name: f.reasons for f in got}
    assert reasons == {
        "Big": ("order total 1,500.50 EUR > 1,000.00 EUR",),
        "Many": ("3 distinct SKUs >= 3",),
        "Chem": ("contains Welding",),
        "Site": ("ship-to plant2 in PLANT2",),
        "Limit": ("over Bea Buyer's per-order limit of 1,000.00 EUR",),
        "Credit": ("exceeds the credit left (900.00 EUR)",),
    }
    assert fired_rules(rules, facts("999.99", skus=2, ship_to="MAIN")) == []


def test_all_conditions_of_a_rule_must_hold_and_disabled_rules_never_fire() -> None:
    both = rule("Both", ("order_total", ">", "100"), ("category", "in", "Safety"))
    assert fired_rules([both], facts("200")) == []
    assert [f.rule.name for f in fired_rules([both], facts("200", categories=("Safety",)))] == [
        "Both"
    ]
    off = rule("Off", ("order_total", ">", "0"), enabled=False)
    assert fired_rules([off], facts("200")) == []


def test_roles_scope_a_rule_and_none_means_every_role() -> None:
    only_viewers = rule("V", ("order_total", ">", "0"), applies_to=("viewer",))
    everyone = rule("E", ("order_total", ">", "0"))
    assert [f.rule.name for f in fired_rules([only_viewers, everyone], facts())] == ["E"]


@pytest.mark.parametrize(
    ("field", "op", "value", "problem"),
    [
        ("order_total", ">", "lots", "not a number"),
        ("order_total", "in", "1", "takes"),
        ("distinct_skus", ">", "2.5", "whole number"),
        ("category", "in", " , ", "at least one"),
        ("credit_exceeded", "is", "maybe", "true or false"),
        ("weather", "=", "rain", "unknown condition"),
        ("order_total", "~", "1", "unknown operator"),
    ],
)
def test_malformed_conditions_are_refused_with_a_reason(
    field: str, op: str, value: str, problem: str
) -> None:
    with pytest.raises(RuleError, match=problem):
        Condition.parse(field, op, value)


def test_a_rule_round_trips_and_must_name_conditions_and_approvers() -> None:
    r = rule("Big", ("order_total", ">", "1000"), level=2, approvers=Approvers(manager=True))
    assert ApprovalRule.from_dict(r.as_dict()) == r
    with pytest.raises(RuleError, match="no approver"):
        ApprovalRule.from_dict({**r.as_dict(), "approvers": {}})
    with pytest.raises(RuleError, match="at least one condition"):
        ApprovalRule.from_dict({**r.as_dict(), "conditions": []})
    with pytest.raises(RuleError, match="level"):
        ApprovalRule.from_dict({**r.as_dict(), "level": 9})
    with pytest.raises(RuleError, match="unknown role"):
        ApprovalRule.from_dict({**r.as_dict(), "applies_to": ["wizard"]})


def test_the_creator_is_not_an_approver_while_someone_else_is() -> None:
    managers_order = facts("5000", buyer=MANAGER)
    steps = plan_approval(
        [rule("Big", ("order_total", ">", "1000"))], managers_order, PEOPLE, admin_bypass=True
    )
    assert steps[0].approver_ids == (APPROVER.id,)
    alone = {MANAGER.id: MANAGER, BUYER.id: BUYER}
    steps = plan_approval(
        [rule("Big", ("order_total", ">", "1000"))], managers_order, alone, admin_bypass=True
    )
    assert steps[0].approver_ids == (MANAGER.id,)  # nobody else can: the creator may


def test_manager_named_users_and_disabled_people() -> None:
    by_manager = Approvers(manager=True)
    assert [p.name for p in eligible(by_manager, buyer=BUYER, people=PEOPLE)] == ["Mia Manager"]
    named = Approvers(users=(APPROVER.id, BUYER.id))
    assert [p.id for p in eligible(named, buyer=BUYER, people=PEOPLE)] == [APPROVER.id]
    gone = {
        **PEOPLE,
        APPROVER.id: Person(2, "Alex Approver", "alex@x", frozenset({"approver"}), active=False),
    }
    assert eligible(Approvers(roles=("approver",)), buyer=BUYER, people=gone) == [MANAGER]


def test_admin_orders_follow_the_account_setting() -> None:
    rules = [rule("Big", ("order_total", ">", "1000"))]
    big = facts("5000", buyer=ADMIN)
    assert plan_approval(rules, big, PEOPLE, admin_bypass=True) == []
    assert len(plan_approval(rules, big, PEOPLE, admin_bypass=False)) == 1


def test_a_step_nobody_can_take_falls_to_the_admins() -> None:
    rules = [rule("Big", ("order_total", ">", "1000"), approvers=Approvers(roles=("viewer",)))]
    steps = plan_approval(rules, facts("5000"), PEOPLE, admin_bypass=True)
    assert steps[0].approver_ids == (ADMIN.id,)


def two_levels() -> list:  # type: ignore[type-arg]
    rules = [
        rule("Limit", ("spending_limit_exceeded", "is", "true")),
        rule("Large", ("order_total", ">", "2000"), level=2, approvers=Approvers(roles=("admin",))),
    ]
    return plan_approval(rules, facts("5000"), PEOPLE, admin_bypass=True)


def test_levels_are_sequential() -> None:
    steps = two_levels()
    assert active_level(steps) == 1
    assert [p.name for p in waiting_for(steps, buyer=BUYER, people=PEOPLE)] == [
        "Alex Approver",
        "Mia Manager",
    ]
    early = judge(steps, decider=ADMIN, decision="approve", buyer=BUYER, people=PEOPLE)
    assert (early.code, early.applies) == ("not_yet", False)
    assert "level 1 must be approved before level 2" in early.message
    v = judge(steps, decider=APPROVER, decision="approve", buyer=BUYER, people=PEOPLE)
    steps = apply_decision(steps, v, decider=APPROVER, decision="approve", at=T, comment="")
    assert (active_level(steps), outcome(steps)) == (2, "pending")
    v = judge(steps, decider=ADMIN, decision="approve", buyer=BUYER, people=PEOPLE)
    steps = apply_decision(steps, v, decider=ADMIN, decision="approve", at=T, comment="ok")
    assert outcome(steps) == "approved"


def test_same_decision_elsewhere_is_a_noop_and_a_different_one_is_refused() -> None:
    steps = two_levels()[:1]
    v = judge(steps, decider=MANAGER, decision="reject", buyer=BUYER, people=PEOPLE)
    steps = apply_decision(steps, v, decider=MANAGER, decision="reject", at=T, comment="no")
    same = judge(steps, decider=APPROVER, decision="reject", buyer=BUYER, people=PEOPLE)
    assert same.noop and same.message == "already rejected by Mia Manager at 2026-11-23 09:00 UTC"
    other = judge(steps, decider=APPROVER, decision="approve", buyer=BUYER, people=PEOPLE)
    assert (other.code, other.applies, other.noop) == ("already_decided", False, False)
    assert other.message == "already rejected by Mia Manager at 2026-11-23 09:00 UTC"


def test_people_who_lost_the_right_cannot_decide() -> None:
    steps = two_levels()
    demoted = Person(2, "Alex Approver", "alex@x", frozenset({"buyer"}))
    v = judge(
        steps, decider=demoted, decision="approve", buyer=BUYER, people={**PEOPLE, 2: demoted}
    )
    assert v.code == "forbidden" and "no longer has the approver role" in v.message
    disabled = Person(2, "Alex Approver", "alex@x", frozenset({"approver"}), active=False)
    v = judge(
        steps, decider=disabled, decision="approve", buyer=BUYER, people={**PEOPLE, 2: disabled}
    )
    assert v.code == "forbidden" and "disabled" in v.message


def test_own_order_is_refused_when_someone_else_can_decide() -> None:
    rules = [rule("Big", ("order_total", ">", "1000"))]
    steps = plan_approval(rules, facts("5000", buyer=MANAGER), PEOPLE, admin_bypass=True)
    v = judge(steps, decider=MANAGER, decision="approve", buyer=MANAGER, people=PEOPLE)
    assert (v.code, v.applies) == ("own_order", False)


def test_rerouting_keeps_decisions_on_surviving_steps() -> None:
    steps = two_levels()
    v = judge(steps, decider=APPROVER, decision="approve", buyer=BUYER, people=PEOPLE)
    decided = apply_decision(steps, v, decider=APPROVER, decision="approve", at=T, comment="")
    carried = carry_decisions(decided, two_levels())
    assert [s.state for s in carried] == ["approved", "pending"]
    assert carried[0].decided_by == APPROVER.id


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(total=money, limit=money, op=st.sampled_from([">", ">=", "<", "<=", "=", "!="]))
def test_total_conditions_agree_with_plain_comparison(
    total: Decimal, limit: Decimal, op: str
) -> None:
    fired = bool(fired_rules([rule("R", ("order_total", op, str(limit)))], facts(str(total))))
    expected = {
        ">": total > limit,
        ">=": total >= limit,
        "<": total < limit,
        "<=": total <= limit,
        "=": total == limit,
        "!=": total != limit,
    }[op]
    assert fired == expected


@settings(max_examples=200, deadline=None)
@given(
    decisions=st.lists(
        st.tuples(
            st.sampled_from([APPROVER, MANAGER, ADMIN, BUYER]),
            st.sampled_from(["approve", "reject"]),
        ),
        max_size=6,
    )
)
def test_any_sequence_of_decisions_ends_consistently(decisions: list) -> None:  # type: ignore[type-arg]
    """Whatever people do, a step is decided at most once, only by someone eligible, and a
    rejected order never becomes approved."""
    steps = two_levels()
    for who, what in decisions:
        before = outcome(steps)
        v = judge(steps, decider=who, decision=what, buyer=BUYER, people=PEOPLE)
        if v.applies:
            for i in v.steps:
                assert steps[i].state == "pending"
                assert who.id in [
                    p.id for p in eligible(steps[i].approvers, buyer=BUYER, people=PEOPLE)
                ]
            steps = apply_decision(steps, v, decider=who, decision=what, at=T, comment="")
        if before != "pending":
            assert outcome(steps) == before
    assert all(s.decided_by != BUYER.id for s in steps)

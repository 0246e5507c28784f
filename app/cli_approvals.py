"""`orderpad approvals …` and `orderpad rules …`: the approval queue and rules, headless.

Decisions and rule edits are queued in the outbox like every change (they work offline);
`orderpad sync` delivers them and `orderpad outbox` shows the server's answers.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the approvals service loads the replica's libraries: only when run
    from app.services.approvals import ApprovalView


def _desk(args: argparse.Namespace) -> Any:
    from app.cli import _workspace

    return _workspace(args)


def _print_json(value: Any) -> None:
    from app.cli import _print_json as out

    out(value)


def _line(v: ApprovalView) -> str:
    from app.services.approvals import past

    total = f"{v.total:,.2f} {v.currency or ''}" if v.total is not None else "?"
    who = ", ".join(v.waiting_for) or "-"
    mine = f"  [you {past(v.queued_decision)}: not synced yet]" if v.queued_decision else ""
    level = f"level {v.level}" if v.level else v.status.replace("_", " ")
    return (
        f"{v.ref:<12} {v.po_number or '':<16} {v.buyer:<22} {total:>16}  {level:<10} "
        f"with {who}{mine}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    with _desk(args) as ws:
        views = ws.approvals.orders() if args.all else ws.approvals.queue()
        if args.json:
            _print_json(views)
            return 0
        if not views:
            print("nothing waits for your approval" if not args.all else "no approvals")
            return 0
        for v in views:
            print(_line(v))
            for s in v.steps:
                print(f"    L{s.level} {s.rule_name}: {'; '.join(s.reasons)} ({s.state})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.services.approvals import past, when

    with _desk(args) as ws:
        v = ws.approvals.order(args.order)
        if args.json:
            _print_json(v)
            return 0
        print(_line(v))
        for s in v.steps:
            by = f" by {s.decided_by} at {when(s.decided_at)}" if s.decided_by else ""
            print(f"  level {s.level}: {s.rule_name} — {'; '.join(s.reasons)}")
            print(f"    {s.state}{by}; approvers: {', '.join(s.approvers) or 'nobody'}")
            if s.comment:
                print(f"    comment: {s.comment}")
        for d in v.decisions:
            noop = " (already decided)" if d.noop else ""
            print(f"  {when(d.at)}  {d.by} {past(d.decision)}{noop}  {d.comment}")
    return 0


def _decide(args: argparse.Namespace, decision: str) -> int:
    with _desk(args) as ws:
        results = ws.approvals.decide(args.orders, decision, comment=args.comment or "")
        if args.json:
            _print_json(results)
        else:
            for r in results:
                print(r.message)
    return 0 if all(r.queued for r in results) else 1


def cmd_approve(args: argparse.Namespace) -> int:
    return _decide(args, "approve")


def cmd_reject(args: argparse.Namespace) -> int:
    return _decide(args, "reject")


def cmd_rules_list(args: argparse.Namespace) -> int:
    with _desk(args) as ws:
        rules = ws.approvals.rules()
        if args.json:
            _print_json([r.as_json() for r in rules])
            return 0
        if not rules:
            print("no approval rules: every order goes straight to the supplier")
        for r in rules:
            state = "" if r.rule.enabled else " (disabled)"
            unsent = " [edited here, not synced yet]" if r.unsent else ""
            print(f"L{r.rule.level} {r.rule.name}{state}{unsent}  [{r.rule.id}]")
            print(f"    when {r.conditions}; for {r.applies_to}; approved by {r.approvers}")
    return 0


def cmd_rules_save(args: argparse.Namespace) -> int:
    with _desk(args) as ws:
        view = ws.approvals.save_rule(
            rule_id=args.id,
            name=args.name,
            conditions=[tuple(c) for c in args.when],
            approver_roles=args.approver_role or [],
            approver_users=args.approver or [],
            manager=args.manager,
            level=args.level,
            applies_to=args.applies_to or [],
            enabled=not args.disabled,
        )
        print(f"rule {view.rule.name!r} queued [{view.rule.id}]: when {view.conditions}")
    return 0


def cmd_rules_delete(args: argparse.Namespace) -> int:
    with _desk(args) as ws:
        ws.approvals.delete_rule(args.id)
        print(f"rule {args.id} deletion queued")
    return 0


def cmd_limit(args: argparse.Namespace) -> int:
    with _desk(args) as ws:
        amount = None if args.amount.casefold() == "none" else args.amount
        person = ws.approvals.set_limit(args.email, amount)
        shown = "none" if person.spending_limit is None else str(person.spending_limit)
        print(f"{person.name}'s spending limit: {shown} (queued)")
    return 0


def add_commands(sub: Any) -> None:
    approvals = sub.add_parser(
        "approvals", help="orders awaiting your approval; approve or reject (offline)"
    ).add_subparsers(dest="approvals_command", required=True)
    p = approvals.add_parser("list", help="orders awaiting your decision (--all: every route)")
    p.add_argument("--all", action="store_true", help="every order with an approval route")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = approvals.add_parser("show", help="an order's route, approvers and decisions")
    p.add_argument("order")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    for name, func, needs_comment in (
        ("approve", cmd_approve, False),
        ("reject", cmd_reject, True),
    ):
        p = approvals.add_parser(name, help=f"{name} one or more orders (queued)")
        p.add_argument("orders", nargs="+", metavar="ORDER")
        p.add_argument("--comment", required=needs_comment)
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)

    rules = sub.add_parser("rules", help="the account's approval rules").add_subparsers(
        dest="rules_command", required=True
    )
    p = rules.add_parser("list", help="every rule, with its conditions and approvers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules_list)
    p = rules.add_parser("save", help="create or replace a rule (account admins; queued)")
    p.add_argument("--id", help="the rule to replace (default: a new rule)")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--when",
        nargs=3,
        action="append",
        required=True,
        metavar=("FIELD", "OP", "VALUE"),
        help="a condition, e.g. --when order_total '>' 1000 (repeat: all must hold)",
    )
    p.add_argument("--approver-role", action="append", help="a role that may approve")
    p.add_argument("--approver", action="append", metavar="EMAIL", help="a user who may approve")
    p.add_argument("--manager", action="store_true", help="the buyer's manager may approve")
    p.add_argument("--level", type=int, default=1, help="1 first, then 2, …")
    p.add_argument("--applies-to", action="append", metavar="ROLE", help="default: every role")
    p.add_argument("--disabled", action="store_true")
    p.set_defaults(func=cmd_rules_save)
    p = rules.add_parser("delete", help="delete a rule (account admins; queued)")
    p.add_argument("id")
    p.set_defaults(func=cmd_rules_delete)

    p = sub.add_parser("limit", help="set a user's per-order spending limit (admins; queued)")
    p.add_argument("email")
    p.add_argument("amount", help="an amount, or 'none'")
    p.set_defaults(func=cmd_limit)

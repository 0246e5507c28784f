"""Approvals end to end: real server process, real replicas, decisions made offline.

The demo seed gives accounts 10010, 10011 and 10030 three rules and three orders waiting for
their approver (OP-000001 over the buyer's limit, OP-000002 a watched category, OP-000003
over the limit and large: two levels). Each test works on its own account or orders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.services.approvals import ApprovalError
from app.services.workspace import Workspace
from app.store.outbox import OutboxState
from tests.cli.test_orderpad_cli import as_json, orderpad
from tests.support import RunningServer, push_one, server_cli, start_server

pytestmark = pytest.mark.e2e

DOMAINS = {"10010": "acme-industrial", "10011": "acme-hamburg", "10030": "bergmann-metallbau"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("approvals") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield s
    finally:
        s.stop()


def device(server: RunningServer, root: Path, local: str, account: str) -> Workspace:
    """A signed-in, synced device of `local`@<the account's domain>."""
    ws = Workspace(root / f"{local}-{account}")
    ws.login(server.url, f"{local}@{DOMAINS[account]}.example", f"demo-{local}")
    ws.sync()
    return ws


def add_user(server: RunningServer, account: str, local: str, roles: str) -> None:
    server_cli(
        server.database_url,
        "create-user",
        "--account", account,
        "--email", f"{local}@{DOMAINS[account]}.example",
        "--name", local.title(),
        "--roles", roles,
        "--password", f"demo-{local}",
    )  # fmt: skip


def last_answer(ws: Workspace) -> dict[str, Any]:
    entry = ws.outbox_entries()[-1]
    assert entry.result is not None
    return {"state": entry.state, **entry.result}


def status_of(ws: Workspace, ref: str) -> str:
    return ws.approvals.order(ref).status


def fill_cart(
    ws: Workspace, target: Decimal, *, category: str | None = None, most: Decimal = Decimal(4500)
) -> None:
    """Put plain, priced products in the default cart until it is worth more than `target`
    (and at most `most`, below the demo's large-order rule)."""
    for hit in ws.search_products("", limit=400):
        product = ws.product(hit.sku)
        if product is None or product.status != "active":
            continue
        if (category is None) == (product.category in ("Lubricants", "Welding")):
            continue
        if category is not None and product.category != category:
            continue
        step = max(product.min_qty or Decimal(1), product.multiple or Decimal(1))
        for times in (20, 5, 1):
            line_id = ws.add_to_cart(hit.sku, step * times)
            if ws.cart().total <= most:
                break
            ws.remove_line(line_id)
        if target < ws.cart().total <= most:
            return
    raise AssertionError("the catalog cannot fill the cart")


def test_a_buyer_over_the_limit_sees_the_route_before_submitting_offline(
    server: RunningServer, tmp_path: Path
) -> None:
    buyer = device(server, tmp_path, "buyer1", "10011")
    approver = device(server, tmp_path, "approver", "10011")
    server.stop()
    try:
        fill_cart(buyer, Decimal(2600))
        preview = buyer.approvals.preview()
        assert [(p.name, p.level) for p in preview] == [("Over the buyer's own limit", 1)]
        assert preview[0].reasons[0].startswith("over ") and "2,500.00 EUR" in preview[0].reasons[0]
        assert preview[0].approvers == [approver.approvals.me().name]  # type: ignore[union-attr]
        order_id = buyer.submit_cart(
            po_number="PO-OFFLINE-77", ship_to=None, requested_date=None, note=None
        )
    finally:
        server.start()
    buyer.sync()
    view = buyer.approvals.order(order_id)
    assert view.status == "pending_approval"
    assert view.waiting_for == [approver.approvals.me().name]  # type: ignore[union-attr]
    assert view.steps[0].reasons == preview[0].reasons or view.steps[0].rule_name == preview[0].name
    approver.sync()
    assert "PO-OFFLINE-77" in {v.po_number for v in approver.approvals.queue()}
    asked = [n for n in approver.notifications.notices() if n.kind == "approval_requested"]
    assert [n.order_ref for n in asked] == [view.number]
    assert "Over" not in asked[0].title and "waits for your approval" in asked[0].title
    assert approver.approvals.waiting_count() == len(approver.approvals.queue())
    # The buyer cancels it while it waits: a decision arriving later changes nothing.
    buyer.cancel_order(order_id)
    buyer.sync()
    with server.client_for(
        {"email": "approver@acme-hamburg.example", "password": "demo-approver"}
    ) as http:
        late = push_one(http, "approval.decide", client_order_id=order_id, decision="approve")
    assert (late["status"], late["code"]) == ("rejected", "not_pending")
    assert "cancelled" in late["message"]
    approver.sync()
    assert buyer.approvals.order(order_id).status == "cancelled"
    assert order_id not in {v.client_order_id for v in approver.approvals.queue()}


def test_two_approvers_on_two_devices(server: RunningServer, tmp_path: Path) -> None:
    add_user(server, "10011", "approver2", "approver")
    first = device(server, tmp_path, "approver", "10011")
    second = device(server, tmp_path, "approver2", "10011")
    assert {"OP-000001", "OP-000002"} <= {v.ref for v in second.approvals.queue()}

    # The same decision on both devices: the second is accepted as a no-op.
    first.approvals.decide(["OP-000001"], "approve", comment="fine")
    first.sync()
    second.approvals.decide(["OP-000001"], "approve")  # its replica still shows it pending
    second.sync()
    answer = last_answer(second)
    assert answer["state"] == OutboxState.APPLIED
    assert answer["message"].startswith("already approved by ")

    # Different decisions, the second device offline while it decides.
    first.approvals.decide(["OP-000002"], "approve")
    first.sync()
    server.stop()
    try:
        second.approvals.decide(["OP-000002"], "reject", comment="not this lubricant")
        with pytest.raises(Exception):  # noqa: B017 - offline: the push fails, nothing is lost
            second.sync()
    finally:
        server.start()
    second.sync()
    answer = last_answer(second)
    assert answer["state"] == OutboxState.REJECTED and answer["code"] == "already_decided"
    assert answer["message"].endswith(" UTC") and "already approved by " in answer["message"]
    assert status_of(second, "OP-000002") == "submitted"
    history = second.approvals.order("OP-000002").decisions
    assert [(d.decision, d.noop) for d in history] == [("approve", False)]
    assert [(d.decision, d.noop) for d in second.approvals.order("OP-000001").decisions] == [
        ("approve", False),
        ("approve", True),
    ]


def test_levels_are_decided_in_order(server: RunningServer, tmp_path: Path) -> None:
    approver = device(server, tmp_path, "approver", "10010")
    admin = device(server, tmp_path, "admin", "10010")
    buyer = device(server, tmp_path, "buyer1", "10010")
    assert "OP-000003" not in {v.ref for v in admin.approvals.queue()}
    with pytest.raises(ApprovalError, match="level 1 must be approved before level 2"):
        admin.approvals.decide(["OP-000003"], "approve")
    approver.approvals.decide(["OP-000003"], "approve")
    approver.sync()
    assert status_of(approver, "OP-000003") == "pending_approval"
    assert approver.approvals.order("OP-000003").level == 2
    admin.sync()
    assert "OP-000003" in {v.ref for v in admin.approvals.queue()}
    assert [
        n.order_ref for n in admin.notifications.notices() if n.kind == "approval_requested"
    ] == ["OP-000003"]
    admin.approvals.decide(["OP-000003"], "approve", comment="budget ok")
    admin.sync()
    view = admin.approvals.order("OP-000003")
    assert view.status == "submitted"
    assert [s.state for s in view.steps] == ["approved", "approved"]
    buyer.sync()
    told = [n for n in buyer.notifications.notices() if n.kind == "order_approved"]
    assert [n.order_ref for n in told] == ["OP-000003"]
    assert "approved by " in told[0].text and "budget ok" in told[0].text
    assert not [n for n in buyer.notifications.notices() if n.kind == "approval_requested"]


def test_nobody_approves_their_own_order_when_someone_else_can(
    server: RunningServer, tmp_path: Path
) -> None:
    server_cli(server.database_url, "update-user", "approver@bergmann-metallbau.example",
               "--roles", "approver buyer")  # fmt: skip
    add_user(server, "10030", "approver2", "approver")
    maker = device(server, tmp_path, "approver", "10030")
    fill_cart(maker, Decimal(50), category="Welding")
    order_id = maker.submit_cart(po_number=None, ship_to=None, requested_date=None, note=None)
    maker.sync()
    view = maker.approvals.order(order_id)
    assert view.status == "pending_approval" and view.waiting_for == ["Approver2"]
    with pytest.raises(ApprovalError, match="you cannot approve your own order"):
        maker.approvals.decide([order_id], "approve")
    # The server refuses it too, whatever a client sends.
    with server.client_for(
        {"email": "approver@bergmann-metallbau.example", "password": "demo-approver"}
    ) as http:
        answer = push_one(http, "approval.decide", client_order_id=order_id, decision="approve")
    assert (answer["status"], answer["code"]) == ("rejected", "own_order")


def test_a_role_removed_while_the_approver_was_offline(
    server: RunningServer, tmp_path: Path
) -> None:
    add_user(server, "10010", "approver3", "approver")
    approver = device(server, tmp_path, "approver3", "10010")
    approver.approvals.decide(["OP-000001"], "approve")  # queued, not sent
    server_cli(server.database_url, "update-user", "approver3@acme-industrial.example",
               "--roles", "buyer")  # fmt: skip
    approver.sync()
    answer = last_answer(approver)
    assert answer["state"] == OutboxState.REJECTED and answer["code"] == "forbidden"
    assert "no longer has the approver role" in answer["message"]
    assert status_of(approver, "OP-000001") == "pending_approval"
    assert approver.approvals.queue() == []


def test_a_rule_changed_while_an_order_was_pending(server: RunningServer, tmp_path: Path) -> None:
    approver = device(server, tmp_path, "approver", "10011")
    admin = device(server, tmp_path, "admin", "10011")
    assert [s.level for s in approver.approvals.order("OP-000003").steps] == [1, 2]
    approver.approvals.decide(["OP-000003"], "approve")  # on version 1, not sent yet
    large = next(r for r in admin.approvals.rules() if r.rule.name == "Large order")
    admin.approvals.save_rule(
        rule_id=large.rule.id,
        name="Large order",
        conditions=[("order_total", ">", "100000")],
        approver_roles=["admin"],
        level=2,
    )
    admin.sync()
    assert last_answer(admin)["state"] == OutboxState.APPLIED
    large = next(r for r in admin.approvals.rules() if r.rule.name == "Large order")
    assert large.rule.version == 2
    approver.sync()
    answer = last_answer(approver)
    assert answer["code"] == "stale" and "review it again" in answer["message"]
    view = approver.approvals.order("OP-000003")
    assert (view.status, [s.level for s in view.steps], view.version) == (
        "pending_approval",
        [1],
        2,
    )
    approver.approvals.decide(["OP-000003"], "approve")
    approver.sync()
    assert status_of(approver, "OP-000003") == "submitted"
    # Two edits of a version-2 rule before a sync: the first is based on version 2, the second
    # on the version the first will make, so neither is refused as a conflict.
    for expected, threshold in ((3, "90000"), (4, "80000")):
        admin.approvals.save_rule(
            rule_id=large.rule.id,
            name="Large order",
            conditions=[("order_total", ">", threshold)],
            approver_roles=["admin"],
            level=2,
        )
        queued = next(r for r in admin.approvals.rules() if r.rule.id == large.rule.id)
        assert (queued.rule.version, queued.unsent) == (expected, True)
    admin.sync()
    answers = [e for e in admin.outbox_entries() if e.name == "approval_rule.save"][-2:]
    assert [e.state for e in answers] == [OutboxState.APPLIED, OutboxState.APPLIED]
    final = next(r for r in admin.approvals.rules() if r.rule.id == large.rule.id)
    assert (final.rule.version, final.conditions) == (4, "order total > 80000")


def test_a_rejected_order_returns_to_the_buyers_carts(
    server: RunningServer, tmp_path: Path
) -> None:
    approver = device(server, tmp_path, "approver", "10010")
    buyer = device(server, tmp_path, "buyer1", "10010")
    with pytest.raises(ApprovalError, match="comment is required"):
        approver.approvals.decide(["OP-000002"], "reject")
    approver.approvals.decide(["OP-000002"], "reject", comment="use the stocked grease")
    approver.sync()
    buyer.sync()
    detail = buyer.order("OP-000002")
    assert detail.status == "rejected"
    assert "use the stocked grease" in detail.history[-1][2]
    told = [n for n in buyer.notifications.notices() if n.kind == "order_rejected"]
    assert [n.order_ref for n in told] == ["OP-000002"]
    assert "use the stocked grease" in told[0].text and "back in your carts" in told[0].text
    returned = next(c for c in buyer.carts() if c.name == "Returned OP-000002")
    assert returned.status == "open"
    lines = {li.sku: li.quantity for li in buyer.cart(returned.name).lines}
    assert lines == {li.sku: li.quantity for li in detail.lines}


def test_admins_edit_rules_and_limits_and_others_cannot(
    server: RunningServer, tmp_path: Path
) -> None:
    buyer = device(server, tmp_path, "buyer2", "10011")
    with pytest.raises(ApprovalError, match="only an account admin"):
        buyer.approvals.set_limit("buyer2@acme-hamburg.example", "5000")
    admin = device(server, tmp_path, "admin", "10011")
    admin.approvals.set_limit("buyer2@acme-hamburg.example", "5000")
    with pytest.raises(ApprovalError, match=r"needs at least one condition|no approver"):
        admin.approvals.save_rule(name="Empty", conditions=[], approver_roles=[])
    admin.sync()
    assert last_answer(admin)["state"] == OutboxState.APPLIED
    buyer.sync()
    me = buyer.approvals.me()
    assert me is not None and me.spending_limit == Decimal("5000")
    # The server refuses a buyer's rule edit whatever the client says.
    with server.client_for(
        {"email": "buyer2@acme-hamburg.example", "password": "demo-buyer2"}
    ) as http:
        answer = push_one(
            http, "approval_rule.save", rule_id=str(uuid.uuid4()), name="Mine",
            conditions=[{"field": "order_total", "op": ">", "value": "1"}],
            approvers={"roles": ["approver"]},
        )  # fmt: skip
    assert (answer["status"], answer["code"]) == ("rejected", "forbidden")


def test_no_account_decides_or_edits_anothers_approvals(
    server: RunningServer, tmp_path: Path
) -> None:
    theirs = device(server, tmp_path, "approver", "10030")
    order = next(v for v in theirs.approvals.orders() if v.status == "pending_approval")
    rule = theirs.approvals.rules()[0].rule
    with server.client_for(
        {"email": "admin@acme-industrial.example", "password": "demo-admin"}
    ) as http:
        decided = push_one(http, "approval.decide", client_order_id=order.client_order_id,
                        decision="approve")  # fmt: skip
        edited = push_one(http, "approval_rule.save", **{**rule.as_dict(), "name": "Stolen"})
        deleted = push_one(http, "approval_rule.delete", rule_id=rule.id)
        limit = push_one(http, "user.set_limit", user_id=theirs.approvals.me().id,  # type: ignore[union-attr]
                      spending_limit="1")  # fmt: skip
    assert (decided["status"], decided["code"]) == ("rejected", "not_found")
    assert (edited["status"], edited["code"]) == ("rejected", "invalid")
    assert (deleted["status"], deleted["code"]) == ("rejected", "not_found")
    assert (limit["status"], limit["code"]) == ("rejected", "not_found")
    theirs.sync()
    assert theirs.approvals.order(order.ref).status == "pending_approval"
    assert theirs.approvals.rules()[0].rule.name == rule.name


def test_the_command_line_lists_decides_and_shows_rules(
    server: RunningServer, tmp_path: Path
) -> None:
    data = tmp_path / "cli"
    email = "approver@bergmann-metallbau.example"
    login = orderpad(data, "login", "--server", server.url, "--email", email,
                     "--password", "demo-approver")  # fmt: skip
    assert login.returncode == 0, login.stderr
    assert orderpad(data, "sync").returncode == 0
    waiting = as_json(orderpad(data, "approvals", "list", "--json"))
    assert waiting and all(w["can_decide"] and w["status"] == "pending_approval" for w in waiting)
    first = waiting[0]["number"]
    refused = orderpad(data, "approvals", "reject", first)
    assert refused.returncode == 2 and "--comment" in refused.stderr  # a rejection needs one
    approved = orderpad(data, "approvals", "approve", first, "--comment", "ok from the CLI")
    assert approved.returncode == 0 and "queued" in approved.stdout, approved.stderr
    assert first not in {
        w["number"] for w in as_json(orderpad(data, "approvals", "list", "--json"))
    }
    assert orderpad(data, "sync").returncode == 0
    shown = as_json(orderpad(data, "approvals", "show", first, "--json"))
    assert shown["steps"][0]["state"] == "approved"
    assert shown["decisions"][-1]["comment"] == "ok from the CLI"
    rules = as_json(orderpad(data, "rules", "list", "--json"))
    assert {r["name"] for r in rules} == {
        "Over the buyer's own limit", "Chemicals and welding gases", "Large order"
    }  # fmt: skip
    denied = orderpad(data, "limit", "buyer1@bergmann-metallbau.example", "100")
    assert denied.returncode == 1 and "only an account admin" in denied.stderr

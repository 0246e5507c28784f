"""What is worth telling about approvals after a sync: "an order waits for my approval" for
approvers, "approved" / "rejected" for the buyer who placed it. Pure comparisons of the facts
stored between syncs (see app.services.order_notices); no database, no Qt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.approvals import ApprovalStep, Person, active_level, judge
from app.store.notifications import NoticeDraft

APPROVAL_REQUESTED = "approval_requested"
ORDER_APPROVED = "order_approved"
ORDER_REJECTED = "order_rejected"

Facts = dict[str, Any]


def approval_facts(doc: Mapping[str, Any]) -> Facts:
    """The approval facts of an order document (JSON-ready), merged into its order facts."""
    approval = doc.get("approval") or {}
    steps = [ApprovalStep.from_dict(s) for s in approval.get("steps") or ()]
    pending = doc.get("status") == "pending_approval" and bool(steps)
    return {
        "approval_level": active_level(steps) if pending else None,
        "approval_version": approval.get("version"),
    }


def _last_decision(doc: Mapping[str, Any], decision: str) -> tuple[str, str]:
    for d in reversed((doc.get("approval") or {}).get("decisions") or ()):
        if d.get("decision") == decision and not d.get("noop"):
            return str((d.get("by") or {}).get("name") or "someone"), str(d.get("comment") or "")
    return "someone", ""


def approval_notices(
    before: Facts,
    after: Facts,
    doc: Mapping[str, Any],
    *,
    me: Person | None,
    people: Mapping[int, Person],
) -> list[NoticeDraft]:
    """At most one approval notification for the order between ``before`` and ``after``."""
    if me is None:
        return []
    number = str(doc.get("number") or doc.get("po_number") or "(queued)")
    order_id = str(doc.get("client_order_id"))
    po = f"PO {doc['po_number']}: " if doc.get("po_number") else ""
    status, old_status = after.get("status"), before.get("status")
    buyer_email = str(doc.get("user_email") or "").casefold()
    if buyer_email == me.email.casefold():
        if status == "rejected" and old_status != "rejected":
            who, comment = _last_decision(doc, "reject")
            text = f"{po}rejected by {who}" + (f": “{comment}”" if comment else "")
            return [NoticeDraft(ORDER_REJECTED, f"Order {number} rejected", text + "; its lines "
                                "are back in your carts", order_id, number)]  # fmt: skip
        if old_status == "pending_approval" and status not in ("pending_approval", "rejected",
                                                               "cancelled"):  # fmt: skip
            who, comment = _last_decision(doc, "approve")
            text = f"{po}approved by {who}" + (f": “{comment}”" if comment else "")
            return [NoticeDraft(ORDER_APPROVED, f"Order {number} approved", text, order_id, number)]
        return []
    level = after.get("approval_level")
    moved = level != before.get("approval_level") or (
        after.get("approval_version") != before.get("approval_version")
    )
    if level is None or not moved:
        return []
    buyer = next((p for p in people.values() if p.email.casefold() == buyer_email), None)
    steps = [ApprovalStep.from_dict(s) for s in (doc.get("approval") or {}).get("steps") or ()]
    if (
        buyer is None
        or not judge(steps, decider=me, decision="approve", buyer=buyer, people=people).applies
    ):
        return []
    reasons = "; ".join(r for s in steps if s.level == level for r in s.reasons)
    return [
        NoticeDraft(
            APPROVAL_REQUESTED,
            f"Order {number} waits for your approval",
            f"{po}{buyer.name}, {doc.get('subtotal')} {doc.get('currency') or ''}: {reasons}",
            order_id,
            number,
        )
    ]

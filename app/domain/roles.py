"""The roles a user of a buyer account holds, and what each lets them do: the same rules on
the server (which enforces them) and on the desktop (which says so before anything is
queued that the server would refuse)."""

from __future__ import annotations

from collections.abc import Iterable

KNOWN_ROLES = frozenset({"admin", "buyer", "approver", "viewer"})

ORDERING_ROLES = frozenset({"buyer", "admin"})
"""Carts and orders: building, submitting, confirming changes."""

APPROVER_ROLES = frozenset({"approver", "admin"})
"""Only users holding one of these roles may decide, whatever a rule names."""


def can_order(roles: Iterable[str]) -> bool:
    return not ORDERING_ROLES.isdisjoint(roles)


def cannot_order_reason(roles: Iterable[str]) -> str:
    """Why a signed-in user may not build carts, in their words."""
    held = sorted(set(roles))
    named = " and ".join(held) if held else "no role"
    return (
        f"You are signed in with {named}: building carts and ordering needs the buyer role. "
        "Ask your account's admin for it."
    )

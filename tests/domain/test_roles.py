"""Who may order: one rule, shared by the server (which enforces it) and the desktop (which
says so before queuing anything the server would refuse)."""

from __future__ import annotations

import pytest

from app.domain.roles import KNOWN_ROLES, ORDERING_ROLES, can_order, cannot_order_reason
from server.accounts.models import Role
from server.carts.service import ORDERING_ROLES as SERVER_ORDERING_ROLES


@pytest.mark.parametrize(
    ("roles", "may"),
    [
        (["buyer"], True),
        (["admin"], True),
        (["approver", "buyer"], True),
        (["approver"], False),
        (["viewer"], False),
        (["approver", "viewer"], False),
        ([], False),
    ],
)
def test_who_may_order(roles: list[str], may: bool) -> None:
    assert can_order(roles) is may


def test_the_server_enforces_the_same_rule() -> None:
    assert {role.value for role in SERVER_ORDERING_ROLES} == ORDERING_ROLES
    assert {role.value for role in Role} == KNOWN_ROLES


def test_the_refusal_names_the_roles_held_and_the_one_needed() -> None:
    text = cannot_order_reason(["viewer", "approver"])
    assert "approver and viewer" in text and "buyer role" in text
    assert "no role" in cannot_order_reason([])

"""An approver or viewer on the desktop: quick order says that ordering needs the buyer role
and queues nothing the server would refuse; the rest of the app works."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.roles import ORDERING_ROLES
from app.services.views import WorkspaceError
from app.services.workspace import Workspace
from tests.support import RunningServer
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    open_window,
    sample_lines,
    save_shot,
    settle,
    signed_in,
)

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _non_buyer(server: RunningServer) -> dict[str, object]:
    user = next((u for u in server.users if ORDERING_ROLES.isdisjoint(u["roles"])), None)
    assert user is not None, "the demo seed has no approver or viewer without the buyer role"
    return user


def test_an_approver_is_told_quick_order_is_for_buyers(
    qtbot: QtBot, demo_server: RunningServer, tmp_path: Path
) -> None:
    user = _non_buyer(demo_server)
    data = tmp_path / "approver"
    buyer_data = tmp_path / "buyer"
    ((sku, qty),) = sample_lines(signed_in(buyer_data, demo_server), 1)
    with Workspace(data) as ws:
        ws.login(demo_server.url, str(user["email"]), str(user["password"]))
        ws.sync()
        queued = ws.status().outbox
        with pytest.raises(WorkspaceError, match="needs the buyer role"):
            ws.add_to_cart(sku, qty, cart="Mine")
        assert ws.status().outbox == queued  # nothing queued for the server to refuse

    window = open_window(qtbot, data)
    page = window.quick
    assert page.pad.refusal is not None and "needs the buyer role" in page.pad.refusal
    assert not page.field.isEnabled() and not page.checkout_button.isEnabled()
    assert page.cart_label.text() == "Quick order is for buyers"
    save_shot(window, "quick-order-approver.png", tmp_path)
    page.pad.paste(f"{sku}\t{qty}")  # a scanner burst or paste all the same
    settle(window)
    assert "needs the buyer role" in page.feedback.text()
    window.shut_down()
    with Workspace(data) as ws:
        assert ws.status().outbox == queued

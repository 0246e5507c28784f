"""Against a real server process: an order submitted offline shows as pending and is accepted
once the server is back; an order whose price changed waits for the buyer's review, which is
accepted or declined in the review dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.workspace import Workspace
from app.ui.main_window import ORDERS, SYNC_CENTRE, MainWindow
from app.ui.review import ReviewDialog
from app.ui.sync_controller import Connection
from tests.support import RunningServer
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    open_window,
    raise_price,
    sample_lines,
    save_shot,
    signed_in,
    sync,
    wait_for,
)

pytestmark = [pytest.mark.qt_log_ignore(OFFSCREEN_NOISE), pytest.mark.e2e]


@pytest.fixture
def up(demo_server: RunningServer) -> Iterator[RunningServer]:
    """The shared demo server, started again after a test that stopped it. (These tests run
    last in this package; they change prices only of products the others do not use.)"""
    if demo_server.process is None:
        demo_server.start()
    yield demo_server
    if demo_server.process is None:
        demo_server.start()


def outbox_states(window: MainWindow, name: str) -> list[str]:
    return [str(e.state) for e in window.sync_centre.entries if e.name == name]


def test_an_offline_order_is_pending_then_accepted(
    qtbot: QtBot, tmp_path: Path, up: RunningServer
) -> None:
    data_dir = signed_in(tmp_path / "client", up)
    lines = sample_lines(data_dir, 3)
    window = open_window(qtbot, data_dir)
    assert sync(qtbot, window)[0]
    assert window.ctx.sync.connection == Connection.ONLINE
    window.quick.pad.paste("\n".join(f"{sku} {qty}" for sku, qty in lines))
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 3)

    up.stop()
    ok, _message = sync(qtbot, window)
    assert not ok and window.ctx.sync.connection == Connection.OFFLINE
    with qtbot.waitSignal(window.quick.pad.submitted):
        window.quick.pad.submit(po_number="PO-OFFLINE", ship_to=None, requested_date=None,
                                note="built offline")  # fmt: skip
    window.ctx.ops.wait_idle()
    assert "sent when you are back online" in window.quick.feedback.text()
    wait_for(qtbot, window, lambda: not window.ctx.sync.syncing)

    window.go(SYNC_CENTRE)
    wait_for(qtbot, window, lambda: outbox_states(window, "order.submit") == ["pending"])
    assert "Offline" in window.sync_centre.connection.text()
    assert "pending" in window.pending_label.text()
    window.go(ORDERS)
    wait_for(
        qtbot, window, lambda: any(o.po_number == "PO-OFFLINE" for o in window.orders.model.rows)
    )
    queued = next(o for o in window.orders.model.rows if o.po_number == "PO-OFFLINE")
    assert (queued.status, queued.queued) == ("pending", True)
    window.go(SYNC_CENTRE)
    save_shot(window, "sync-centre.png", tmp_path)

    up.start()
    assert sync(qtbot, window)[0]
    wait_for(qtbot, window, lambda: outbox_states(window, "order.submit") == ["applied"])
    assert window.ctx.sync.connection == Connection.ONLINE
    with Workspace(data_dir) as ws:
        order = next(o for o in ws.orders() if o.po_number == "PO-OFFLINE")
    assert order.status == "submitted" and not order.queued and order.number
    window.shut_down()


def _order_waiting_for_review(
    qtbot: QtBot, tmp_path: Path, server: RunningServer, pick: int, po: str
) -> tuple[MainWindow, ReviewDialog]:
    data_dir = signed_in(tmp_path / "client", server)
    sku, qty = sample_lines(data_dir, 40)[-pick]  # far from the products other tests order
    window = open_window(qtbot, data_dir)
    window.quick.pad.enter(f"{sku} {qty}")
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 1)
    # The supplier raises the price; this computer has not heard of it yet.
    raise_price(server, sku)
    with qtbot.waitSignal(window.quick.pad.submitted):
        window.quick.pad.submit(po_number=po, ship_to=None, requested_date=None, note=None)
    wait_for(qtbot, window, lambda: not window.ctx.sync.syncing)  # submitting syncs at once
    window.go(SYNC_CENTRE)
    wait_for(qtbot, window, lambda: outbox_states(window, "order.submit") == ["needs_confirmation"])
    assert "waiting for you" in window.pending_label.text()
    entry = next(e for e in window.sync_centre.entries if e.name == "order.submit")
    window.sync_centre.open_review(entry)
    wait_for(qtbot, window, lambda: window.sync_centre.last_review is not None)
    dialog = window.sync_centre.last_review
    assert dialog is not None
    line = dialog.order.review[0]
    assert line.sku == sku and line.seen_unit_price is not None and line.unit_price is not None
    assert line.unit_price > line.seen_unit_price and line.change
    return window, dialog


def test_a_price_change_review_accepted(qtbot: QtBot, tmp_path: Path, up: RunningServer) -> None:
    window, dialog = _order_waiting_for_review(qtbot, tmp_path, up, 1, "PO-REVIEW-OK")
    qtbot.waitExposed(dialog)
    save_shot(dialog, "review-dialog.png", tmp_path)
    assert dialog.lines_to_remove() == []
    with qtbot.waitSignal(dialog.decided) as decided:
        dialog.accept_button.click()
    assert decided.args == ["accepted"]
    wait_for(qtbot, window, lambda: not window.ctx.sync.syncing)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        order = next(o for o in ws.orders() if o.po_number == "PO-REVIEW-OK")
    assert order.status == "submitted"
    window.shut_down()


def test_a_price_change_review_declined(qtbot: QtBot, tmp_path: Path, up: RunningServer) -> None:
    window, dialog = _order_waiting_for_review(qtbot, tmp_path, up, 2, "PO-REVIEW-NO")
    with qtbot.waitSignal(dialog.decided) as decided:
        dialog.decline_button.click()
    assert decided.args == ["declined"]
    wait_for(qtbot, window, lambda: not window.ctx.sync.syncing)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        order = next(o for o in ws.orders() if o.po_number == "PO-REVIEW-NO")
    assert order.status == "cancelled"
    window.shut_down()

"""The approvals screen against a real server: the queue with its count in the navigation, the
route of an order, bulk approve, reject with a comment, and the result after a sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.workspace import OutboxEntry, Workspace
from app.ui.checkout import CheckoutDialog
from app.ui.main_window import APPROVALS, MainWindow
from tests.support import RunningServer, start_server
from tests.ui.fixtures import OFFSCREEN_NOISE, open_window, save_shot, settle, sync, wait_for

pytestmark = [pytest.mark.qt_log_ignore(OFFSCREEN_NOISE), pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("ui-approvals") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield s
    finally:
        s.stop()


def approver_window(qtbot: QtBot, server: RunningServer, tmp_path: Path) -> MainWindow:
    data_dir = tmp_path / "approver"
    with Workspace(data_dir) as ws:
        ws.login(server.url, "approver@acme-hamburg.example", "demo-approver")
        ws.sync()
    window = open_window(qtbot, data_dir)
    window.go(APPROVALS)
    settle(window)
    return window


def decisions(window: MainWindow) -> list[OutboxEntry]:
    return [e for e in window.ctx.workspace.outbox_entries() if e.name == "approval.decide"]


def test_the_queue_shows_routes_and_decides_in_bulk(
    qtbot: QtBot, server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = approver_window(qtbot, server, tmp_path)
    page = window.approvals
    wait_for(qtbot, window, lambda: page.model.rowCount() == 3)
    assert window.nav.item(APPROVALS).text() == "Approvals (3)"
    refs = [page.model.row_at(i).ref for i in range(3)]  # type: ignore[union-attr]
    assert sorted(refs) == ["OP-000001", "OP-000002", "OP-000003"]

    page.table.selectRow(refs.index("OP-000003"))
    text = page.detail.toPlainText()
    assert "Over the buyer's own limit" in text and "Large order" in text
    assert "Level 2" in text and "2,500.00 EUR" in text
    shot = save_shot(window, "approvals.png", tmp_path)
    assert shot.stat().st_size > 10_000

    # A rejection needs a comment: nothing is queued without one.
    page.table.selectRow(refs.index("OP-000002"))
    page.reject_button.click()
    settle(window)
    assert decisions(window) == []

    # Bulk approve the two others (the confirmation answered yes).
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page.table.clearSelection()
    page.table.selectRow(refs.index("OP-000001"))
    page.table.selectionModel().select(
        page.model.index(refs.index("OP-000003"), 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert len(page.selected()) == 2
    page.approve_button.click()
    settle(window)
    wait_for(qtbot, window, lambda: page.model.rowCount() == 1)
    assert window.nav.item(APPROVALS).text() == "Approvals (1)"

    page.table.selectRow(0)
    page.comment.setText("please use the stocked grease")
    page.reject_button.click()
    settle(window)
    wait_for(qtbot, window, lambda: page.model.rowCount() == 0)
    assert window.nav.item(APPROVALS).text() == "Approvals"
    assert sorted(e.args["decision"] for e in decisions(window)) == ["approve", "approve", "reject"]

    ok, message = sync(qtbot, window)
    assert ok, message
    page.scope.setCurrentIndex(1)  # every route: what became of them
    wait_for(qtbot, window, lambda: page.model.rowCount() >= 3)
    states = {v.ref: v.status for v in page.model.rows}
    assert states["OP-000001"] == "submitted"
    assert states["OP-000002"] == "rejected"
    assert states["OP-000003"] == "pending_approval"  # level 2 waits for the admin
    page.table.selectRow([v.ref for v in page.model.rows].index("OP-000002"))
    assert "please use the stocked grease" in page.detail.toPlainText()
    save_shot(window, "approvals-after-sync.png", tmp_path)


def test_checkout_says_before_submitting_who_must_approve(
    qtbot: QtBot, server: RunningServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "buyer"
    with Workspace(data_dir) as ws:
        ws.login(server.url, "buyer2@acme-hamburg.example", "demo-buyer2")
        ws.sync()
        for hit in ws.search_products("FAS", limit=200):
            product = ws.product(hit.sku)
            if product is None or product.status != "active" or product.category != "Fasteners":
                continue
            ws.add_to_cart(hit.sku, max(product.min_qty, product.multiple) * 50)
            if ws.cart().total > 1200:  # buyer2 may order up to 1,000.00 EUR alone
                break
        cart = ws.cart()
    assert 1200 < cart.total < 5000
    window = open_window(qtbot, data_dir)
    dialog = CheckoutDialog(window.ctx, cart, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.approval.isVisible, timeout=10_000)
    text = dialog.approval.text()
    assert "This order will wait for approval" in text
    assert "Over the buyer&#x27;s own limit" in text or "Over the buyer's own limit" in text
    assert "Felix Hartmann" in text  # the account's approver, who is also buyer2's manager
    save_shot(dialog, "checkout-approval.png", tmp_path)

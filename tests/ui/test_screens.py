"""The main screens with data in them: shortcuts move between them, the catalog searches as
you type and shows a product's detail; screenshots of each are saved (see save_shot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.main_window import CATALOG, ORDERS, QUICK_ORDER, SYNC_CENTRE, MainWindow
from app.ui.sign_in import SignInDialog
from app.ui.sync_controller import Connection
from tests.support import RunningServer
from tests.ui import fixtures
from tests.ui.fixtures import (
    BUYER,
    OFFSCREEN_NOISE,
    PASSWORD,
    open_window,
    sample_lines,
    save_shot,
    sync,
    type_keys,
    wait_for,
)

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_quick_order_with_lines(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
    tmp_path: Path,
) -> None:
    assert sync(qtbot, window)[0]
    lines = sample_lines(data_dir, 9)
    window.quick.pad.paste("\n".join(f"{sku} {qty * 2}" for sku, qty in lines[:8]))
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 8)
    window.quick.pad.scan(lines[8][0])
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 9)
    window.quick.table.selectRow(8)
    window.quick.focus_entry()
    assert "Total" in window.quick.total.text()
    save_shot(window, "quick-order.png", tmp_path)


def test_shortcuts_and_catalog_detail(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
) -> None:
    assert sync(qtbot, window)[0]
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == CATALOG
    page = window.catalog
    wait_for(qtbot, window, lambda: page.search.hasFocus() and page.model.rowCount() > 0)
    type_keys(page.search, "screw")
    wait_for(qtbot, window, lambda: page.shown_query == "screw" and page.card is not None)
    assert page.model.rowCount() > 0
    first = page.model.product(0)
    assert first is not None and "screw" in (first.name + (first.description or "")).lower()
    assert page.card is not None and page.card.product.sku == first.sku
    text = page.detail.toPlainText()
    assert "Price" in text and "Stock" in text and "As of" in text, text
    save_shot(window, "catalog.png", tmp_path)

    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == ORDERS
    wait_for(qtbot, window, lambda: window.orders.detail is not None)
    assert window.orders.lines.rowCount() > 0
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == SYNC_CENTRE
    wait_for(qtbot, window, lambda: window.sync_centre.status is not None)
    assert "Online" in window.sync_centre.connection.text()
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == QUICK_ORDER
    assert window.quick.field.hasFocus()


def test_work_offline_switch_stops_syncing(qtbot: QtBot, window: MainWindow) -> None:
    window.offline_action.trigger()
    assert window.ctx.sync.work_offline
    assert "Working offline" in window.connection_label.text()
    window.ctx.request_sync()
    window.ctx.ops.wait_idle()
    assert window.ctx.sync.rounds == 0  # nothing was tried
    window.offline_action.trigger()
    wait_for(qtbot, window, lambda: window.ctx.sync.rounds == 1)


def test_sign_in_dialog(qtbot: QtBot, tmp_path: Path, demo_server: RunningServer) -> None:
    window = open_window(qtbot, tmp_path / "fresh")
    assert window.banner.isVisible() and "not signed in" in window.banner.text.text()
    window.open_sign_in()  # the saved profiles are listed first, off the GUI thread
    wait_for(qtbot, window, lambda: window.findChild(SignInDialog) is not None)
    dialog = window.findChild(SignInDialog)
    assert dialog is not None
    dialog.server.setText(demo_server.url)
    dialog.email.setText(BUYER)
    dialog.password.setText("wrong")
    dialog.sign_in()
    wait_for(qtbot, window, lambda: dialog.problem.isVisible())
    assert dialog.isVisible()
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(window.ctx.sync.finished, timeout=20_000):
        dialog.sign_in()
    window.ctx.ops.wait_idle()
    assert window.ctx.sync.connection == Connection.ONLINE
    assert window.status is not None and window.status.products > 0
    assert not window.banner.isVisible()
    window.shut_down()

"""Quick order: pasted blocks, typed entries, undo, quantities in pack multiples, checkout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.workspace import QuantityStep, Workspace
from app.ui.checkout import CheckoutDialog
from app.ui.lines_model import snap
from app.ui.main_window import MainWindow
from app.ui.quick_order import SKU_ROLE
from app.ui.quick_order_pad import parse_block, parse_entry
from tests.ui import fixtures
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    SteppingClock,
    press_enter,
    sample_lines,
    type_keys,
    wait_for,
)

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_entries_parse_code_quantity_and_unit() -> None:
    assert parse_entry("FAS-001040 5") == parse_entry("FAS-001040;5")
    entry = parse_entry("FAS-001040\t2\tbx")
    assert entry is not None and (entry.code, entry.quantity, entry.unit) == (
        "FAS-001040", Decimal(2), "BX")  # fmt: skip
    assert [e.row for e in parse_block("A 1\n\nB 2\n")] == [1, 3]
    assert parse_entry("   ") is None


def test_typed_quantities_snap_to_pack_multiples() -> None:
    step = QuantityStep(minimum=Decimal(10), step=Decimal(5))
    assert snap(Decimal(3), step) == 10
    assert snap(Decimal(12), step) == 15
    assert snap(Decimal(0), step) == 0  # zero removes the line


def test_a_paste_of_60_lines_becomes_a_cart(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
) -> None:
    lines = sample_lines(data_dir, 60)
    QApplication.clipboard().setText("\n".join(f"{sku}\t{qty}" for sku, qty in lines) + "\n")
    page = window.quick
    page.field.setFocus()
    QTest.keySequence(page.field, QKeySequence(QKeySequence.StandardKey.Paste))
    wait_for(qtbot, window, lambda: page.model.rowCount() == 60)
    assert page.field.text() == ""
    assert {(li.sku, li.quantity) for li in page.model.rows} == set(lines)
    assert page.last_flash == "good"
    assert "Added 60 lines" in page.feedback.text()
    snapshot = page.pad.snapshot
    assert snapshot is not None and snapshot.cart.total > 0
    assert "Total" in page.total.text()
    with Workspace(data_dir) as ws:  # the cart is stored, with its outbox entries
        stored = ws.cart()
        assert len(stored.lines) == 60
        assert ws.status().outbox["pending"] >= 60
    # Only the touched lines were re-priced: the screen agrees with a full pricing.
    assert snapshot.cart.total == stored.total
    assert [li.line_id for li in snapshot.cart.lines] == [li.line_id for li in stored.lines]

    # Ctrl+Z takes the whole paste back.
    QTest.keySequence(page.field, QKeySequence(QKeySequence.StandardKey.Undo))
    wait_for(qtbot, window, lambda: page.model.rowCount() == 0)


def test_undo_puts_back_the_quantity_before_the_last_scan(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
) -> None:
    ((sku, qty),) = sample_lines(data_dir, 1)
    page = window.quick
    page.field.setFocus()
    for _ in range(2):
        type_keys(page.field, sku)
        press_enter(page.field)
        window.ctx.ops.wait_idle()
    wait_for(
        qtbot, window, lambda: page.model.rowCount() == 1 and page.model.rows[0].quantity == 2 * qty
    )
    QTest.keyClick(page.field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_for(qtbot, window, lambda: page.model.rows[0].quantity == qty)
    assert page.field.hasFocus()


def test_quantity_editor_and_checkout(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
) -> None:
    ((sku, qty),) = sample_lines(data_dir, 1)
    page = window.quick
    page.pad.enter(f"{sku} {qty}")
    wait_for(qtbot, window, lambda: page.model.rowCount() == 1)
    index = page.model.index(0, 2)
    assert page.model.setData(index, qty * 4)
    wait_for(qtbot, window, lambda: page.model.rows[0].quantity == qty * 4)

    page.open_checkout()
    dialog = page.findChild(CheckoutDialog)
    assert dialog is not None
    window.ctx.ops.wait_idle()
    assert dialog.ship_to.count() >= 1
    dialog.po.setText("PO-UI-1")
    with qtbot.waitSignal(page.pad.submitted):
        dialog.submit_button.click()
    wait_for(qtbot, window, lambda: page.model.rowCount() == 0)  # a fresh cart
    assert "queued" in page.feedback.text()
    with Workspace(data_dir) as ws:
        assert any(o.po_number == "PO-UI-1" for o in ws.orders())


def test_typing_offers_completions_from_the_replica(
    qtbot: QtBot, window: MainWindow, data_dir
) -> None:
    ((sku, _qty),) = sample_lines(data_dir, 1)
    page = window.quick
    page.detector.clock = SteppingClock(200)  # a person typing
    page.field.setFocus()
    type_keys(page.field, sku[:5])
    qtbot.waitUntil(lambda: page._completions.rowCount() > 0, timeout=5000)
    popup = page.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    skus = [page._completions.item(r).data(SKU_ROLE) for r in range(page._completions.rowCount())]
    assert all(s.upper().startswith(sku[:5].upper()) for s in skus[:3])
    page.completer.activated[str].emit(skus[0])  # type: ignore[index]
    qtbot.waitUntil(lambda: page.field.text().strip() == skus[0], timeout=3000)
    popup.hide()
    press_enter(page.field)
    wait_for(qtbot, window, lambda: page.model.rowCount() == 1)

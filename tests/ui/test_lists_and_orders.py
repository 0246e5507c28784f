"""Saved lists on the Carts screen (save, into the cart merged or replacing, export, labels,
delete) and the Orders screen's filters, reorder with its partial-success report, and
"save order as list"."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.services.quickorder import QuickOrderService
from app.services.workspace import Workspace
from app.ui import fmt
from app.ui.main_window import CARTS, ORDERS, QUICK_ORDER, MainWindow
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, open_window, sample_lines, save_shot, wait_for

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _quantities(window: MainWindow) -> dict[str, object]:
    return {line.sku: line.quantity for line in window.quick.model.rows}


def test_a_cart_saved_as_list_goes_back_into_carts_exports_and_prints(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    lines = sample_lines(data_dir, 3)
    window.quick.pad.paste("\n".join(f"{sku} {qty}" for sku, qty in lines))
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 3)

    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    carts, panel = window.carts, window.carts.lists
    wait_for(qtbot, window, lambda: carts.model.rowCount() > 0)
    carts.save_as_list("Default", "Weekly gloves")
    wait_for(qtbot, window, lambda: panel.model.rowCount() == 1)
    assert panel.model.rows[0].line_count == 3

    # Into a new cart, merged twice (quantities add up), then replacing.
    window.quick.pad.open_cart("Branch 2")
    panel.order_list("Weekly gloves", replace=False)
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 3)
    assert window.stack.currentIndex() == QUICK_ORDER
    assert "Branch 2" in window.quick.cart_label.text()
    panel.order_list("Weekly gloves", replace=False)
    wait_for(qtbot, window, lambda: _quantities(window) == {s: 2 * q for s, q in lines})
    window.quick.pad.paste(f"{lines[0][0]} {lines[0][1]}")  # one more line, then replace
    panel.order_list("Weekly gloves", replace=True)
    wait_for(qtbot, window, lambda: _quantities(window) == dict(lines))

    xlsx, pdf = tmp_path / "weekly.xlsx", tmp_path / "weekly labels.pdf"
    panel.export_list("Weekly gloves", xlsx)
    panel.print_labels("Weekly gloves", pdf)
    wait_for(qtbot, window, lambda: xlsx.exists() and pdf.exists())
    cells = {str(c.value) for row in load_workbook(xlsx).active.iter_rows() for c in row}
    assert {sku for sku, _q in lines} <= cells
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "3 labels saved" in window.statusBar().currentMessage()

    window.go(CARTS)
    # Other tests share the demo server's account, so its synced carts may be listed too.
    wait_for(qtbot, window, lambda: {"Default", "Branch 2"} <= {c.name for c in carts.model.rows})
    carts.table.selectRow(0)
    save_shot(window, "carts-and-lists.png", tmp_path)
    panel.delete_list("Weekly gloves")
    wait_for(qtbot, window, lambda: panel.model.rowCount() == 0)


def test_orders_filter_reorder_and_save_as_list(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    with Workspace(data_dir) as ws:
        orders = ws.orders()
        first = ws.order(orders[0].client_order_id)
    # The first order's first product left the assortment since: a reorder is partial.
    gone = first.lines[0].sku
    with sqlite3.connect(data_dir / "replica.sqlite3") as db:
        db.execute("UPDATE products SET status = 'discontinued' WHERE sku = ?", (gone,))
    window = open_window(qtbot, data_dir)
    page = window.orders
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == ORDERS
    wait_for(qtbot, window, lambda: page.detail is not None)
    assert page.model.rowCount() == len(orders)

    # Status
    page.status_filter.setCurrentIndex(page.status_filter.findData("delivered"))
    assert 0 < page.model.rowCount() < len(orders)
    assert {o.status for o in page.model.rows} == {"delivered"}
    page.clear_filters()
    # PO number
    with_po = next(o for o in orders if o.po_number)
    page.filter.setText(with_po.po_number or "")
    assert [o.client_order_id for o in page.model.rows] == [with_po.client_order_id]
    page.clear_filters()
    # Date range: the day of the newest order, then a range with nothing in it
    when = fmt.parse_time(orders[0].created_at)
    assert when is not None
    day = when.astimezone().date()
    page.set_date_range(day, day)
    assert page.model.rowCount() >= 1
    assert all(fmt.local_time(o.created_at).startswith(day.isoformat()) for o in page.model.rows)
    page.set_date_range(day + dt.timedelta(days=1), None)
    assert page.model.rowCount() == 0 and "No order" in page.header.text()
    page.clear_filters()
    # SKU (found in the order lines off the GUI thread)
    page.sku_filter.setText(gone.lower())
    wait_for(qtbot, window, lambda: page.with_sku is not None and page.model.rowCount() > 0)
    assert first.client_order_id in {o.client_order_id for o in page.model.rows}
    assert page.model.rowCount() < len(orders)
    page.status_filter.setCurrentIndex(page.status_filter.findData(first.status))
    wait_for(qtbot, window, lambda: page.detail is not None)
    save_shot(window, "orders.png", tmp_path)
    page.clear_filters()
    assert page.model.rowCount() == len(orders)

    page.select_order(first.client_order_id)
    wait_for(qtbot, window, lambda: page.detail is not None and page.detail.number == first.number)
    page.save_as_list(page.detail, "From the last order")
    page.reorder(page.detail)
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == len(first.lines) - 1)
    assert window.stack.currentIndex() == QUICK_ORDER
    report = page.report
    assert report is not None and report.isVisible()
    assert report.model.rowCount() == len(first.lines)  # every line, the missing one first
    assert report.model.data(report.model.index(0, 2)) == gone
    assert report.model.data(report.model.index(0, 4)) == "not added"
    assert "discontinued" in report.model.data(report.model.index(0, 5))
    assert "not added" in window.statusBar().currentMessage()
    save_shot(report, "reorder-report.png", tmp_path)
    with Workspace(data_dir) as ws:
        saved = QuickOrderService(ws).list_lines("From the last order")
    assert [line.sku for line in saved] == [line.sku for line in first.lines]
    window.shut_down()

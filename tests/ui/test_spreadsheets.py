"""Spreadsheets in the window: opened or dropped on quick order, the columns asked for when
Orderpad is unsure (and remembered), every row in the report, the report workbook saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.quickorder import Field
from app.ui.column_mapping import ColumnMappingDialog
from app.ui.main_window import MainWindow
from app.ui.spreadsheet_import import spreadsheet_paths
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, sample_lines, save_shot, wait_for

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _visible_mapping_dialog(window: MainWindow) -> ColumnMappingDialog | None:
    found = [d for d in window.quick.findChildren(ColumnMappingDialog) if d.isVisible()]
    return found[0] if found else None


def test_an_unclear_sheet_asks_for_columns_remembers_them_and_reports_every_row(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    lines = sample_lines(data_dir, 4)
    # No header and five columns: Orderpad guesses, but asks before trusting the guess.
    rows = [f"{n};Item {n};{sku};{qty};" for n, (sku, qty) in enumerate(lines[:3], start=1)]
    rows += ["4;Mystery item;NOPE-4711;3;call me", f"5;No quantity;{lines[3][0]};;"]
    rows += [f"6;Again;{lines[0][0]};{lines[0][1]};second time"]
    sheet = tmp_path / "weekly order.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")

    page = window.quick
    page.import_spreadsheet(sheet)
    wait_for(qtbot, window, lambda: _visible_mapping_dialog(window) is not None)
    dialog = _visible_mapping_dialog(window)
    assert dialog is not None
    assert dialog.columns.rowCount() == 5  # every column, with sample values
    assert dialog.combos[Field.SKU].currentData() == 2  # the guess is preselected
    dialog.choose(Field.SKU, None)
    dialog.confirm()  # no item column: the dialog says so and stays
    assert dialog.isVisible() and "column" in dialog.problem.text()
    dialog.choose(Field.SKU, 2)
    dialog.choose(Field.QUANTITY, 3)
    dialog.choose(Field.NOTE, 4)
    save_shot(dialog, "column-mapping.png", tmp_path)
    dialog.confirm()

    wait_for(qtbot, window, lambda: page.importer.report is not None)
    report = page.importer.report
    assert report is not None and report.isVisible()
    assert report.model.rowCount() == 6  # every row, none dropped
    statuses = [report.model.data(report.model.index(r, 4)) for r in range(6)]
    assert statuses[0] == "not added" and "NOPE-4711" in report.model.data(report.model.index(0, 1))
    assert "nothing to order" in statuses
    wait_for(qtbot, window, lambda: page.model.rowCount() == 3)
    merged = next(li for li in page.model.rows if li.sku == lines[0][0])
    assert merged.quantity == 2 * lines[0][1]
    assert page.last_flash == "bad" and "1 not added" in page.feedback.text()
    save_shot(report, "import-report.png", tmp_path)

    out = tmp_path / "weekly order-report.xlsx"
    report.save_to(out)
    wait_for(qtbot, window, lambda: out.exists())
    book = load_workbook(out)
    texts = {str(c.value) for row in book.active.iter_rows() for c in row if c.value}
    assert any("NOPE-4711" in t for t in texts) and any("not" in t.lower() for t in texts)
    report.close()

    # Ctrl+Z takes the whole import back.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    page.focus_entry()
    QTest.keySequence(page.field, QKeySequence(QKeySequence.StandardKey.Undo))
    wait_for(qtbot, window, lambda: page.model.rowCount() == 0)

    # The same layout again: no question this time.
    page.import_spreadsheet(sheet)
    wait_for(qtbot, window, lambda: page.importer.report is not None)
    assert _visible_mapping_dialog(window) is None
    wait_for(qtbot, window, lambda: page.model.rowCount() == 3)


def test_a_spreadsheet_dropped_on_quick_order_is_imported(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    lines = sample_lines(data_dir, 3)
    book = Workbook()
    ws = book.active
    ws.append(["Our order"])
    ws.append([])
    ws.append(["Item number", "Description", "Qty", "Unit"])
    for sku, qty in lines:
        ws.append([sku, "something", int(qty), None])
    path = tmp_path / "order.xlsx"
    book.save(path)

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(tmp_path / "x.pdf"))])
    assert spreadsheet_paths(mime) == [path]
    page = window.quick
    # Dropped on the lines table, which takes no drops: the screen takes it.
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(page.table.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(page.table.viewport(), drop)
    assert drop.isAccepted()
    wait_for(qtbot, window, lambda: page.importer.report is not None)
    assert _visible_mapping_dialog(window) is None  # clear headers: nothing to ask
    wait_for(qtbot, window, lambda: page.model.rowCount() == 3)
    report = page.importer.report
    assert report is not None and report.model.rowCount() == 3
    assert page.last_flash == "good"
    report.close()
    assert window.focusWidget() is page.field  # back to scanning
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)

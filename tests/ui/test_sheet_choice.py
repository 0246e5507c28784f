"""A workbook with several sheets: the person picks the sheet, the first with a header
Orderpad recognises preselected, each sheet's columns shown as it is highlighted."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.sheet_chooser import SheetChooserDialog
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, sample_lines, save_shot, wait_for

data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _workbook(
    path: Path, first: list[tuple[str, object]], second: list[tuple[str, object]]
) -> Path:
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Weekly order, site north. Deliver Mon-Fri before 10."
    order = book.create_sheet("Order")
    order.append(["ACME site north"])
    order.append([])
    order.append(["Pos", "Item number", "Description", "Qty"])
    for n, (sku, qty) in enumerate(first, start=1):
        order.append([n, sku, "", float(str(qty))])
    extra = book.create_sheet("Extra items")
    extra.append(["SKU", "Quantity", "Note"])
    for sku, qty in second:
        extra.append([sku, float(str(qty)), "urgent"])
    book.save(path)
    return path


def _sheet_dialog(window: MainWindow) -> SheetChooserDialog | None:
    dialog = window.quick.importer.sheet_dialog
    return dialog if dialog is not None and dialog.isVisible() else None


def test_the_person_chooses_the_sheet_of_a_workbook(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    lines = sample_lines(data_dir, 4)
    path = _workbook(tmp_path / "order.xlsx", lines[:2], lines[2:])
    page = window.quick
    page.import_spreadsheet(path)
    wait_for(qtbot, window, lambda: _sheet_dialog(window) is not None)
    dialog = _sheet_dialog(window)
    assert dialog is not None
    assert [dialog.sheets.item(r).text() for r in range(3)] == ["Notes", "Order", "Extra items"]
    assert dialog.sheet() == "Order"  # the first sheet with a header Orderpad knows
    assert "header row 3 recognised" in dialog.about.text()
    assert dialog.columns.rowCount() == 4  # Pos, Item number, Description, Qty

    dialog.select("Notes")
    wait_for(qtbot, window, lambda: "Notes" in dialog.previews)
    assert "no header row" in dialog.about.text()
    dialog.select("Extra items")
    wait_for(qtbot, window, lambda: "Extra items" in dialog.previews)
    assert "header row 1 recognised" in dialog.about.text()
    save_shot(dialog, "sheet-chooser.png", tmp_path)
    dialog.buttons.accepted.emit()

    wait_for(qtbot, window, lambda: page.importer.report is not None)
    report = page.importer.report
    assert report is not None
    # The rows of "Extra items", not of "Order" (the cart may hold other tests' lines: the
    # demo account is shared).
    imported = {report.model.data(report.model.index(r, 2)) for r in range(report.model.rowCount())}
    assert imported == {sku for sku, _qty in lines[2:]}
    wait_for(
        qtbot, window, lambda: {sku for sku, _q in lines[2:]} <= {li.sku for li in page.model.rows}
    )
    report.reject()

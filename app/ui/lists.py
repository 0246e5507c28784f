"""Saved lists (order templates) on the Carts screen: put one into the cart quick order fills
(merged or replacing its lines, checked like a reorder), export it as XLSX, print its
scan-to-order label sheet, delete it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Workspace, WorkspaceError
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import Column, RowsModel, row_table

if TYPE_CHECKING:  # imported on first use, off the start-up path (openpyxl, barcodes)
    from app.services.quickorder import QuickOrderOutcome, QuickOrderService, SavedList
    from app.ui.import_report import ImportReportDialog


def quickorder_service(ws: Workspace) -> QuickOrderService:
    from app.services.quickorder import QuickOrderService

    return QuickOrderService(ws)


LIST_CHANGES = Changes(lists=True)
FILL_CHANGES = Changes(cart=True, outbox=True)


def lists_model(parent: QWidget | None = None) -> RowsModel[SavedList]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("List"), lambda s: s.name),
            Column(tr("Lines"), lambda s: str(s.line_count), numeric=True),
            Column(tr("Shared"), lambda s: tr("shared") if s.shared else ""),
            Column(tr("Changed"), lambda s: fmt.local_time(s.updated_at)),
        ],
        parent,
    )  # fmt: skip


def fill_cart(ws: Workspace, name: str, *, cart: str | None, replace: bool) -> QuickOrderOutcome:
    """Runs on the DB worker: the list's lines into ``cart``, checked against today's
    catalog; with ``replace`` the cart's own lines go first (only once the list is known)."""
    service = quickorder_service(ws)
    service.list_lines(name)  # raises for a list that is gone, before anything is removed
    if replace:
        for line in ws.cart(cart).lines:
            ws.remove_line(line.line_id, cart)
    return service.order_list(name, cart=cart)


@dataclass(frozen=True, slots=True)
class LabelSheet:
    path: Path
    labels: int
    missing: list[str]  # SKUs no longer in the catalog (no label)


def write_list_labels(ws: Workspace, name: str, path: Path) -> LabelSheet:
    """Runs on the DB worker: a label per line of the list (SKUs that left the catalog are
    named, not fatal)."""
    from app.label_sheet import write_labels

    service = quickorder_service(ws)
    labels, missing = [], []
    for line in service.list_lines(name):
        try:
            labels.extend(service.labels_for([(line.sku, line.unit)]))
        except WorkspaceError:
            missing.append(line.sku)
    if not labels:
        raise WorkspaceError(f"no line of {name!r} is in your catalog: nothing to print")
    return LabelSheet(write_labels(path, labels, title=name), len(labels), missing)


class ListsPanel(QWidget):
    """``cart_filled(cart name)`` after a list went into a cart (the window shows it)."""

    cart_filled = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = lists_model(self)
        self.table = row_table(self.model)
        self.table.setColumnWidth(0, 260)
        self.hint = QLabel()
        self.report: ImportReportDialog | None = None

        def action(
            text: str, keys: QKeySequence | QKeySequence.StandardKey | str, slot: object
        ) -> QPushButton:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            button = QPushButton(f"{text} ({shown})")
            button.clicked.connect(act.trigger)
            return button

        buttons = [
            action(self.tr("Add to cart"), "Ctrl+M", self.merge_current),
            action(self.tr("Replace cart…"), "Ctrl+Shift+M", self.replace_current),
            action(self.tr("Export XLSX…"), "Ctrl+E", self.export_current),
            action(self.tr("Print labels…"), QKeySequence.StandardKey.Print, self.print_current),
        ]
        self.delete_action = QAction(self.tr("Delete list"), self)
        self.delete_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.table.addAction(self.delete_action)
        delete = QPushButton(self.tr("Delete (Del)"))
        delete.clicked.connect(self.delete_action.trigger)
        title = QLabel(self.tr("<b>Saved lists</b>"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.hint, 1)
        row = QHBoxLayout()
        for button in [*buttons, delete]:
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._loaded = False
        self.table.activated.connect(lambda _i: self.merge_current())
        ctx.bus.changed.connect(self._on_changed)

    # -- loading -----------------------------------------------------------------------
    def show_hint(self) -> None:
        cart = self.ctx.cart_name or self.tr("Default")
        self.hint.setText(self.tr("— lists go into the cart quick order fills: “{0}”").format(cart))

    def refresh(self) -> None:
        self._loaded = True
        self.show_hint()

        def load(ws: Workspace) -> list[SavedList]:
            return quickorder_service(ws).lists()

        self.ctx.ops.run(load, on_success=self._show, owner=self)

    def _show(self, lists: list[SavedList]) -> None:
        current = self.current()
        self.model.set_rows(lists)
        names = [s.name for s in lists]
        if names:
            self.table.selectRow(names.index(current.name) if current and current.name in names
                                 else 0)  # fmt: skip

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and changes.lists:
            self.refresh()

    def current(self) -> SavedList | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def names(self) -> set[str]:
        return {s.name.casefold() for s in self.model.rows}

    # -- into the cart -----------------------------------------------------------------
    def merge_current(self) -> None:
        chosen = self.current()
        if chosen is not None:
            self.order_list(chosen.name, replace=False)

    def replace_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        cart = self.ctx.cart_name or self.tr("Default")
        answer = QMessageBox.question(
            self, self.tr("Replace the cart"),
            self.tr("Remove the lines of cart “{0}” and put in the list “{1}”?").format(
                cart, chosen.name),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.order_list(chosen.name, replace=True)

    def order_list(self, name: str, *, replace: bool) -> None:
        """Put list ``name`` into the cart quick order fills; a partial success shows the
        report of the lines that were not added."""
        cart = self.ctx.cart_name

        def done(outcome: QuickOrderOutcome) -> None:
            from app.ui.import_report import batch_message, show_batch_report

            self.ctx.notify(self.tr("List “{0}”: {1}").format(name, batch_message(outcome.report)))
            self.report = show_batch_report(
                self, self.tr("List into the cart"),
                self.tr("List “{0}” into cart “{1}”").format(name, cart or self.tr("Default")),
                outcome.report,
            )  # fmt: skip
            self.cart_filled.emit(cart or "")

        self.ctx.ops.run(
            lambda ws: fill_cart(ws, name, cart=cart, replace=replace),
            on_success=done, changes=FILL_CHANGES, owner=self,
        )  # fmt: skip

    # -- files -------------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, filter_text: str) -> Path | None:
        settings = QSettings()
        start = Path(str(settings.value("lists/dir", "") or Path.home())) / name
        chosen, _f = QFileDialog.getSaveFileName(self, title, str(start), filter_text)
        if not chosen:
            return None
        settings.setValue("lists/dir", str(Path(chosen).parent))
        return Path(chosen)

    def export_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        path = self._ask_path(self.tr("Export list"), f"{chosen.name}.xlsx",
                              self.tr("Excel workbook (*.xlsx)"))  # fmt: skip
        if path is not None:
            self.export_list(chosen.name, path.with_suffix(".xlsx"))

    def export_list(self, name: str, path: Path) -> None:
        self.ctx.ops.run(
            lambda ws: quickorder_service(ws).export_list(name, path),
            on_success=lambda p: self.ctx.notify(self.tr("List saved to {0}").format(p)),
        )

    def print_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        path = self._ask_path(self.tr("Save scan-to-order labels"), f"{chosen.name} labels.pdf",
                              self.tr("PDF (*.pdf)"))  # fmt: skip
        if path is not None:
            self.print_labels(chosen.name, path.with_suffix(".pdf"))

    def print_labels(self, name: str, path: Path) -> None:
        """A PDF of Code 128 shelf labels, one per line of the list (print it from there)."""

        def done(sheet: LabelSheet) -> None:
            text = self.tr("{0} labels saved to {1}").format(sheet.labels, sheet.path)
            if sheet.missing:
                text += self.tr("; not in your catalog (no label): {0}").format(
                    ", ".join(sheet.missing))  # fmt: skip
            self.ctx.notify(text)

        self.ctx.ops.run(lambda ws: write_list_labels(ws, name, path), on_success=done)

    # -- deleting ----------------------------------------------------------------------
    def delete_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete list"), self.tr("Delete the list “{0}”?").format(chosen.name)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_list(chosen.name)

    def delete_list(self, name: str) -> None:
        self.ctx.ops.run(
            lambda ws: quickorder_service(ws).delete_list(name),
            changes=LIST_CHANGES,
            on_success=lambda _r: self.ctx.notify(self.tr("List “{0}” deleted").format(name)),
        )

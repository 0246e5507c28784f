"""The home screen: one entry field that takes scans (from anywhere on the screen), typed SKUs
with autocomplete and pasted blocks; the cart's lines with a running total; undo; checkout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.views import CartView
from app.ui import fmt
from app.ui.context import AppContext, UiSettings
from app.ui.lines_model import QTY_COLUMN, LinesModel, QuantityDelegate
from app.ui.quick_order_pad import CartSnapshot, QuickOrderPad
from app.ui.scan_sounds import ScanSounds
from app.ui.scanner import ScanCatcher, ScanDetector
from app.ui.spreadsheet_import import (
    Imported,
    SpreadsheetImporter,
    ask_for_spreadsheet,
    spreadsheet_paths,
)

if TYPE_CHECKING:
    from app.services.workspace import ProductHit, Workspace

_NO_CART = CartView("", "", "", "", [], Decimal(0), False)
FLASH_MS = 700
GOOD_COLOR = "rgba(46, 157, 87, 0.35)"
BAD_COLOR = "rgba(214, 69, 65, 0.40)"
SKU_ROLE = Qt.ItemDataRole.UserRole + 1


class ScanField(QLineEdit):
    """The entry field. A multi-line paste or drop is handed over whole (``pasted``), not
    squashed into one line; a dropped spreadsheet is handed over as ``files_dropped``;
    Ctrl+Z is left to the screen's "undo last scan"."""

    pasted = Signal(str)
    files_dropped = Signal(list)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            event.ignore()  # not ours: the window's Undo action takes it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QApplication.clipboard().text()
            if "\n" in text.strip():
                self.pasted.emit(text)
                return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if spreadsheet_paths(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if spreadsheet_paths(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        data: QMimeData = event.mimeData()
        paths = spreadsheet_paths(data)
        if paths:
            self.files_dropped.emit(paths)
            event.acceptProposedAction()
            return
        if data.hasText() and "\n" in data.text().strip():
            self.pasted.emit(data.text())
            event.acceptProposedAction()
            return
        super().dropEvent(event)


class LinesView(QTableView):
    hint = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.hint and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(20, 20, -20, -20),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.hint,
            )
            painter.end()

    def cancel_edit(self) -> None:
        """Close an open quantity editor without saving (a scan arrived while editing)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        widget = QApplication.focusWidget()
        while widget is not None and widget.parentWidget() is not self.viewport():
            widget = widget.parentWidget()
        if widget is not None:
            self.closeEditor(widget, QAbstractItemDelegate.EndEditHint.RevertModelCache)


class QuickOrderPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pad = QuickOrderPad(ctx, self)
        self.last_flash: str | None = None

        self.cart_label = QLabel()
        self.field = ScanField()
        self.field.setObjectName("scanField")
        self.field.setPlaceholderText(self._entry_hint())
        font = QFont(self.field.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.field.setFont(font)
        self.field.setMinimumHeight(int(self.field.sizeHint().height() * 1.3))
        self.feedback = QLabel(self.tr("Ready to scan"))
        self.feedback.setObjectName("scanFeedback")
        self.feedback.setWordWrap(True)

        self.model = LinesModel(self)
        self.table = LinesView()
        self.table.setModel(self.model)
        self.table.hint = self.tr(
            "No lines yet.\n\nScan a barcode (the scanner works anywhere on this screen), type a "
            "SKU and a quantity, or paste lines copied from a spreadsheet."
        )
        self.table.setItemDelegateForColumn(QTY_COLUMN, QuantityDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 290, 70, 50, 95, 100)):
            self.table.setColumnWidth(column, width)

        self.total = QLabel()
        self.total.setObjectName("cartTotal")
        bold = QFont(self.total.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.total.setFont(bold)

        self.undo_action = QAction(self.tr("Undo last scan"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.remove_action = QAction(self.tr("Remove line"), self)
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.checkout_action = QAction(self.tr("Check out…"), self)
        self.checkout_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.focus_action = QAction(self.tr("Go to the entry field"), self)
        self.focus_action.setShortcut(QKeySequence("Ctrl+L"))
        for action in (self.undo_action, self.checkout_action, self.focus_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.table.addAction(self.remove_action)

        undo = QPushButton(self.tr("Undo last (Ctrl+Z)"))
        undo.clicked.connect(self.undo_action.trigger)
        remove = QPushButton(self.tr("Remove line (Del)"))
        remove.clicked.connect(self.remove_action.trigger)
        self.checkout_button = QPushButton(self.tr("Check out… (Ctrl+Enter)"))
        self.checkout_button.setDefault(False)
        self.checkout_button.clicked.connect(self.checkout_action.trigger)
        for button in (undo, remove, self.checkout_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(undo)
        bottom.addWidget(remove)
        bottom.addStretch(1)
        bottom.addWidget(self.total)
        bottom.addSpacing(16)
        bottom.addWidget(self.checkout_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.cart_label)
        layout.addLayout(top)
        layout.addWidget(self.feedback)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._completions = QStandardItemModel(self)
        self.completer = QCompleter(self._completions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(SKU_ROLE)
        self.completer.setMaxVisibleItems(12)
        self.field.setCompleter(self.completer)
        self._suggest = QTimer(self)
        self._suggest.setSingleShot(True)
        self._suggest.setInterval(150)
        self._suggest.timeout.connect(self._ask_suggestions)
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.timeout.connect(self._end_flash)

        self.detector = ScanDetector(ctx.settings.scanner)
        self.sounds = ScanSounds(enabled=ctx.settings.scan_sounds, parent=self)
        ctx.settings_changed.connect(self.apply_settings)
        self.catcher = ScanCatcher(self, self.field, self.detector)
        self.catcher.install()

        self.catcher.scanned.connect(self._on_scan)
        self.field.returnPressed.connect(self._on_return)
        self.field.textEdited.connect(self._on_edited)
        self.field.pasted.connect(self._on_paste)
        self.completer.activated[str].connect(self._on_completion)  # type: ignore[index]
        self.undo_action.triggered.connect(self._undo)
        self.remove_action.triggered.connect(self._remove_current)
        self.checkout_action.triggered.connect(self.open_checkout)
        self.importer = SpreadsheetImporter(ctx, self, feedback=self._show_feedback)
        self.importer.imported.connect(self._spreadsheet_imported)
        self.importer.dialog_closed.connect(self.focus_entry)
        self.field.files_dropped.connect(self._files_dropped)
        self.setAcceptDrops(True)
        self.focus_action.triggered.connect(self.focus_entry)
        self.model.quantity_edited.connect(self._quantity_edited)
        self.pad.cart_loaded.connect(self._show_cart)
        self.pad.feedback.connect(self._show_feedback)
        self.pad.submitted.connect(self._submitted)
        self.pad.refused.connect(self._show_refusal)
        self._suggestion_serial = 0

    # -- life cycle --------------------------------------------------------------------
    def activate(self) -> None:
        """Shown by the main window: make sure the lines are there and the field has focus."""
        if self.pad.snapshot is None:
            self.pad.refresh()
        self.focus_entry()

    def focus_entry(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_down(self) -> None:
        self.catcher.uninstall()

    def apply_settings(self, settings: UiSettings) -> None:
        """New scanner set-up and sound choice, in force from the next key."""
        self.detector.settings = settings.scanner
        self.detector.reset()
        self.sounds.enabled = settings.scan_sounds

    # -- entries -----------------------------------------------------------------------
    def _on_scan(self, code: str) -> None:
        self._suggest.stop()
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self.table.cancel_edit()
        self.pad.scan(code)
        self.focus_entry()

    def _on_return(self) -> None:
        self._suggest.stop()
        text = self.field.text().strip()
        self.field.clear()
        if text:
            self.pad.enter(text)
        self.focus_entry()

    def _on_paste(self, text: str) -> None:
        self.field.clear()
        self.pad.paste(text)
        self.focus_entry()

    def _on_edited(self, text: str) -> None:
        if len(text.strip()) >= 2 and " " not in text.strip():
            self._suggest.start()
        else:
            self._suggest.stop()

    def _ask_suggestions(self) -> None:
        query = self.field.text().strip()
        if self.detector.in_burst() or len(query) < 2:
            return
        self._suggestion_serial += 1
        serial = self._suggestion_serial

        def search(ws: Workspace) -> list[ProductHit]:
            return ws.search_products(query, limit=12)

        def show(hits: list[ProductHit]) -> None:
            if serial != self._suggestion_serial or self.field.text().strip() != query:
                return  # the person typed on
            self._completions.clear()
            for hit in hits:
                item = QStandardItem(f"{hit.sku} — {hit.name}")
                item.setData(hit.sku, SKU_ROLE)
                self._completions.appendRow(item)
            if hits and self.field.hasFocus():
                self.completer.complete()

        self.ctx.ops.run(search, on_success=show)

    def _on_completion(self, sku: str) -> None:
        self._suggestion_serial += 1
        QTimer.singleShot(0, lambda: self._take_completion(sku))

    def _take_completion(self, sku: str) -> None:
        self.field.setText(sku + " ")
        self.field.end(False)
        self.focus_entry()

    # -- spreadsheets (File ▸ Open spreadsheet…, or dropped anywhere on this screen) ---------
    def open_spreadsheet(self) -> None:
        path = ask_for_spreadsheet(self)
        if path is not None:
            self.import_spreadsheet(path)
        self.focus_entry()

    def import_spreadsheet(self, path: Path) -> None:
        """Read ``path`` into the cart being filled; asks for the columns when unsure."""
        self.importer.open(path)

    def _files_dropped(self, paths: list[Path]) -> None:
        for path in paths:
            self.import_spreadsheet(path)
        self.focus_entry()

    def _spreadsheet_imported(self, done: Imported) -> None:
        self.pad.remember_undo(done.undo)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if spreadsheet_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if spreadsheet_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = spreadsheet_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self._files_dropped(paths)

    # -- lines -------------------------------------------------------------------------
    def _show_cart(self, snapshot: CartSnapshot) -> None:
        cart = snapshot.cart
        current = self.table.currentIndex()
        self.model.set_cart(cart, snapshot.steps)
        focus = self.model.row_of(snapshot.focus) if snapshot.focus else -1
        if focus >= 0:  # the line just scanned or typed: select it and scroll it into view
            self.table.selectRow(focus)
            self.table.scrollTo(self.model.index(focus, 0))
        elif current.isValid() and current.row() < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        self.cart_label.setText(
            self.tr("Cart “{0}” · {1} lines").format(cart.name, len(cart.lines))
            + ("" if not cart.local_changes else self.tr(" · changes not yet synced"))
        )
        self.total.setText(self.tr("Total {0}").format(fmt.money(cart.total, cart.currency)))
        self.checkout_action.setEnabled(bool(cart.lines))
        self.checkout_button.setEnabled(bool(cart.lines))
        if not self.field.isEnabled():
            self.field.setEnabled(True)
            self.field.setPlaceholderText(self._entry_hint())

    def _entry_hint(self) -> str:
        return self.tr("Scan, type a SKU or barcode (and a quantity), or paste lines — Enter adds")

    def _show_refusal(self, reason: str) -> None:
        """The signed-in role may not order: say so calmly, where the cart would be."""
        self.model.set_cart(_NO_CART, {})
        self.cart_label.setText(self.tr("Quick order is for buyers"))
        self.field.setEnabled(False)
        self.field.setPlaceholderText(self.tr("Ordering needs the buyer role"))
        self.feedback.setText(reason)
        self.table.hint = reason + self.tr(
            "\n\nYou can still browse the catalog, follow orders and decide approvals."
        )
        self.table.viewport().update()
        self.total.clear()
        self.checkout_action.setEnabled(False)
        self.checkout_button.setEnabled(False)

    def _quantity_edited(self, line_id: str, quantity: object) -> None:
        assert isinstance(quantity, Decimal)
        self.pad.set_quantity(line_id, quantity)
        self.focus_entry()

    def _remove_current(self) -> None:
        line = self.model.row_at(self.table.currentIndex().row())
        if line is not None:
            self.pad.remove(line.line_id)
        self.focus_entry()

    def _undo(self) -> None:
        self.pad.undo()
        self.focus_entry()

    # -- feedback ----------------------------------------------------------------------
    def _show_feedback(self, ok: bool, message: str) -> None:
        """Every addition answers at once: a sound, the entry field and the message flash
        green or red, and the message (with ✔ or ✖, for those who cannot tell the colours
        apart) stays until the next one."""
        self.last_flash = "good" if ok else "bad"
        self.feedback.setText(("✔ " if ok else "✖ ") + message)
        color = GOOD_COLOR if ok else BAD_COLOR
        self.field.setStyleSheet(f"QLineEdit#scanField {{ background-color: {color}; }}")
        self.feedback.setStyleSheet(
            f"QLabel#scanFeedback {{ background-color: {color}; border-radius: 3px; }}"
        )
        self.sounds.play(ok)
        self._flash.start(FLASH_MS)

    @property
    def flashing(self) -> bool:
        return self._flash.isActive()

    def _end_flash(self) -> None:
        self.field.setStyleSheet("")
        self.feedback.setStyleSheet("")

    # -- checkout ----------------------------------------------------------------------
    def open_checkout(self) -> None:
        snapshot = self.pad.snapshot
        if snapshot is None or not snapshot.cart.lines:
            self._show_feedback(False, self.tr("The cart is empty"))
            return
        from app.ui.checkout import CheckoutDialog  # its approval preview loads on first use

        dialog = CheckoutDialog(self.ctx, snapshot.cart, self)
        dialog.accepted_order.connect(
            lambda po, ship, day, note: self.pad.submit(
                po_number=po, ship_to=ship, requested_date=day, note=note
            )
        )
        dialog.finished.connect(lambda _r: self.focus_entry())
        dialog.open()

    def _submitted(self, order_id: str) -> None:
        online = self.ctx.online
        message = (
            self.tr("Order queued and being sent now")
            if online
            else self.tr("Order queued: it is sent when you are back online")
        )
        self._show_feedback(True, message)
        self.ctx.request_sync()

"""Orders: the history on this device (synced and queued) filtered by our, the ERP's or
the PO number, SKU, status and date; one order's timeline, lines with their quantities,
shipments and status history and, when it waits for the buyer, the review; reorder (a
partial success says why a line was left out) and save as a list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import OrderDetail, OrderSummary, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.order_detail import WAITING, OrderDetailPanel, status_text
from app.ui.order_detail import order_lines_model as order_lines_model
from app.ui.review import ReviewDialog
from app.ui.rows_model import Column, RowsModel, row_table

if TYPE_CHECKING:  # imported on first use, off the start-up path (openpyxl)
    from app.services.quickorder import QuickOrderOutcome, QuickOrderService, SavedList
    from app.ui.import_report import ImportReportDialog

ANY_DAY = QDate(2000, 1, 1)  # a date edit at its minimum shows "any"


def status_tone(status: str) -> str | None:
    if status in (WAITING, "pending", "exception", "pending_approval"):
        return "warn"
    if status in ("rejected", "cancelled"):
        return "bad"
    if status in ("submitted", "confirmed", "shipped", "delivered", "invoiced"):
        return "good"
    return None


def quickorder_service(ws: Workspace) -> QuickOrderService:
    from app.services.quickorder import QuickOrderService

    return QuickOrderService(ws)


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """What the Orders screen shows; ``skus`` is the set of orders with a matching SKU
    (None: no SKU filter)."""

    words: tuple[str, ...] = ()
    status: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    skus: frozenset[str] | None = None

    def keeps(self, order: OrderSummary) -> bool:
        if self.status is not None and order.status != self.status:
            return False
        if self.skus is not None and order.client_order_id not in self.skus:
            return False
        if self.first_day is not None or self.last_day is not None:
            when = fmt.parse_time(order.created_at)
            if when is None:
                return False
            day = when.astimezone().date()
            if (self.first_day and day < self.first_day) or (self.last_day and day > self.last_day):
                return False
        text = " ".join([order.number or "", order.po_number or "", order.erp_number or ""])
        return all(word in text.casefold() for word in self.words)


def orders_model(parent: QWidget | None = None) -> RowsModel[OrderSummary]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("Number"), lambda o: o.number or tr("(queued)")),
            Column(tr("Status"), lambda o: status_text(o.status),
                   tone=lambda o: status_tone(o.status)),
            Column(tr("PO"), lambda o: o.po_number or ""),
            Column(tr("ERP order"), lambda o: o.erp_number or ""),
            Column(tr("Created"), lambda o: fmt.local_time(o.created_at)),
            Column(tr("Lines"), lambda o: str(o.line_count), numeric=True),
            Column(tr("Subtotal"), lambda o: fmt.money(o.subtotal, o.currency), numeric=True),
            Column(tr("Sync"), lambda o: tr("on this device only") if o.queued else tr("synced")),
        ],
        parent,
    )  # fmt: skip


class OrdersPage(QWidget):
    """``reordered(cart name)`` after a reorder put lines into a cart (the window shows it)."""

    reordered = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Order, PO or ERP number (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.sku_filter = QLineEdit()
        self.sku_filter.setPlaceholderText(self.tr("SKU"))
        self.sku_filter.setClearButtonEnabled(True)
        self.sku_filter.setMaximumWidth(150)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("Any status"), None)
        self.first_day = self._date_edit()
        self.last_day = self._date_edit()
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.count = QLabel()
        self.model = orders_model(self)
        self.table = row_table(self.model)
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate((128, 124, 130, 100, 128, 44, 110)):
            self.table.setColumnWidth(column, width)
        self.panel = OrderDetailPanel()
        # The panel's parts, named as the rest of the screen (and its tests) know them.
        self.header, self.lines, self.history = (
            self.panel.header,
            self.panel.lines,
            self.panel.history,
        )
        self.lines_view = self.panel.lines_view
        self.review_action = QAction(self.tr("Review changes…"), self)
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.find_action = QAction(self.tr("Filter orders"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.reorder_action = QAction(self.tr("Reorder (add its lines to the cart)"), self)
        self.reorder_action.setShortcut(QKeySequence("Ctrl+D"))
        self.save_list_action = QAction(self.tr("Save order as list…"), self)
        self.save_list_action.setShortcut(QKeySequence.StandardKey.Save)
        for action in (self.review_action, self.find_action, self.reorder_action,
                       self.save_list_action):  # fmt: skip
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.review_button = QPushButton(self.tr("Review changes… (Ctrl+R)"))
        self.review_button.clicked.connect(self.review_action.trigger)
        self.review_action.setEnabled(False)
        self.review_button.setEnabled(False)
        self.reorder_button = QPushButton(self.tr("Reorder (Ctrl+D)"))
        self.reorder_button.setToolTip(self.tr("Add this order's lines to the cart, checked "
                                               "against today's catalog"))  # fmt: skip
        self.reorder_button.clicked.connect(self.reorder_action.trigger)
        self.save_list_button = QPushButton(self.tr("Save as list… (Ctrl+S)"))
        self.save_list_button.clicked.connect(self.save_list_action.trigger)
        self.report: ImportReportDialog | None = None

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.panel, 1)
        for button in (self.reorder_button, self.save_list_button, self.review_button):
            self.panel.top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        # The list above, the order below: the timeline and the lines need the full width.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setSizes([262, 468])
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.sku_filter)
        top.addWidget(self.status_filter)
        top.addWidget(QLabel(self.tr("from")))
        top.addWidget(self.first_day)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.last_day)
        top.addWidget(self.clear_button)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.all_orders: list[OrderSummary] = []
        self.detail: OrderDetail | None = None
        self.with_sku: frozenset[str] | None = None  # orders matching the SKU filter
        self._loaded = False
        self._wanted: str | None = None  # an order to show once the list is loaded
        self._serial = 0
        self._sku_serial = 0
        self._sku_timer = QTimer(self)
        self._sku_timer.setSingleShot(True)
        self._sku_timer.setInterval(200)
        self._sku_timer.timeout.connect(self._find_sku)
        self.filter.textChanged.connect(self._apply_filter)
        self.sku_filter.textChanged.connect(lambda _t: self._sku_timer.start())
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.first_day.dateChanged.connect(self._apply_filter)
        self.last_day.dateChanged.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.review_action.triggered.connect(self.open_review)
        self.reorder_action.triggered.connect(self.reorder_current)
        self.save_list_action.triggered.connect(self.save_current_as_list)
        self.find_action.triggered.connect(lambda: self.filter.setFocus())
        ctx.bus.changed.connect(self._on_changed)
        self._enable_order_actions()

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(ANY_DAY)
        edit.setSpecialValueText(self.tr("any day"))
        edit.setDate(ANY_DAY)
        return edit

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        self._loaded = True

        def load(ws: Workspace) -> list[OrderSummary]:
            return ws.orders()

        self.ctx.ops.run(load, on_success=self._show)

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and (changes.orders or changes.outbox):
            self.refresh()

    def _show(self, orders: list[OrderSummary]) -> None:
        self.all_orders = orders
        chosen = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        while self.status_filter.count() > 1:
            self.status_filter.removeItem(1)
        for status in sorted({o.status for o in orders}, key=status_text):
            self.status_filter.addItem(status_text(status), status)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(chosen)))
        self.status_filter.blockSignals(False)
        if self.sku_filter.text().strip():
            self._find_sku()  # an order may have come in with that SKU
        self._apply_filter()
        if self._wanted is not None:
            self.open_order(self._wanted)

    # -- filters -----------------------------------------------------------------------
    def current_filter(self) -> OrderFilter:
        def day(edit: QDateEdit) -> dt.date | None:
            value = edit.date()
            return None if value == ANY_DAY else dt.date(value.year(), value.month(), value.day())

        status = self.status_filter.currentData()
        return OrderFilter(
            words=tuple(self.filter.text().casefold().split()),
            status=status if isinstance(status, str) else None,
            first_day=day(self.first_day),
            last_day=day(self.last_day),
            skus=self.with_sku if self.sku_filter.text().strip() else None,
        )

    def set_date_range(self, first: dt.date | None, last: dt.date | None) -> None:
        for edit, value in ((self.first_day, first), (self.last_day, last)):
            edit.setDate(QDate(value.year, value.month, value.day) if value else ANY_DAY)

    def clear_filters(self) -> None:
        for widget in (self.filter, self.sku_filter, self.status_filter, self.first_day,
                       self.last_day):  # fmt: skip
            widget.blockSignals(True)
        self.filter.clear()
        self.sku_filter.clear()
        self.status_filter.setCurrentIndex(0)
        self.set_date_range(None, None)
        for widget in (self.filter, self.sku_filter, self.status_filter, self.first_day,
                       self.last_day):  # fmt: skip
            widget.blockSignals(False)
        self.with_sku = None
        self._apply_filter()

    def _find_sku(self) -> None:
        text = self.sku_filter.text().strip()
        self._sku_serial += 1
        serial = self._sku_serial
        if not text:
            self.with_sku = None
            self._apply_filter()
            return

        def found(ids: set[str]) -> None:
            if serial == self._sku_serial:
                self.with_sku = frozenset(ids)
                self._apply_filter()

        self.ctx.ops.run(lambda ws: ws.orders_with_sku(text), on_success=found, owner=self)

    def _apply_filter(self) -> None:
        rule = self.current_filter()
        selected = self.detail.client_order_id if self.detail else None
        rows = [o for o in self.all_orders if rule.keeps(o)]
        self.model.set_rows(rows)
        self.count.setText(self.tr("{0} of {1}").format(len(rows), len(self.all_orders)))
        row = next((i for i, o in enumerate(rows) if o.client_order_id == selected), 0)
        if rows:
            self.table.selectRow(row)
        else:
            self.detail = None
            self.panel.clear(self.tr("No order matches the filters."))
        self._enable_order_actions()

    def select_order(self, client_order_id: str) -> bool:
        for row, order in enumerate(self.model.rows):
            if order.client_order_id == client_order_id:
                self.table.selectRow(row)
                return True
        return False

    def open_order(self, client_order_id: str) -> None:
        """Show one order (a notification opens it), clearing filters that hide it; when
        the list is not loaded yet, as soon as it is."""
        if not self._loaded:
            self._wanted = client_order_id
            self.refresh()
            return
        if not self.select_order(client_order_id):
            if any(o.client_order_id == client_order_id for o in self.all_orders):
                self.clear_filters()
                self.select_order(client_order_id)
            else:  # not here yet: once the list reloads
                self._wanted = client_order_id
                return
        self._wanted = None
        self.table.setFocus()

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is None:
            return
        self._serial += 1
        serial, ref = self._serial, summary.client_order_id

        def show(detail: OrderDetail) -> None:
            if serial == self._serial:
                self._show_detail(detail)

        self.ctx.ops.run(lambda ws: ws.order(ref), on_success=show)

    def _show_detail(self, detail: OrderDetail) -> None:
        self.detail = detail
        self.panel.show_detail(detail)
        self._enable_order_actions()

    def _enable_order_actions(self) -> None:
        detail = self.detail
        waiting = (
            detail is not None
            and detail.status == WAITING
            and bool(detail.review or detail.review_reasons)
        )
        self.review_action.setEnabled(waiting)
        self.review_button.setEnabled(waiting)
        has_lines = detail is not None and bool(detail.lines)
        for widget in (self.reorder_action, self.reorder_button, self.save_list_action,
                       self.save_list_button):  # fmt: skip
            widget.setEnabled(has_lines)

    def open_review(self) -> None:
        if self.detail is None or self.detail.status != WAITING:
            return
        dialog = ReviewDialog(self.ctx, self.detail, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    # -- reorder and lists -------------------------------------------------------------
    def _order_name(self, detail: OrderDetail) -> str:
        return detail.number or detail.po_number or self.tr("queued order")

    def reorder_current(self) -> None:
        if self.detail is not None:
            self.reorder(self.detail)

    def reorder(self, detail: OrderDetail) -> None:
        """Add the order's lines to the cart quick order fills, checked against today's
        catalog; a partial success shows why each missing line was left out."""
        cart, ref, name = self.ctx.cart_name, detail.client_order_id, self._order_name(detail)

        def done(outcome: QuickOrderOutcome) -> None:
            from app.ui.import_report import batch_message, show_batch_report

            self.ctx.notify(
                self.tr("Reorder of {0}: {1}").format(name, batch_message(outcome.report))
            )
            self.report = show_batch_report(
                self, self.tr("Reorder"),
                self.tr("Order {0} into cart “{1}”").format(name, cart or self.tr("Default")),
                outcome.report,
            )  # fmt: skip
            self.reordered.emit(cart or "")

        self.ctx.ops.run(
            lambda ws: quickorder_service(ws).reorder(ref, cart=cart),
            on_success=done, changes=Changes(cart=True, outbox=True), owner=self,
        )  # fmt: skip

    def save_current_as_list(self) -> None:
        detail = self.detail
        if detail is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Save order as list"), self.tr("Name of the list:"),
            text=self.tr("Order {0}").format(self._order_name(detail)),
        )  # fmt: skip
        name = name.strip()
        if not ok or not name:
            return
        self.save_as_list(detail, name)

    def save_as_list(self, detail: OrderDetail, name: str, *, replace: bool = False) -> None:
        ref = detail.client_order_id

        def save(ws: Workspace) -> SavedList:
            return quickorder_service(ws).save_list_from_order(name, order=ref, replace=replace)

        def failed(exc: BaseException) -> bool:
            if replace or "exists" not in str(exc):
                return False
            answer = QMessageBox.question(
                self, self.tr("Save order as list"),
                self.tr("A list “{0}” exists. Replace it?").format(name))  # fmt: skip
            if answer == QMessageBox.StandardButton.Yes:
                self.save_as_list(detail, name, replace=True)
            return True

        self.ctx.ops.run(
            save,
            changes=Changes(lists=True),
            on_error=failed,
            on_success=lambda saved: self.ctx.notify(
                self.tr("Saved {0} lines as the list “{1}”").format(saved.line_count, saved.name)
            ),
        )

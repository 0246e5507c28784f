"""Orders: the history on this device (synced and queued) with a filter, and one order's
lines, status history and, when it waits for the buyer, the review."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import OrderDetail, OrderLineView, OrderSummary, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.review import ReviewDialog
from app.ui.rows_model import Column, RowsModel

WAITING = "needs_confirmation"


def status_tone(status: str) -> str | None:
    if status in (WAITING, "pending"):
        return "warn"
    if status in ("rejected", "cancelled"):
        return "bad"
    if status in ("submitted", "confirmed", "shipped", "delivered", "invoiced"):
        return "good"
    return None


def status_text(status: str) -> str:
    return {WAITING: "waiting for you", "pending": "queued"}.get(status, status.replace("_", " "))


def orders_model(parent: QWidget | None = None) -> RowsModel[OrderSummary]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("Number"), lambda o: o.number or tr("(queued)")),
            Column(tr("Status"), lambda o: status_text(o.status),
                   tone=lambda o: status_tone(o.status)),
            Column(tr("PO"), lambda o: o.po_number or ""),
            Column(tr("Created"), lambda o: fmt.local_time(o.created_at)),
            Column(tr("Lines"), lambda o: str(o.line_count), numeric=True),
            Column(tr("Subtotal"), lambda o: fmt.money(o.subtotal, o.currency), numeric=True),
            Column(tr("Sync"), lambda o: tr("on this device only") if o.queued else tr("synced")),
        ],
        parent,
    )  # fmt: skip


def order_lines_model(parent: QWidget | None = None) -> RowsModel[OrderLineView]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("#"), lambda li: str(li.line_no), numeric=True),
            Column(tr("SKU"), lambda li: li.sku),
            Column(tr("Qty"), lambda li: f"{fmt.qty(li.quantity)} {li.unit}", numeric=True),
            Column(tr("Unit price"), lambda li: fmt.unit_price(li.unit_price), numeric=True,
                   tooltip=lambda li: li.price_explanation or ""),
            Column(tr("Total"), lambda li: fmt.money(li.line_total), numeric=True),
            Column(tr("Status"), lambda li: li.status),
        ],
        parent,
    )  # fmt: skip


class OrdersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by number, PO, status or date (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.model = orders_model(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((130, 120, 100, 130, 50, 110)):
            self.table.setColumnWidth(column, width)
        self.header = QLabel(self.tr("Pick an order"))
        self.header.setWordWrap(True)
        self.lines = order_lines_model(self)
        self.lines_view = QTableView()
        self.lines_view.setModel(self.lines)
        self.lines_view.verticalHeader().setVisible(False)
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        self.history = QTextBrowser()
        self.history.setMaximumHeight(140)
        self.review_action = QAction(self.tr("Review changes…"), self)
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.find_action = QAction(self.tr("Filter orders"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        for action in (self.review_action, self.find_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.review_button = QPushButton(self.tr("Review changes… (Ctrl+R)"))
        self.review_button.clicked.connect(self.review_action.trigger)
        self.review_action.setEnabled(False)
        self.review_button.setEnabled(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.lines_view, 1)
        right_layout.addWidget(self.history)
        right_layout.addWidget(self.review_button)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([560, 460])
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.all_orders: list[OrderSummary] = []
        self.detail: OrderDetail | None = None
        self._loaded = False
        self._serial = 0
        self.filter.textChanged.connect(self._apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.review_action.triggered.connect(self.open_review)
        self.find_action.triggered.connect(lambda: self.filter.setFocus())
        ctx.bus.changed.connect(self._on_changed)

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
        self._apply_filter()

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().split()
        selected = self.detail.client_order_id if self.detail else None

        def hit(o: OrderSummary) -> bool:
            text = " ".join(
                [o.number or "", o.po_number or "", o.status, status_text(o.status),
                 o.created_at or "", "queued" if o.queued else ""]
            ).casefold()  # fmt: skip
            return all(w in text for w in words)

        rows = [o for o in self.all_orders if hit(o)]
        self.model.set_rows(rows)
        row = next((i for i, o in enumerate(rows) if o.client_order_id == selected), 0)
        if rows:
            self.table.selectRow(row)

    def select_order(self, client_order_id: str) -> None:
        for row, order in enumerate(self.model.rows):
            if order.client_order_id == client_order_id:
                self.table.selectRow(row)
                return

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
        e = html.escape
        self.header.setText(
            self.tr("<b>{0}</b> · {1} · PO {2} · ship to {3} · {4}").format(
                e(detail.number or self.tr("queued order")), e(status_text(detail.status)),
                e(detail.po_number or "—"), e(detail.ship_to or "—"),
                e(fmt.money(detail.subtotal, detail.currency)),
            )
        )  # fmt: skip
        self.lines.set_rows(detail.lines)
        history = "".join(
            f"<p><b>{e(fmt.local_time(at))}</b> {e(status_text(status))}"
            + (f" — {e(note)}" if note else "")
            + "</p>"
            for at, status, note in detail.history
        )
        self.history.setHtml(history or e(self.tr("No history yet.")))
        waiting = detail.status == WAITING and bool(detail.review or detail.review_reasons)
        self.review_action.setEnabled(waiting)
        self.review_button.setEnabled(waiting)

    def open_review(self) -> None:
        if self.detail is None or self.detail.status != WAITING:
            return
        dialog = ReviewDialog(self.ctx, self.detail, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

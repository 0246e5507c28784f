"""The review of an order the server sent back: line by line what the buyer saw, what it is
now and why; accept (optionally removing lines), decline (cancel the order) or decide later."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import OrderDetail, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext

REMOVE_COLUMN = 0


class ReviewDialog(QDialog):
    """``decided(str)`` with "accepted" or "declined" once the decision is queued."""

    decided = Signal(str)

    def __init__(self, ctx: AppContext, order: OrderDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.order = order
        ref = order.number or order.client_order_id[:8]
        self.setWindowTitle(self.tr("Review order {0}").format(ref))
        self.resize(860, 250 + 30 * min(len(order.review), 10))
        title = QLabel(self.tr("Prices or lines changed since you built this order"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        intro = QLabel(
            self.tr(
                "The server checked order {0} (PO {1}) and found changes since you built it. "
                "Accept to send the order on as it is now; tick Remove to drop a line first."
            ).format(ref, order.po_number or "—")
        )
        intro.setWordWrap(True)
        reasons = QLabel("\n".join("• " + r for r in order.review_reasons))
        reasons.setWordWrap(True)
        reasons.setVisible(bool(order.review_reasons))

        headers = [self.tr("Remove"), self.tr("Line"), self.tr("SKU"), self.tr("Qty"),
                   self.tr("You saw"), self.tr("Now"), self.tr("What changed")]  # fmt: skip
        self.table = QTableWidget(len(order.review), len(headers))
        self.table.setObjectName("reviewLines")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        currency = order.currency or ""
        for row, line in enumerate(order.review):
            remove = QTableWidgetItem()
            remove.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            remove.setCheckState(Qt.CheckState.Checked if line.problem else Qt.CheckState.Unchecked)
            remove.setData(Qt.ItemDataRole.UserRole, line.line_no)
            what = line.problem or line.change or ""
            if line.notes:
                what = "; ".join([w for w in (what, *line.notes) if w])
            cells = [str(line.line_no), line.sku, f"{fmt.qty(line.quantity)} {line.unit}",
                     _price(line.seen_unit_price, currency), _price(line.unit_price, currency),
                     what]  # fmt: skip
            self.table.setItem(row, REMOVE_COLUMN, remove)
            for column, text in enumerate(cells, start=1):
                item = QTableWidgetItem(text)
                if column in (3, 4, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 44, 100, 80, 105, 105)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)

        total = QLabel(
            self.tr("Order total now: {0}").format(fmt.money(order.subtotal, order.currency))
        )
        buttons = QDialogButtonBox()
        self.accept_button = QPushButton(self.tr("Accept changes"))
        self.accept_button.setDefault(True)
        self.decline_button = QPushButton(self.tr("Decline (cancel order)"))
        later = QPushButton(self.tr("Decide later"))
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.decline_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.clicked.connect(self.accept_changes)
        self.decline_button.clicked.connect(self.decline)
        later.clicked.connect(self.reject)
        self.accept_button.setFocus()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(reasons)
        layout.addWidget(self.table, 1)
        layout.addWidget(total)
        layout.addWidget(buttons)

    def lines_to_remove(self) -> list[int]:
        numbers = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, REMOVE_COLUMN)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                numbers.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return numbers

    def accept_changes(self) -> None:
        order_id, remove = self.order.client_order_id, self.lines_to_remove()
        self._queue(lambda ws: ws.confirm_order(order_id, remove_lines=remove), "accepted")

    def decline(self) -> None:
        order_id = self.order.client_order_id
        self._queue(lambda ws: ws.cancel_order(order_id), "declined")

    def _queue(self, work: Callable[[Workspace], object], outcome: str) -> None:
        self.accept_button.setEnabled(False)
        self.decline_button.setEnabled(False)

        def done(_entry_id: object) -> None:
            self.decided.emit(outcome)
            self.ctx.request_sync()
            self.accept()

        def failed(_exc: BaseException) -> bool:
            self.accept_button.setEnabled(True)
            self.decline_button.setEnabled(True)
            return False  # the error reporter says what went wrong

        self.ctx.ops.run(
            work,
            on_success=done,
            on_error=failed,
            changes=Changes(orders=True, outbox=True),
            owner=self,
        )


def _price(value: Decimal | None, currency: str) -> str:
    return "—" if value is None else f"{fmt.unit_price(value)} {currency}"

"""Checkout: ship-to, PO number, requested date and a note, with the total; submitting queues
the order (it works offline, and says so)."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.approvals import PreviewRule
from app.services.workspace import CartView, ShipToOption, Workspace
from app.ui import fmt
from app.ui.context import AppContext


class CheckoutDialog(QDialog):
    """``accepted_order(po, ship_to, requested_date | None, note)`` when the person submits."""

    accepted_order = Signal(str, str, object, str)

    def __init__(self, ctx: AppContext, cart: CartView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check out “{0}”").format(cart.name))
        self.setMinimumWidth(460)
        self.ship_to = QComboBox()
        self.ship_to.addItem(self.tr("Loading…"), "")
        self.po = QLineEdit()
        self.po.setPlaceholderText(self.tr("your purchase order number"))
        self.po.setMaxLength(64)
        self.use_date = QCheckBox(self.tr("Requested delivery"))
        self.date = QDateEdit(QDate.currentDate().addDays(2))
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(QDate.currentDate())
        self.date.setEnabled(False)
        self.use_date.toggled.connect(self.date.setEnabled)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("a note for the supplier (optional)"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        problems = sum(1 for line in cart.lines if line.problems)
        summary = self.tr("{0} lines · total {1}").format(
            len(cart.lines), fmt.money(cart.total, cart.currency)
        )
        if problems:
            summary += self.tr(" · {0} lines need fixing first").format(problems)
        self.summary = QLabel(summary)
        self.summary.setObjectName("checkoutSummary")
        self.mode = QLabel(
            self.tr("Online: the order is sent now; the server confirms prices and stock.")
            if ctx.online
            else self.tr(
                "Offline: the order is queued on this computer and sent when you are back "
                "online. If a price changed meanwhile, it waits for your confirmation."
            )
        )
        self.mode.setWordWrap(True)
        self.approval = QLabel()
        self.approval.setObjectName("approvalPreview")
        self.approval.setWordWrap(True)
        self.approval.hide()
        self._cart_name = cart.name
        self._ctx = ctx

        form = QFormLayout()
        form.addRow(self.tr("Ship to"), self.ship_to)
        form.addRow(self.tr("PO number"), self.po)
        date_row = QHBoxLayout()
        date_row.addWidget(self.use_date)
        date_row.addWidget(self.date, 1)
        form.addRow(self.tr("Date"), date_row)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.submit_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.submit_button.setText(self.tr("Submit order"))
        self.submit_button.setEnabled(not problems)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.mode)
        layout.addWidget(self.approval)
        layout.addWidget(buttons)
        self.po.setFocus()

        def load(ws: Workspace) -> list[ShipToOption]:
            return ws.ship_tos()

        ctx.ops.run(load, on_success=self._ship_tos, owner=self)
        self.ship_to.currentIndexChanged.connect(lambda _i: self._preview_approval())

    def _preview_approval(self) -> None:
        """Which approval rules this order will fire and who must approve, from the replica."""
        cart, ship_to = self._cart_name, str(self.ship_to.currentData() or "") or None

        def load(ws: Workspace) -> list[PreviewRule]:
            return ws.approvals.preview(cart, ship_to=ship_to)

        self._ctx.ops.run(load, on_success=self._show_approval, owner=self)

    def _show_approval(self, rules: list[PreviewRule]) -> None:
        if not rules:
            self.approval.setText(self.tr("No approval needed: it goes straight to the supplier."))
        else:
            steps = "".join(
                f"<li>{self.tr('Level')} {r.level}: <b>{html.escape(r.name)}</b> — "
                f"{html.escape('; '.join(r.reasons))}<br>"
                f"{self.tr('approved by')} {html.escape(', '.join(r.approvers) or '?')}</li>"
                for r in rules
            )
            self.approval.setText(
                self.tr("<b>This order will wait for approval:</b>") + f"<ul>{steps}</ul>"
            )
        self.approval.show()
        self.adjustSize()  # the dialog grows with the preview instead of squeezing the form

    def _ship_tos(self, options: list[ShipToOption]) -> None:
        self.ship_to.clear()
        for option in options:
            label = f"{option.code} — {option.name}"
            if option.is_default:
                label += self.tr(" (default)")
            self.ship_to.addItem(label, option.code)
        if not options:
            self.ship_to.addItem(self.tr("(account default)"), "")

    def _submit(self) -> None:
        day: dt.date | None = None
        if self.use_date.isChecked():
            q = self.date.date()
            day = dt.date(q.year(), q.month(), q.day())
        self.accepted_order.emit(
            self.po.text().strip(),
            str(self.ship_to.currentData() or ""),
            day,
            self.note.toPlainText().strip(),
        )
        self.accept()

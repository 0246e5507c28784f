"""The sync centre: connection, last successful sync per data area, and the outbox with each
entry's state and the server's answer; an order waiting for the buyer opens its review."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QItemSelection, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import AreaStatus, OutboxEntry, Status, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.review import ReviewDialog
from app.ui.rows_model import Column, RowsModel

CART_EDITS = ("cart.set_line", "cart.remove_line", "cart.create", "cart.rename")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncCentre", text)


STATE_NAMES = {
    "pending": "pending",
    "sending": "sent, no answer yet",
    "applied": "accepted",
    "rejected": "rejected",
    "needs_confirmation": "waiting for you",
}
WHAT = {
    "order.submit": "Submit order",
    "order.confirm_changes": "Confirm order changes",
    "order.cancel": "Cancel order",
    "cart.set_line": "Cart line",
    "cart.remove_line": "Remove cart line",
    "cart.create": "New cart",
    "cart.rename": "Rename cart",
    "cart.delete": "Delete cart",
}


def describe(entry: OutboxEntry) -> str:
    what = _tr(WHAT.get(entry.name, entry.name))
    args = entry.args
    if entry.name in ("cart.create", "cart.rename") and args.get("name"):
        return f"{what} “{args['name']}”"
    if entry.name == "cart.set_line":
        return f"{what}: {args.get('sku')} × {args.get('quantity')} {args.get('unit')}"
    if entry.name.startswith("order.") and entry.result:
        number = (entry.result.get("result") or {}).get("order_number")
        if number:
            return f"{what} {number}"
    if entry.name == "order.submit":
        po = args.get("po_number")
        return f"{what} ({len(args.get('lines') or [])} lines{', PO ' + po if po else ''})"
    return what


def message_of(entry: OutboxEntry) -> str:
    answer = (entry.result or {}).get("message")
    if answer:
        return str(answer)
    if entry.last_error and entry.state in ("pending", "sending"):
        return _tr("not sent yet: {0}").format(entry.last_error)
    return str(entry.last_error or "")


def outbox_tone(entry: OutboxEntry) -> str | None:
    return {"applied": "good", "rejected": "bad", "needs_confirmation": "warn",
            "pending": "warn", "sending": "warn"}.get(str(entry.state))  # fmt: skip


def outbox_model(parent: QWidget | None = None) -> RowsModel[OutboxEntry]:
    return RowsModel(
        [
            Column(_tr("#"), lambda e: str(e.seq), numeric=True),
            Column(_tr("What"), describe, tooltip=describe),
            Column(_tr("State"), lambda e: _tr(STATE_NAMES.get(str(e.state), str(e.state))),
                   tone=outbox_tone),
            Column(_tr("Queued"), lambda e: e.created_at.astimezone().strftime("%H:%M:%S")),
            Column(_tr("Tries"), lambda e: str(e.attempts), numeric=True),
            Column(_tr("Server's answer"), message_of, tooltip=message_of),
        ],
        parent,
    )  # fmt: skip


def area_model(stale_after: dt.timedelta, parent: QWidget | None = None) -> RowsModel[AreaStatus]:
    def stale(a: AreaStatus) -> bool:
        return a.synced_at is None or dt.datetime.now(dt.UTC) - a.synced_at > stale_after

    return RowsModel(
        [
            Column(_tr("Data"), lambda a: _tr(fmt.AREA_NAMES.get(a.area, a.area))),
            Column(_tr("Last synced"), lambda a: fmt.ago(a.synced_at),
                   tone=lambda a: "warn" if stale(a) else "good"),
            Column(_tr("At"), lambda a: a.synced_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
                   if a.synced_at else ""),
        ],
        parent,
    )  # fmt: skip


class SyncCentrePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.connection = QLabel()
        self.connection.setObjectName("connectionState")
        big = QFont(self.connection.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.connection.setFont(big)
        self.account = QLabel()
        self.account.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync now (F5)"))
        self.offline_box = QCheckBox(self.tr("Work offline (Ctrl+Shift+O)"))
        self.areas = area_model(ctx.settings.stale_after, self)
        self.areas_view = QTableView()
        self.areas_view.setModel(self.areas)
        self.areas_view.verticalHeader().setVisible(False)
        self.areas_view.horizontalHeader().setStretchLastSection(True)
        self.areas_view.setColumnWidth(0, 120)
        self.areas_view.setColumnWidth(1, 140)
        rows = self.areas_view.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        head_height = self.areas_view.horizontalHeader().sizeHint().height()
        self.areas_view.setFixedHeight(head_height + 4 * rows.defaultSectionSize() + 4)
        self.areas_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.outbox = outbox_model(self)
        self.outbox_view = QTableView()
        self.outbox_view.setObjectName("outboxTable")
        self.outbox_view.setModel(self.outbox)
        self.outbox_view.verticalHeader().setVisible(False)
        self.outbox_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.outbox_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.outbox_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 300, 130, 80, 50)):
            self.outbox_view.setColumnWidth(column, width)
        self.hide_edits = QCheckBox(self.tr("Hide accepted cart edits"))
        self.hide_edits.setChecked(True)
        self.review_button = QPushButton(self.tr("Review… (Enter)"))
        self.review_button.setEnabled(False)
        self.counts = QLabel()

        head = QHBoxLayout()
        head.addWidget(self.connection)
        head.addStretch(1)
        head.addWidget(self.offline_box)
        head.addWidget(self.sync_button)
        areas_box = QGroupBox(self.tr("Last successful sync"))
        areas_layout = QVBoxLayout(areas_box)
        areas_layout.addWidget(self.areas_view)
        outbox_box = QGroupBox(self.tr("Outbox: changes made on this computer"))
        outbox_layout = QVBoxLayout(outbox_box)
        tools = QHBoxLayout()
        tools.addWidget(self.counts)
        tools.addStretch(1)
        tools.addWidget(self.hide_edits)
        tools.addWidget(self.review_button)
        outbox_layout.addLayout(tools)
        outbox_layout.addWidget(self.outbox_view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.account)
        layout.addWidget(areas_box)
        layout.addWidget(outbox_box, 1)

        self.entries: list[OutboxEntry] = []
        self.status: Status | None = None
        self._loaded = False
        self.sync_button.clicked.connect(ctx.request_sync)
        self.hide_edits.toggled.connect(lambda _on: self._show_entries())
        self.review_button.clicked.connect(self.open_review)
        self.outbox_view.activated.connect(lambda _i: self.open_review())
        self.outbox_view.selectionModel().selectionChanged.connect(self._selected)
        ctx.bus.changed.connect(self._on_changed)
        ctx.sync.connection_changed.connect(lambda _c: self._show_connection())
        ctx.sync.syncing_changed.connect(lambda _s: self._show_connection())
        self._tick = QTimer(self)
        self._tick.timeout.connect(lambda: self.areas.layoutChanged.emit())
        self._tick.start(30_000)
        self._show_connection()

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()
        self.outbox_view.setFocus()

    def refresh(self) -> None:
        self._loaded = True

        def load(ws: Workspace) -> tuple[Status, list[OutboxEntry]]:
            return ws.status(), ws.outbox_entries()

        self.ctx.ops.run(load, on_success=self._show)

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and (changes.outbox or changes.status or changes.orders):
            self.refresh()

    def _show(self, loaded: tuple[Status, list[OutboxEntry]]) -> None:
        self.status, entries = loaded
        self.entries = sorted(entries, key=lambda e: e.seq, reverse=True)
        self.areas.set_rows(self.status.areas)
        profile = self.status.profile
        if profile is not None:
            self.account.setText(
                self.tr("{0} ({1}) for {2} [{3}] on {4}").format(
                    profile.name, profile.email, profile.account_name,
                    profile.account_number, profile.server_url,
                )
            )  # fmt: skip
        else:
            self.account.setText(self.tr("Not signed in."))
        counts = self.status.outbox
        self.counts.setText(
            self.tr("{0} pending · {1} waiting for you · {2} rejected").format(
                counts.get("pending", 0) + counts.get("sending", 0),
                counts.get("needs_confirmation", 0), counts.get("rejected", 0),
            )
        )  # fmt: skip
        self._show_entries()

    def _show_entries(self) -> None:
        rows = self.entries
        if self.hide_edits.isChecked():
            rows = [e for e in rows if not (e.name in CART_EDITS and e.state == "applied")]
        self.outbox.set_rows(rows)
        self._selected(QItemSelection(), QItemSelection())

    def _show_connection(self) -> None:
        sync = self.ctx.sync
        text = {
            "unknown": self.tr("Not synced yet"),
            "online": self.tr("● Online"),
            "offline": self.tr("○ Offline — the server cannot be reached"),
            "busy": self.tr("○ The server is busy — retrying"),
            "working_offline": self.tr("○ Working offline"),
            "sign_in": self.tr("⚠ Sign in again to sync"),
            "not_signed_in": self.tr("⚠ Not signed in"),
            "too_old": self.tr("⚠ This Orderpad is too old for the server"),
        }.get(str(sync.connection), str(sync.connection))
        if sync.syncing:
            text += self.tr(" · syncing…")
        self.connection.setText(text)
        self.offline_box.blockSignals(True)
        self.offline_box.setChecked(sync.work_offline)
        self.offline_box.blockSignals(False)

    # -- review --------------------------------------------------------------------------
    def _current(self) -> OutboxEntry | None:
        rows = self.outbox_view.selectionModel().selectedRows()
        return self.outbox.row_at(rows[0].row()) if rows else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        entry = self._current()
        self.review_button.setEnabled(entry is not None and entry.state == "needs_confirmation")

    def open_review(self, entry: OutboxEntry | None = None) -> None:
        entry = entry or self._current()
        if entry is None or entry.state != "needs_confirmation":
            return
        order_id = str(entry.args.get("client_order_id") or "")

        def show(detail: object) -> None:
            from app.services.workspace import OrderDetail

            assert isinstance(detail, OrderDetail)
            if detail.status != "needs_confirmation":
                self.ctx.notify(self.tr("That order no longer waits for you."))
                return
            dialog = ReviewDialog(self.ctx, detail, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.last_review = dialog
            dialog.open()

        self.ctx.ops.run(lambda ws: ws.order(order_id), on_success=show)

    last_review: ReviewDialog | None = None

"""The notification centre: what happened to the orders (confirmed, shipped, delivered,
delayed, backordered, back in stock, …) newest first, unread ones marked; Enter or a double
click opens the order. Below, the kinds the person wants a desktop message for.

``DesktopMessages`` offers each new notification once through the system tray
(``QSystemTrayIcon.showMessage``); without a tray (offscreen, some Linux desktops) it says
it in the status bar instead, and the unread count on the navigation shows it anyway.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app.services.notifications import KINDS, Notice
from app.services.workspace import Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import Column, RowsModel, row_table

NOTICE_CHANGES = Changes(notifications=True)
RECENT = dt.timedelta(hours=24)  # older notifications are not offered on the desktop
MAX_MESSAGES = 3  # more at once become one summary message
NO_TRAY = (
    "This desktop has no notification area: new notifications show in the status bar and "
    "are counted in the navigation."
)
EMPTY = "No notifications yet. When the supplier confirms, ships or delays an order, it shows here."


def notices_model(parent: QWidget | None = None) -> RowsModel[Notice]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column("", lambda n: "" if n.read else "●", tone=lambda n: None if n.read else "warn",
                   tooltip=lambda n: "" if n.read else tr("unread")),
            Column(tr("When"), lambda n: fmt.local_time(n.created_at)),
            Column(tr("What"), lambda n: n.title),
            Column(tr("Details"), lambda n: n.text, tooltip=lambda n: n.text),
        ],
        parent,
    )  # fmt: skip


class DesktopMessages(QObject):
    """Offers new notifications as desktop messages; ``clicked(client order id)`` when the
    person clicks one. ``tray`` is None when this desktop has no notification area."""

    clicked = Signal(str)

    def __init__(self, ctx: AppContext, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Orderpad")
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.show()
        self.last_order: str | None = None
        self.shown: list[tuple[str, str]] = []  # (title, text) of the messages given

    def take_new(self) -> None:
        def take(ws: Workspace) -> list[Notice]:
            return ws.notifications.take_unannounced()

        self.ctx.ops.run(take, on_success=self.show)

    def show(self, notices: list[Notice]) -> None:
        now = dt.datetime.now(dt.UTC)
        fresh = [
            n for n in notices if (when := fmt.parse_time(n.created_at)) and now - when < RECENT
        ]
        if not fresh:
            return
        if len(fresh) > MAX_MESSAGES:
            title = self.tr("{0} new notifications").format(len(fresh))
            text = "; ".join(n.title for n in fresh[-MAX_MESSAGES:]) + " …"
            messages = [(title, text, fresh[-1].order_id)]
        else:
            messages = [(n.title, n.text, n.order_id) for n in fresh]
        for title, text, order_id in messages:
            self.last_order = order_id
            self.shown.append((title, text))
            if self.tray is not None:
                self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
            else:
                self.ctx.notify(f"{title}: {text}")

    def _message_clicked(self) -> None:
        if self.last_order:
            self.clicked.emit(self.last_order)


class NotificationsPage(QWidget):
    """``open_order(client order id)`` when the person opens a notification;
    ``unread_changed(count)`` whenever the unread count may have changed."""

    open_order = Signal(str)
    unread_changed = Signal(int)

    def __init__(self, ctx: AppContext, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = QLabel()
        self.unread_only = QCheckBox(self.tr("Unread only"))
        self.open_button = QPushButton(self.tr("Open order (Enter)"))
        self.read_button = QPushButton(self.tr("Mark all read"))
        self.model = notices_model(self)
        self.table = row_table(self.model)
        for column, width in enumerate((22, 128, 290)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._double_clicked)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.open_action = QAction(self.tr("Open the order"), self)
        self.open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return),
                                       QKeySequence(Qt.Key.Key_Enter)])  # fmt: skip
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.open_action)
        self.open_action.triggered.connect(self.open_current)
        self.open_button.clicked.connect(self.open_current)
        self.read_button.clicked.connect(self.mark_all_read)
        self.unread_only.toggled.connect(lambda _on: self.refresh())

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.unread_only)
        top.addWidget(self.open_button)
        top.addWidget(self.read_button)
        self.desktop = DesktopMessages(ctx, icon, self)
        self.desktop.clicked.connect(self.open_order)
        choices = QGroupBox(self.tr("Desktop messages for"))
        grid = QGridLayout(choices)
        self.choices: dict[str, QCheckBox] = {}
        for number, kind in enumerate(KINDS):
            box = QCheckBox(self.tr(kind.label))
            box.setChecked(True)
            box.toggled.connect(lambda on, k=kind.name: self.set_choice(k, on))
            self.choices[kind.name] = box
            grid.addWidget(box, number // 2, number % 2)
        if self.desktop.tray is None:
            note = QLabel(self.tr(NO_TRAY))
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text)")
            grid.addWidget(note, (len(KINDS) + 1) // 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(choices)

        self.unread = 0
        self._loaded_choices = False
        self.table.selectionModel().selectionChanged.connect(self._selected)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def activate(self) -> None:
        self.refresh()
        self.table.setFocus()

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        unread_only = self.unread_only.isChecked()
        load_choices = not self._loaded_choices

        def load(ws: Workspace) -> tuple[list[Notice], int, dict[str, bool] | None]:
            centre = ws.notifications
            choices = centre.desktop_choices() if load_choices else None
            return centre.notices(unread_only=unread_only), centre.unread_count(), choices

        self.ctx.ops.run(load, on_success=self._show)

    def _on_changed(self, changes: Changes) -> None:
        if changes.notifications or changes.orders:
            self.refresh()
            self.desktop.take_new()

    def _show(self, loaded: tuple[list[Notice], int, dict[str, bool] | None]) -> None:
        notices, unread, choices = loaded
        selected = self.current()
        self.model.set_rows(notices)
        if selected is not None:
            row = next((i for i, n in enumerate(notices) if n.id == selected.id), None)
            if row is not None:
                self.table.selectRow(row)
        self.unread = unread
        self.title.setText(self.tr("<b>Notifications</b> · {0} unread").format(unread))
        self.empty.setText("" if notices else self.tr(EMPTY))
        self.empty.setVisible(not notices)
        self.read_button.setEnabled(unread > 0)
        if choices is not None:
            self._loaded_choices = True
            for kind, box in self.choices.items():
                box.blockSignals(True)
                box.setChecked(choices.get(kind, True))
                box.blockSignals(False)
        self._enable()
        self.unread_changed.emit(unread)

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._enable()

    def _enable(self) -> None:
        notice = self.current()
        self.open_button.setEnabled(notice is not None and notice.order_id is not None)

    # -- actions -----------------------------------------------------------------------------
    def current(self) -> Notice | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _double_clicked(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.open_current()

    def open_current(self) -> None:
        notice = self.current()
        if notice is None:
            return
        if not notice.read:
            self.mark_read([notice.id])
        if notice.order_id:
            self.open_order.emit(notice.order_id)

    def mark_read(self, ids: list[int]) -> None:
        self.ctx.ops.run(lambda ws: ws.notifications.mark_read(ids), changes=NOTICE_CHANGES)

    def mark_all_read(self) -> None:
        self.ctx.ops.run(lambda ws: ws.notifications.mark_read(None), changes=NOTICE_CHANGES)

    def set_choice(self, kind: str, on: bool) -> None:
        self.ctx.ops.run(lambda ws: ws.notifications.set_desktop_choice(kind, on))

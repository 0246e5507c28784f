"""The main window: navigation between the screens, the menus and shortcuts, the status bar
(connection, pending changes, freshness per data area) and the stale-data banner.

It opens fast: quick order (the home screen) and the status bar are built first and show
the first view kept from the last session, when there is a current one; the other screens
are built once the workspace is open (or the moment one is asked for)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.profile import SavedProfile, saved_profiles
from app.services.views import Status
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.ops import Lane
from app.ui.quick_order import QuickOrderPage
from app.ui.quick_order_pad import CartSnapshot
from app.ui.resources import icon
from app.ui.sync_controller import Connection

if TYPE_CHECKING:  # the other screens load once the workspace is open (a fast first paint)
    from app.services.workspace import Workspace
    from app.ui.approvals import ApprovalsPage
    from app.ui.carts import CartsPage
    from app.ui.catalog import CatalogPage
    from app.ui.notifications import NotificationsPage
    from app.ui.orders import OrdersPage
    from app.ui.settings import SettingsDialog
    from app.ui.sign_in import SignInDialog
    from app.ui.sync_centre import SyncCentrePage

QUICK_ORDER, CATALOG, CARTS, ORDERS, SYNC_CENTRE = range(5)
NOTIFICATIONS = 5
APPROVALS = 6


class Banner(QFrame):
    """A calm, non-blocking strip above the screens: what is wrong and one thing to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#banner { background-color: rgba(232, 163, 23, 0.22);"
            " border: 1px solid rgba(232, 163, 23, 0.7); border-radius: 4px; }"
        )
        self.icon = QLabel()
        self.icon.setPixmap(icon("warning").pixmap(QSize(16, 16)))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Hide until something changes"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.dismissed: str | None = None
        self.close_button.clicked.connect(self._dismiss)
        self.hide()

    def say(self, text: str | None, button: str = "") -> None:
        if not text or text == self.dismissed:
            self.hide()
            return
        self.text.setText(text)
        self.button.setText(button)
        self.button.setVisible(bool(button))
        self.show()

    def _dismiss(self) -> None:
        self.dismissed = self.text.text()
        self.hide()


class MainWindow(QMainWindow):
    """``profile_switch_requested(data folder)``: the person chose another profile (the
    application closes this window and opens one on that folder: app.ui.app)."""

    profile_switch_requested = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.errors.window = self
        self.setWindowTitle("Orderpad")
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.status: Status | None = None

        self.quick = QuickOrderPage(ctx)
        self._pages: dict[int, QWidget] = {QUICK_ORDER: self.quick}
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(180)
        self.nav.setSpacing(2)
        # A light selection keeps the blue icons readable in light and dark palettes.
        self.nav.setStyleSheet(
            "QListWidget#navigation::item:selected { background: rgba(47, 111, 179, 0.22);"
            " color: palette(text); border-left: 3px solid rgb(47, 111, 179); }"
        )
        names = [(self.tr("Quick order"), "quick-order"), (self.tr("Catalog"), "catalog"),
                 (self.tr("Carts"), "carts"), (self.tr("Orders"), "orders"),
                 (self.tr("Sync centre"), "sync"),
                 (self.tr("Notifications"), "notifications"),
                 (self.tr("Approvals"), "approvals")]  # fmt: skip
        for number, (name, icon_name) in enumerate(names):
            item = QListWidgetItem(icon(icon_name), name)
            item.setToolTip(self.tr("{0} (Ctrl+{1})").format(name, number + 1))
            item.setSizeHint(QSize(0, 38))
            self.nav.addItem(item)
            self.stack.addWidget(self._pages.get(number) or QWidget())  # built later
        self.banner = Banner()

        body = QWidget()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(body)

        self.connection_label = QLabel()
        self.notice_button = QToolButton()  # "3 new": opens the notification centre
        self.notice_button.setAutoRaise(True)
        self.notice_button.setIcon(icon("notifications"))
        self.notice_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.notice_button.hide()
        self.pending_label = QLabel()
        self.freshness_label = QLabel()
        self.statusBar().addPermanentWidget(self.freshness_label)
        self.statusBar().addPermanentWidget(self.pending_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self.statusBar().addPermanentWidget(self.notice_button)

        self._build_actions()
        self.nav.currentRowChanged.connect(self._show_page)
        self.notice_button.clicked.connect(lambda: self.go(NOTIFICATIONS))
        self.banner.button.clicked.connect(self._banner_action)
        ctx.bus.changed.connect(self._on_changed)
        ctx.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        ctx.sync.progress.connect(lambda text: self.statusBar().showMessage(text, 4000))
        ctx.sync.connection_changed.connect(lambda _c: self._show_status())
        ctx.sync.syncing_changed.connect(lambda _s: self._show_status())
        ctx.sync.finished.connect(self._sync_finished)
        ctx.settings_changed.connect(lambda _s: self._show_status())
        self.sign_in_dialog: SignInDialog | None = None  # the last one opened (tests look)
        self.settings_dialog: SettingsDialog | None = None
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_status)
        self._tick.start(30_000)
        self._closed = False

        self.nav.setCurrentRow(QUICK_ORDER)
        # The first sync starts once the window shows its data: the local replica first,
        # then the network (its libraries load in the worker, off the first paint's path).
        self._sync_after_status = ctx.settings.sync_on_start
        first = ctx.first_view
        if first is not None and ctx.cart_name is None:  # the last session's, still current
            self.status = first.status
            self._show_status()
            self.quick.pad.show_first(CartSnapshot(first.cart, first.steps))
        self.load_status()
        ctx.ops.when_open(self._build_pages)

    # -- screens -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.ctx.ops.open)  # the replica opens once this has painted

    def page(self, row: int) -> QWidget:
        """Screen ``row`` of the navigation, built now if it was not yet."""
        page = self._pages.get(row)
        if page is None:
            page = self._make_page(row)
            self._pages[row] = page
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
        return page

    def _make_page(self, row: int) -> QWidget:
        ctx = self.ctx
        if row == CATALOG:
            from app.ui.catalog import CatalogPage

            return CatalogPage(ctx)
        if row == CARTS:
            from app.ui.carts import CartsPage

            carts = CartsPage(ctx)
            carts.open_requested.connect(self.open_cart)
            return carts
        if row == ORDERS:
            from app.ui.orders import OrdersPage

            orders = OrdersPage(ctx)
            orders.reordered.connect(self.open_cart)
            return orders
        if row == SYNC_CENTRE:
            from app.ui.sync_centre import SyncCentrePage

            centre = SyncCentrePage(ctx)
            centre.offline_box.toggled.connect(self.offline_action.setChecked)
            return centre
        if row == NOTIFICATIONS:
            from app.ui.notifications import NotificationsPage

            notices = NotificationsPage(ctx, icon("app"))
            notices.open_order.connect(self.open_order)
            notices.unread_changed.connect(self._show_unread)
            return notices
        if row == APPROVALS:
            from app.ui.approvals import ApprovalsPage

            approvals = ApprovalsPage(ctx)
            approvals.count_changed.connect(self._show_approvals_waiting)
            approvals.refresh_count()
            return approvals
        raise IndexError(row)

    def _build_pages(self) -> None:
        """Every screen, once the workspace is open (they load their data through it)."""
        if not self._closed:
            for row in range(self.nav.count()):
                self.page(row)

    @property
    def pages(self) -> list[QWidget]:
        return [self.page(row) for row in range(self.nav.count())]

    @property
    def catalog(self) -> CatalogPage:
        return cast("CatalogPage", self.page(CATALOG))

    @property
    def carts(self) -> CartsPage:
        return cast("CartsPage", self.page(CARTS))

    @property
    def orders(self) -> OrdersPage:
        return cast("OrdersPage", self.page(ORDERS))

    @property
    def sync_centre(self) -> SyncCentrePage:
        return cast("SyncCentrePage", self.page(SYNC_CENTRE))

    @property
    def notifications(self) -> NotificationsPage:
        return cast("NotificationsPage", self.page(NOTIFICATIONS))

    @property
    def approvals(self) -> ApprovalsPage:
        return cast("ApprovalsPage", self.page(APPROVALS))

    # -- actions -----------------------------------------------------------------------
    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = self._action(self.tr("Open spreadsheet…"), QKeySequence.StandardKey.Open)
        self.open_action.setToolTip(self.tr("Read an order spreadsheet (XLSX, CSV) into the cart"))
        self.open_action.triggered.connect(self.open_spreadsheet)
        menu.addAction(self.open_action)
        menu.addSeparator()
        self.sync_action = self._action(self.tr("Sync now"), "F5")
        self.sync_action.setIcon(icon("sync"))
        self.sync_action.triggered.connect(self.ctx.request_sync)
        self.offline_action = self._action(self.tr("Work offline"), "Ctrl+Shift+O")
        self.offline_action.setCheckable(True)
        self.offline_action.toggled.connect(self.set_work_offline)
        self.sign_in_action = self._action(self.tr("Sign in or switch profile…"), "Ctrl+Shift+P")
        self.sign_in_action.triggered.connect(self.open_sign_in)
        self.settings_action = self._action(self.tr("Settings…"), "Ctrl+,")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.rules_action = self._action(self.tr("Approval rules and limits…"))
        self.rules_action.triggered.connect(self.open_rules)
        quit_action = self._action(self.tr("Quit"), QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.sync_action, self.offline_action, self.sign_in_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addAction(self.rules_action)
        menu.addSeparator()
        menu.addAction(quit_action)

        go = self.menuBar().addMenu(self.tr("&Go"))
        for row in range(self.nav.count()):
            action = self._action(self.nav.item(row).text(), f"Ctrl+{row + 1}")
            action.triggered.connect(lambda _c=False, r=row: self.go(r))
            go.addAction(action)

        if self.ctx.demo is not None:
            demo = self.menuBar().addMenu(self.tr("&Demo"))
            self.stop_server_action = self._action(self.tr("Stop the demo server"), "Ctrl+Shift+D")
            self.start_server_action = self._action(self.tr("Start the demo server again"),
                                                    "Ctrl+Shift+R")  # fmt: skip
            self.stop_server_action.triggered.connect(self.stop_demo_server)
            self.start_server_action.triggered.connect(self.start_demo_server)
            demo.addAction(self.stop_server_action)
            demo.addAction(self.start_server_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        keys = self._action(self.tr("Keyboard shortcuts"), QKeySequence.StandardKey.HelpContents)
        keys.triggered.connect(self.show_shortcuts)
        about = self._action(self.tr("About Orderpad"))
        about.triggered.connect(self.show_about)
        help_menu.addAction(keys)
        help_menu.addAction(about)

    def _badge(self, row: int, name: str, count: int) -> None:
        """A navigation entry with a count in it ("Approvals (3)", bold) or without."""
        item = self.nav.item(row)
        item.setText(f"{name} ({count})" if count else name)
        font = item.font()
        font.setBold(count > 0)
        item.setFont(font)

    def _show_approvals_waiting(self, count: int) -> None:
        """The navigation says how many orders await the signed-in user's decision."""
        self._badge(APPROVALS, self.tr("Approvals"), count)

    def go(self, row: int) -> None:
        self.nav.setCurrentRow(row)

    def _show_page(self, row: int) -> None:
        page = self.page(row)
        self.stack.setCurrentIndex(row)
        activate = getattr(page, "activate", None)
        if callable(activate):
            activate()

    def open_spreadsheet(self) -> None:
        """File ▸ Open spreadsheet…: into the cart quick order fills, shown on that screen."""
        self.go(QUICK_ORDER)
        self.quick.open_spreadsheet()

    def open_cart(self, name: str) -> None:
        """Show cart ``name`` ("" for the default cart) in quick order."""
        if (name or None) != (self.ctx.cart_name or None):
            self.quick.pad.open_cart(name or None)
        self.go(QUICK_ORDER)

    def open_order(self, client_order_id: str) -> None:
        """Show one order on the Orders screen (a notification opens it)."""
        self.go(ORDERS)
        self.orders.open_order(client_order_id)

    def _show_unread(self, count: int) -> None:
        self._badge(NOTIFICATIONS, self.tr("Notifications"), count)
        self.notice_button.setText(self.tr("{0} new").format(count))
        self.notice_button.setToolTip(
            self.tr("Open the notification centre (Ctrl+{0})").format(NOTIFICATIONS + 1)
        )
        self.notice_button.setVisible(count > 0)

    def set_work_offline(self, on: bool) -> None:
        self.ctx.sync.set_work_offline(on)
        self._show_status()

    def open_sign_in(self) -> None:
        """The sign-in dialog, with the saved profiles to switch between (not in the demo,
        whose server lives with its window)."""
        if self.ctx.demo is not None:
            self._show_sign_in(None)
            return
        root = self.ctx.profiles_root
        self.ctx.ops.run(lambda _ws: saved_profiles(root), on_success=self._show_sign_in)

    def _show_sign_in(self, profiles: list[SavedProfile] | None) -> None:
        from app.ui.sign_in import SignInDialog

        profile = self.status.profile if self.status else None
        dialog = SignInDialog(
            self.ctx,
            self,
            server=profile.server_url if profile else "",
            email=profile.email if profile else "",
            profiles=profiles,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.switch_requested.connect(self.profile_switch_requested)
        self.sign_in_dialog = dialog
        dialog.open()

    def open_rules(self) -> None:
        from app.ui.rules import open_rules_dialog

        open_rules_dialog(self.ctx, self)

    def open_settings(self) -> None:
        from app.ui.settings import SettingsDialog

        dialog = SettingsDialog(
            self.ctx, self, profile=self.status.profile if self.status else None
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.settings_dialog = dialog
        dialog.open()

    def stop_demo_server(self) -> None:
        demo = self.ctx.demo
        if demo is None:
            return
        self.statusBar().showMessage(self.tr("Stopping the demo server…"))
        self.ctx.ops.run(
            lambda _ws: demo.stop(),
            lane=Lane.NET,
            on_success=lambda _r: self._demo_changed(self.tr("Demo server stopped")),
        )

    def start_demo_server(self) -> None:
        demo = self.ctx.demo
        if demo is None:
            return
        self.statusBar().showMessage(self.tr("Starting the demo server…"))
        self.ctx.ops.run(
            lambda _ws: demo.start(),
            lane=Lane.NET,
            on_success=lambda _r: self._demo_changed(self.tr("Demo server running")),
        )

    def _demo_changed(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)
        self.ctx.request_sync()

    def show_shortcuts(self) -> None:
        lines = []
        for action in [*self.actions(), *(a for p in self.pages for a in p.findChildren(QAction))]:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                lines.append(f"{keys:<18} {action.text().replace('&', '')}")
        lines.append(self.tr("A scanner works anywhere on the quick-order screen."))
        box = QMessageBox(QMessageBox.Icon.NoIcon, self.tr("Keyboard shortcuts"),
                          "\n".join(lines), QMessageBox.StandardButton.Close, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def show_about(self) -> None:
        """Versions, data folder, server and account, and "Copy diagnostics" (app.ui.about)."""
        from app.ui.about import AboutDialog

        dialog = AboutDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    # -- status ------------------------------------------------------------------------
    def load_status(self) -> None:
        def load(ws: Workspace) -> Status:
            return ws.status(session_store=False)

        def failed(_exc: BaseException) -> bool:
            self._start_first_sync()
            return False  # reported as usual

        self.ctx.ops.run(load, on_success=self._status_loaded, on_error=failed)

    def _start_first_sync(self) -> None:
        if self._sync_after_status:
            self._sync_after_status = False
            self.ctx.sync.start()

    def _on_changed(self, changes: Changes) -> None:
        if changes.status or changes.outbox or changes.orders:
            self.load_status()

    def _status_loaded(self, status: Status) -> None:
        self.status = status
        self._show_status()
        self._start_first_sync()

    def _sync_finished(self, ok: bool, message: str) -> None:
        self.statusBar().showMessage(
            self.tr("Synced: {0}").format(message) if ok else self.tr("Sync failed: {0}").format(
                message.splitlines()[0] if message else ""), 6000,
        )  # fmt: skip

    def _show_status(self) -> None:
        sync = self.ctx.sync
        connection = sync.connection
        online = connection == Connection.ONLINE
        text = {
            Connection.UNKNOWN: self.tr("Connecting…"),
            Connection.ONLINE: self.tr("Online"),
            Connection.OFFLINE: self.tr("Offline"),
            Connection.BUSY: self.tr("Server busy"),
            Connection.WORKING_OFFLINE: self.tr("Working offline"),
            Connection.SIGN_IN: self.tr("Sign in again"),
            Connection.NOT_SIGNED_IN: self.tr("Not signed in"),
            Connection.TOO_OLD: self.tr("Update needed"),
        }[Connection(connection)]
        if sync.syncing:
            text += self.tr(" · syncing…")
        self.connection_label.setText(
            f"<img src='{_icon_path('online' if online else 'offline')}' width=12 height=12> {text}"
        )
        self.offline_action.blockSignals(True)
        self.offline_action.setChecked(sync.work_offline)
        self.offline_action.blockSignals(False)
        if self.ctx.demo is not None:
            running = self.ctx.demo.running
            self.stop_server_action.setEnabled(running)
            self.start_server_action.setEnabled(not running)
        status = self.status
        if status is None:
            return
        pending = status.outbox.get("pending", 0) + status.outbox.get("sending", 0)
        waiting = status.outbox.get("needs_confirmation", 0)
        self.pending_label.setText(
            self.tr("{0} pending").format(pending)
            + (self.tr(" · {0} waiting for you").format(waiting) if waiting else "")
        )
        now = dt.datetime.now(dt.UTC)
        self.freshness_label.setText(
            " · ".join(
                f"{self.tr(fmt.AREA_NAMES.get(a.area, a.area))} {fmt.ago(a.synced_at, now)}"
                for a in status.areas
            )
            or self.tr("Never synced")
        )
        self._show_banner(status, now)

    def _show_banner(self, status: Status, now: dt.datetime) -> None:
        connection = self.ctx.sync.connection
        if connection in (Connection.SIGN_IN, Connection.NOT_SIGNED_IN) or status.profile is None:
            self.banner.say(
                self.tr("You are not signed in: your work stays on this computer until you "
                        "sign in."), self.tr("Sign in…"))  # fmt: skip
            return
        if connection == Connection.TOO_OLD or status.held_for_upgrade:
            self.banner.say(
                self.tr("This Orderpad is too old for the server. Keep working offline; your "
                        "changes are held until you update.")
            )  # fmt: skip
            return
        limit = self.ctx.settings.stale_after
        stale = [a for a in status.areas if a.synced_at is None or now - a.synced_at > limit]
        if self.ctx.sync.rounds and not status.areas:
            self.banner.say(self.tr("Nothing synced yet."), self.tr("Sync now"))
        elif stale:
            oldest = min((a.synced_at for a in stale if a.synced_at), default=None)
            names = ", ".join(self.tr(fmt.AREA_NAMES.get(a.area, a.area)) for a in stale)
            self.banner.say(
                self.tr("{0} last synced {1}: prices and stock may have changed since. Orders "
                        "are checked by the server when they are sent.").format(
                    names, fmt.ago(oldest, now)), self.tr("Sync now"))  # fmt: skip
        else:
            self.banner.say(None)

    def _banner_action(self) -> None:
        if self.banner.button.text() == self.tr("Sign in…"):
            self.open_sign_in()
        else:
            self.ctx.request_sync()

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._tick.stop()
        self.quick.close_down()
        self.ctx.close()


def _icon_path(name: str) -> str:
    from app.ui.resources import resource_dir

    return str(resource_dir() / "icons" / f"{name}.svg")

"""Carts: the named carts on this device (open one in quick order, start a new one, save one
as a list) and, below them, the saved lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Cart, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.lists import LIST_CHANGES, ListsPanel, quickorder_service
from app.ui.rows_model import Column, RowsModel, row_table

if TYPE_CHECKING:
    from app.services.quickorder import SavedList


def carts_model(parent: QWidget | None = None) -> RowsModel[Cart]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("Name"), lambda c: c.name),
            Column(tr("Status"), lambda c: c.status,
                   tone=lambda c: "good" if c.status == "open" else None),
            Column(tr("Lines"), lambda c: str(c.line_count), numeric=True),
            Column(tr("Changed"), lambda c: fmt.local_time(c.updated_at)),
            Column(tr("Sync"), lambda c: tr("changes not yet synced") if c.local_changes
                   else tr("synced")),
        ],
        parent,
    )  # fmt: skip


class CartsPage(QWidget):
    """``open_requested(name)`` asks the main window to show this cart in quick order."""

    open_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = carts_model(self)
        self.table = row_table(self.model)
        for column, width in enumerate((220, 80, 60, 140)):
            self.table.setColumnWidth(column, width)
        self.new_action = QAction(self.tr("New cart…"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.new_action)
        self.save_list_action = QAction(self.tr("Save as list…"), self)
        self.save_list_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_list_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.save_list_action)
        new = QPushButton(self.tr("New cart… (Ctrl+N)"))
        new.clicked.connect(self.new_action.trigger)
        save_list = QPushButton(self.tr("Save as list… (Ctrl+S)"))
        save_list.clicked.connect(self.save_list_action.trigger)
        open_button = QPushButton(self.tr("Open in quick order (Enter)"))
        open_button.clicked.connect(self._open_current)
        hint = QLabel(self.tr("Quick order fills the cart you open here."))
        tools = QHBoxLayout()
        tools.addWidget(hint, 1)
        tools.addWidget(new)
        tools.addWidget(save_list)
        tools.addWidget(open_button)
        self.lists = ListsPanel(ctx)
        for action in self.lists.actions():  # Ctrl+M, Ctrl+E… anywhere on this screen
            self.addAction(action)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(tools)
        top_layout.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.lists)
        split.setSizes([330, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        self._loaded = False
        self.new_action.triggered.connect(self.new_cart)
        self.save_list_action.triggered.connect(self.save_current_as_list)
        self.lists.cart_filled.connect(lambda name: self.open_requested.emit(name))
        self.table.activated.connect(lambda _i: self._open_current())
        ctx.bus.changed.connect(self._on_changed)

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()
            self.lists.refresh()
        self.lists.show_hint()
        self.table.setFocus()

    def refresh(self) -> None:
        self._loaded = True

        def load(ws: Workspace) -> list[Cart]:
            return ws.carts()

        self.ctx.ops.run(load, on_success=self.model.set_rows)

    def _on_changed(self, changes: Changes) -> None:
        if self._loaded and changes.cart:
            self.refresh()

    def _open_current(self) -> None:
        cart = self.model.row_at(self.table.currentIndex().row())
        if cart is not None and cart.status == "open":
            self.open_requested.emit(cart.name)

    def new_cart(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New cart"), self.tr("Name of the cart:"))
        if not ok or not name.strip():
            return
        cart = name.strip()
        self.ctx.ops.run(
            lambda ws: ws.cart_id(cart, create=True),
            changes=Changes(cart=True, outbox=True),
            on_success=lambda _id: self.open_requested.emit(cart),
        )

    # -- saved lists -------------------------------------------------------------------
    def save_current_as_list(self) -> None:
        cart = self.model.row_at(self.table.currentIndex().row())
        if cart is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Save as list"),
            self.tr("Save the {0} lines of cart “{1}” as the list:").format(
                cart.line_count, cart.name), text=cart.name,
        )  # fmt: skip
        name = name.strip()
        if not ok or not name:
            return
        replace = name.casefold() in self.lists.names()
        if replace:
            answer = QMessageBox.question(
                self, self.tr("Save as list"),
                self.tr("A list “{0}” exists. Replace it?").format(name))  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.save_as_list(cart.name, name, replace=replace)

    def save_as_list(self, cart: str, name: str, *, replace: bool = False) -> None:
        """Save the lines of ``cart`` as the list ``name`` (``replace`` an existing one)."""

        def save(ws: Workspace) -> SavedList:
            return quickorder_service(ws).save_list_from_cart(name, cart=cart, replace=replace)

        self.ctx.ops.run(
            save,
            changes=LIST_CHANGES,
            on_success=lambda saved: self.ctx.notify(
                self.tr("Saved {0} lines as the list “{1}”").format(saved.line_count, saved.name)
            ),
        )

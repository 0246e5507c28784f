"""Carts: the named carts on this device; open one in quick order or start a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Cart, Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import Column, RowsModel


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
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.new_action = QAction(self.tr("New cart…"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.new_action)
        new = QPushButton(self.tr("New cart… (Ctrl+N)"))
        new.clicked.connect(self.new_action.trigger)
        open_button = QPushButton(self.tr("Open in quick order (Enter)"))
        open_button.clicked.connect(self._open_current)
        hint = QLabel(self.tr("Quick order fills the cart you open here."))
        tools = QHBoxLayout()
        tools.addWidget(hint, 1)
        tools.addWidget(new)
        tools.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        self._loaded = False
        self.new_action.triggered.connect(self.new_cart)
        self.table.activated.connect(lambda _i: self._open_current())
        ctx.bus.changed.connect(self._on_changed)

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()
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

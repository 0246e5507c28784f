"""The "Spending limits" tab of the rules dialog: each user of the account with their
per-order limit, and a field and Save per row to change it (queued, sent with the next sync).
An order over the buyer's limit fires the rules that watch "spending limit exceeded"."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.approvals import Person
from app.services.workspace import Workspace, WorkspaceError
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import TONES

LIMIT_SAVED = Changes(orders=True, outbox=True)
NAME, EMAIL, ROLES, LIMIT, NEW_LIMIT, SAVE = range(6)


class SpendingLimitsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = False
        self.currency = ""
        self._noted: int | None = None  # whose "queued" note is showing
        self.editors: dict[str, QLineEdit] = {}  # by email
        self.buttons: dict[str, QPushButton] = {}
        intro = QLabel(
            self.tr("A buyer's limit per order. Leave the field empty for no limit; orders "
                    "over it wait for the rules that watch the buyer's spending limit.")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Email"), self.tr("Roles"), self.tr("Limit per order"),
             self.tr("Change to"), ""]
        )  # fmt: skip
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EMAIL, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NAME, 170), (ROLES, 130), (LIMIT, 190), (NEW_LIMIT, 130),
                              (SAVE, 70)):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c83737;")
        self.problem.hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.note)

    def show_people(
        self,
        people: Mapping[int, Person],
        *,
        currency: str,
        unsent: Collection[int],
        editable: bool,
    ) -> None:
        """Fill the table; a row whose field holds unsaved typing keeps it."""
        typed = {
            email: editor.text() for email, editor in self.editors.items() if editor.isModified()
        }
        self.editable = editable
        self.currency = currency
        if self._noted is not None and self._noted not in unsent:
            self.note.clear()  # the server has it now
            self._noted = None
        rows = sorted((p for p in people.values() if p.active), key=lambda p: p.name.casefold())
        self.table.setRowCount(len(rows))
        self.editors.clear()
        self.buttons.clear()
        for number, person in enumerate(rows):
            self._fill_row(number, person, currency, person.id in unsent, typed)
        self.table.resizeRowsToContents()

    def _fill_row(
        self, number: int, person: Person, currency: str, waiting: bool, typed: dict[str, str]
    ) -> None:
        limit = person.spending_limit
        shown = fmt.money(limit, currency) if limit is not None else self.tr("no limit")
        if waiting:
            shown += " " + self.tr("(not synced yet)")
        cells = (person.name, person.email, ", ".join(sorted(person.roles)), shown)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == LIMIT and waiting:
                item.setForeground(QBrush(TONES["warn"]))
                item.setToolTip(self.tr("Changed on this device; sent with the next sync"))
            self.table.setItem(number, column, item)
        editor = QLineEdit("" if limit is None else f"{limit.normalize():f}")
        editor.setPlaceholderText(self.tr("no limit"))
        editor.setEnabled(self.editable)
        if person.email in typed:
            editor.setText(typed[person.email])
            editor.setModified(True)
        button = QPushButton(self.tr("Save"))
        button.setAutoDefault(False)
        button.setEnabled(self.editable)
        email = person.email
        button.clicked.connect(lambda: self.save(email))
        editor.returnPressed.connect(lambda: self.save(email))
        self.table.setCellWidget(number, NEW_LIMIT, editor)
        self.table.setCellWidget(number, SAVE, button)
        self.editors[email] = editor
        self.buttons[email] = button

    def save(self, email: str) -> None:
        editor = self.editors.get(email)
        if editor is None or not self.editable:
            return
        text = editor.text().strip()

        def work(ws: Workspace) -> Person:
            return ws.approvals.set_limit(email, text or None)

        self.problem.hide()
        self.ctx.ops.run(
            work,
            on_success=self._saved,
            on_error=lambda exc: self._failed(email, exc),
            changes=LIMIT_SAVED,
            owner=self,
        )

    def _saved(self, person: Person) -> None:
        if (editor := self.editors.get(person.email)) is not None:
            editor.setModified(False)  # the reload that follows may show the saved value
        self._noted = person.id
        limit = person.spending_limit
        what = self.tr("no limit") if limit is None else fmt.money(limit, self.currency)
        self.note.setText(
            self.tr("{0}: {1} per order, queued; it reaches the server with the next sync.")
            .format(person.name, what)
        )  # fmt: skip
        self.ctx.request_sync()

    def _failed(self, email: str, exc: BaseException) -> bool:
        if not isinstance(exc, WorkspaceError):
            return False
        self.note.clear()
        self.problem.setText(f"{email}: {exc}")
        self.problem.show()
        return True

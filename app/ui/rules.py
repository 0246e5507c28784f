"""File ▸ Approval rules and limits…: the account admin edits the approval rules and each
user's per-order spending limit. Edits are queued like every other change and work offline;
the server checks and versions them. Everyone else sees the same dialog read-only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.approvals import Person
from app.services.approvals import RuleView, when
from app.services.workspace import OutboxState, Workspace, WorkspaceError
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import Column, RowsModel, row_table
from app.ui.rule_form import HINT_STYLE, RuleForm
from app.ui.spending_limits import SpendingLimitsTab

RULE_SAVED = Changes(orders=True, outbox=True)
SET_LIMIT = "user.set_limit"  # the outbox mutation of a limit change


@dataclass(frozen=True, slots=True)
class RulesSnapshot:
    """What the dialog shows, read in one go on the worker."""

    rules: list[RuleView]
    people: dict[int, Person]
    me: Person | None
    currency: str
    unsent_limits: frozenset[int]

    @property
    def may_edit(self) -> bool:
        return self.me is not None and "admin" in self.me.roles


def read_rules(ws: Workspace) -> RulesSnapshot:
    desk = ws.approvals
    people = desk.people()
    profile = ws.profile
    waiting = ws.outbox_entries([OutboxState.PENDING, OutboxState.SENDING])
    return RulesSnapshot(
        rules=desk.rules(),
        people=people,
        me=desk.me(people),
        currency=profile.currency if profile else "",
        unsent_limits=frozenset(int(e.args["user_id"]) for e in waiting if e.name == SET_LIMIT),
    )


def rules_model(parent: QWidget) -> RowsModel[RuleView]:
    tr = parent.tr
    return RowsModel(
        [
            Column(tr("Level"), lambda v: str(v.rule.level), numeric=True),
            Column(tr("Rule"), lambda v: v.rule.name,
                   tooltip=lambda v: tr("When {0}\nApproved by {1}\nApplies to {2}").format(
                       v.conditions, v.approvers, v.applies_to)),
            Column(tr("Enabled"), lambda v: tr("on") if v.rule.enabled else tr("off"),
                   tone=lambda v: None if v.rule.enabled else "bad"),
            Column(tr("Sync"), lambda v: tr("edited here, not synced yet") if v.unsent else "",
                   tone=lambda v: "warn" if v.unsent else None),
        ],
        parent,
    )  # fmt: skip


def open_rules_dialog(ctx: AppContext, parent: QWidget | None = None) -> RulesDialog:
    dialog = RulesDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


class RulesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.snapshot: RulesSnapshot | None = None
        self.dirty = False  # the form holds typing not saved yet
        self._choosing = False  # the dialog itself moves the selection
        self._noted: str | None = None  # the rule the "saved" note is about
        self.setWindowTitle(self.tr("Approval rules and limits"))
        self.resize(1180, 720)
        self.read_only_note = QLabel(
            self.tr("Only account admins can change rules and limits. You can look at them "
                    "here; ask an admin of your account for a change.")
        )  # fmt: skip
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(
            "background-color: rgba(232, 163, 23, 0.22); border: 1px solid rgba(232, 163, 23,"
            " 0.7); border-radius: 4px; padding: 6px;"
        )
        self.read_only_note.hide()

        self.model = rules_model(self)
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton(self.tr("New rule"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.form = RuleForm()
        self.version = QLabel()
        self.version.setStyleSheet(HINT_STYLE)
        self.version.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("ruleProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c83737;")
        self.problem.hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save rule"))
        for button in (self.new_button, self.delete_button, self.save_button):
            button.setAutoDefault(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        left_layout.addLayout(list_buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        # The tab's colour, not a grey patch (setWidget turned the form's fill on).
        scroll.viewport().setAutoFillBackground(False)
        self.form.setAutoFillBackground(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(scroll, 1)
        right_layout.addWidget(self.version)
        right_layout.addWidget(self.problem)
        save_row = QHBoxLayout()
        save_row.addWidget(self.note, 1)
        save_row.addWidget(self.save_button)
        right_layout.addLayout(save_row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([580, 600])
        split.setChildrenCollapsible(False)

        self.limits = SpendingLimitsTab(ctx)
        self.tabs = QTabWidget()
        rules_tab = QWidget()
        QVBoxLayout(rules_tab).addWidget(split)
        self.tabs.addTab(rules_tab, self.tr("Rules"))
        self.tabs.addTab(self.limits, self.tr("Spending limits"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for choice in buttons.buttons():
            if isinstance(choice, QPushButton):
                choice.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.form.edited.connect(self._edited)
        self.new_button.clicked.connect(self.new_rule)
        self.delete_button.clicked.connect(self.delete_rule)
        self.save_button.clicked.connect(self.save_rule)
        ctx.bus.changed.connect(self._on_changed)
        self._set_editable(False)  # until we know who is signed in
        self.refresh()

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.ops.run(read_rules, on_success=self._show, owner=self)

    def _on_changed(self, changes: Changes) -> None:
        if changes.orders or changes.outbox or changes.status:
            self.refresh()

    def _show(self, snapshot: RulesSnapshot) -> None:
        self.snapshot = snapshot
        if self._noted and not any(v.unsent and v.rule.id == self._noted for v in snapshot.rules):
            self.note.clear()  # the server has it now: "saved … next sync" no longer holds
            self._noted = None
        self.read_only_note.setVisible(not snapshot.may_edit)
        current = self.form.rule_id
        self._choosing = True
        self.model.set_rows(snapshot.rules)
        ids = [v.rule.id for v in snapshot.rules]
        if current in ids:
            self.table.selectRow(ids.index(current))
        elif ids and not self.dirty:
            self.table.selectRow(0)
        self._choosing = False
        if not self.dirty:
            self._show_form(self.current())
        self._set_editable(snapshot.may_edit)
        self.limits.show_people(
            snapshot.people,
            currency=snapshot.currency,
            unsent=snapshot.unsent_limits,
            editable=snapshot.may_edit,
        )

    def current(self) -> RuleView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _show_form(self, view: RuleView | None) -> None:
        people = self.snapshot.people if self.snapshot else {}
        self.form.show_rule(view.rule if view else None, people)
        self.dirty = False
        if view is None:
            self.version.setText(self.tr("A new rule: it is created when you save it."))
        else:
            text = self.tr("Version {0}").format(view.rule.version)
            if view.updated_by:
                text += " · " + self.tr("last changed by {0} at {1}").format(
                    view.updated_by, when(view.updated_at)
                )
            if view.unsent:
                text += " · " + self.tr("edited here, not synced yet")
            self.version.setText(text)
        self.delete_button.setEnabled(self._editable() and view is not None)

    def _editable(self) -> bool:
        return self.snapshot is not None and self.snapshot.may_edit

    def _set_editable(self, editable: bool) -> None:
        self.form.set_editable(editable)
        for button in (self.new_button, self.save_button):
            button.setEnabled(editable)
        self.delete_button.setEnabled(editable and self.form.rule_id is not None)

    # -- choosing ----------------------------------------------------------------------
    def _edited(self) -> None:
        self.dirty = True
        self.note.clear()

    def _selected(self) -> None:
        if self._choosing:
            return
        view = self.current()
        if view is not None and view.rule.id == self.form.rule_id:
            return
        if self.dirty and not self._may_discard():
            self._reselect(self.form.rule_id)
            return
        self.problem.hide()
        self.note.clear()
        self._show_form(view)

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Discard changes"),
            self.tr("Discard the changes you made to “{0}”?").format(
                self.form.name.text() or self.tr("the new rule")
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _reselect(self, rule_id: str | None) -> None:
        self._choosing = True
        self.table.clearSelection()
        for number, view in enumerate(self.model.rows):
            if view.rule.id == rule_id:
                self.table.selectRow(number)
        self._choosing = False

    def new_rule(self) -> None:
        if self.dirty and not self._may_discard():
            return
        self._reselect(None)
        self.problem.hide()
        self._show_form(None)
        self.form.name.setFocus()

    # -- saving ------------------------------------------------------------------------
    def save_rule(self) -> None:
        if not self._editable():
            return
        draft = self.form.draft()

        def work(ws: Workspace) -> RuleView:
            return ws.approvals.save_rule(**dataclasses.asdict(draft))

        self.problem.hide()
        self.ctx.ops.run(
            work, on_success=self._saved, on_error=self._refused, changes=RULE_SAVED, owner=self
        )

    def _saved(self, view: RuleView) -> None:
        self.form.rule_id = view.rule.id
        self.dirty = False  # the reload that follows shows the rule as saved
        self._noted = view.rule.id
        self.note.setText(
            self.tr(
                "“{0}” saved. The server gets it with the next sync and routes the orders "
                "waiting for approval again."
            ).format(view.rule.name)
        )
        self.ctx.request_sync()

    def _refused(self, exc: BaseException) -> bool:
        if not isinstance(exc, WorkspaceError):
            return False
        text = str(exc)
        self.problem.setText(self.tr("Not saved: {0}").format(text[:1].upper() + text[1:]))
        self.problem.show()
        return True

    def delete_rule(self) -> None:
        view = self.current()
        if view is None or not self._editable():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete rule"),
            self.tr(
                "Delete “{0}”? When the server gets this, it routes the orders waiting for "
                "approval again without it."
            ).format(view.rule.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        rule_id = view.rule.id
        self.form.rule_id = None
        self.dirty = False
        self.ctx.ops.run(
            lambda ws: ws.approvals.delete_rule(rule_id),
            on_success=lambda _r: self.note.setText(
                self.tr("Deleted; the server hears of it with the next sync.")
            ),
            on_error=self._refused,
            changes=RULE_SAVED,
            owner=self,
        )

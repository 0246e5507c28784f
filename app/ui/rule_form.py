"""The editor of one approval rule: name, level, who it applies to, its conditions and its
approvers. It only shows a rule and reads back a `RuleDraft`; saving is the dialog's job
(app.ui.rules), so the form never touches the workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.approvals import (
    APPROVER_ROLES,
    FIELD_LABELS,
    FIELD_OPS,
    KNOWN_ROLES,
    MAX_LEVEL,
    ApprovalRule,
    Field,
    Person,
)

ROLE_ORDER = ("buyer", "approver", "admin", "viewer")
EMAIL = Qt.ItemDataRole.UserRole + 1
HINT_STYLE = "color: palette(placeholder-text);"


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """What the form holds, as `ApprovalDesk.save_rule` takes it (approver users by email)."""

    name: str
    enabled: bool
    level: int
    applies_to: tuple[str, ...]
    conditions: tuple[tuple[str, str, str], ...]
    approver_roles: tuple[str, ...]
    approver_users: tuple[str, ...]
    manager: bool
    rule_id: str | None


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class ConditionRow(QWidget):
    """field · operator · value, with the operators limited to what the field takes."""

    edited = Signal()
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QComboBox()
        for f, label in FIELD_LABELS.items():
            self.field.addItem(label, f.value)
        self.op = QComboBox()
        self.op.setMinimumContentsLength(6)
        self.value = QLineEdit()
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.setAutoDefault(False)
        self.remove.setToolTip(self.tr("Remove this condition"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 2)
        layout.addWidget(self.op, 1)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.remove)
        self._fill_ops()
        self.field.currentIndexChanged.connect(lambda _i: self._field_changed())
        self.op.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.value.textEdited.connect(lambda _t: self.edited.emit())
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def set(self, field: str, op: str, value: str) -> None:
        self.field.setCurrentIndex(max(self.field.findData(field), 0))
        self._fill_ops()
        self.op.setCurrentIndex(max(self.op.findData(op), 0))
        self.value.setText(value)
        self.value.setCursorPosition(0)  # show where a long list begins

    def get(self) -> tuple[str, str, str]:
        return str(self.field.currentData()), str(self.op.currentData()), self.value.text()

    def _field_changed(self) -> None:
        self._fill_ops()
        yes_no = self.current_field() in (Field.SPENDING_LIMIT_EXCEEDED, Field.CREDIT_EXCEEDED)
        if yes_no and self.value.text().strip().casefold() not in ("true", "false"):
            self.value.setText("true")
        self.edited.emit()

    def current_field(self) -> Field:
        return Field(str(self.field.currentData()))

    def _fill_ops(self) -> None:
        field = self.current_field()
        keep = self.op.currentData()
        self.op.blockSignals(True)
        self.op.clear()
        for op in FIELD_OPS[field]:
            self.op.addItem(op.value, op.value)
        self.op.setCurrentIndex(max(self.op.findData(keep), 0))
        self.op.blockSignals(False)
        self.value.setPlaceholderText(
            {
                Field.ORDER_TOTAL: self.tr("amount, e.g. 5000"),
                Field.DISTINCT_SKUS: self.tr("a whole number, e.g. 20"),
                Field.CATEGORY: self.tr("categories, comma-separated"),
                Field.SHIP_TO: self.tr("ship-to codes, comma-separated"),
            }.get(field, self.tr("true or false"))
        )


class RuleForm(QWidget):
    """``edited()`` whenever the person changes anything shown."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_id: str | None = None
        self._extra_roles: tuple[str, ...] = ()  # approver roles the checkboxes do not offer
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Large order"))
        self.enabled = QCheckBox(self.tr("Enabled (off: the rule is kept but never fires)"))
        self.level = QSpinBox()
        self.level.setRange(1, MAX_LEVEL)
        self.level.setMaximumWidth(80)
        self.level.setToolTip(self.tr("Level 1 decides first; level 2 only after level 1, …"))
        self._editable = True
        names = {"buyer": self.tr("buyer"), "approver": self.tr("approver"),
                 "admin": self.tr("admin"), "viewer": self.tr("viewer")}  # fmt: skip
        self.applies_to = {role: QCheckBox(names[role]) for role in ROLE_ORDER}
        applies = QHBoxLayout()
        for box in self.applies_to.values():
            applies.addWidget(box)
        applies.addWidget(_hint(self.tr("(none ticked: every role)")), 1)

        self.conditions_box = QGroupBox(self.tr("Conditions: the rule fires when all hold"))
        self.condition_rows = QVBoxLayout()
        self.add_condition = QPushButton(self.tr("Add condition"))
        self.add_condition.setAutoDefault(False)
        conditions = QVBoxLayout(self.conditions_box)
        conditions.addLayout(self.condition_rows)
        add_row = QHBoxLayout()
        self.no_conditions = _hint(self.tr("No condition yet: a rule needs at least one."))
        self.no_conditions.setWordWrap(False)
        self.no_conditions.hide()
        add_row.addWidget(self.add_condition)
        add_row.addWidget(self.no_conditions)
        add_row.addStretch(1)
        conditions.addLayout(add_row)

        self.approver_roles = {
            role: QCheckBox(self.tr("anyone with the {0} role").format(names[role]))
            for role in sorted(APPROVER_ROLES, reverse=True)
        }
        self.manager = QCheckBox(self.tr("the buyer's manager"))
        self.users = QListWidget()
        self.users.setMaximumHeight(112)
        approvers_box = QGroupBox(self.tr("Approvers: any one of them may decide"))
        roles_row = QHBoxLayout()
        for box in self.approver_roles.values():
            roles_row.addWidget(box)
        roles_row.addStretch(1)
        approvers = QVBoxLayout(approvers_box)
        approvers.addLayout(roles_row)
        approvers.addWidget(self.manager)
        approvers.addWidget(QLabel(self.tr("and these people:")))
        approvers.addWidget(self.users)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.enabled)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Applies to"), applies)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.conditions_box)
        layout.addWidget(approvers_box)
        layout.addStretch(1)

        self.add_condition.clicked.connect(lambda: self._add_row().value.setFocus())
        self.name.textEdited.connect(lambda _t: self.edited.emit())
        self.level.valueChanged.connect(lambda _v: self.edited.emit())
        self.users.itemChanged.connect(lambda _i: self.edited.emit())
        for box in (
            self.enabled, self.manager, *self.applies_to.values(), *self.approver_roles.values()
        ):  # fmt: skip
            box.toggled.connect(lambda _c: self.edited.emit())

    # -- showing -----------------------------------------------------------------------
    def show_rule(self, rule: ApprovalRule | None, people: Mapping[int, Person]) -> None:
        """Show ``rule``, or a fresh one to fill in when None; no ``edited`` is emitted."""
        self.blockSignals(True)
        try:
            self._show(rule, people)
        finally:
            self.blockSignals(False)

    def _show(self, rule: ApprovalRule | None, people: Mapping[int, Person]) -> None:
        self.rule_id = rule.id if rule else None
        self.name.setText(rule.name if rule else "")
        self.enabled.setChecked(rule.enabled if rule else True)
        self.level.setValue(rule.level if rule else 1)
        for role, box in self.applies_to.items():
            box.setChecked(rule is not None and role in rule.applies_to)
        while self.condition_rows.count():
            taken = self.condition_rows.takeAt(0)
            if taken is not None and (widget := taken.widget()) is not None:
                widget.hide()  # deleted later: until then it must not show over its successor
                widget.deleteLater()
        if rule is None:
            self._add_row().set(Field.ORDER_TOTAL.value, ">", "")
        else:
            for c in rule.conditions:
                self._add_row().set(c.field.value, c.op.value, c.value)
        roles = rule.approvers.roles if rule else ("approver",)
        for role, box in self.approver_roles.items():
            box.setChecked(role in roles)
        self._extra_roles = tuple(r for r in roles if r not in self.approver_roles)
        self.manager.setChecked(rule.approvers.manager if rule else False)
        named = set(rule.approvers.users) if rule else set()
        self.users.clear()
        for person in sorted(people.values(), key=lambda p: (p.name.casefold(), p.id)):
            if not person.active and person.id not in named:
                continue
            roles_text = ", ".join(sorted(person.roles)) or self.tr("no role")
            item = QListWidgetItem(f"{person.name} ({roles_text})")
            item.setData(EMAIL, person.email)
            item.setToolTip(
                person.email
                if person.may_approve()
                else self.tr("{0}: cannot decide without the approver or admin role").format(
                    person.email
                )
            )
            item.setCheckState(
                Qt.CheckState.Checked if person.id in named else Qt.CheckState.Unchecked
            )
            item.setFlags(self._user_flags())
            self.users.addItem(item)

    def _add_row(self) -> ConditionRow:
        row = ConditionRow()
        row.setEnabled(self._editable)
        row.edited.connect(self.edited)
        row.remove_requested.connect(self._remove_row)
        self.condition_rows.addWidget(row)
        self.no_conditions.hide()
        self.edited.emit()
        return row

    def _remove_row(self, row: ConditionRow) -> None:
        self.condition_rows.removeWidget(row)
        row.hide()
        row.deleteLater()
        self.no_conditions.setVisible(not self.rows())
        self.edited.emit()

    def rows(self) -> list[ConditionRow]:
        found = (self.condition_rows.itemAt(i) for i in range(self.condition_rows.count()))
        return [w for item in found if item and isinstance(w := item.widget(), ConditionRow)]

    def _user_flags(self) -> Qt.ItemFlag:
        # A read-only list still scrolls, so every named approver can be seen.
        if self._editable:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        return Qt.ItemFlag.ItemIsEnabled

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        widgets: list[QWidget] = [self.name, self.enabled, self.level, self.add_condition]
        widgets += [self.manager, *self.applies_to.values(), *self.approver_roles.values()]
        for child in (*widgets, *self.rows()):
            child.setEnabled(editable)
        self.users.blockSignals(True)
        for i in range(self.users.count()):
            item = self.users.item(i)
            if item is not None:
                item.setFlags(self._user_flags())
        self.users.blockSignals(False)

    # -- reading back ------------------------------------------------------------------
    def draft(self) -> RuleDraft:
        checked = [self.users.item(i) for i in range(self.users.count())]
        return RuleDraft(
            name=self.name.text().strip(),
            enabled=self.enabled.isChecked(),
            level=self.level.value(),
            applies_to=tuple(r for r, box in self.applies_to.items() if box.isChecked()),
            conditions=tuple(row.get() for row in self.rows()),
            approver_roles=tuple(
                [r for r, box in self.approver_roles.items() if box.isChecked()]
                + [r for r in self._extra_roles if r in KNOWN_ROLES]
            ),
            approver_users=tuple(
                str(item.data(EMAIL))
                for item in checked
                if item is not None and item.checkState() == Qt.CheckState.Checked
            ),
            manager=self.manager.isChecked(),
            rule_id=self.rule_id,
        )

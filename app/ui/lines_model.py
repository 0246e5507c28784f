"""The quick-order lines: SKU, name, an editable quantity that keeps to pack multiples, unit,
prices and what is wrong with a line. Edits are requested, not applied: the page sends them
through the operation helper and the next cart snapshot shows the result."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.services.views import CartView, PricedCartLine, QuantityStep
from app.ui import fmt
from app.ui.rows_model import Column, Index, RowsModel

QTY_COLUMN = 2
STEP_ROLE = Qt.ItemDataRole.UserRole + 2
EDIT, STEP = int(Qt.ItemDataRole.EditRole), int(STEP_ROLE)


def _tr(text: str) -> str:
    return QCoreApplication.translate("LinesModel", text)


def _status(line: PricedCartLine) -> str:
    return "; ".join(line.problems) if line.problems else _tr("OK")


class LinesModel(RowsModel[PricedCartLine]):
    quantity_edited = Signal(str, object)  # line id, Decimal (0 removes the line)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(_tr("SKU"), lambda li: li.sku),
                Column(_tr("Name"), lambda li: li.name, tooltip=lambda li: li.name),
                Column(_tr("Qty"), lambda li: fmt.qty(li.quantity), numeric=True),
                Column(_tr("Unit"), lambda li: li.unit),
                Column(_tr("Unit price"), lambda li: fmt.unit_price(li.unit_price), numeric=True,
                       tooltip=lambda li: li.explanation),
                Column(_tr("Line total"), lambda li: fmt.money(li.line_total), numeric=True),
                Column(_tr("Status"), _status, tooltip=_status,
                       tone=lambda li: "bad" if li.problems else "good"),
            ],
            parent,
        )  # fmt: skip
        self.steps: dict[str, QuantityStep] = {}
        self.currency = ""

    def set_cart(self, cart: CartView, steps: dict[str, QuantityStep]) -> None:
        """Show ``cart``. When its lines are the shown ones plus some at the end (a scan),
        only the changed and the new rows are signalled, so the view repaints one row,
        not the whole table, and keeps its place."""
        self.steps = steps
        self.currency = cart.currency
        old, new = self.rows, cart.lines
        if not old or [li.line_id for li in new[: len(old)]] != [li.line_id for li in old]:
            self.set_rows(new)
            return
        changed = [row for row, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        self.rows = list(new[: len(old)])
        if changed:
            last = len(self.columns) - 1
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], last))
        if len(new) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self.rows.extend(new[len(old) :])
            self.endInsertRows()

    def row_of(self, line_id: str) -> int:
        return next((i for i, li in enumerate(self.rows) if li.line_id == line_id), -1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == QTY_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == EDIT and index.isValid() and index.column() == QTY_COLUMN:
            line = self.row_at(index.row())
            return None if line is None else float(line.quantity)
        if role == STEP and index.isValid():
            line = self.row_at(index.row())
            return None if line is None else self.steps.get(line.line_id)
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        line = self.row_at(index.row()) if index.isValid() else None
        if line is None or index.column() != QTY_COLUMN or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            quantity = Decimal(str(value))
        except InvalidOperation:
            return False
        if quantity != line.quantity:
            self.quantity_edited.emit(line.line_id, quantity)
        return True


def snap(value: Decimal, step: QuantityStep | None) -> Decimal:
    """Round a typed quantity up to the next pack multiple (at least the minimum); 0 stays 0
    (it removes the line)."""
    if step is None or value <= 0 or step.step <= 0:
        return max(value, Decimal(0))
    packs = Decimal(math.ceil(value / step.step))
    return max(packs * step.step, step.minimum).normalize()


class QuantityDelegate(QStyledItemDelegate):
    """A spin box that steps in pack multiples; a typed odd quantity is rounded up."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QDoubleSpinBox(parent)
        step = index.data(STEP_ROLE)
        whole = step is None or (step.step == step.step.to_integral_value())
        editor.setDecimals(0 if whole else 3)
        editor.setRange(0, 1_000_000)
        editor.setSingleStep(float(step.step) if step is not None else 1.0)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(float(value or 0))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.interpretText()
        typed = Decimal(str(round(editor.value(), 3)))
        model.setData(index, snap(typed, index.data(STEP_ROLE)), Qt.ItemDataRole.EditRole)

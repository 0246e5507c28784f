"""A read-only table model over a short list of plain rows (orders, outbox entries, carts):
declare the columns once, hand it rows. Long lists use the lazy CatalogModel instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    tone: Callable[[R], str | None] | None = None  # "good" | "bad" | "warn" | None


TONES = {"good": QColor(46, 157, 87), "bad": QColor(200, 55, 55), "warn": QColor(200, 130, 0)}
# Roles as plain ints: a view asks data() for ~8 roles per cell on every paint, and comparing
# with the enum members costs more than the rest of data() (a paint of a long cart: 2x).
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
ROW = int(ROW_ROLE)
ANSWERED = frozenset({DISPLAY, ALIGNMENT, TOOLTIP, FOREGROUND, ROW})
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowsModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED:
            return None
        number = index.row()
        if not 0 <= number < len(self.rows) or not index.isValid():
            return None
        row, column = self.rows[number], self.columns[index.column()]
        if role == DISPLAY:
            return column.text(row)
        if role == ALIGNMENT:
            return RIGHT if column.numeric else LEFT
        if role == TOOLTIP and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == FOREGROUND and column.tone is not None:
            tone = column.tone(row)
            return QBrush(TONES[tone]) if tone in TONES else None
        if role == ROW:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None


def row_table(model: QAbstractTableModel) -> QTableView:
    """A read-only table of whole-row, single selections over `model` (the app's list look)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table

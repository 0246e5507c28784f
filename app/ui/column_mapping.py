"""Asking which column is which when Orderpad is not sure how to read a spreadsheet: the
file's columns with sample values, and one choice per field. The answer is remembered for
files of the same layout (by the import that uses it)."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.quickorder import ColumnChoice, ColumnMapping, Field, FilePreview
from app.ui.rows_model import Column, RowsModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("ColumnMapping", text)


def field_names() -> dict[Field, str]:
    return {
        Field.SKU: _tr("SKU"),
        Field.PART_NUMBER: _tr("Customer part no."),
        Field.BARCODE: _tr("Barcode"),
        Field.QUANTITY: _tr("Quantity"),
        Field.UNIT: _tr("Unit"),
        Field.NOTE: _tr("Note"),
    }


def columns_model(parent: QWidget | None = None) -> RowsModel[ColumnChoice]:
    tr = parent.tr if parent is not None else str
    names = field_names()
    return RowsModel(
        [
            Column(tr("Column"), lambda c: c.letter),
            Column(tr("Header"), lambda c: c.header),
            Column(tr("Sample values"), lambda c: " · ".join(c.samples)),
            Column(tr("Looks like"), lambda c: names[c.guess] if c.guess else ""),
        ],
        parent,
    )  # fmt: skip


class ColumnMappingDialog(QDialog):
    """``mapping`` holds the person's answer after ``accepted``."""

    def __init__(self, preview: FilePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Which column is which?"))
        self.resize(720, 520)
        self.preview = preview
        self.mapping: ColumnMapping | None = None
        detection = preview.detection
        why = detection.reason or self.tr("no header row Orderpad knows")
        where = html.escape(preview.path.name)
        if len(preview.sheet_names) > 1:
            where += self.tr(", sheet “{0}”").format(html.escape(preview.sheet))
        intro = QLabel(
            self.tr("<b>{0}</b>: Orderpad is not sure how to read this file ({1}). Pick the "
                    "column of each field; the answer is remembered for files laid out the "
                    "same way.").format(where, html.escape(why))
        )  # fmt: skip
        intro.setWordWrap(True)

        self.columns = columns_model(self)
        self.columns.set_rows(detection.columns)
        table = QTableView()
        table.setModel(self.columns)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((60, 150, 300)):
            table.setColumnWidth(column, width)

        guessed: dict[Field, int] = {}
        if preview.mapping is not None:
            guessed.update(preview.mapping.columns)
        for choice in detection.columns:
            if choice.guess is not None:
                guessed.setdefault(choice.guess, choice.column)
        self.problem = QLabel()
        form = QFormLayout()
        self.combos: dict[Field, QComboBox] = {}
        for field, name in field_names().items():
            combo = QComboBox()
            combo.addItem(self.tr("— not in this file —"), None)
            for choice in detection.columns:
                label = choice.letter + (f" · {choice.header}" if choice.header else "")
                if choice.samples:
                    label += f"  ({', '.join(choice.samples)})"
                combo.addItem(label, choice.column)
            if field in guessed:
                combo.setCurrentIndex(max(0, combo.findData(guessed[field])))
            combo.currentIndexChanged.connect(lambda _i: self.problem.hide())
            form.addRow(name + ":", combo)
            self.combos[field] = combo
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 10_000)
        self.header_row.setSpecialValueText(self.tr("none (data from the first row)"))
        header = preview.mapping.header_row if preview.mapping is not None else None
        if header is None and detection.header_texts is not None:
            header = 1
        self.header_row.setValue(header or 0)
        form.addRow(self.tr("Header row:"), self.header_row)
        self.problem.setStyleSheet("color: rgb(200, 55, 55);")
        self.problem.setWordWrap(True)
        self.problem.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Import"))
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.combos[Field.SKU].setFocus()

    def choose(self, field: Field, column: int | None) -> None:
        """Pick ``column`` (0-based; None: not in the file) for ``field``."""
        combo = self.combos[field]
        combo.setCurrentIndex(max(0, combo.findData(column)))

    def confirm(self) -> None:
        columns: dict[Field, int] = {}
        for field, combo in self.combos.items():
            column = combo.currentData()
            if isinstance(column, int):
                columns[field] = column
        try:
            self.mapping = ColumnMapping(columns, self.header_row.value() or None)
        except ValueError:
            names = field_names()
            if not any(f in columns for f in (Field.SKU, Field.PART_NUMBER, Field.BARCODE)):
                text = self.tr("Pick the column with the {0}, {1} or {2}.").format(
                    names[Field.SKU], names[Field.PART_NUMBER], names[Field.BARCODE]
                )
            else:
                text = self.tr("One column is picked for two fields.")
            self.problem.setText(text)
            self.problem.show()
            return
        self.accept()

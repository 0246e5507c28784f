"""The report dialog for an error that is ours (a bug): what happened, the details to copy
and a Copy button (app.ui.errors decides when)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.ui.errors import Explained


class ReportDialog(QDialog):
    """A bug report: what happened, the details to copy, and a Copy button."""

    def __init__(self, explained: Explained, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(explained.title)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        message = QLabel(explained.message)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.details = QPlainTextEdit(explained.details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())

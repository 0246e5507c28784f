"""Which sheet of a workbook holds the order? The sheets on the left (the first with a header
Orderpad recognises is preselected), the columns of the highlighted one on the right, read
off the GUI thread when it is first highlighted."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import Workspace
from app.ui.column_mapping import columns_model
from app.ui.context import AppContext

if TYPE_CHECKING:  # the quick-order engine is imported when a file is opened
    from app.services.quickorder import FilePreview

PREVIEW_DELAY_MS = 120  # arrowing through the sheets reads only the one the person stops at


def recognised(preview: FilePreview) -> bool:
    """Whether Orderpad found a header row it knows on the previewed sheet."""
    mapping = preview.detection.mapping
    return preview.detection.header_texts is not None and mapping is not None


class SheetChooserDialog(QDialog):
    """``sheet()`` is the chosen sheet after ``accepted``; ``chosen_preview()`` its preview
    when it was read while the dialog was open (None: read it again)."""

    def __init__(
        self, ctx: AppContext, preview: FilePreview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = preview.path
        self.previews: dict[str, FilePreview] = {preview.sheet: preview}
        self._asked: set[str] = {preview.sheet}
        self.setWindowTitle(self.tr("Which sheet holds the order?"))
        self.resize(760, 420)
        intro = QLabel(
            self.tr("<b>{0}</b> has {1} sheets. Pick the one with the order lines (Orderpad "
                    "selected the first where it recognised a header row).").format(
                html.escape(preview.path.name), len(preview.sheet_names))
        )  # fmt: skip
        intro.setWordWrap(True)
        self.sheets = QListWidget()
        self.sheets.setObjectName("sheetList")
        self.sheets.addItems(list(preview.sheet_names))
        self.sheets.setMaximumWidth(220)
        self.sheets.setSpacing(2)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.columns = columns_model(self)
        self.table = QTableView()
        self.table.setModel(self.columns)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((60, 120, 200)):
            self.table.setColumnWidth(column, width)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use this sheet"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addWidget(self.about)
        right.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addWidget(self.sheets)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._read_current)
        self.sheets.currentRowChanged.connect(lambda _row: self._highlighted())
        self.sheets.itemActivated.connect(lambda _item: self.accept())
        self.sheets.setCurrentRow(list(preview.sheet_names).index(preview.sheet))
        self.sheets.setFocus()

    def sheet(self) -> str:
        item = self.sheets.currentItem()
        return item.text() if item is not None else next(iter(self.previews))

    def chosen_preview(self) -> FilePreview | None:
        return self.previews.get(self.sheet())

    def select(self, name: str) -> None:
        items = self.sheets.findItems(name, Qt.MatchFlag.MatchExactly)
        if items:
            self.sheets.setCurrentItem(items[0])

    # -- the highlighted sheet's columns -----------------------------------------------
    def _highlighted(self) -> None:
        name = self.sheet()
        preview = self.previews.get(name)
        if preview is not None:
            self._show(preview)
            return
        self.columns.set_rows([])
        self.about.setText(self.tr("Reading sheet “{0}”…").format(name))
        self._timer.start()

    def _read_current(self) -> None:
        name, path = self.sheet(), self.path
        if name in self._asked:
            return
        self._asked.add(name)

        def read(ws: Workspace) -> FilePreview:
            from app.services.quickorder import QuickOrderService

            return QuickOrderService(ws).preview_file(path, sheet=name)

        def done(preview: FilePreview) -> None:
            self.previews[preview.sheet] = preview
            if self.sheet() == preview.sheet:
                self._show(preview)

        def failed(exc: BaseException) -> bool:
            self._asked.discard(name)
            self.about.setText(self.tr("Sheet “{0}” cannot be read: {1}").format(name, exc))
            return True

        self.ctx.ops.run(read, on_success=done, on_error=failed, owner=self)

    def _show(self, preview: FilePreview) -> None:
        self.columns.set_rows(preview.detection.columns)
        if not preview.detection.columns:
            text = self.tr("Sheet “{0}” is empty.").format(preview.sheet)
        elif recognised(preview):
            mapping = preview.detection.mapping
            row = mapping.header_row if mapping is not None else None
            text = self.tr("Sheet “{0}”: header row {1} recognised.").format(preview.sheet, row)
        else:
            text = self.tr(
                "Sheet “{0}”: no header row Orderpad recognises (you will be asked which "
                "column is which)."
            ).format(preview.sheet)
        self.about.setText(text)

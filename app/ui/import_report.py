"""The per-row report of a spreadsheet import, a reorder or a saved list put into the cart:
every input row with what became of it, problems first, so nothing is dropped silently."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.quickorder import LineStatus, QuickOrderReport, RowOutcome
from app.ui import fmt
from app.ui.rows_model import Column, RowsModel

# Problems first: what was not added, then what was added with a warning, then the rows
# that had nothing to order, then the plain good rows.
STATUS_ORDER = {LineStatus.ERROR: 0, LineStatus.WARNING: 1, LineStatus.SKIPPED: 2, LineStatus.OK: 3}
TONE = {LineStatus.ERROR: "bad", LineStatus.WARNING: "warn", LineStatus.OK: "good"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportReport", text)


def status_text(status: LineStatus) -> str:
    return {
        LineStatus.OK: _tr("added"),
        LineStatus.WARNING: _tr("added, see note"),
        LineStatus.ERROR: _tr("not added"),
        LineStatus.SKIPPED: _tr("nothing to order"),
    }[status]


def rows_by_concern(report: QuickOrderReport) -> list[RowOutcome]:
    """Every input row of ``report``, errors first, then by row number."""
    return sorted(report.rows(), key=lambda r: (STATUS_ORDER[r.status], r.row))


def _quantity(outcome: RowOutcome) -> str:
    line = outcome.line
    asked = fmt.qty(outcome.requested)
    if line.quantity is None or not line.addable:
        return asked
    ordered = f"{fmt.qty(line.quantity)} {line.unit or ''}".strip()
    if line.corrected or len(line.inputs) > 1:
        return f"{asked} → {ordered}" if asked else ordered
    return ordered


def _message(outcome: RowOutcome) -> str:
    line = outcome.line
    text = line.message
    if outcome.merged_with and "merged" not in text:
        rows = ", ".join(str(r) for r in outcome.merged_with)
        text = (text + "; " if text else "") + _tr("merged with row {0}").format(rows)
    if line.suggestions and "did you mean" not in text:
        names = ", ".join(f"{s.sku} ({s.name})" for s in line.suggestions)
        text = (text + "; " if text else "") + _tr("did you mean {0}?").format(names)
    return text


def report_rows_model(parent: QWidget | None = None) -> RowsModel[RowOutcome]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("Row"), lambda r: str(r.row), numeric=True),
            Column(tr("Input"), lambda r: r.source.strip(), tooltip=lambda r: r.source),
            Column(tr("SKU"), lambda r: r.line.sku or ""),
            Column(tr("Qty"), _quantity, numeric=True),
            Column(tr("Status"), lambda r: status_text(r.status),
                   tone=lambda r: TONE.get(r.status)),
            Column(tr("Message"), _message, tooltip=_message),
        ],
        parent,
    )  # fmt: skip


def summary(report: QuickOrderReport) -> str:
    """ "12 rows: 9 added, 2 added with a note, 1 not added, 0 with nothing to order"."""
    counts = report.counts()
    rows = sum(counts.values())
    return _tr("{0} rows: {1} added, {2} added with a note, {3} not added, "
               "{4} with nothing to order").format(
        rows, counts["ok"], counts["warning"], counts["error"], counts["skipped"]
    )  # fmt: skip


class ImportReportDialog(QDialog):
    """Shows ``report`` row by row. With ``save_workbook`` a "Save report workbook…" button
    asks for a file name and hands it over (the caller writes it off the GUI thread)."""

    def __init__(
        self,
        title: str,
        heading: str,
        report: QuickOrderReport,
        parent: QWidget | None = None,
        *,
        save_workbook: Callable[[Path], None] | None = None,
        suggested_name: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1040, 540)
        self.report = report
        self._save_workbook = save_workbook
        self._suggested = suggested_name
        head = QLabel(f"<b>{heading}</b><br>{summary(report)}")
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        self.model = report_rows_model(self)
        self.model.set_rows(rows_by_concern(report))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        for column, width in enumerate((46, 230, 110, 90, 120)):
            self.table.setColumnWidth(column, width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.save_button: QPushButton | None = None
        if save_workbook is not None:
            self.save_action = QAction(self.tr("Save report workbook…"), self)
            self.save_action.setShortcut(QKeySequence.StandardKey.Save)
            self.addAction(self.save_action)
            self.save_action.triggered.connect(self.choose_file)
            self.save_button = buttons.addButton(
                self.tr("Save report workbook… (Ctrl+S)"), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.save_button.setToolTip(
                self.tr("Your own workbook with a status column and the problems highlighted")
            )
            self.save_button.clicked.connect(self.save_action.trigger)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus()  # no row selected: the colours of the statuses stay readable

    def choose_file(self) -> None:
        start = str(self._suggested or QSettings().value("import/dir", ""))
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save report workbook"), start, self.tr("Excel workbook (*.xlsx)")
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        if self._save_workbook is not None:
            if path.suffix.lower() != ".xlsx":
                path = path.with_suffix(".xlsx")
            self._save_workbook(path)


def batch_message(report: QuickOrderReport) -> str:
    """ "12 lines added" / "9 of 12 lines added; 3 not added (see the report)"."""
    counts = report.counts()
    rows = sum(counts.values())
    added = counts["ok"] + counts["warning"]
    if added == rows:
        return _tr("{0} lines added").format(added)
    return _tr("{0} of {1} lines added; {2} not added").format(added, rows, rows - added)


def show_batch_report(
    parent: QWidget, title: str, heading: str, report: QuickOrderReport
) -> ImportReportDialog | None:
    """After a reorder or a saved list went into the cart: the per-row report, shown only
    when some line was not simply added (a partial success says why each one was not)."""
    counts = report.counts()
    if counts["error"] == counts["warning"] == counts["skipped"] == 0:
        return None
    dialog = ImportReportDialog(title, heading, report, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog

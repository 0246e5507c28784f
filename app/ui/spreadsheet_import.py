"""A buyer's spreadsheet into the cart, from File ▸ Open spreadsheet… or a drop on the
quick-order screen: read it off the GUI thread, ask which sheet when the workbook has
several, ask for the columns when Orderpad is not sure, add the good rows, and show the
per-row report (with the round-trip workbook)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.ui.bus import Changes
from app.ui.context import AppContext

if TYPE_CHECKING:  # imported when a file is opened: the engine pulls in openpyxl
    from app.services.quickorder import ColumnMapping, FileImportOutcome, FilePreview
    from app.services.workspace import Workspace
    from app.ui.import_report import ImportReportDialog
    from app.ui.sheet_chooser import SheetChooserDialog

# What the import reads (.xls is let through so the person hears how to convert it).
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt")
CART_CHANGES = Changes(cart=True, outbox=True)


def spreadsheet_paths(mime: QMimeData) -> list[Path]:
    """The local spreadsheet files in a drag (none for text or other files)."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in SPREADSHEET_SUFFIXES]


def ask_for_spreadsheet(parent: QWidget) -> Path | None:
    """The file dialog of File ▸ Open spreadsheet… (remembers the folder)."""
    settings = QSettings()
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Open spreadsheet"),
        str(settings.value("import/dir", "")),
        parent.tr("Spreadsheets (*.xlsx *.xlsm *.csv *.tsv *.txt);;All files (*)"),
    )
    if not name:
        return None
    settings.setValue("import/dir", str(Path(name).parent))
    return Path(name)


@dataclass(frozen=True, slots=True)
class Imported:
    """An import and how to take it back: (line id, quantity before) per touched line."""

    outcome: FileImportOutcome
    undo: list[tuple[str, Decimal]]


def import_into_cart(
    ws: Workspace, path: Path, *, cart: str | None, sheet: str, mapping: ColumnMapping | None
) -> Imported:
    """Runs on the DB worker: check every row of the file and add the good ones."""
    from app.services.quickorder import QuickOrderService

    before = ws.cart_quantities(cart)
    outcome = QuickOrderService(ws).import_file(path, cart=cart, sheet=sheet, mapping=mapping)
    undo = {a.line_id: before.get(a.line_id, Decimal(0)) for a in outcome.added}
    return Imported(outcome, list(undo.items()))


class SpreadsheetImporter(QObject):
    """``open(path)`` runs the whole flow; dialogs are children of ``page`` (window-modal,
    never blocking). ``imported(Imported)`` fires after rows were added (the quick-order
    screen records the undo step); ``report_shown(dialog)`` when the report is up;
    ``dialog_closed`` when the person is done with a dialog (focus goes back to the scan
    field)."""

    imported = Signal(object)
    report_shown = Signal(object)
    dialog_closed = Signal()

    def __init__(
        self, ctx: AppContext, page: QWidget, *, feedback: Callable[[bool, str], None]
    ) -> None:
        super().__init__(page)
        self.ctx = ctx
        self.page = page
        self._feedback = feedback
        self.report: ImportReportDialog | None = None
        self.sheet_dialog: SheetChooserDialog | None = None  # the last one opened (tests look)

    def open(self, path: Path) -> None:
        self.ctx.notify(self.tr("Reading {0}…").format(path.name))

        def preview(ws: Workspace) -> FilePreview:
            from app.services.quickorder import QuickOrderService

            return QuickOrderService(ws).preview_file(path)

        self.ctx.ops.run(preview, on_success=self._previewed, owner=self.page)

    def _previewed(self, preview: FilePreview) -> None:
        if len(preview.sheet_names) > 1:
            self._ask_sheet(preview)
        else:
            self._read(preview)

    def _read(self, preview: FilePreview) -> None:
        if preview.needs_mapping or preview.mapping is None:
            self._ask_mapping(preview)
        else:
            self._import(preview.path, preview.sheet, None)

    def _ask_sheet(self, preview: FilePreview) -> None:
        from app.ui.sheet_chooser import SheetChooserDialog

        dialog = SheetChooserDialog(self.ctx, preview, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        path = preview.path

        def chosen() -> None:
            ready, sheet = dialog.chosen_preview(), dialog.sheet()
            if ready is not None:
                self._read(ready)
                return

            def again(ws: Workspace) -> FilePreview:
                from app.services.quickorder import QuickOrderService

                return QuickOrderService(ws).preview_file(path, sheet=sheet)

            self.ctx.ops.run(again, on_success=self._read, owner=self.page)

        def cancelled() -> None:
            self._feedback(False, self.tr("Import of {0} cancelled").format(path.name))
            self.dialog_closed.emit()

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(cancelled)
        self.sheet_dialog = dialog
        dialog.open()

    def _ask_mapping(self, preview: FilePreview) -> None:
        from app.ui.column_mapping import ColumnMappingDialog

        dialog = ColumnMappingDialog(preview, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def chosen() -> None:
            self._import(preview.path, preview.sheet, dialog.mapping)

        def cancelled() -> None:
            self._feedback(False, self.tr("Import of {0} cancelled").format(preview.path.name))
            self.dialog_closed.emit()

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(cancelled)
        dialog.open()

    def _import(self, path: Path, sheet: str, mapping: ColumnMapping | None) -> None:
        self.ctx.notify(self.tr("Importing {0}…").format(path.name))
        cart = self.ctx.cart_name
        self.ctx.ops.run(
            lambda ws: import_into_cart(ws, path, cart=cart, sheet=sheet, mapping=mapping),
            on_success=self._imported,
            changes=CART_CHANGES,
            owner=self.page,
        )

    def _imported(self, done: Imported) -> None:
        outcome = done.outcome
        if outcome.report is None:  # the remembered columns no longer fit: ask again
            self._ask_mapping(outcome.preview)
            return
        self.imported.emit(done)
        counts = outcome.report.counts()
        name = outcome.preview.path.name
        added = counts["ok"] + counts["warning"]
        message = self.tr("{0}: {1} rows added").format(name, added)
        if counts["error"]:
            message += self.tr(", {0} not added — see the report").format(counts["error"])
        self._feedback(counts["error"] == 0 and added > 0, message)
        self._show_report(outcome)

    def _show_report(self, outcome: FileImportOutcome) -> None:
        from app.ui.import_report import ImportReportDialog

        assert outcome.report is not None
        preview, mapping = outcome.preview, outcome.preview.mapping
        path = preview.path
        cart = outcome.cart or self.ctx.cart_name or self.tr("Default")
        heading = self.tr("{0} into cart “{1}”").format(path.name, cart)
        dialog = ImportReportDialog(
            self.tr("Import report"),
            heading,
            outcome.report,
            self.page,
            save_workbook=lambda target: self.save_report(path, preview.sheet, mapping, target),
            suggested_name=path.with_name(f"{path.stem}-report.xlsx"),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.report = dialog
        dialog.destroyed.connect(lambda _o=None: self._forget(dialog))
        dialog.finished.connect(lambda _r: self.dialog_closed.emit())
        dialog.open()
        self.report_shown.emit(dialog)

    def _forget(self, dialog: ImportReportDialog) -> None:
        if self.report is dialog:
            self.report = None

    def save_report(
        self, path: Path, sheet: str, mapping: ColumnMapping | None, target: Path
    ) -> None:
        """Write the buyer's workbook back with a status column (checked again, nothing
        added: the rows are in the cart already)."""

        def write(ws: Workspace) -> Path | None:
            from app.services.quickorder import QuickOrderService

            outcome = QuickOrderService(ws).import_file(
                path, sheet=sheet, mapping=mapping, dry_run=True, report_to=target
            )
            return outcome.report_path

        def written(where: Path | None) -> None:
            self.ctx.notify(self.tr("Report saved to {0}").format(where or target))

        self.ctx.ops.run(write, on_success=written)

"""Where every error goes: a friendly message for what a person can meet or fix (offline,
sign-in, a refused request, a full disk), and a report dialog with copyable details for
anything else (a bug). Either way nothing typed is lost: changes are already in the outbox."""

from __future__ import annotations

import errno
import platform
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from app import __version__
from app.services.views import WorkspaceError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

from app.sync.errors import (
    ClientTooOld,
    Offline,
    RequestRefused,
    ServerBusy,
    SignInRequired,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


@dataclass(frozen=True, slots=True)
class Explained:
    """An error in the person's words; ``bug`` says it is ours, with ``details`` to copy."""

    title: str
    message: str
    bug: bool = False
    details: str = ""


def explain(exc: BaseException) -> Explained:
    """Say what happened and what to do; unknown exceptions become bug reports."""
    text = str(exc).strip()
    if isinstance(exc, Offline):
        return Explained(
            _tr("You are offline"),
            _tr("The server could not be reached. Keep working: your changes are kept "
                "and sent on the next sync.") + (f"\n\n{text}" if text else ""),
        )  # fmt: skip
    if isinstance(exc, SignInRequired):
        return Explained(
            _tr("Please sign in again"),
            _tr("Your session ended. Use File ▸ Sign in or switch profile…; queued changes "
                "are kept and sent after you sign in."),
        )  # fmt: skip
    if isinstance(exc, ClientTooOld):
        return Explained(
            _tr("Orderpad needs an update"),
            _tr("The server no longer talks to this version. You can keep working offline; "
                "your changes are held until you update."),
        )  # fmt: skip
    if isinstance(exc, ServerBusy):
        return Explained(
            _tr("The server is busy"),
            _tr("Orderpad tries again in a moment by itself.") + (f"\n\n{text}" if text else ""),
        )
    if isinstance(exc, RequestRefused):
        return Explained(_tr("The server said no"), text)
    if isinstance(exc, WorkspaceError):
        return Explained(_tr("That did not work"), text[:1].upper() + text[1:])
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return Explained(
            _tr("The disk is full"),
            _tr("Free some space, then try again. Nothing already saved was lost."),
        )
    if isinstance(exc, PermissionError):
        return Explained(
            _tr("No permission"),
            _tr("Orderpad may not write here: {0}").format(exc.filename or text),
        )
    details = "".join(traceback.format_exception(exc))
    details += (
        f"\nOrderpad {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
    )
    return Explained(
        _tr("Something went wrong in Orderpad"),
        _tr("This is a bug, not something you did. Your work is saved. Please copy the "
            "details below into a report to your supplier's support."),
        bug=True,
        details=details,
    )  # fmt: skip


class ErrorReporter(QObject):
    """The one place errors end up. Shows a window-modal box without blocking the caller;
    `reported` lets a status bar (or a test) see every message."""

    reported = Signal(object)  # Explained

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None
        self.last: Explained | None = None
        self.show_dialogs = True

    def report(self, exc: BaseException) -> Explained:
        explained = explain(exc)
        self.last = explained
        self.reported.emit(explained)
        if self.show_dialogs:
            self._show(explained)
        return explained

    def _show(self, explained: Explained) -> None:
        from PySide6.QtWidgets import QMessageBox  # the dialogs load when first needed

        from app.ui.bug_report import ReportDialog

        if explained.bug:
            dialog: QDialog = ReportDialog(explained, self.window)
        else:
            box = QMessageBox(self.window)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(explained.title)
            box.setText(explained.title)
            box.setInformativeText(explained.message)
            dialog = box
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

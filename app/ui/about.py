"""Help ▸ About Orderpad: the versions, where the data lives, who is signed in where, and
"Copy diagnostics", which puts ``app.diagnostics``' report (never a token or a password) on
the clipboard for a support request."""

from __future__ import annotations

import platform
import sqlite3
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.diagnostics import diagnostics_text
from app.services.profile import Profile
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.resources import icon


def _distribution_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # a frozen bundle may drop the metadata
        return "unknown"


def versions() -> list[tuple[str, str]]:
    """(component, version) of everything a support person asks about first."""
    return [
        ("Orderpad", __version__),
        ("Python", platform.python_version()),
        ("Qt", str(qVersion())),
        ("PySide6", str(PySide6.__version__)),
        # From the package metadata: the window does not import the storage libraries.
        ("SQLAlchemy", _distribution_version("SQLAlchemy")),
        ("SQLite", sqlite3.sqlite_version),
        ("Operating system", platform.platform()),
    ]


class AboutDialog(QDialog):
    """Open with ``AboutDialog(ctx, parent).open()``. The profile is read off the GUI thread;
    until it arrives the server and account rows say "…"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("About Orderpad"))
        self.setMinimumWidth(520)

        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(48, 48))
        title = QLabel(self.tr("Orderpad {0}").format(__version__))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        tagline = QLabel(self.tr("Ordering that works offline."))
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(tagline)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, version in versions():
            form.addRow(name, self._value(version))
        self.data_folder = self._value(str(ctx.workspace.data_dir))
        self.server = self._value("…")
        self.account = self._value("…")
        self.user = self._value("…")
        form.addRow(self.tr("Data folder"), self.data_folder)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Account"), self.account)
        form.addRow(self.tr("Signed in as"), self.user)

        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            self.tr("Copy diagnostics"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip(
            self.tr("Versions, data folder and sync state for a support request; no passwords "
                    "or tokens")
        )  # fmt: skip
        self.copy_button.clicked.connect(self.copy_diagnostics)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        def read_profile(ws: Workspace) -> Profile | None:
            return ws.profile

        ctx.ops.run(read_profile, on_success=self._show_profile, owner=self)

    @staticmethod
    def _value(text: str) -> QLabel:
        # No word wrap: paths and URLs have no spaces to break at, and a wrapped label in a
        # form is given one line's height and cut off.
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _show_profile(self, profile: Profile | None) -> None:
        if profile is None:
            self.server.setText(self.tr("not signed in"))
            self.account.setText("—")
            self.user.setText("—")
        else:
            self.server.setText(profile.server_url)
            self.account.setText(f"{profile.account_number} {profile.account_name}")
            self.user.setText(profile.email)
        self.adjustSize()  # the rows grew

    def copy_diagnostics(self) -> None:
        """Build the report in the background, then put it on the clipboard."""
        self.copy_button.setEnabled(False)
        self.message.setText(self.tr("Collecting diagnostics…"))

        def failed(_exc: BaseException) -> bool:
            self.copy_button.setEnabled(True)
            self.message.clear()
            return False  # the app's error reporter explains it

        self.ctx.ops.run(diagnostics_text, on_success=self._copied, on_error=failed, owner=self)

    def _copied(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.copy_button.setEnabled(True)
        self.message.setText(
            self.tr("Copied. Paste it into your message to support; it holds no password "
                    "or token.")
        )  # fmt: skip
        self.adjustSize()

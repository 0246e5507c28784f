"""Sign in (online, once): server address, e-mail, password. Afterwards the app opens offline
on the same data folder. Several profiles (server + account + e-mail) live side by side, each
in its own data folder: the dialog switches between them or adds one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.profile import SavedProfile, profile_dir_for, sign_in_to_profile
from app.services.workspace import Workspace
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.errors import explain
from app.ui.ops import Lane

NEW = -1  # the "New profile…" entry


def profile_label(entry: SavedProfile) -> str:
    """How a profile is named in lists: e-mail, account and server."""
    p = entry.profile
    if p is None:
        return QCoreApplication.translate("SignInDialog", "This computer (not signed in yet)")
    host = p.server_url.split("://", 1)[-1]
    return f"{p.account_name} — {p.email} · {host}"


class SignInDialog(QDialog):
    """``profiles``: the saved profiles (the profile chooser is shown when given);
    ``switch_requested(data folder)`` asks the application to open another profile."""

    switch_requested = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        server: str = "",
        email: str = "",
        profiles: list[SavedProfile] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profiles = profiles or []
        self.current = ctx.workspace.data_dir
        self.setWindowTitle(self.tr("Sign in to Orderpad"))
        self.setMinimumWidth(480)
        intro = QLabel(
            self.tr("Sign in once while online. Orderpad then keeps your catalog, prices and "
                    "orders on this computer and works without a connection.")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.chooser = QComboBox()
        self.chooser.setObjectName("profileChooser")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for number, entry in enumerate(self.profiles):
            mark = self.tr(" (open now)") if entry.data_dir == self.current else ""
            self.chooser.addItem(profile_label(entry) + mark, number)
            self.chooser.setItemData(
                number, f"{profile_label(entry)}\n{entry.data_dir}", Qt.ItemDataRole.ToolTipRole
            )
        self.chooser.addItem(self.tr("New profile (another server or account)…"), NEW)
        self.server = QLineEdit(server or "http://127.0.0.1:8765")
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("name@company.example")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c83737;")
        self.problem.hide()
        form = QFormLayout()
        if self.profiles:
            form.addRow(self.tr("Profile"), self.chooser)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        form.setVerticalSpacing(8)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.note.hide()
        if self.profiles:
            current = next(
                (n for n, e in enumerate(self.profiles) if e.data_dir == self.current), 0
            )
            self.chooser.setCurrentIndex(current)
            self._chosen()
            self.chooser.currentIndexChanged.connect(self._chosen)
        (self.password if email else self.email).setFocus()

    # -- the profile chooser -----------------------------------------------------------
    def chosen(self) -> SavedProfile | None:
        """The saved profile chosen (None: a new one)."""
        number = self.chooser.currentData() if self.profiles else None
        if number is None:
            return SavedProfile(self.current, None)
        return None if number == NEW else self.profiles[number]

    def choose_new(self) -> None:
        self.chooser.setCurrentIndex(self.chooser.findData(NEW))

    def _chosen(self, *_args: object) -> None:
        entry = self.chosen()
        self.problem.hide()
        self.password.clear()
        fixed = entry is not None and entry.profile is not None
        for line in (self.server, self.email):
            line.setReadOnly(fixed)
        if entry is None:
            self.email.clear()
            self.ok.setText(self.tr("Sign in and switch"))
            self._say(self.tr("The new profile gets its own catalog, carts and outbox; the "
                              "other profiles' data stays as it is."))  # fmt: skip
            self.email.setFocus()
            return
        if entry.profile is not None:
            self.server.setText(entry.profile.server_url)
            self.email.setText(entry.profile.email)
        if entry.data_dir == self.current:
            self.ok.setText(self.tr("Sign in"))
            self._say("")
        else:
            self.ok.setText(self.tr("Switch"))
            self._say(self.tr("Switching needs no password: that profile opens on its own "
                              "data, offline if need be. Enter the password to sign in to it "
                              "again."))  # fmt: skip
        self.password.setFocus()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # -- signing in --------------------------------------------------------------------
    def sign_in(self) -> None:
        entry = self.chosen()
        server, email, password = (
            self.server.text().strip(),
            self.email.text().strip(),
            self.password.text(),
        )
        if entry is not None and entry.data_dir != self.current and not password:
            self._switch(entry.data_dir)
            return
        if not (server and email and password):
            self._problem(self.tr("Fill in the server, your e-mail and your password."))
            return
        self.buttons.setEnabled(False)
        self.problem.hide()
        root = self.ctx.profiles_root
        transport = self.ctx.workspace.transport

        def work(ws: Workspace) -> SavedProfile:
            target = profile_dir_for(root, server, email) if entry is None else entry.data_dir
            if target == ws.data_dir:  # the open profile signs in through its workspace
                return SavedProfile(target, ws.login(server, email, password))
            return sign_in_to_profile(root, server, email, password, transport=transport)

        def failed(exc: BaseException) -> bool:
            self.buttons.setEnabled(True)
            explained = explain(exc)
            if explained.bug:
                return False
            self._problem(f"{explained.title}: {explained.message}")
            return True

        def done(signed: SavedProfile) -> None:
            if signed.data_dir != self.current:
                self._switch(signed.data_dir)
                return
            self.ctx.request_sync()
            self.accept()

        self.ctx.ops.run(
            work,
            lane=Lane.NET,
            on_success=done,
            on_error=failed,
            changes=Changes(status=True),
            owner=self,
        )

    def _switch(self, data_dir: Path) -> None:
        self.accept()
        self.switch_requested.emit(data_dir)

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

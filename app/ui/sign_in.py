"""Sign in (online, once): server address, e-mail, password. Afterwards the app opens offline
on the same data folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.profile import Profile
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.errors import explain
from app.ui.ops import Lane


class SignInDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, server: str = "", email: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Sign in to Orderpad"))
        self.setMinimumWidth(420)
        intro = QLabel(
            self.tr("Sign in once while online. Orderpad then keeps your catalog, prices and "
                    "orders on this computer and works without a connection.")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.server = QLineEdit(server or "http://127.0.0.1:8765")
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("name@company.example")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c83737;")
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        (self.password if email else self.email).setFocus()

    def sign_in(self) -> None:
        server, email, password = (
            self.server.text().strip(),
            self.email.text().strip(),
            self.password.text(),
        )
        if not (server and email and password):
            self._problem(self.tr("Fill in the server, your e-mail and your password."))
            return
        self.buttons.setEnabled(False)
        self.problem.hide()

        def work(ws: Workspace) -> Profile:
            return ws.login(server, email, password)

        def failed(exc: BaseException) -> bool:
            self.buttons.setEnabled(True)
            explained = explain(exc)
            if explained.bug:
                return False
            self._problem(f"{explained.title}: {explained.message}")
            return True

        def done(_profile: Profile) -> None:
            self.ctx.request_sync()
            self.accept()

        from app.ui.bus import Changes

        self.ctx.ops.run(
            work,
            lane=Lane.NET,
            on_success=done,
            on_error=failed,
            changes=Changes(status=True),
            owner=self,
        )

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

"""Help ▸ About Orderpad: versions, data folder, server and account; "Copy diagnostics" puts
the support report on the clipboard without the session's tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import __version__
from app.sync.tokens import TokenStore
from app.ui.about import AboutDialog
from app.ui.main_window import MainWindow
from tests.support import RunningServer
from tests.ui import fixtures
from tests.ui.fixtures import BUYER, OFFSCREEN_NOISE, PASSWORD, save_shot, wait_for

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_about_shows_versions_and_copies_diagnostics_without_secrets(
    qtbot: QtBot, window: MainWindow, demo_server: RunningServer, tmp_path: Path
) -> None:
    folder = window.ctx.workspace.data_dir
    profile = window.ctx.workspace.profile
    assert profile is not None
    tokens = TokenStore(folder, profile.key).load()
    assert tokens is not None  # the signed-in folder holds a real session

    window.show_about()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    wait_for(qtbot, window, lambda: dialog.user.text() == BUYER)
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    for text in (f"Orderpad {__version__}", str(folder), demo_server.url, "10010", "SQLAlchemy"):
        assert text in shown, text

    clipboard = QApplication.clipboard()
    clipboard.clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, window, lambda: bool(clipboard.text()))
    copied = clipboard.text()
    assert f"Orderpad {__version__}" in copied
    assert f"Data folder {folder}" in copied
    assert BUYER in copied
    for secret in (tokens.access_token, tokens.refresh_token, PASSWORD):
        assert secret not in copied
    assert "Copied" in dialog.message.text()
    save_shot(dialog, "about.png", tmp_path)

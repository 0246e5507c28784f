"""Starting the desktop app: the QApplication, the workspace, the main window; the
`demo --screenshot` mode that saves the window once the first sync is done; and, for the
cold-start benchmark, ORDERPAD_EXIT_AFTER_FIRST_PAINT=1: quit after the first paint with
data (the quick-order cart and the status bar loaded), printing ``FIRST-PAINT``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.demo import DemoServer
from app.services.workspace import Workspace
from app.ui.context import AppContext, UiSettings
from app.ui.main_window import MainWindow
from app.ui.resources import icon

log = logging.getLogger("orderpad.ui")
SCREENSHOT_TIMEOUT_MS = 300_000
FIRST_PAINT_ENV = "ORDERPAD_EXIT_AFTER_FIRST_PAINT"


def application(argv: list[str] | None = None, *, font: str | None = None) -> QApplication:
    """The QApplication (created once). Fusion follows the system's light or dark scheme."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("Orderpad")
    QCoreApplication.setApplicationName("Orderpad")
    app.setStyle("Fusion")
    app.setWindowIcon(icon("app"))
    if font:
        family, _, size = font.partition(":")
        app.setFont(QFont(family, int(size or 10)))
    return app


def run_gui(
    data_dir: Path | None,
    *,
    demo: bool = False,
    demo_skus: int | None = None,
    screenshot: Path | None = None,
) -> int:
    """Open the main window; returns the exit code. With ``demo`` a local server is started
    (seeded the first time) and the demo buyer signed in; with ``screenshot`` the window is
    saved there after the first sync and the app quits."""
    app = application(font="DejaVu Sans:10" if screenshot else None)
    try:
        workspace = Workspace(data_dir)
    except Exception as exc:  # a replica from a newer Orderpad, a folder we may not write
        QMessageBox.critical(None, "Orderpad", f"Cannot open the data folder: {exc}")
        return 1
    server = DemoServer(workspace.data_dir, skus=demo_skus) if demo else None
    ctx = AppContext(workspace, settings=UiSettings.load(), demo=server)
    window = MainWindow(ctx)
    window.show()
    result = {"code": 0}
    if screenshot is not None:
        _arrange_screenshot(window, screenshot, result)
    elif os.environ.get(FIRST_PAINT_ENV) == "1":
        _exit_after_first_paint(window)
    elif not demo and workspace.profile is None:
        QTimer.singleShot(0, window.open_sign_in)
    try:
        code = app.exec()
    finally:
        window.shut_down()
    return result["code"] or code


def _arrange_screenshot(window: MainWindow, path: Path, result: dict[str, int]) -> None:
    """After the first sync round, let the screens load, then grab the window and quit."""
    ctx = window.ctx

    def grab() -> None:
        ctx.ops.wait_idle(20_000)
        QCoreApplication.processEvents()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(path)):
            log.error("could not write %s", path)
            result["code"] = 1
        QCoreApplication.exit(result["code"])

    def synced(ok: bool, message: str) -> None:
        if not ok:
            print(f"orderpad demo: the first sync failed: {message}", file=sys.stderr)
            result["code"] = 1
        ctx.sync.stop()
        QTimer.singleShot(800, grab)

    def too_slow() -> None:
        print("orderpad demo: no sync finished in time", file=sys.stderr)
        result["code"] = 1
        grab()

    ctx.sync.finished.connect(synced)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, too_slow)


def _exit_after_first_paint(window: MainWindow) -> None:
    """Poll (every 2 ms, on the GUI thread) until the screens hold data, paint the window
    once, say so on stdout and quit: the benchmark times a cold start to here."""
    poll = QTimer(window)

    def check() -> None:
        if window.status is None or window.quick.pad.snapshot is None:
            return
        poll.stop()
        window.repaint()
        print("FIRST-PAINT", flush=True)
        QCoreApplication.exit(0)

    poll.timeout.connect(check)
    poll.start(2)

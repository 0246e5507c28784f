"""Starting the desktop app: the QApplication, the workspace of the chosen profile, the main
window (and, on a profile switch, the next one: ``ProfileSwitcher``). The window paints
first, with the first view kept from the last session when it is current, and the replica
opens behind it (app.ui.context.OpenLater); a folder that cannot be opened is reported
then. Also the
`demo --screenshot` mode that saves the window once the first sync is done; and, for the
cold-start benchmark, ORDERPAD_EXIT_AFTER_FIRST_PAINT=1: quit after the first paint with
data (the quick-order cart and the status bar loaded), printing ``FIRST-PAINT``."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services import first_view
from app.services.profile import (
    current_profile_dir,
    default_data_dir,
    load_profile,
    set_current_profile,
)
from app.ui.context import AppContext, OpenLater, UiSettings
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
    """Open the main window on the chosen profile of ``data_dir`` (the per-user folder when
    None); returns the exit code. With ``demo`` a local server is started (seeded the first
    time) and the demo buyer signed in; with ``screenshot`` the window is saved there after
    the first sync and the app quits."""
    app = application(font="DejaVu Sans:10" if screenshot else None)
    root = (data_dir or default_data_dir()).expanduser().resolve()
    if demo:
        from app.services.demo import DemoServer

        def demo_context(folder: Path) -> AppContext:
            server = DemoServer(folder, skus=demo_skus)
            return AppContext(OpenLater(folder), first=first_view.load(folder),
                              settings=UiSettings.load(folder), demo=server)  # fmt: skip

        switcher = ProfileSwitcher(root, demo_context)
        start = root  # the demo's own folder: its server lives with that profile
    else:
        switcher = ProfileSwitcher(root)
        start = current_profile_dir(root)
    try:
        window = switcher.open(start)
    except Exception as exc:  # a folder we may not read
        QMessageBox.critical(None, "Orderpad", f"Cannot open the data folder: {exc}")
        return 1
    switcher.gave_up.connect(lambda: QCoreApplication.exit(1))
    result = {"code": 0}
    if screenshot is not None:
        _arrange_screenshot(window, screenshot, result)
    elif os.environ.get(FIRST_PAINT_ENV) == "1":
        _exit_after_first_paint(window)
    elif not demo and load_profile(window.ctx.data_dir) is None:
        QTimer.singleShot(0, window.open_sign_in)
    try:
        code = app.exec()
    finally:
        if switcher.window is not None:
            switcher.window.shut_down()
    return result["code"] or switcher.exit_code or code


def open_context(root: Path) -> Callable[[Path], AppContext]:
    """How a profile's window context is made: its workspace and its own settings."""

    def make(data_dir: Path) -> AppContext:
        return AppContext(
            OpenLater(data_dir),
            first=first_view.load(data_dir),
            settings=UiSettings.load(data_dir),
            profiles_root=root,
        )

    return make


class ProfileSwitcher(QObject):
    """Keeps the one main window, and opens another profile's in its place when the person
    switches: the old window stops syncing, lets its running work finish (the window stays
    responsive meanwhile), closes its replica (whatever is queued stays in that profile's
    outbox) and only then the new window opens on the other data folder; when that folder
    cannot be opened, the person is told and the window opens on the previous one again.
    ``switched(window)`` fires with the new window; ``make_context(data folder)`` builds a
    window's context. ``exit_code`` is 1 when the first folder could not be opened."""

    switched = Signal(object)
    gave_up = Signal()  # the first folder could not be opened: nothing to show

    def __init__(
        self, root: Path, make_context: Callable[[Path], AppContext] | None = None
    ) -> None:
        super().__init__()
        self.root = root
        self.make_context = make_context or open_context(root)
        self.window: MainWindow | None = None
        self.exit_code = 0

    def open(self, data_dir: Path, *, fallback: Path | None = None) -> MainWindow:
        """Open a window on ``data_dir``; if its replica turns out not to open, the window on
        ``fallback`` replaces it (none: the app quits with exit code 1)."""
        window = MainWindow(self.make_context(data_dir))
        window.profile_switch_requested.connect(self.switch)
        window.ctx.ops.open_failed.connect(
            lambda exc, w=window: self._open_failed(w, exc, fallback)
        )
        self.window = window
        window.show()
        return window

    def _open_failed(self, window: MainWindow, exc: BaseException, fallback: Path | None) -> None:
        """A replica from a newer Orderpad, a folder that cannot be written: nothing in it
        was changed."""
        if fallback is None:
            QMessageBox.critical(window, "Orderpad", f"Cannot open the data folder: {exc}")
            self.exit_code = 1
            window.close()
            self.gave_up.emit()  # run_gui ends the app with exit code 1
            return
        QMessageBox.critical(window, "Orderpad", f"Cannot open that profile: {exc}")
        self._replace(window, fallback, remember=False)

    def switch(self, data_dir: Path) -> None:
        old = self.window
        if old is None:
            self.open(data_dir)
            return
        if Path(data_dir).resolve() == old.ctx.data_dir:
            return
        old.ctx.sync.stop()
        old.setEnabled(False)  # nothing new is started while the running work finishes
        if not old.ctx.ops.pending:
            self._replace(old, Path(data_dir))
            return
        old.statusBar().showMessage(old.tr("Finishing the running work, then switching…"))

        def idle() -> None:
            old.ctx.ops.idle.disconnect(idle)
            self._replace(old, Path(data_dir))

        old.ctx.ops.idle.connect(idle)

    def _replace(self, old: MainWindow, data_dir: Path, *, remember: bool = True) -> None:
        geometry = old.saveGeometry()
        previous = old.ctx.data_dir
        old.shut_down()
        try:
            window = self.open(data_dir, fallback=previous if remember else None)
        except Exception as exc:
            log.exception("could not open the profile in %s", data_dir)
            QMessageBox.critical(old, "Orderpad", f"Cannot open that profile: {exc}")
            window = self.open(previous)
        else:
            if remember:
                window.ctx.ops.when_open(lambda: self._remember(data_dir))
        window.restoreGeometry(geometry)
        old.close()
        old.deleteLater()
        self.switched.emit(window)

    def _remember(self, data_dir: Path) -> None:
        try:
            set_current_profile(self.root, data_dir)
        except OSError:
            log.exception("could not remember the profile chosen")


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

"""What every screen shares: the workspace, the operation helper, the data-changed bus, the
error reporter, the sync controller and the settings. One per main window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSettings, Signal

from app.services.demo import DemoServer
from app.services.workspace import Workspace
from app.ui.bus import DataBus
from app.ui.errors import ErrorReporter
from app.ui.ops import Operations
from app.ui.scanner import ScannerSettings
from app.ui.sync_controller import SyncController


@dataclass(frozen=True, slots=True)
class UiSettings:
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    sync_interval_s: float = 60.0
    stale_after: dt.timedelta = dt.timedelta(hours=24)
    sync_on_start: bool = True

    @classmethod
    def load(cls) -> UiSettings:
        """From the user's Orderpad settings (QSettings), e.g. in ~/.config/Orderpad:
        ``scanner/prefix``, ``scanner/suffix``, ``scanner/max_gap_ms``, ``scanner/min_length``,
        ``sync/interval_s``, ``sync/stale_after_hours``. Missing or bad values: defaults."""
        store = QSettings()
        default = cls()

        def number(key: str, fallback: float) -> float:
            try:
                return float(str(store.value(key, fallback)))
            except ValueError:
                return fallback

        scanner = ScannerSettings(
            prefix=str(store.value("scanner/prefix", "") or ""),
            suffix=str(store.value("scanner/suffix", "") or ""),
            max_gap_ms=int(number("scanner/max_gap_ms", default.scanner.max_gap_ms)),
            min_length=int(number("scanner/min_length", default.scanner.min_length)),
        )
        hours = number("sync/stale_after_hours", default.stale_after.total_seconds() / 3600)
        return cls(
            scanner=scanner,
            sync_interval_s=max(10.0, number("sync/interval_s", default.sync_interval_s)),
            stale_after=dt.timedelta(hours=hours),
        )


class AppContext(QObject):
    """``message(text)``: a short note for the status bar ("Added … to the cart")."""

    message = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        *,
        settings: UiSettings | None = None,
        demo: DemoServer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings or UiSettings()
        self.demo = demo
        self.cart_name: str | None = None  # the cart quick order fills; None: "Default"
        self.bus = DataBus(self)
        self.errors = ErrorReporter(self)
        self.ops = Operations(workspace, self.bus, self.errors, self)
        prepare = None
        if demo is not None:

            def prepare(ws: Workspace) -> None:
                demo.start()
                demo.sign_in(ws)

        self.sync = SyncController(
            self.ops, interval_s=self.settings.sync_interval_s, prepare=prepare, parent=self
        )
        self._closed = False

    @property
    def online(self) -> bool:
        return self.sync.online

    def notify(self, text: str) -> None:
        self.message.emit(text)

    def request_sync(self) -> None:
        self.sync.sync_now()

    def close(self) -> None:
        """Stop syncing, let running work finish, close the replica, stop the demo server."""
        if self._closed:
            return
        self._closed = True
        self.sync.stop()
        self.ops.shutdown()
        if self.demo is not None:
            self.demo.stop()
        self.workspace.close()

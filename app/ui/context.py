"""What every screen shares: the workspace, the operation helper, the data-changed bus, the
error reporter, the sync controller and the settings (``settings_changed`` when the person
changes them). One per main window.

The workspace is given open (tests, the command line) or as ``OpenLater(data folder)``:
then it opens on the DB worker once the window has painted, and the window shows the
first view kept from the last session meanwhile (app.services.first_view)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal

from app.services import first_view
from app.services.first_view import FirstView
from app.services.settings import (
    Preferences,
    has_preferences,
    load_preferences,
    save_preferences,
)
from app.ui.bus import DataBus
from app.ui.errors import ErrorReporter
from app.ui.ops import Operations
from app.ui.scanner import ScannerSettings
from app.ui.sync_controller import SyncController

if TYPE_CHECKING:  # the demo pulls in the server's tooling; a plain start does not need it
    from app.services.demo import DemoServer
    from app.services.workspace import Workspace

log = logging.getLogger("orderpad.ui")


@dataclass(frozen=True, slots=True)
class OpenLater:
    """A workspace on ``data_dir`` to be opened by the DB worker (see Operations.open)."""

    data_dir: Path

    def __call__(self) -> Workspace:
        from app.services.workspace import Workspace

        return Workspace(self.data_dir)


@dataclass(frozen=True, slots=True)
class UiSettings:
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    sync_interval_s: float = 60.0
    stale_after: dt.timedelta = dt.timedelta(hours=24)
    sync_on_start: bool = True
    scan_sounds: bool = True
    work_offline: bool = False  # start with sync switched off

    @classmethod
    def load(cls, data_dir: Path | None = None) -> UiSettings:
        """The profile's settings (``settings.json`` in its data folder, see the Settings
        dialog); without that file, the values an older Orderpad kept in QSettings (e.g.
        ~/.config/Orderpad): ``scanner/prefix``, ``scanner/suffix``, ``scanner/max_gap_ms``,
        ``scanner/min_length``, ``sync/interval_s``, ``sync/stale_after_hours``. Missing or
        bad values: defaults."""
        if data_dir is not None and has_preferences(data_dir):
            return cls.from_preferences(load_preferences(data_dir))
        return cls.from_preferences(_legacy_preferences())

    @classmethod
    def from_preferences(cls, prefs: Preferences, *, sync_on_start: bool = True) -> UiSettings:
        prefs = prefs.checked()
        return cls(
            scanner=ScannerSettings(
                prefix=prefs.scanner_prefix,
                suffix=prefs.scanner_suffix,
                max_gap_ms=prefs.scanner_max_gap_ms,
                min_length=prefs.scanner_min_length,
            ),
            sync_interval_s=prefs.sync_interval_s,
            stale_after=dt.timedelta(hours=prefs.stale_after_hours),
            sync_on_start=sync_on_start,
            scan_sounds=prefs.scan_sounds,
            work_offline=prefs.work_offline,
        )

    def to_preferences(self) -> Preferences:
        return Preferences(
            stale_after_hours=self.stale_after.total_seconds() / 3600,
            sync_interval_s=self.sync_interval_s,
            scanner_prefix=self.scanner.prefix,
            scanner_suffix=self.scanner.suffix,
            scanner_max_gap_ms=self.scanner.max_gap_ms,
            scanner_min_length=self.scanner.min_length,
            scan_sounds=self.scan_sounds,
            work_offline=self.work_offline,
        ).checked()


def _legacy_preferences() -> Preferences:
    store = QSettings()
    default = Preferences()

    def number(key: str, fallback: float) -> float:
        try:
            return float(str(store.value(key, fallback)))
        except ValueError:
            return fallback

    return Preferences(
        stale_after_hours=number("sync/stale_after_hours", default.stale_after_hours),
        sync_interval_s=number("sync/interval_s", default.sync_interval_s),
        scanner_prefix=str(store.value("scanner/prefix", "") or ""),
        scanner_suffix=str(store.value("scanner/suffix", "") or ""),
        scanner_max_gap_ms=int(number("scanner/max_gap_ms", default.scanner_max_gap_ms)),
        scanner_min_length=int(number("scanner/min_length", default.scanner_min_length)),
    ).checked()


class AppContext(QObject):
    """``message(text)``: a short note for the status bar ("Added … to the cart");
    ``settings_changed(UiSettings)``: new settings are in force (screens apply them)."""

    message = Signal(str)
    settings_changed = Signal(object)

    def __init__(
        self,
        workspace: Workspace | OpenLater,
        *,
        first: FirstView | None = None,
        settings: UiSettings | None = None,
        demo: DemoServer | None = None,
        profiles_root: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir: Path = workspace.data_dir
        self.transport = getattr(workspace, "transport", None)  # tests' network faults
        self.first_view = first  # shown until the workspace is open (None: nothing kept)
        # The data folder whose profiles the person can switch between (app.services.profile).
        self.profiles_root = profiles_root or self.data_dir
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
        if self.settings.work_offline:
            self.sync.set_work_offline(True)
        self._closed = False

    @property
    def workspace(self) -> Workspace:
        """The open workspace (raises before it is): for handing on, never for work on the
        GUI thread (that goes through ``ops.run``)."""
        return self.ops.workspace

    @property
    def online(self) -> bool:
        return self.sync.online

    def notify(self, text: str) -> None:
        self.message.emit(text)

    def request_sync(self) -> None:
        self.sync.sync_now()

    def change_settings(self, settings: UiSettings) -> None:
        """Put ``settings`` in force now and keep them in this profile's data folder (the
        file is written by the worker)."""
        before, self.settings = self.settings, settings
        self.sync.interval_s = settings.sync_interval_s
        if settings.work_offline != before.work_offline:
            self.sync.set_work_offline(settings.work_offline)
        self.settings_changed.emit(settings)
        prefs = settings.to_preferences()
        self.ops.run(lambda ws: save_preferences(ws.data_dir, prefs))

    def close(self) -> None:
        """Stop syncing, let running work finish, keep the first view for the next start,
        close the replica, stop the demo server."""
        if self._closed:
            return
        self._closed = True
        self.sync.stop()
        self.ops.shutdown()  # the workers are idle from here on
        if self.demo is not None:
            self.demo.stop()
        if not self.ops.is_open:
            return
        workspace = self.ops.workspace
        try:
            view = first_view.capture(workspace)
        except Exception:  # never in the way of closing
            log.warning("could not take the first view", exc_info=True)
            view = None
        workspace.close()
        try:
            if view is None:
                first_view.forget(self.data_dir)
            else:
                first_view.save(self.data_dir, view)
        except OSError:
            log.warning("could not keep the first view", exc_info=True)

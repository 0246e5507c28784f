"""When to sync and what the connection looks like: on start, every minute, on request;
backing off while the server cannot be reached; never while the person works offline.
The protocol itself lives in app.sync; this only drives it and reports its state."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.services.views import WorkspaceError
from app.sync.backoff import Backoff
from app.sync.errors import ClientTooOld, Offline, ServerBusy, SignInRequired
from app.ui.bus import Changes
from app.ui.ops import Lane, Operations

if TYPE_CHECKING:
    from app.services.workspace import SyncReport, Workspace

MIN_RETRY_S = 5.0
# What a push without a pull can change: the answers to queued carts and orders.
LOCAL_CHANGES = Changes(cart=True, orders=True, outbox=True, status=True)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncController", text)


class Connection(StrEnum):
    UNKNOWN = "unknown"  # no sync tried yet
    ONLINE = "online"
    OFFLINE = "offline"
    BUSY = "busy"  # the server answered "later"
    WORKING_OFFLINE = "working_offline"  # the person switched sync off
    SIGN_IN = "sign_in"  # the session ended
    NOT_SIGNED_IN = "not_signed_in"
    TOO_OLD = "too_old"


class NotSignedIn(WorkspaceError):
    """This data folder has no profile yet."""


class SyncController(QObject):
    """``connection_changed(Connection)``, ``syncing_changed(bool)``, ``progress(text)``,
    ``finished(ok, text)``. ``prepare(ws)``, if given, runs once before the first sync (the
    demo starts its server and signs in there)."""

    connection_changed = Signal(str)
    syncing_changed = Signal(bool)
    progress = Signal(str)
    finished = Signal(bool, str)

    def __init__(
        self,
        ops: Operations,
        *,
        interval_s: float = 60.0,
        prepare: Callable[[Workspace], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.interval_s = interval_s
        self.prepare = prepare
        self.connection = Connection.UNKNOWN
        self.syncing = False
        self.work_offline = False
        self.rounds = 0  # finished sync attempts, successful or not
        self.last_message = ""
        self.backoff = Backoff(base_s=MIN_RETRY_S, cap_s=300.0)
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)

    @property
    def online(self) -> bool:
        return self.connection == Connection.ONLINE

    def start(self) -> None:
        self._timer.start(0)

    def stop(self) -> None:
        self._timer.stop()

    def set_work_offline(self, on: bool) -> None:
        self.work_offline = on
        if on:
            self._timer.stop()
            self._set(Connection.WORKING_OFFLINE)
        else:
            self._set(Connection.UNKNOWN)
            self.sync_now()

    def sync_now(self) -> None:
        """Sync as soon as possible (after the running round, if one is running)."""
        if self.work_offline:
            self.progress.emit(_tr("Working offline: sync is switched off"))
            return
        if self.syncing:
            self._again = True
            return
        self._timer.stop()
        self.syncing = True
        self.syncing_changed.emit(True)
        prepare = self.prepare

        def work(ws: Workspace) -> SyncReport:
            if prepare is not None:
                prepare(ws)
                self.prepare = None
            if ws.profile is None:
                raise NotSignedIn(_tr("not signed in"))
            return ws.sync(progress=lambda p: self.progress.emit(p.message))

        self.ops.run(work, lane=Lane.NET, on_success=self._succeeded, on_error=self._failed)

    # -- results -----------------------------------------------------------------------
    def _succeeded(self, report: SyncReport) -> None:
        self.backoff.reset()
        self._set(Connection.ONLINE)
        if report.pulled_rows or report.redownloaded or report.dropped:
            changes = Changes.everything()
        elif report.pushed:
            changes = LOCAL_CHANGES
        else:
            # Only the freshness moved (and notifications a failed round left to compare).
            changes = Changes(status=True, notifications=True)
        self._done(True, report.summary(), self.interval_s, changes)

    def _failed(self, exc: BaseException) -> bool:
        handled = True
        delay: float | None = self.interval_s
        if isinstance(exc, Offline):
            self._set(Connection.OFFLINE)
            delay = max(MIN_RETRY_S, self.backoff.next_delay())
        elif isinstance(exc, ServerBusy):
            self._set(Connection.BUSY)
            delay = max(MIN_RETRY_S, self.backoff.next_delay())
        elif isinstance(exc, SignInRequired):
            self._set(Connection.SIGN_IN)
            delay = None
        elif isinstance(exc, NotSignedIn):
            self._set(Connection.NOT_SIGNED_IN)
            delay = None
        elif isinstance(exc, ClientTooOld):
            self._set(Connection.TOO_OLD)
        else:
            handled = False  # a bug or a refused request: the error reporter shows it
        # A failed round may still have sent part of the outbox (or pulled a page).
        self._done(False, str(exc), delay, Changes.everything())
        return handled

    def _done(self, ok: bool, message: str, delay_s: float | None, changes: Changes) -> None:
        self.syncing = False
        self.rounds += 1
        self.last_message = message
        self.syncing_changed.emit(False)
        self.ops.bus.announce(changes)
        self.finished.emit(ok, message)
        if self.work_offline:
            return
        if self._again:
            self._again = False
            self._timer.start(0)
        elif delay_s is not None:
            self._timer.start(int(delay_s * 1000))

    def _set(self, connection: Connection) -> None:
        if connection != self.connection:
            self.connection = connection
            self.connection_changed.emit(str(connection))

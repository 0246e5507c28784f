"""The one helper for every slow call: run a function off the GUI thread, deliver its result
on the GUI thread, route its error to one place, and announce what it changed.

    ops.run(lambda ws: ws.add_to_cart(sku, qty), changes=Changes(cart=True),
            on_success=lambda line_id: ...)

Two lanes, each a single worker thread, so replica work is serialised (a SQLAlchemy session
never crosses threads) and a slow network round never holds up a scan: ``Lane.DB`` for reads
and local writes, ``Lane.NET`` for sign-in, sync and the demo server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from app.services.workspace import Workspace
from app.ui.bus import Changes, DataBus
from app.ui.errors import ErrorReporter

log = logging.getLogger("orderpad.ui.ops")
T = TypeVar("T")


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


class Lane(Enum):
    DB = "db"
    NET = "net"


class _Relay(QObject):
    """Lives on the GUI thread; a worker emits a closure and it runs here (queued)."""

    deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def _run(self, fn: Callable[[], None]) -> None:
        fn()


class _Job(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work = work
        self.setAutoDelete(True)

    def run(self) -> None:
        self.work()


class Operations(QObject):
    """Runs work for the UI. ``pending`` counts jobs not yet delivered; ``idle`` fires when it
    drops to zero (tests and the screenshot command wait on it)."""

    busy_changed = Signal(bool)
    idle = Signal()

    def __init__(
        self,
        workspace: Workspace,
        bus: DataBus,
        errors: ErrorReporter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.bus = bus
        self.errors = errors
        self._relay = _Relay(self)
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        for pool in self._pools.values():
            pool.setMaxThreadCount(1)
        self.pending = 0
        self._closed = False

    def run(
        self,
        work: Callable[[Workspace], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
        changes: Changes | None = None,
        lane: Lane = Lane.DB,
        owner: QObject | None = None,
    ) -> None:
        """Run ``work(workspace)`` on ``lane``; then, on the GUI thread, announce ``changes``
        and call ``on_success(result)``. An exception goes to ``on_error`` first (return
        True when handled) and else to the app's ErrorReporter. When ``owner`` (a dialog,
        say) is gone by then, the callbacks are skipped; the changes are still announced."""
        if self._closed:
            return
        self._started()
        workspace = self.workspace

        def job() -> None:
            try:
                result = work(workspace)
            except BaseException as exc:  # delivered to the GUI thread, never swallowed
                self._relay.deliver.emit(lambda e=exc: self._failed(e, on_error, owner))
                return
            self._relay.deliver.emit(lambda: self._succeeded(result, on_success, changes, owner))

        self._pools[lane].start(_Job(job))

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job is delivered (for tests and the screenshot)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        while self.pending and not deadline.hasExpired():
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            for pool in self._pools.values():
                pool.waitForDone(5)
        return self.pending == 0

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Finish running jobs and drop their callbacks (the windows are going away)."""
        self._closed = True
        for pool in self._pools.values():
            pool.clear()
            pool.waitForDone(timeout_ms)

    # -- internals ---------------------------------------------------------------------
    def _started(self) -> None:
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)

    def _finished(self) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
            self.idle.emit()

    def _succeeded(
        self,
        result: Any,
        on_success: Callable[[Any], None] | None,
        changes: Changes | None,
        owner: QObject | None,
    ) -> None:
        try:
            if self._closed:
                return
            if changes:
                self.bus.announce(changes)
            if on_success is not None and _alive(owner):
                on_success(result)
        except Exception as exc:
            self.errors.report(exc)
        finally:
            self._finished()

    def _failed(
        self,
        exc: BaseException,
        on_error: Callable[[BaseException], bool] | None,
        owner: QObject | None,
    ) -> None:
        try:
            if self._closed:
                log.info("dropped an error after shutdown: %r", exc)
                return
            if on_error is not None and _alive(owner) and on_error(exc):
                return
            self.errors.report(exc)
        except Exception as inner:
            self.errors.report(inner)
        finally:
            self._finished()

"""The one helper for every slow call: run a function off the GUI thread, deliver its result
on the GUI thread, route its error to one place, and announce what it changed.

    ops.run(lambda ws: ws.add_to_cart(sku, qty), changes=Changes(cart=True),
            on_success=lambda line_id: ...)

Two lanes, each a single worker thread, so replica work is serialised (a SQLAlchemy session
never crosses threads) and a slow network round never holds up a scan: ``Lane.DB`` for reads
and local writes, ``Lane.NET`` for sign-in, sync and the demo server.

The workspace may be given open, or as a function that opens it: then work is held until
``open()`` (the window calls it once it has painted), the opening runs first on the DB
lane, and everything held runs after it, in order; ``opened`` or ``open_failed(error)``
says how it went. That keeps the replica's libraries off the first paint's path.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from app.ui.bus import Changes, DataBus

if TYPE_CHECKING:
    from app.services.workspace import Workspace
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
    opened = Signal()
    open_failed = Signal(object)

    def __init__(
        self,
        workspace: Workspace | Callable[[], Workspace],
        bus: DataBus,
        errors: ErrorReporter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bus = bus
        self.errors = errors
        self._relay = _Relay(self)
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        for pool in self._pools.values():
            pool.setMaxThreadCount(1)
        self.pending = 0
        self._closed = False
        self._ready = threading.Event()  # set once opening is over, opened or not
        self._workspace: Workspace | None = None
        self._opener: Callable[[], Workspace] | None = None
        self._held: list[tuple[Lane, _Job]] = []
        if callable(workspace):
            self._opener = workspace
        else:
            self._workspace = workspace
            self._ready.set()

    @property
    def is_open(self) -> bool:
        return self._workspace is not None

    @property
    def workspace(self) -> Workspace:
        """The open workspace (for the GUI thread only to hand on; work goes through run)."""
        if self._workspace is None:
            raise RuntimeError("the data folder is not open yet")
        return self._workspace

    def when_open(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the GUI thread once the workspace is open (now, when it is)."""
        if self._workspace is not None:
            fn()
        else:
            self.opened.connect(fn, Qt.ConnectionType.SingleShotConnection)

    def open(self) -> None:
        """Open the workspace on the DB lane, then start the work held meanwhile."""
        opener, self._opener = self._opener, None
        if opener is None or self._closed:
            return

        def job() -> None:
            try:
                workspace = opener()
            except BaseException as exc:
                self._ready.set()
                self._relay.deliver.emit(lambda e=exc: self._open_failed(e))
                return
            self._workspace = workspace
            self._ready.set()
            self._relay.deliver.emit(self._opened)

        self._pools[Lane.DB].start(_Job(job))
        held, self._held = self._held, []
        for lane, queued in held:
            self._pools[lane].start(queued)

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

        def job() -> None:
            try:
                self._ready.wait()
                if self._workspace is None:
                    raise RuntimeError("the data folder could not be opened")
                result = work(self._workspace)
            except BaseException as exc:  # delivered to the GUI thread, never swallowed
                self._relay.deliver.emit(lambda e=exc: self._failed(e, on_error, owner))
                return
            self._relay.deliver.emit(lambda: self._succeeded(result, on_success, changes, owner))

        if self._opener is not None:  # not opening yet: held until open()
            self._held.append((lane, _Job(job)))
        else:
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
        self._held.clear()
        for pool in self._pools.values():
            pool.clear()
        self._ready.set()  # an opening dropped before it ran leaves nobody waiting for it
        for pool in self._pools.values():
            pool.waitForDone(timeout_ms)

    # -- internals ---------------------------------------------------------------------
    def _opened(self) -> None:
        if not self._closed:
            self.opened.emit()

    def _open_failed(self, exc: BaseException) -> None:
        log.error("could not open the data folder: %r", exc)
        if not self._closed:
            self.open_failed.emit(exc)

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

"""Desktop UI benchmarks on a replica of N synthetic products (default 100,000), built with
``bench.quickorder_bench.build_replica`` (no server needed), offscreen:

- cold start: ``orderpad --data-dir DIR`` in a fresh process until the main window has
  painted with data (ORDERPAD_EXIT_AFTER_FIRST_PAINT=1), beside a bare "QApplication +
  empty QMainWindow shown" process measured the same way in the same run (medians); the
  app's bytecode is compiled first, as in an installed app; a warm-up run leaves the first
  view that every later start shows (app.services.first_view), as a person's last session
  does;
- catalog search: a key typed in the search field until that query's results are on
  screen, rows filled in (p95);
- scan to line visible: a scanner's Enter until the scanned line is in the quick-order
  table, painted (p95).

Run through the bench runner: ``python -m bench --only ui [--skus 100000]``.
"""

from __future__ import annotations

import compileall
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from bench.quickorder_bench import _ean, _sku, build_replica
from bench.record import Record, result

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
COLD_RUNS = 5
SCANS = 200
MARK = "FIRST-PAINT"
BARE_WINDOW = f"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
window.repaint()
print("{MARK}", flush=True)
"""


def _child_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # fmt: skip


def _until_first_paint(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` to its FIRST-PAINT line."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    took = None
    for line in child.stdout:
        if line.startswith(MARK):
            took = time.perf_counter() - start
            break
    _out, err = child.communicate(timeout=60)
    if took is None:
        raise RuntimeError(f"{command[:3]} never painted: {err[-2000:]}")
    return took


def sign_in_offline(data: Path) -> None:
    """A profile as after a sign-in, for a server that is not there: the app opens offline
    on the replica, as it does on a train."""
    from app.services.profile import Profile, save_profile

    save_profile(data, Profile("http://127.0.0.1:9", "bench@example.com", "Bench", ["buyer"],
                               "A-1", "Bench Ltd", "EUR"))  # fmt: skip


def cold_start(data: Path, runs: int = COLD_RUNS) -> list[Record]:
    # An installed Orderpad starts from bytecode (pip compiles it, the bundle holds it); a
    # checkout with PYTHONDONTWRITEBYTECODE set would compile every module on every start.
    compileall.compile_dir(ROOT / "app", quiet=1)
    orderpad = Path(PY).with_name("orderpad")
    app = [str(orderpad)] if orderpad.exists() else [PY, "-m", "app.cli"]
    env = _child_env()
    bare_cmd = [PY, "-c", BARE_WINDOW]
    app_cmd = [*app, "--data-dir", str(data)]
    app_env = {**env, "ORDERPAD_EXIT_AFTER_FIRST_PAINT": "1"}
    _until_first_paint(bare_cmd, env)  # warm the file cache for both
    _until_first_paint(app_cmd, app_env)
    bare, full = [], []
    for _ in range(runs):  # interleaved, so drift hits both alike
        bare.append(_until_first_paint(bare_cmd, env))
        full.append(_until_first_paint(app_cmd, app_env))
    base, took = statistics.median(bare), statistics.median(full)
    return [
        result(
            "cold start to the main window with data", took, "s", baseline=base, target=2.0,
            passed=took < 2.0 and took <= 3 * base,
            note=f"median of {runs} fresh processes (runs: "
                 f"{', '.join(f'{t:.2f}' for t in full)}); baseline: QApplication + empty "
                 "QMainWindow shown; target < 2 s and within 3x",
        )
    ]  # fmt: skip


def _wait(app: Any, condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Run the event loop until ``condition`` holds, checking it every millisecond. The
    loop sleeps in between, as the app's does: a busy loop would hold the GIL and slow
    the worker threads it waits for."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    if condition():
        return
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    failed = []

    def check() -> None:
        if condition():
            loop.quit()
        elif time.perf_counter() > deadline:
            failed.append(True)
            loop.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(check)
    timer.start(1)
    loop.exec()
    timer.stop()
    if failed:
        raise TimeoutError("the window did not get there in time")


def _painted(widget: Any, condition: Callable[[], bool]) -> Callable[[], bool]:
    """A check that turns true once ``widget`` has painted while ``condition`` held (the
    check is made as the paint event arrives; the waiting loop returns after the paint)."""
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        seen = False

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.seen and condition():
                self.seen = True
            return False

    watch = Watch(widget)
    widget.installEventFilter(watch)

    def done() -> bool:
        if watch.seen:
            widget.removeEventFilter(watch)
            watch.deleteLater()
        return watch.seen

    return done


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def in_window(data: Path, skus: int, scans: int = SCANS) -> list[Record]:
    """Search and scan latencies in one main window over the replica."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont
    from PySide6.QtTest import QTest

    from app.services.workspace import Workspace
    from app.ui.app import application
    from app.ui.context import AppContext, UiSettings
    from app.ui.main_window import CATALOG, QUICK_ORDER, MainWindow

    app = application()
    app.setFont(QFont("DejaVu Sans", 10))
    ctx = AppContext(Workspace(data), settings=UiSettings(sync_on_start=False))
    ctx.errors.show_dialogs = False
    window = MainWindow(ctx)
    window.show()
    rng = random.Random(5)
    results: list[Record] = []
    try:
        # -- search: type a few words as a person does, time every key -------------------
        window.go(CATALOG)
        page = window.catalog
        _wait(app, lambda: page.shown_query == "" and page.model.product(0) is not None)
        _wait(app, lambda: not page.table.viewport().visibleRegion().isEmpty())
        app.processEvents()
        words = ["steel", "zinc", "product 4", "sku-0012", "cat 17", "product 98765"]
        words += [_sku(rng.randrange(skus))[:9] for _ in range(4)]
        words += [f"product {rng.randrange(skus)}" for _ in range(4)]
        latencies: list[float] = []
        keyed: list[tuple[float, str]] = []
        for word in words:
            if page.search.text():  # cleared, and the full list painted, before the next word
                everything = _painted(page.table.viewport(), lambda: page.shown_query == "")
                page.search.clear()
                _wait(app, lambda p=everything: p() and page.model.product(0) is not None)
            for typed in range(1, len(word) + 1):
                query = word[:typed]
                start = time.perf_counter()
                QTest.keyClick(page.search, word[typed - 1])

                def shown(q: str = query.strip()) -> bool:
                    return page.shown_query == q and (
                        not page.model.skus or page.model.product(0) is not None
                    )

                resets = [0]

                def reset(r: list[int] = resets) -> None:
                    r[0] += 1

                page.model.modelReset.connect(reset)
                painted = _painted(page.table.viewport(), shown)
                # The same results as for the previous key: nothing to repaint.
                _wait(app, lambda p=painted, r=resets: p() or (shown() and not r[0]))
                page.model.modelReset.disconnect(reset)
                latencies.append((time.perf_counter() - start) * 1000)
                keyed.append((latencies[-1], query))
        results.append(
            result(f"catalog search, key to results p95 ({len(latencies)} keys)",
                   _p95(latencies), "ms", target=50.0, passed=_p95(latencies) < 50.0,
                   note=f"{skus} SKUs; p50 {statistics.median(latencies):.1f} ms; slowest: "
                        + ", ".join(f"{q!r} {ms:.0f} ms" for ms, q in sorted(keyed)[-5:])
                        + "; results painted with their rows")
        )  # fmt: skip

        # -- scans: a wedge scanner's burst, timed from its Enter -------------------------
        window.go(QUICK_ORDER)
        quick = window.quick
        clock = iter(range(10_000, 10_000_000, 3))  # 3 ms between keys: a scanner
        quick.detector.clock = lambda: next(clock)
        _wait(app, lambda: quick.pad.snapshot is not None)
        waits: list[float] = []
        for _ in range(scans):
            number = rng.randrange(skus)
            sku, code = _sku(number), _ean(number)
            before = next((li.quantity for li in quick.model.rows if li.sku == sku), 0)
            for char in code:
                QTest.keyClick(quick.field, char)

            def landed(s: str = sku, q: Any = before) -> bool:
                return any(li.sku == s and li.quantity == q + 1 for li in quick.model.rows)

            visible = _painted(quick.table.viewport(), landed)
            start = time.perf_counter()
            QTest.keyClick(quick.field, Qt.Key.Key_Return)
            _wait(app, visible)
            waits.append((time.perf_counter() - start) * 1000)
        results.append(
            result(f"scan to line visible p95 ({scans} scans)", _p95(waits), "ms",
                   target=50.0, passed=_p95(waits) < 50.0,
                   note=f"p50 {statistics.median(waits):.1f} ms, max {max(waits):.1f} ms; "
                        f"the cart grows to {quick.model.rowCount()} lines")
        )  # fmt: skip
    finally:
        window.shut_down()
    return results


def run(
    skus: int = 100_000,
    data_dir: Path | None = None,
    *,
    only: str | None = None,
    cold_runs: int = COLD_RUNS,
    scans: int = SCANS,
) -> list[Record]:
    """Every benchmark (or ``only`` "cold" / "window"); ``data_dir`` reuses a replica built
    earlier by this module (it is created there when missing)."""
    results: list[Record] = []
    with tempfile.TemporaryDirectory(prefix="orderpad-ui-bench-") as tmp:
        data = data_dir or Path(tmp) / "data"
        if not (data / "replica.sqlite3").exists():
            seconds = build_replica(data, skus)
            results.append(result(f"replica of {skus} SKUs via apply_page", seconds, "s"))
        sign_in_offline(data)
        if only in (None, "cold"):
            results += cold_start(data, cold_runs)
        if only in (None, "window"):
            results += in_window(data, skus, scans)
    return results

"""A fast start: the window paints the first view kept at the last close before the replica
is open, the live view replaces it, work asked for meanwhile is kept and runs once the
replica is open, and nothing on the first paint's path loads the replica's libraries."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.services import first_view
from app.services.workspace import Workspace
from app.store.migrations import MIGRATIONS, sql_step
from app.store.replica import Replica
from app.ui.app import ProfileSwitcher
from app.ui.context import AppContext, OpenLater, UiSettings
from app.ui.main_window import APPROVALS, CATALOG, MainWindow
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, sample_lines, save_shot, set_test_font, settle

data_dir = fixtures.data_dir
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
ROOT = Path(__file__).resolve().parents[2]


def _deferred_window(qtbot: QtBot, data: Path, first: first_view.FirstView | None) -> MainWindow:
    """A window as `orderpad` opens one: the replica opens once the window has painted."""
    set_test_font()
    ctx = AppContext(OpenLater(data), first=first, settings=UiSettings(sync_on_start=False))
    ctx.errors.show_dialogs = False
    window = MainWindow(ctx)
    qtbot.addWidget(window, before_close_func=lambda w: w.shut_down())
    return window


def _shown(window: MainWindow) -> list[tuple[str, Decimal]]:
    return [(li.sku, li.quantity) for li in window.quick.model.rows]


def test_the_kept_view_is_painted_first_then_the_live_one(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    lines = sample_lines(data_dir, 3)
    with Workspace(data_dir) as ws:
        for sku, qty in lines:
            ws.add_to_cart(sku, qty)
    # A window that closes keeps its view for the next start.
    window = fixtures.open_window(qtbot, data_dir)
    assert _shown(window) == lines
    window.shut_down()
    kept = first_view.load(data_dir)
    assert kept is not None and [(li.sku, li.quantity) for li in kept.cart.lines] == lines

    # What the first paint shows is the kept view (made recognisable here), not the replica.
    sku, qty = lines[0]
    marked = dataclasses.replace(
        kept,
        cart=dataclasses.replace(
            kept.cart,
            lines=[dataclasses.replace(kept.cart.lines[0], quantity=qty + 7), *kept.cart.lines[1:]],
        ),
    )
    window = _deferred_window(qtbot, data_dir, marked)
    assert not window.ctx.ops.is_open
    assert _shown(window)[0] == (sku, qty + 7)
    pending = kept.status.outbox["pending"] + kept.status.outbox["sending"]
    assert pending >= 3 and window.pending_label.text().startswith(f"{pending} pending")
    assert CATALOG not in window._pages  # the other screens wait for the replica

    window.show()
    qtbot.waitExposed(window)
    save_shot(window, "first-paint.png", tmp_path)
    qtbot.waitUntil(lambda: window.ctx.ops.is_open, timeout=15_000)
    settle(window)
    assert _shown(window) == lines  # the live cart replaced the kept one
    assert set(window._pages) == set(range(window.nav.count()))
    assert window.approvals is window.stack.widget(APPROVALS)
    window.go(CATALOG)
    assert window.stack.currentWidget() is window.catalog


def test_work_asked_for_before_the_replica_is_open_is_kept(qtbot: QtBot, data_dir: Path) -> None:
    ((sku, qty),) = sample_lines(data_dir, 1)
    window = _deferred_window(qtbot, data_dir, first_view.load(data_dir))
    window.quick.pad.paste(f"{sku}\t{qty}")  # a scan or a paste in the first split second
    assert not window.ctx.ops.is_open and window.ctx.ops.pending
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: _shown(window) == [(sku, qty)], timeout=15_000)
    settle(window)
    window.shut_down()
    with Workspace(data_dir) as ws:
        assert [(li.sku, li.quantity) for li in ws.cart().lines] == [(sku, qty)]


def test_the_first_paint_path_does_not_load_the_replica_libraries() -> None:
    """What `orderpad` imports before its window paints: no SQLAlchemy, no httpx, no
    openpyxl (each loads on the worker once the window is up)."""
    code = (
        "import sys, app.cli, app.ui.app, app.services.first_view; "
        "app.cli.build_parser(); "
        "print(sorted({'sqlalchemy', 'httpx', 'openpyxl', 'keyring'} & set(sys.modules)))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def _dismiss_boxes(qtbot: QtBot, seen: list[str]) -> QTimer:
    """Close every modal message box as it appears (what a person reading it does)."""

    def check() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(20)
    return timer


def test_a_folder_that_does_not_open_is_reported_after_the_first_paint(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The replica opens behind the window now, so a replica from a newer Orderpad is found
    after the window is up: switching to it says so and goes back to the previous profile;
    starting on it says so and ends with exit code 1. The file is not touched."""
    set_test_font()
    root, newer = tmp_path / "root", tmp_path / "newer"
    future = sql_step(MIGRATIONS[-1].version + 1, "from a newer Orderpad", "SELECT 1")
    Replica.open(newer, migrations=[*MIGRATIONS, future]).close()
    before = (newer / "replica.sqlite3").read_bytes()

    def context(folder: Path) -> AppContext:
        ctx = AppContext(OpenLater(folder), settings=UiSettings(sync_on_start=False))
        ctx.errors.show_dialogs = False
        return ctx

    seen: list[str] = []
    timer = _dismiss_boxes(qtbot, seen)
    switcher = ProfileSwitcher(root, context)
    try:
        first = switcher.open(root)
        qtbot.waitUntil(lambda: first.ctx.ops.is_open, timeout=15_000)
        switcher.switch(newer)
        qtbot.waitUntil(lambda: bool(seen), timeout=15_000)
        assert seen[0].startswith("Cannot open that profile:") and "schema version" in seen[0]
        window = switcher.window
        assert window is not None and window.ctx.data_dir == root.resolve()
        qtbot.waitUntil(lambda: window.ctx.ops.is_open, timeout=15_000)
        assert switcher.exit_code == 0
        window.close()

        seen.clear()
        switcher.open(newer)  # as `orderpad --data-dir newer` starts
        qtbot.waitUntil(lambda: switcher.exit_code == 1, timeout=15_000)
        assert seen and seen[0].startswith("Cannot open the data folder:")
        assert switcher.window is not None and not switcher.window.isVisible()
    finally:
        timer.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()
    assert (newer / "replica.sqlite3").read_bytes() == before

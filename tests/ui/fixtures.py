"""Fixtures and fakes for the desktop UI tests: a signed-in data folder, a main window over
it, a stepping clock for the scanner, and helpers to wait for background work."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.workspace import Workspace
from app.ui.context import AppContext, UiSettings
from app.ui.main_window import MainWindow
from tests.support import RunningServer

BUYER = "buyer1@acme-industrial.example"
PASSWORD = "demo-buyer1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Platform noise of the offscreen plugin (the qutebrowser habit: a short allow-list).
OFFSCREEN_NOISE = r"This plugin does not support"


class SteppingClock:
    """A monotonic clock in ms that moves ``step_ms`` every time it is read: QTest key events
    carry no timestamp, so the scanner reads this instead."""

    def __init__(self, step_ms: int) -> None:
        self.step_ms = step_ms
        self.now = 1_000

    def __call__(self) -> int:
        self.now += self.step_ms
        return self.now


def save_shot(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """Grab ``widget`` as a PNG: into tmp_path, and into docs/screenshots when the run sets
    ORDERPAD_SCREENSHOTS=1 (that is how the README's pictures are refreshed)."""
    QApplication.processEvents()
    image = widget.grab()
    target = tmp_path / name
    assert image.save(str(target)), f"could not save {target}"
    if os.environ.get("ORDERPAD_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        image.save(str(SCREENSHOTS / name))
    return target


def set_test_font() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    app.setFont(QFont("DejaVu Sans", 10))


def signed_in(data_dir: Path, server: RunningServer) -> Path:
    """Sign a fresh data folder in as the demo buyer and pull everything once."""
    with Workspace(data_dir) as ws:
        ws.login(server.url, BUYER, PASSWORD)
        ws.sync()
    return data_dir


def orderable_skus(data_dir: Path, count: int) -> list[str]:
    """SKUs that take 1 base unit (no minimum, no pack multiple) and have a price."""
    found: list[str] = []
    with Workspace(data_dir) as ws:
        for hit in ws.search_products("", limit=2000):
            product = ws.product(hit.sku)
            if (
                product is not None
                and product.status == "active"
                and product.min_qty <= 1
                and product.multiple == 1
                and ws.price_of(hit.sku).unit_price is not None
            ):
                found.append(hit.sku)
            if len(found) == count:
                break
    assert len(found) == count, "the seed has too few simple products"
    return found


def sample_lines(data_dir: Path, count: int) -> list[tuple[str, Decimal]]:
    """(SKU, a valid quantity) of ``count`` active, priced products."""
    lines: list[tuple[str, Decimal]] = []
    with Workspace(data_dir) as ws:
        for hit in ws.search_products("", limit=2000):
            product = ws.product(hit.sku)
            if product is None or product.status != "active":
                continue
            if ws.price_of(hit.sku).unit_price is None:
                continue
            qty = max(product.min_qty, product.multiple)
            whole = qty == qty.to_integral_value()
            lines.append((hit.sku, qty.quantize(Decimal(1)) if whole else qty.normalize()))
            if len(lines) == count:
                break
    assert len(lines) == count, "the seed has too few active products"
    return lines


def open_window(qtbot: QtBot, data_dir: Path, **settings: object) -> MainWindow:
    set_test_font()
    ctx = AppContext(Workspace(data_dir), settings=UiSettings(sync_on_start=False, **settings))  # type: ignore[arg-type]
    ctx.errors.show_dialogs = False
    window = MainWindow(ctx)
    qtbot.addWidget(window, before_close_func=lambda w: w.shut_down())
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    settle(window)
    return window


def settle(window: MainWindow, timeout_ms: int = 15_000) -> None:
    """Wait until every background job has delivered its result."""
    assert window.ctx.ops.wait_idle(timeout_ms), "background work did not finish"


def sync(qtbot: QtBot, window: MainWindow, timeout_ms: int = 20_000) -> tuple[bool, str]:
    """Run one sync round and wait for it (and for the screens to reload)."""
    with qtbot.waitSignal(window.ctx.sync.finished, timeout=timeout_ms) as blocker:
        window.ctx.request_sync()
    settle(window)
    ok, message = blocker.args or (False, "")
    return bool(ok), str(message)


def _focused(widget: QWidget) -> QWidget:
    return QApplication.focusWidget() or widget


def type_keys(widget: QWidget, text: str) -> None:
    """Type like a keyboard does: each key goes to whatever has focus at that moment (the
    first one to ``widget`` when nothing has)."""
    for char in text:
        QTest.keyClick(_focused(widget), char)


def press_enter(widget: QWidget) -> None:
    QTest.keyClick(_focused(widget), Qt.Key.Key_Return)


def raise_price(server: RunningServer, sku: str, factor: str = "1.5") -> None:
    """Change the server's prices of ``sku`` behind the client's back (the server is stopped)."""
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        (product_id,) = db.execute("SELECT id FROM products WHERE sku = ?", (sku,)).fetchone()
        for table, column in (
            ("price_list_items", "price"),
            ("contract_prices", "price"),
        ):
            rows = db.execute(
                f"SELECT rowid, {column} FROM {table} WHERE product_id = ?", (product_id,)
            ).fetchall()
            for rowid, value in rows:
                new = (Decimal(str(value)) * Decimal(factor)).quantize(Decimal("0.0001"))
                db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (str(new), rowid))
        (value,) = db.execute(
            "SELECT list_price FROM products WHERE id = ?", (product_id,)
        ).fetchone()
        if value is not None:
            new = (Decimal(str(value)) * Decimal(factor)).quantize(Decimal("0.0001"))
            db.execute("UPDATE products SET list_price = ? WHERE id = ?", (str(new), product_id))


@pytest.fixture
def data_dir(tmp_path: Path, demo_server: RunningServer) -> Path:
    """A data folder signed in to the shared demo server and synced once."""
    return signed_in(tmp_path / "client", demo_server)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, data_dir)
    yield win
    win.shut_down()


def wait_for(qtbot: QtBot, window: MainWindow, condition: Callable[[], bool]) -> None:
    def ready() -> bool:
        window.ctx.ops.wait_idle(2000)
        return condition()

    qtbot.waitUntil(ready, timeout=15_000)

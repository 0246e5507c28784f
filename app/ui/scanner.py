"""Keyboard-wedge scanners: tell a scan burst from human typing, anywhere on a screen.

A wedge scanner "types" a code in a few milliseconds and ends it with Enter or Tab (or a
configured suffix); people type 100–250 ms per key. ``ScanDetector`` is the timing rule
(plain Python, clock injectable); ``ScanCatcher`` is the event filter that feeds it from
every key press on one screen and sends stray keystrokes to that screen's entry field.

Timing uses a monotonic clock (QElapsedTimer), or the event's timestamp when it has one:
synthetic QTest events carry timestamp 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

Clock = Callable[[], int]  # milliseconds, monotonic

_TERMINATORS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass(frozen=True, slots=True)
class ScannerSettings:
    """``max_gap_ms``: the longest pause between two keys of one scan; ``min_length``: the
    shortest code; ``prefix``/``suffix``: characters the scanner is set up to send around
    each code (optional: with a prefix, timing does not matter)."""

    prefix: str = ""
    suffix: str = ""
    max_gap_ms: int = 40
    min_length: int = 4


def monotonic_clock() -> Clock:
    timer = QElapsedTimer()
    timer.start()
    return lambda: int(timer.elapsed())


class ScanDetector:
    """Feed it every printable key (`key`) and every terminator (`end`); `end` returns the
    scanned code when the keys since the last pause were a scanner burst, else None."""

    def __init__(self, settings: ScannerSettings | None = None, clock: Clock | None = None):
        self.settings = settings or ScannerSettings()
        self.clock: Clock = clock or monotonic_clock()
        self._run: list[str] = []  # the keys since the last pause
        self._last = 0
        self.capturing = False  # after a prefix: everything up to the terminator is the code

    def _now(self, timestamp_ms: int) -> int:
        return timestamp_ms if timestamp_ms else self.clock()

    def key(self, text: str, timestamp_ms: int = 0) -> bool:
        """Record one typed character; True when it belongs to the scanner (a prefix or a
        prefixed code), so it must not reach the focused widget."""
        now = self._now(timestamp_ms)
        if self.settings.prefix and text == self.settings.prefix and not self.capturing:
            self._run, self.capturing, self._last = [], True, now
            return True
        if self.capturing:
            self._run.append(text)
            self._last = now
            return True
        if self._run and now - self._last > self.settings.max_gap_ms:
            self._run = []
        self._run.append(text)
        self._last = now
        return False

    def in_burst(self, timestamp_ms: int = 0) -> bool:
        """True while at least two keys came in scanner speed (or a prefix was seen)."""
        if self.capturing:
            return True
        return len(self._run) >= 2 and self._now(timestamp_ms) - self._last <= (
            self.settings.max_gap_ms
        )

    def end(self, timestamp_ms: int = 0) -> str | None:
        """A terminator key arrived: the scanned code, or None for human typing."""
        now = self._now(timestamp_ms)
        run, captured = "".join(self._run), self.capturing
        self.reset()
        if captured:
            return run.strip() or None
        fast = now - self._last <= self.settings.max_gap_ms
        if fast and len(run) >= self.settings.min_length:
            return run
        return None

    def reset(self) -> None:
        self._run, self.capturing = [], False


def _is_text_input(widget: QObject) -> bool:
    w: QObject | None = widget
    while w is not None:
        if isinstance(w, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit):
            return True
        if isinstance(w, QComboBox) and w.isEditable():
            return True
        w = w.parent()
        if isinstance(w, QWidget) and w.isWindow():
            return False
    return False


class ScanCatcher(QObject):
    """An application event filter for one screen: keys typed while that screen shows and
    nothing editable has focus go to ``field``; a scanner burst ending anywhere on the screen
    emits ``scanned(code)`` and the code's characters are taken back out of ``field``."""

    scanned = Signal(str)

    def __init__(self, screen: QWidget, field: QLineEdit, detector: ScanDetector) -> None:
        super().__init__(screen)
        self.screen = screen
        self.field = field
        self.detector = detector
        self.enabled = True

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        if not isinstance(obj, QWidget) or not self._on_screen(obj):
            return False
        # Key events propagate to parents when ignored, passing through this filter again:
        # only the focused widget's copy counts.
        focus = QApplication.focusWidget()
        if focus is not None and obj is not focus:
            return False
        assert isinstance(event, QKeyEvent)
        return self._key(obj, event)

    def _on_screen(self, widget: QWidget) -> bool:
        return self.screen.isVisible() and (
            widget is self.screen or self.screen.isAncestorOf(widget)
        )

    def _key(self, target: QWidget, event: QKeyEvent) -> bool:
        stamp = int(event.timestamp())
        text = event.text()
        suffix = self.detector.settings.suffix
        if event.key() in _TERMINATORS or (suffix and text == suffix):
            if event.key() == Qt.Key.Key_Tab and not self.detector.in_burst(stamp):
                self.detector.reset()
                return False  # plain Tab: move focus
            code = self.detector.end(stamp)
            if code is None:
                return bool(suffix and text == suffix)
            self._take_back(code)
            self.scanned.emit(code)
            return True
        if not text or not text.isprintable() or event.modifiers() & _MODIFIERS:
            return False
        if self.detector.key(text, stamp):
            return True  # part of a prefixed scan: never typed into anything
        if target is self.field or _is_text_input(target):
            return False
        if text == " " and not self.detector.in_burst(stamp):
            return False  # Space presses buttons
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.insert(text)
        return True

    def _take_back(self, code: str) -> None:
        current = self.field.text()
        if current.endswith(code):
            self.field.setText(current[: -len(code)])

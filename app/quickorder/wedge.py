"""Telling a keyboard-wedge scanner from a person typing, by the time between keys.

A scanner types a whole code in a few milliseconds and ends it with Enter or Tab; people
need 100-250 ms per key. Feed every character with a monotonic time in milliseconds (Qt's
synthetic key events carry timestamp 0: use QElapsedTimer then); ``feed`` returns a
``WedgeScan`` when a terminator ends a fast burst. The characters of the burst were typed
into whatever has focus: ``keys`` says how many to take back out. Pure Python, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    """``prefix``/``suffix``: characters the scanner is configured to send around a code."""

    max_gap_ms: float = 35.0
    min_length: int = 4
    prefix: str = ""
    suffix: str = ""
    terminators: frozenset[str] = frozenset({"\r", "\n", "\t"})


@dataclass(frozen=True, slots=True)
class WedgeScan:
    code: str  # without prefix, suffix and terminator
    keys: int  # characters typed for it (the terminator not counted)


class WedgeDetector:
    """State of the current burst of keys; one per input widget or window."""

    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.settings = settings or WedgeSettings()
        self._burst: list[str] = []
        self._last: float | None = None

    def feed(self, char: str, at_ms: float) -> WedgeScan | None:
        """Record one typed character; return the scan it completes, if any."""
        settings = self.settings
        gap = None if self._last is None else at_ms - self._last
        self._last = at_ms
        if gap is not None and gap > settings.max_gap_ms:
            self._burst = []  # a pause: whatever came before was typed by a person
        if char in settings.terminators:
            burst, self._burst = self._burst, []
            return self._scan(burst, gap)
        self._burst.append(char)
        return None

    def reset(self) -> None:
        self._burst = []
        self._last = None

    def _scan(self, burst: list[str], gap: float | None) -> WedgeScan | None:
        settings = self.settings
        if gap is None or gap > settings.max_gap_ms:
            return None  # Enter pressed by a person
        text = "".join(burst)
        if settings.prefix:
            start = text.rfind(settings.prefix)
            if start < 0:
                return None
            text, burst = text[start + len(settings.prefix) :], burst[start:]
        if settings.suffix:
            if not text.endswith(settings.suffix):
                return None
            text = text[: -len(settings.suffix)]
        if len(text) < settings.min_length:
            return None
        return WedgeScan(text, len(burst))

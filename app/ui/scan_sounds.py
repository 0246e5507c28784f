"""The sounds of a good and a bad scan (resources/sounds/*.wav), played without waiting.

The player is chosen on the first scan, not at start-up: Qt Multimedia's QSoundEffect when
this PySide6 has it and the PC has a sound output; else the system's own player (winsound
on Windows, ``afplay`` on macOS, ``paplay``/``pw-play``/``aplay`` on Linux); else nothing,
and a bad scan rings the desktop's bell (``QApplication.beep``). PySide6-Essentials, which
Orderpad ships, has no Qt Multimedia.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtWidgets import QApplication

from app.ui.resources import resource_dir

GOOD, BAD = "good", "bad"
_PLAYERS = {"darwin": ("afplay",), "linux": ("paplay", "pw-play", "aplay")}

Play = Callable[[str], None]  # plays resources/sounds/scan-<kind>.wav


def sound_file(kind: str) -> Path:
    return resource_dir() / "sounds" / f"scan-{kind}.wav"


class ScanSounds(QObject):
    """``play(ok)`` after every scan; ``enabled`` follows the settings. ``played(kind)`` is
    emitted for every sound asked for while enabled, whether or not the PC can play it.
    ``backend`` names the player once one was chosen ("none" when there is no way)."""

    played = Signal(str)

    def __init__(self, *, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.backend: str | None = None
        self._play: Play | None = None
        self._effects: dict[str, QObject] = {}

    def play(self, ok: bool) -> None:
        if not self.enabled:
            return
        kind = GOOD if ok else BAD
        if self.backend is None:
            self.backend, self._play = self._choose()
        if self._play is not None:
            self._play(kind)
        elif not ok:
            QApplication.beep()
        self.played.emit(kind)

    # -- players -----------------------------------------------------------------------
    def _choose(self) -> tuple[str, Play | None]:
        multimedia = self._qt_multimedia()
        if multimedia is not None:
            return "qtmultimedia", multimedia
        if sys.platform == "win32":
            return "winsound", _winsound
        for program in _PLAYERS.get(sys.platform, ()):
            path = shutil.which(program)
            if path is not None:
                return program, lambda kind, exe=path: _detached(exe, kind)
        return "none", None

    def _qt_multimedia(self) -> Play | None:
        try:
            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError:
            return None
        if not QMediaDevices.audioOutputs():
            return None
        for kind in (GOOD, BAD):
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound_file(kind))))
            self._effects[kind] = effect

        def play(kind: str) -> None:
            effect = self._effects[kind]
            assert isinstance(effect, QSoundEffect)
            effect.play()

        return play


def _winsound(kind: str) -> None:
    if sys.platform == "win32":  # (tells mypy the module exists only there)
        import winsound

        flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
        winsound.PlaySound(str(sound_file(kind)), flags)


def _detached(program: str, kind: str) -> None:
    """Start the system's player and forget it (its messages go nowhere)."""
    process = QProcess()
    process.setProgram(program)
    process.setArguments([str(sound_file(kind))])
    process.setStandardOutputFile(QProcess.nullDevice())
    process.setStandardErrorFile(QProcess.nullDevice())
    process.startDetached()

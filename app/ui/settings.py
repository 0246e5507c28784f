"""File ▸ Settings… (Ctrl+,): when data counts as stale, how often to sync, starting offline,
how the scanner is told from typing (with a field to try it), and scan sounds. Saved in the
profile's data folder and in force as soon as the person presses OK."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.profile import Profile
from app.ui.context import AppContext, UiSettings
from app.ui.scan_sounds import ScanSounds
from app.ui.scanner import Clock, ScanDetector, ScannerSettings, monotonic_clock

_TERMINATORS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}


class ScanTryField(QLineEdit):
    """Scan (or type) here: says whether the settings above take it for a scan.
    ``settings`` and ``clock`` are set by the dialog (tests hand in a stepping clock)."""

    def __init__(self, result: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.settings = ScannerSettings()
        self.clock: Clock = monotonic_clock()
        self.detector = ScanDetector(self.settings, self.clock)

    def restart(self, settings: ScannerSettings) -> None:
        self.settings = settings
        self.detector = ScanDetector(settings, self.clock)
        self.clear()

    def event(self, event: QEvent) -> bool:
        # Tab ends a scan for many scanners: take it before focus moves on.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.detector.in_burst(int(event.timestamp()))
        ):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        stamp, text = int(event.timestamp()), event.text()
        suffix = self.settings.suffix
        if event.key() in _TERMINATORS or (suffix and text == suffix):
            code = self.detector.end(stamp)
            typed = self.text()
            self.clear()
            if code is not None:
                self.result.setText(self.tr("Recognised as a scan: {0}").format(code))
            elif typed:
                self.result.setText(
                    self.tr("Read as typing, not a scan (keys more than {0} ms apart)").format(
                        self.settings.max_gap_ms
                    )
                )
            return
        if text and text.isprintable() and self.detector.key(text, stamp):
            return  # the prefix, or a code after it: not typed
        super().keyPressEvent(event)


class SettingsDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, profile: Profile | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr("For {0} on {1}; each profile keeps its own.").format(
                profile.email, profile.server_url
            )
            if profile is not None
            else self.tr("Saved with this data folder.")
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: palette(placeholder-text);")

        self.stale_hours = QSpinBox()
        self.stale_hours.setObjectName("staleHours")
        self.stale_hours.setRange(1, 24 * 90)
        self.stale_hours.setSuffix(self.tr(" hours"))
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(10, 3600)
        self.sync_interval.setSuffix(self.tr(" seconds"))
        self.work_offline = QCheckBox(
            self.tr("Start in work-offline mode (no sync until switched on)")
        )
        data = _form()
        data.addRow(self.tr("Warn when data is older than"), self.stale_hours)
        data.addRow(self.tr("Sync every"), self.sync_interval)
        data.addRow(self.work_offline)
        data_box = QGroupBox(self.tr("Data and sync"))
        data_box.setLayout(data)

        self.prefix = _one_character(self.tr("none"))
        self.suffix = _one_character(self.tr("none"))
        self.suffix.setToolTip(self.tr("Without one, Enter or Tab ends a scan"))
        self.max_gap = QSpinBox()
        self.max_gap.setObjectName("scannerMaxGap")
        self.max_gap.setRange(5, 500)
        self.max_gap.setSuffix(self.tr(" ms"))
        self.max_gap.setToolTip(
            self.tr("A scanner types a code in a few ms per key; people need 100 ms or more.")
        )
        self.min_length = QSpinBox()
        self.min_length.setRange(1, 48)
        self.min_length.setSuffix(self.tr(" characters"))
        self.try_result = QLabel(self.tr("Scan a barcode into the field to test these settings."))
        self.try_result.setObjectName("scanTryResult")
        self.try_result.setWordWrap(True)
        self.try_result.setMinimumHeight(2 * self.try_result.fontMetrics().lineSpacing() + 4)
        self.try_field = ScanTryField(self.try_result)
        self.try_field.setObjectName("scanTryField")
        self.try_field.setMinimumWidth(300)
        self.try_field.setPlaceholderText(self.tr("Scan here"))
        scanner = _form()
        scanner.addRow(self.tr("Prefix sent before a code"), self.prefix)
        scanner.addRow(self.tr("Suffix sent after a code"), self.suffix)
        scanner.addRow(self.tr("Longest pause between keys"), self.max_gap)
        scanner.addRow(self.tr("Shortest code"), self.min_length)
        scanner.addRow(self.tr("Try it"), self.try_field)
        scanner.addRow(self.try_result)
        scanner_box = QGroupBox(self.tr("Barcode scanner"))
        scanner_box.setLayout(scanner)

        self.sounds = QCheckBox(self.tr("Play a sound for every good and bad scan"))
        self.sounds.setObjectName("scanSounds")
        self.preview = ScanSounds(enabled=True, parent=self)
        self.sound_note = QLabel()
        self.sound_note.setWordWrap(True)
        self.sound_note.hide()
        good = QPushButton(self.tr("Good scan"))
        bad = QPushButton(self.tr("Bad scan"))
        good.clicked.connect(lambda: self._listen(True))
        bad.clicked.connect(lambda: self._listen(False))
        listen = QHBoxLayout()
        listen.addWidget(QLabel(self.tr("Listen:")))
        listen.addWidget(good)
        listen.addWidget(bad)
        listen.addStretch(1)
        sound_layout = QVBoxLayout()
        sound_layout.addWidget(self.sounds)
        sound_layout.addLayout(listen)
        sound_layout.addWidget(self.sound_note)
        sound_box = QGroupBox(self.tr("Sounds"))
        sound_box.setLayout(sound_layout)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        defaults = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(lambda: self.show_settings(UiSettings()))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(data_box)
        layout.addWidget(scanner_box)
        layout.addWidget(sound_box)
        layout.addWidget(self.buttons)

        for box in (self.max_gap, self.min_length):
            box.valueChanged.connect(self._scanner_changed)
        for line in (self.prefix, self.suffix):
            line.textChanged.connect(self._scanner_changed)
        self.show_settings(ctx.settings)
        self.stale_hours.setFocus()

    def show_settings(self, settings: UiSettings) -> None:
        self.stale_hours.setValue(max(1, round(settings.stale_after.total_seconds() / 3600)))
        self.sync_interval.setValue(round(settings.sync_interval_s))
        self.work_offline.setChecked(settings.work_offline)
        self.prefix.setText(settings.scanner.prefix)
        self.suffix.setText(settings.scanner.suffix)
        self.max_gap.setValue(settings.scanner.max_gap_ms)
        self.min_length.setValue(settings.scanner.min_length)
        self.sounds.setChecked(settings.scan_sounds)
        self._scanner_changed()

    def settings(self) -> UiSettings:
        """The settings as shown (what OK puts in force)."""
        return dataclasses.replace(
            self.ctx.settings,
            scanner=self._scanner(),
            sync_interval_s=float(self.sync_interval.value()),
            stale_after=dt.timedelta(hours=self.stale_hours.value()),
            scan_sounds=self.sounds.isChecked(),
            work_offline=self.work_offline.isChecked(),
        )

    def save(self) -> None:
        self.ctx.change_settings(self.settings())
        self.ctx.notify(self.tr("Settings saved"))
        self.accept()

    def _scanner(self) -> ScannerSettings:
        return ScannerSettings(
            prefix=self.prefix.text(),
            suffix=self.suffix.text(),
            max_gap_ms=self.max_gap.value(),
            min_length=self.min_length.value(),
        )

    def _scanner_changed(self, *_args: object) -> None:
        self.try_field.restart(self._scanner())

    def _listen(self, ok: bool) -> None:
        self.preview.play(ok)
        if self.preview.backend == "none":
            self.sound_note.setText(
                self.tr("This computer has no sound player Orderpad can use: scans stay "
                        "silent, and a bad scan rings the system bell.")
            )  # fmt: skip
            self.sound_note.show()


def _one_character(placeholder: str) -> QLineEdit:
    line = QLineEdit()
    line.setMaxLength(1)
    line.setPlaceholderText(placeholder)
    line.setFixedWidth(line.fontMetrics().horizontalAdvance(placeholder) + 24)
    return line


def _form() -> QFormLayout:
    """Fields at their natural width (a spin box across the dialog reads badly)."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form

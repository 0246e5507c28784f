"""A profile's own preferences (stale-data age, scanner set-up, scan sounds, working offline),
kept as a small JSON file in its data folder, so two profiles on one PC keep theirs apart."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

log = logging.getLogger("orderpad.settings")
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True, slots=True)
class Preferences:
    """``scanner_prefix``/``scanner_suffix``: one character the scanner is set up to send
    before/after each code ("" for none); ``scanner_max_gap_ms``: the longest pause
    between two keys of one scan; ``work_offline``: start with sync switched off."""

    stale_after_hours: float = 24.0
    sync_interval_s: float = 60.0
    scanner_prefix: str = ""
    scanner_suffix: str = ""
    scanner_max_gap_ms: int = 40
    scanner_min_length: int = 4
    scan_sounds: bool = True
    work_offline: bool = False

    def checked(self) -> Preferences:
        """The same preferences with every value in its sensible range."""
        return replace(
            self,
            stale_after_hours=min(max(self.stale_after_hours, 0.25), 24.0 * 90),
            sync_interval_s=min(max(self.sync_interval_s, 10.0), 3600.0),
            scanner_prefix=self.scanner_prefix[:1],
            scanner_suffix=self.scanner_suffix[:1],
            scanner_max_gap_ms=min(max(self.scanner_max_gap_ms, 5), 500),
            scanner_min_length=min(max(self.scanner_min_length, 1), 48),
        )


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def has_preferences(data_dir: Path) -> bool:
    return settings_path(data_dir).is_file()


def load_preferences(data_dir: Path, default: Preferences | None = None) -> Preferences:
    """The preferences saved in ``data_dir`` (``default`` when there are none). A value of
    the wrong type falls back to the default; a damaged file is logged and ignored."""
    base = default or Preferences()
    path = settings_path(data_dir)
    if not path.is_file():
        return base
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring %s: %s", path, exc)
        return base
    if not isinstance(stored, dict):
        return base
    values: dict[str, Any] = {}
    for field in fields(Preferences):
        value = stored.get(field.name)
        wanted = type(getattr(base, field.name))
        if wanted is float and isinstance(value, int | float) and not isinstance(value, bool):
            values[field.name] = float(value)
        elif type(value) is wanted:
            values[field.name] = value
    return replace(base, **values).checked()


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    """Write atomically: a crash leaves the old or the new file, never half of one."""
    path = settings_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(preferences.checked()), indent=2), encoding="utf-8")
    tmp.replace(path)

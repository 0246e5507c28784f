"""Icons and other files from the repository's ``resources/`` folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


def resource_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources"


@cache
def icon(name: str) -> QIcon:
    """``icon("sync")`` loads resources/icons/sync.svg; a missing file gives an empty icon."""
    path = resource_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()

"""Support diagnostics: what a person pastes into a support ticket ("Copy diagnostics").

`diagnostics_text(workspace_or_data_dir)` gives versions (Orderpad, Python, Qt, PySide6,
SQLite), the platform, the data folder and log file, the replica's schema version, product
count, outbox counts and the last sync per data area. It never contains a token, a password
or a key: it reads the profile (server, account, user) and the replica's counters only, never
the session store. Works without a QApplication; `orderpad diagnostics` prints it.
"""

from __future__ import annotations

import datetime as dt
import platform
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def _qt_versions() -> tuple[str, str, str | None]:
    """(Qt runtime version, PySide6 version, the running platform plugin or None)."""
    try:
        import PySide6
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication
    except ImportError as exc:  # pragma: no cover - Qt is a dependency of the client
        return (f"not available ({exc})", "not available", None)
    gui = QGuiApplication.instance()
    plugin = QGuiApplication.platformName() if isinstance(gui, QGuiApplication) else None
    return (str(qVersion()), str(PySide6.__version__), plugin)


def _keyring_backend() -> str:
    """The keyring backend Orderpad would keep the session in (its name only)."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring must not stop the diagnostics
        return f"unavailable ({type(exc).__name__})"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if any(bad in name.lower() for bad in ("fail", "null", "plaintext", "keyrings.alt")):
        return f"{name} (not used: the session goes to a file readable only by this user)"
    return name


def _when(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "never"


def environment_lines() -> list[str]:
    """Versions and platform: no data folder needed."""
    qt, pyside, plugin = _qt_versions()
    frozen = " (installed bundle)" if getattr(sys, "frozen", False) else ""
    lines = [
        f"Orderpad {__version__}{frozen}",
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.architecture()[0]})",
        f"Qt {qt}, PySide6 {pyside}" + (f", platform plugin {plugin}" if plugin else ""),
        f"SQLite {sqlite3.sqlite_version}",
        f"Platform {platform.platform()} ({platform.machine() or 'unknown machine'})",
        f"Executable {sys.executable}",
        f"Keyring {_keyring_backend()}",
    ]
    return lines


def workspace_lines(workspace: Workspace) -> list[str]:
    """What the data folder holds: profile, replica, outbox, freshness (no secrets)."""
    from app.logs import log_path
    from app.store.migrations import current_version

    lines = [f"Data folder {workspace.data_dir}", f"Log file {log_path(workspace.data_dir)}"]
    try:
        with workspace.replica.reading() as session:
            schema = current_version(session.connection())
        lines.append(f"Replica {workspace.replica.path}, schema version {schema}")
        status = workspace.status()
    except Exception as exc:  # diagnostics must come out even from a broken replica
        lines.append(f"Replica cannot be read: {type(exc).__name__}: {exc}")
        return lines
    profile = status.profile
    if profile is None:
        lines.append("Signed in: no")
    else:
        lines.append(
            f"Signed in: {profile.email} ({', '.join(profile.roles)}) at {profile.server_url}, "
            f"account {profile.account_number} {profile.account_name} ({profile.currency})"
        )
        lines.append(f"Session kept in {status.session_store}")
    lines.append(f"Products {status.products}")
    outbox = ", ".join(f"{state} {count}" for state, count in status.outbox.items() if count)
    lines.append(f"Outbox {outbox or 'empty'}")
    if status.held_for_upgrade:
        lines.append("Held for upgrade: yes (the server needs a newer Orderpad)")
    if status.areas:
        for area in status.areas:
            lines.append(f"Last sync {area.area}: {_when(area.synced_at)}")
    else:
        lines.append("Last sync: never")
    return lines


def diagnostics_text(source: Workspace | Path | str | None = None) -> str:
    """The diagnostics for an open ``Workspace``, or for a data folder (None: the per-user
    default), opened here and closed again. One ``Name value`` line each."""
    from app.services.workspace import Workspace, default_data_dir

    lines = environment_lines()
    if isinstance(source, Workspace):
        lines += workspace_lines(source)
    else:
        data_dir = Path(source).expanduser() if source is not None else default_data_dir()
        try:
            workspace = Workspace(data_dir)
        except Exception as exc:  # a replica from a newer Orderpad, a folder we cannot write
            lines += [
                f"Data folder {data_dir}",
                f"Replica cannot be opened: {type(exc).__name__}: {exc}",
            ]
        else:
            with workspace:
                lines += workspace_lines(workspace)
    lines.append(f"Generated {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    return "\n".join(lines) + "\n"

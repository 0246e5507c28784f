"""Where the session's tokens live: the OS keyring when a real one exists, otherwise a file
readable only by this user (with a warning), never in a log."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("orderpad.sync.tokens")
SERVICE = "orderpad"
_warned: list[bool] = []  # say it once per process, not on every token refresh


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:  # never print a secret by accident
        return "Tokens(<hidden>)"


def _usable_keyring() -> object | None:
    """The keyring backend, unless it is a fail/null/plaintext one (ENVIRONMENT.md)."""
    try:
        import keyring
    except ImportError:
        return None
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    if any(
        bad in name
        for bad in ("keyring.backends.fail", "keyring.backends.null", "plaintext", "keyrings.alt")
    ):
        return None
    return backend


class TokenStore:
    """Keeps one profile's tokens (profile = server URL + email)."""

    def __init__(self, data_dir: Path, profile: str) -> None:
        self.profile = profile
        self.file = data_dir / "session.json"
        self._keyring = _usable_keyring()

    @property
    def where(self) -> str:
        return "the system keyring" if self._keyring is not None else f"{self.file} (0600)"

    def load(self) -> Tokens | None:
        raw = None
        if self._keyring is not None:
            try:
                raw = self._keyring.get_password(SERVICE, self.profile)  # type: ignore[attr-defined]
            except Exception as exc:  # a locked or broken keyring must not stop offline work
                log.warning("keyring unavailable (%s); trying the session file", type(exc).__name__)
        if raw is None and self.file.exists():
            raw = self.file.read_text(encoding="utf-8")
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return Tokens(str(data["access_token"]), str(data["refresh_token"]))
        except (ValueError, KeyError):
            return None

    def save(self, tokens: Tokens) -> None:
        raw = json.dumps(
            {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
        )
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, self.profile, raw)  # type: ignore[attr-defined]
                self.file.unlink(missing_ok=True)
                return
            except Exception as exc:
                log.warning("keyring refused the token (%s)", type(exc).__name__)
        if not _warned:
            _warned.append(True)
            log.warning(
                "no system keyring: keeping the session in %s, readable only by you", self.file
            )
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(raw)
        os.chmod(self.file, 0o600)

    def clear(self) -> None:
        if self._keyring is not None:
            # Nothing stored there (or a locked keyring) is fine: the goal is "gone".
            with contextlib.suppress(Exception):
                self._keyring.delete_password(SERVICE, self.profile)  # type: ignore[attr-defined]
        self.file.unlink(missing_ok=True)

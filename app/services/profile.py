"""Who a data directory belongs to (one server, one user, one account), and the profiles
kept on this PC: each in its own data folder, one of them opened by the window."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs


@dataclass(frozen=True, slots=True)
class Profile:
    server_url: str
    email: str
    name: str
    roles: list[str]
    account_number: str
    account_name: str
    currency: str

    @property
    def key(self) -> str:
        """The keyring entry name for this profile's session."""
        return f"{self.server_url}|{self.email}"


def default_data_dir() -> Path:
    """The per-user data folder (its profiles live in sub-folders: see current_profile_dir)."""
    return Path(platformdirs.user_data_dir("Orderpad", "Orderpad"))


def profile_path(data_dir: Path) -> Path:
    return data_dir / "profile.json"


def load_profile(data_dir: Path) -> Profile | None:
    path = profile_path(data_dir)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Profile(**data)


def save_profile(data_dir: Path, profile: Profile) -> None:
    path = profile_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(profile), indent=2), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash leaves the old or the new profile, never half


# -- several profiles on one PC ----------------------------------------------------------------
# The data folder (the per-user one, or --data-dir) is the *root*: it holds the first profile
# (as before), and each further profile gets its own folder under ``profiles/`` with its own
# replica, outbox, session and settings, so two accounts' data never mix. ``profiles.json``
# in the root names the one the window opens.
PROFILES_FILE = "profiles.json"
PROFILES_FOLDER = "profiles"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class SavedProfile:
    """A profile's data folder and who signed in there (None: nobody yet)."""

    data_dir: Path
    profile: Profile | None

    def is_for(self, server_url: str, email: str) -> bool:
        p = self.profile
        return p is not None and (p.server_url, p.email.lower()) == _normal(server_url, email)


def saved_profiles(root: Path) -> list[SavedProfile]:
    """The root's own profile first (also when nobody signed in there yet), then the others
    by folder name."""
    found = [SavedProfile(root, load_profile(root))]
    folder = root / PROFILES_FOLDER
    if folder.is_dir():
        for data_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            profile = load_profile(data_dir)
            if profile is not None:
                found.append(SavedProfile(data_dir, profile))
    return found


def current_profile_dir(root: Path) -> Path:
    """The data folder of the profile the window opens (the root unless another was chosen
    and still exists)."""
    try:
        chosen = json.loads((root / PROFILES_FILE).read_text(encoding="utf-8")).get("current")
    except (OSError, ValueError, AttributeError):
        return root
    if not isinstance(chosen, str) or chosen in ("", "."):
        return root
    data_dir = root / PROFILES_FOLDER / Path(chosen).name  # never outside the root
    return data_dir if load_profile(data_dir) is not None else root


def set_current_profile(root: Path, data_dir: Path) -> None:
    """Open ``data_dir`` (the root or a folder under its ``profiles/``) next time."""
    name = "." if data_dir.resolve() == root.resolve() else data_dir.name
    path = root / PROFILES_FILE
    root.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"current": name}, indent=2), encoding="utf-8")
    tmp.replace(path)


def profile_dir_for(root: Path, server_url: str, email: str) -> Path:
    """The data folder of the profile for ``email`` on ``server_url``: the existing one, or
    a new (not yet created) folder under ``root/profiles``. A root nobody signed in to yet
    is taken for the first profile."""
    saved = saved_profiles(root)
    for entry in saved:
        if entry.is_for(server_url, email):
            return entry.data_dir
    if saved[0].profile is None and not (root / PROFILES_FOLDER).is_dir():
        return root
    server, address = _normal(server_url, email)
    host = server.split("://", 1)[-1]
    base = _UNSAFE.sub("-", f"{address}--{host}").strip("-.") or "profile"
    candidate, number = root / PROFILES_FOLDER / base, 2
    while candidate.exists():
        candidate, number = root / PROFILES_FOLDER / f"{base}-{number}", number + 1
    return candidate


def sign_in_to_profile(
    root: Path, server_url: str, email: str, password: str, *, transport: Any = None
) -> SavedProfile:
    """Sign in (online) to the profile for ``email`` on ``server_url``, making its folder
    when it is new (removed again if the sign-in fails). Raises what ``Workspace.login``
    raises. Do not call it for the profile whose replica this process has open: sign that
    one in through its workspace."""
    from app.services.workspace import Workspace

    data_dir = profile_dir_for(root, server_url, email)
    created = not data_dir.exists()
    try:
        with Workspace(data_dir, transport=transport) as ws:
            profile = ws.login(server_url, email, password)
    except BaseException:
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    return SavedProfile(data_dir, profile)


def _normal(server_url: str, email: str) -> tuple[str, str]:
    return server_url.strip().rstrip("/"), email.strip().lower()

"""Who this data directory belongs to: one server, one user, one account."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


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

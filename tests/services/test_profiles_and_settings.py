"""Profiles kept side by side under one data folder, and each profile's own settings file."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.profile import (
    PROFILES_FILE,
    Profile,
    current_profile_dir,
    profile_dir_for,
    save_profile,
    saved_profiles,
    set_current_profile,
)
from app.services.settings import Preferences, load_preferences, save_preferences

SERVER = "https://orders.example.com"


def _profile(email: str, account: str = "10010", server: str = SERVER) -> Profile:
    return Profile(server, email, "Someone", ["buyer"], account, "ACME", "EUR")


def test_the_first_profile_lives_in_the_root_and_others_beside_it(tmp_path: Path) -> None:
    root = tmp_path / "Orderpad"
    assert [(e.data_dir, e.profile) for e in saved_profiles(root)] == [(root, None)]
    assert profile_dir_for(root, SERVER, "a@x.example") == root  # nobody signed in yet
    save_profile(_mkdir(root), _profile("a@x.example"))
    assert profile_dir_for(root, SERVER + "/", "A@X.example") == root  # the same profile
    other = profile_dir_for(root, "http://127.0.0.1:8765", "b@y.example")
    assert other.parent == root / "profiles" and not other.exists()
    assert ":" not in other.name and "/" not in other.name
    save_profile(_mkdir(other), _profile("b@y.example", "20020", "http://127.0.0.1:8765"))
    assert [e.data_dir for e in saved_profiles(root)] == [root, other]
    assert profile_dir_for(root, "http://127.0.0.1:8765", "b@y.example") == other
    # Another account at the same address gets a folder of its own, not the first one's.
    third = profile_dir_for(root, "http://127.0.0.1:8766", "b@y.example")
    assert third not in (root, other)


def test_the_chosen_profile_is_remembered_and_checked(tmp_path: Path) -> None:
    root = tmp_path
    save_profile(root, _profile("a@x.example"))
    assert current_profile_dir(root) == root
    other = _mkdir(root / "profiles" / "b")
    save_profile(other, _profile("b@y.example", "20020"))
    set_current_profile(root, other)
    assert current_profile_dir(root) == other
    set_current_profile(root, root)
    assert current_profile_dir(root) == root
    for damaged in ('{"current": "../../elsewhere"}', '{"current": "gone"}', "[1", '"x"'):
        (root / PROFILES_FILE).write_text(damaged)
        assert current_profile_dir(root) == root  # never outside the root, never a ghost


def test_preferences_round_trip_and_survive_a_damaged_file(tmp_path: Path) -> None:
    assert load_preferences(tmp_path) == Preferences()
    chosen = Preferences(stale_after_hours=6, scanner_prefix="~", scan_sounds=False)
    save_preferences(tmp_path, chosen)
    assert load_preferences(tmp_path) == chosen
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"scanner_max_gap_ms": "fast", "scanner_min_length": 900,
                                "stale_after_hours": 2, "work_offline": True}))  # fmt: skip
    loaded = load_preferences(tmp_path)
    assert loaded.scanner_max_gap_ms == 40  # the wrong type: the default
    assert loaded.scanner_min_length == 48  # out of range: the nearest sensible value
    assert loaded.stale_after_hours == 2.0 and loaded.work_offline
    path.write_text("{not json")
    assert load_preferences(tmp_path) == Preferences()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path

"""The first view kept at close for the next start's first paint: it comes back exactly as
kept, and only while it is certainly current (no write since, the same server day, a file
that reads)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.services import first_view
from app.services.profile import load_profile, save_profile
from app.services.workspace import Workspace
from tests.support import RunningServer
from tests.ui.fixtures import sample_lines, signed_in


@pytest.fixture
def data_dir(tmp_path: Path, demo_server: RunningServer) -> Path:
    return signed_in(tmp_path / "client", demo_server)


def _keep(data_dir: Path, lines: list[tuple[str, Decimal]]) -> first_view.FirstView:
    """Fill the default cart, then keep its first view as the window does at close."""
    with Workspace(data_dir) as ws:
        for sku, qty in lines:
            ws.add_to_cart(sku, qty)
        view = first_view.capture(ws)
    assert view is not None
    first_view.save(data_dir, view)
    return view


def test_the_first_view_comes_back_as_it_was_kept(data_dir: Path) -> None:
    lines = sample_lines(data_dir, 3)
    kept = _keep(data_dir, lines)
    assert [(li.sku, li.quantity) for li in kept.cart.lines] == lines
    assert kept.cart.total > 0 and all(li.unit_price for li in kept.cart.lines)
    assert kept.status.profile is not None and kept.status.outbox["pending"] >= 3
    assert {a.area for a in kept.status.areas} >= {"catalog", "prices", "stock"}

    loaded = first_view.load(data_dir)
    assert loaded == kept  # every price, step, freshness time and count as it was
    assert isinstance(loaded.cart.total, Decimal)
    assert all(a.synced_at is None or a.synced_at.tzinfo for a in loaded.status.areas)


def test_any_change_to_the_data_since_makes_it_stale(data_dir: Path) -> None:
    lines = sample_lines(data_dir, 2)
    _keep(data_dir, lines[:1])
    assert first_view.load(data_dir) is not None
    with Workspace(data_dir) as ws:  # only reading: still current
        ws.cart()
        ws.status()
    assert first_view.load(data_dir) is not None

    with Workspace(data_dir) as ws:  # the command line adds a line meanwhile
        ws.add_to_cart(*lines[1])
    assert first_view.load(data_dir) is None

    _keep(data_dir, [])
    profile = load_profile(data_dir)
    assert profile is not None
    save_profile(data_dir, dataclasses.replace(profile, name="Someone else"))
    assert first_view.load(data_dir) is None


def test_it_is_priced_for_one_server_day_only(data_dir: Path) -> None:
    kept = _keep(data_dir, sample_lines(data_dir, 1))
    noon = dt.datetime.combine(kept.day, dt.time(12), tzinfo=dt.UTC)
    assert first_view.load(data_dir, now=noon) is not None
    assert first_view.load(data_dir, now=noon + dt.timedelta(days=1)) is None
    assert first_view.load(data_dir, now=noon - dt.timedelta(days=1)) is None


def test_a_damaged_or_foreign_file_means_no_first_view(data_dir: Path) -> None:
    _keep(data_dir, sample_lines(data_dir, 1))
    path = data_dir / first_view.FILE_NAME
    doc = json.loads(path.read_text())
    doc["format"] = first_view.FORMAT + 1  # written by a newer Orderpad
    path.write_text(json.dumps(doc))
    assert first_view.load(data_dir) is None
    path.write_bytes(b'{"format": 1, "files": [')
    assert first_view.load(data_dir) is None
    first_view.forget(data_dir)
    assert not path.exists() and first_view.load(data_dir) is None


def test_keeping_it_creates_no_cart(tmp_path: Path) -> None:
    with Workspace(tmp_path / "fresh") as ws:  # a new data folder: no default cart yet
        before = ws.status().outbox
        assert first_view.capture(ws) is None  # nothing to show, and nothing made for it
        assert ws.status().outbox == before
        assert ws.carts() == []

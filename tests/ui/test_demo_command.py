"""`orderpad demo --screenshot FILE` seeds a local server, signs in, syncs and saves the
window; `orderpad` without a sub-command opens the app."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app import cli
from app.services.demo import DemoServer
from tests.support import RunningServer

pytestmark = pytest.mark.e2e


def test_demo_screenshot_writes_a_png(tmp_path: Path, demo_server: RunningServer) -> None:
    # Start from a copy of the seeded test database: seeding is the server's business (and
    # slow); the demo then finds its data there, as on every run after the first.
    folder = tmp_path / "demo" / "demo-server"
    folder.mkdir(parents=True)
    source = sqlite3.connect(demo_server.database_url.split("///", 1)[1])
    target = sqlite3.connect(folder / "server.sqlite3")
    with target:
        source.backup(target)
    source.close()
    target.close()
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(tmp_path / "demo"), "demo",
         "--screenshot", str(shot)],
        capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "demo" / "profile.json").exists()  # signed in as the demo buyer
    assert (tmp_path / "demo" / "demo-server" / "server.sqlite3").exists()

    # The server the menu stops and restarts: same data, same address (the profile's).
    server = DemoServer(tmp_path / "demo")
    port = server.port
    try:
        url = server.start()
        assert server.running and url.endswith(f":{port}")
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        # The simulated ERP plays the supplier on the same database: open orders move.
        assert server.erp_running
        log = tmp_path / "demo" / "demo-server" / "erp.log"
        deadline = time.monotonic() + 30
        while ": " not in log.read_text().partition("Ctrl+C stops")[2]:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        server.stop()
        assert not server.running and not server.erp_running
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/healthz", timeout=2)
        assert server.restart() == url
    finally:
        server.stop()


def test_no_sub_command_opens_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[object] = []
    monkeypatch.setattr(cli, "cmd_gui", lambda args: opened.append(args.data_dir) or 0)
    assert cli.main(["--data-dir", str(tmp_path)]) == 0
    assert opened == [str(tmp_path)]

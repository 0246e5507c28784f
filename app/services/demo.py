"""The embedded demo: a local `orderpad-server` child process over a seeded SQLite file.

`DemoServer(data_dir).start()` creates and seeds the database the first time only, serves it
on 127.0.0.1 (the same port as last time when it is free) and `sign_in(workspace)` signs in
as the demo buyer. Beside the server runs `orderpad-server simulate-erp` on the same file: a
supplier's ERP that confirms, ships and delivers orders fast enough to watch (ERP_SPEED;
``ORDERPAD_DEMO_ERP_SPEED=0`` leaves it out). `stop()` stops both; `stop()` and `start()`
again let a person watch offline work reconcile.
Nothing here knows Qt; every method blocks, so the UI calls them from a worker.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx

from app.services.children import stop_child
from app.services.profile import Profile, save_profile
from app.services.workspace import Workspace, WorkspaceError

DEMO_EMAIL = "buyer1@acme-industrial.example"
DEMO_PASSWORD = "demo-buyer1"
# The simulated ERP's waits (minutes to take an order over, hours to ship, a day or two to
# deliver) divided by this: an order is confirmed within seconds, ships within a minute or
# two and is delivered a minute or two later.
ERP_SPEED = 1200.0
_STATE = "demo-server.json"


class DemoServerError(WorkspaceError):
    """The demo server could not be prepared or started; the message says why."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class DemoServer:
    """One demo server per data directory; its database lives in ``data_dir/demo-server``."""

    def __init__(
        self,
        data_dir: Path,
        *,
        skus: int | None = None,
        start_timeout_s: float = 60.0,
        erp_speed: float | None = None,
    ) -> None:
        self.data_dir = data_dir.expanduser().resolve()
        self.folder = self.data_dir / "demo-server"
        self.skus = skus
        self.start_timeout_s = start_timeout_s
        self.erp_speed = _erp_speed() if erp_speed is None else erp_speed  # 0: no ERP
        self.process: subprocess.Popen[bytes] | None = None
        self.erp: subprocess.Popen[bytes] | None = None  # simulate-erp, while serving
        self.port = self._saved_port()
        self._prepared = False

    # -- facts ---------------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'server.sqlite3'}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def erp_running(self) -> bool:
        return self.erp is not None and self.erp.poll() is None

    # -- life cycle ----------------------------------------------------------------------
    def prepare(self) -> None:
        """Create the schema and seed the demo data unless it is already there."""
        if self._prepared:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._cli("init-db")
        seed = ["seed", "--demo", "--if-empty"]
        if self.skus is not None:
            seed += ["--skus", str(self.skus)]
        self._cli(*seed)
        self._prepared = True

    def start(self) -> str:
        """Prepare (first time only) and serve; returns the URL once it answers."""
        if self.running:
            return self.url
        self.prepare()
        if not _port_free(self.port):
            self.port = _free_port()
        self._save_port()
        log = (self.folder / "server.log").open("ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "--database-url", self.database_url,
                 "serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-migrate"],
                stdout=log, stderr=log, env=self._env(),
            )  # fmt: skip
        finally:
            log.close()
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise DemoServerError(
                    f"the demo server stopped at start; see {self.folder / 'server.log'}"
                )
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    self._start_erp()
                    return self.url
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise DemoServerError(f"the demo server did not answer within {self.start_timeout_s} s")

    def stop(self) -> None:
        """Stop serving and the simulated ERP (the data stays); a no-op when not running."""
        erp, self.erp = self.erp, None
        process, self.process = self.process, None
        for child in (erp, process):
            stop_child(child)

    def restart(self) -> str:
        self.stop()
        return self.start()

    def sign_in(self, workspace: Workspace) -> Profile:
        """Sign ``workspace`` in as the demo buyer (online: the server must be running)."""
        old = workspace.profile
        if (
            old is not None
            and old.server_url != self.url
            and old.server_url.startswith("http://127.0.0.1:")
        ):
            # The same demo database on another port (the old one was taken): same server.
            save_profile(workspace.data_dir, replace(old, server_url=self.url))
        return workspace.login(self.url, DEMO_EMAIL, DEMO_PASSWORD)

    # -- internals -----------------------------------------------------------------------
    def _start_erp(self) -> None:
        """`orderpad-server simulate-erp` on the demo database, logging to erp.log."""
        if self.erp_speed <= 0 or self.erp_running:
            return
        log = (self.folder / "erp.log").open("ab")
        try:
            self.erp = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "--database-url", self.database_url,
                 "simulate-erp", "--speed", f"{self.erp_speed:g}"],
                stdout=log, stderr=log, env=self._env(),
            )  # fmt: skip
        finally:
            log.close()

    def _env(self) -> dict[str, str]:
        return {**os.environ, "ORDERPAD_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000"}

    def _cli(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "server.cli", "--database-url", self.database_url, *args],
            capture_output=True,
            text=True,
            env=self._env(),
            timeout=600,
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise DemoServerError(f"orderpad-server {args[0]} failed: {detail[0]}")

    def _saved_port(self) -> int:
        """The port of the last run: the signed-in profile names this URL."""
        try:
            state = json.loads((self.folder / _STATE).read_text(encoding="utf-8"))
            return int(state["port"])
        except (OSError, ValueError, KeyError, TypeError):
            return _free_port()

    def _save_port(self) -> None:
        (self.folder / _STATE).write_text(json.dumps({"port": self.port}), encoding="utf-8")


def _erp_speed() -> float:
    """ERP_SPEED, or ORDERPAD_DEMO_ERP_SPEED when set (0 leaves the simulated ERP out)."""
    try:
        return float(os.environ.get("ORDERPAD_DEMO_ERP_SPEED", ERP_SPEED))
    except ValueError:
        return ERP_SPEED

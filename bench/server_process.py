"""A sync server for the benchmarks: seeded with the demo, served as one `orderpad-server
serve` child process on a free loopback port (its stderr goes to a file, so a chatty server
can never block on a full pipe), stopped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from app.services.children import stop_child
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def server_cli(db: str, *args: str, env: dict[str, str] | None = None) -> str:
    """`orderpad-server --database-url DB ARGS…`; its stdout (stderr in the error)."""
    done = subprocess.run(
        [PY, "-m", "server.cli", "--database-url", db, *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})},
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"orderpad-server {args[0]} failed: {done.stderr[-2000:]}")
    return done.stdout


def seed(db: str, skus: int, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Migrate and seed the demo into ``db`` (`seed` migrates first); the demo users (email,
    password, roles, …)."""
    users: list[dict[str, Any]] = json.loads(
        server_cli(db, "seed", "--demo", "--skus", str(skus), "--json", env=env)
    )
    return users


@dataclass(frozen=True)
class Served:
    url: str
    pid: int
    log: IO[bytes]

    def last_error(self) -> str | None:
        """The last line of the last traceback the server wrote, if any."""
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").splitlines()
        starts = [n for n, line in enumerate(lines) if line.startswith("Traceback")]
        if not starts:
            return None
        tail = [line for line in lines[starts[-1] + 1 :] if line and not line[0].isspace()]
        return tail[0][:300] if tail else None


@contextmanager
def served(db: str, env: dict[str, str] | None = None, timeout_s: float = 60) -> Iterator[Served]:
    """Serve the (migrated) database ``db`` until the block ends."""
    port = free_port()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [PY, "-m", "server.cli", "--database-url", db, "serve", "--host", "127.0.0.1",
             "--port", str(port), "--no-migrate"],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout_s
            while True:
                if child.poll() is not None:
                    err.seek(0)
                    raise RuntimeError(
                        f"the server exited with {child.returncode}: {err.read().decode()[-2000:]}"
                    )
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer /healthz in {timeout_s:.0f} s")
                time.sleep(0.1)
            yield Served(url, child.pid, err)
        finally:
            stop_child(child)

"""Helpers for tests: a real server process on loopback, throwaway PostgreSQL databases."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.services.children import stop_child

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_admin_dsn() -> str:
    return os.environ.get("ORDERPAD_TEST_PG", DEFAULT_PG)


def pg_unavailable_reason() -> str | None:
    """None when PostgreSQL answers; else a sentence saying why the tests skip."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    dsn = pg_admin_dsn()
    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {dsn} (set ORDERPAD_TEST_PG): {exc}".strip()
    return None


def create_pg_database() -> str:
    import psycopg

    name = f"orderpad_test_{secrets.token_hex(6)}"
    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_cli(
    database_url: str, *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `orderpad-server --database-url URL ARGS...` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        check=check,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@dataclass
class RunningServer:
    """A `orderpad-server serve` child process; `stop()`/`start()` simulate an outage."""

    database_url: str
    port: int
    users: list[dict[str, Any]]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def user(self, *, account: str | None = None, role: str) -> dict[str, Any]:
        for u in self.users:
            if role in u["roles"] and (account is None or u["account"] == account):
                return u
        raise LookupError(f"no demo user with role {role} in {account}")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "--database-url",
                self.database_url,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-migrate",
            ],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"server exited with {self.process.returncode}: {err}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz within 30 s")

    def stop(self) -> None:
        stop_child(self.process)
        self.process = None

    def login(self, email: str, password: str) -> dict[str, Any]:
        r = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"email": email, "password": password}, timeout=10
        )
        r.raise_for_status()
        data: dict[str, Any] = r.json()
        return data

    def client_for(self, user: dict[str, Any]) -> httpx.Client:
        token = self.login(user["email"], user["password"])["access_token"]
        return httpx.Client(
            base_url=self.url, timeout=10, headers={"Authorization": f"Bearer {token}"}
        )


def start_server(
    database_url: str, *, skus: int, env: dict[str, str] | None = None
) -> RunningServer:
    """Migrate and seed `database_url`, then serve it on a free loopback port."""
    env = {"ORDERPAD_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000", **(env or {})}
    server_cli(database_url, "init-db", env=env)
    out = server_cli(database_url, "seed", "--demo", "--skus", str(skus), "--json", env=env)
    server = RunningServer(database_url, free_port(), json.loads(out.stdout), env)
    server.start()
    return server


def push_one(http: httpx.Client, mutation: str, **args: Any) -> dict[str, Any]:
    """Push one mutation from a fresh device, as any client could; returns its result."""
    body = {
        "protocol": 1,
        "device_id": str(uuid.uuid4()),
        "mutations": [
            {
                "id": str(uuid.uuid4()),
                "seq": 1,
                "created_at": "2026-11-23T10:00:00Z",
                "name": mutation,
                "args": args,
            }
        ],
    }
    r = http.post("/api/v1/sync/push", json=body)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["results"][0]
    return result

"""Test set-up shared by every package: offscreen Qt, no real keyring, database fixtures."""

from __future__ import annotations

import os

# Before anything imports Qt or keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from collections.abc import Iterator

import pytest

from tests.support import (
    RunningServer,
    create_pg_database,
    drop_pg_database,
    pg_admin_dsn,
    pg_unavailable_reason,
    start_server,
)


@pytest.fixture(scope="session")
def pg_available() -> str:
    """The admin DSN of a reachable PostgreSQL; skips the test when there is none."""
    reason = pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    return pg_admin_dsn()


@pytest.fixture
def pg_url(pg_available: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    name = create_pg_database()
    try:
        yield f"postgresql+psycopg://{pg_available.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    finally:
        drop_pg_database(name)


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/server.sqlite3"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/server.sqlite3"
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real `orderpad-server serve` process on 127.0.0.1 over a small seeded SQLite file."""
    path = tmp_path_factory.mktemp("demo-server") / "server.sqlite3"
    server = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_server_pg(pg_available: str) -> Iterator[RunningServer]:
    """The same as `demo_server` on a throwaway PostgreSQL database."""
    name = create_pg_database()
    base = pg_available.split("://", 1)[1].rsplit("/", 1)[0]
    server = start_server(f"postgresql+psycopg://{base}/{name}", skus=400)
    try:
        yield server
    finally:
        server.stop()
        drop_pg_database(name)

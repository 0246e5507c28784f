"""A request holds at most one database connection: with a pool of one, sign-in, pull and
push still answer (a push once held the sign-in check's connection while taking another,
and concurrent pushes then starved the pool until it timed out)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support import RunningServer, push_one, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path: Path = tmp_path_factory.mktemp("pool") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=50, env={"ORDERPAD_DB_POOL_SIZE": "1"})
    try:
        yield s
    finally:
        s.stop()


def test_every_request_needs_only_one_connection(server: RunningServer) -> None:
    buyer = server.user(account="10010", role="buyer")

    def one_client(n: int) -> tuple[str, int]:
        with server.client_for(buyer) as http:
            http.timeout = 15  # the pool waits 30 s for a connection before it gives up
            pushed = push_one(http, "cart.create", cart_id=str(uuid.uuid4()), name=f"Pool {n}")
            pulled = http.post("/api/v1/sync/pull", json={"protocol": 1, "cursors": {}})
            return pushed["status"], pulled.status_code

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(one_client, range(8)))
    assert answers == [("applied", 200)] * 8

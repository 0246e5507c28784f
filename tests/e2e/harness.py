"""Tools for end-to-end sync tests: injected network faults and convergence checks."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from app.services.workspace import Workspace
from app.store.outbox import OutboxState
from tests.support import RunningServer

Plan = Callable[[httpx.Request, int], str | None]


class FaultyTransport(httpx.BaseTransport):
    """A real HTTP transport with injected faults.

    `plan(request, n)` returns None (pass through), "before" (the request never reaches the
    server) or "after" (the server handles it, then the connection drops: the answer is lost).
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.inner = httpx.HTTPTransport()
        self.count = 0
        self.injected: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        fault = self.plan(request, self.count)
        if fault == "before":
            self.injected.append(("before", request.url.path))
            raise httpx.ConnectError("injected: connection refused", request=request)
        response = self.inner.handle_request(request)
        if fault == "after":
            response.read()
            response.close()
            self.injected.append(("after", request.url.path))
            raise httpx.ReadError(
                "injected: connection lost after the server answered", request=request
            )
        return response

    def close(self) -> None:
        self.inner.close()


def seeded_plan(seed: int, rate: float = 0.35) -> Plan:
    """Faults drawn from `seed`: the same seed replays the same run."""
    rng = random.Random(seed)

    def plan(request: httpx.Request, _n: int) -> str | None:
        if "/sync/" not in request.url.path:
            return None  # sign-in is not what this exercises
        roll = rng.random()
        if roll < rate / 2:
            return "before"
        if roll < rate:
            return "after"
        return None

    return plan


def server_orders(server: RunningServer, account_number: str) -> list[tuple[str, str, str]]:
    """(client_order_id, number, status) of every order of an account, read from the DB."""
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        return [
            (str(uuid.UUID(str(r[0]))), r[1], r[2])
            for r in db.execute(
                "SELECT o.client_order_id, o.number, o.status FROM orders o "
                "JOIN accounts a ON a.id = o.account_id WHERE a.number = ?",
                (account_number,),
            )
        ]


def server_sql(server: RunningServer, sql: str, *params: object) -> None:
    path = server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute(sql, params)


def assert_converged(ws: Workspace, server: RunningServer) -> None:
    """The invariants every scenario ends with."""
    before = ws.replica.cursors()
    report = ws.sync(verify=True)
    after = ws.replica.cursors()
    # Cursors never go backwards (a verify round changes nothing).
    assert all(after.get(b, 0) >= c for b, c in before.items()), (before, after)
    # The replica equals the server's view of the account (every checkpoint matched).
    assert report.redownloaded == [], report
    # Every outbox entry was answered, none is waiting to be sent.
    assert not ws.outbox.entries([OutboxState.PENDING, OutboxState.SENDING])
    # No order lost or duplicated: every local order is on the server exactly once.
    profile = ws.profile
    assert profile is not None
    remote = server_orders(server, profile.account_number)
    remote_ids = [oid for oid, _n, _s in remote]
    assert len(remote_ids) == len(set(remote_ids))
    for order in ws.orders():
        assert remote_ids.count(order.client_order_id) == 1, order


def replica_db(ws: Workspace) -> Path:
    return ws.replica.path

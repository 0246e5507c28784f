"""Server throughput: N simulated desktops (default 50) against one `orderpad-server serve`
process on 127.0.0.1 in production mode, each pulling its deltas and pushing small orders
(a cart with two lines, then `order.submit`), for a fixed total of requests; beside the
trivial `GET /healthz` (a `SELECT 1`) driven the same way. Once on SQLite, then on a
throwaway PostgreSQL database (skipped, with the reason, when none answers).

The load comes from one asyncio loop with httpx on the same machine; the client's and the
server's CPU use are in the notes, so a client-bound run shows as one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.record import Record, result
from bench.server_process import seed, served
from tests.support import drop_pg_database, pg_admin_dsn, pg_unavailable_reason

CLIENTS = 50
REQUESTS = 2000
SERVER_SKUS = 20_000
PHASE_LIMIT_S = 120.0
REQUEST_TIMEOUT_S = 60.0
PULL_LIMIT = 1000
CART_LINES = 2


@dataclass
class Seat:
    """One simulated desktop: its user's token, what it may order, and its sync state."""

    email: str
    token: str
    products: list[dict[str, str]]
    cursors: dict[str, int]
    epoch: str | None
    device: str = field(default_factory=lambda: str(uuid.uuid4()))
    seq: int = 0
    cart: tuple[str, list[dict[str, str]]] | None = None  # cart id, its lines


@dataclass
class Tally:
    """The requests of one phase: a budget shared by every seat, latencies by kind, errors
    and the mutations' outcomes."""

    budget: int
    sent: int = 0
    answered: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def take(self) -> bool:
        """One more request, unless the budget is spent (one event loop: no lock needed)."""
        if self.budget <= 0:
            return False
        self.budget -= 1
        self.sent += 1
        return True

    def all_ms(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]


@dataclass(frozen=True)
class Phase:
    tally: Tally
    wall_s: float
    client_cpu_s: float
    server_cpu_s: float | None

    def rps(self) -> float:
        return self.tally.answered / self.wall_s

    def cpu_note(self) -> str:
        client = f"client {100 * self.client_cpu_s / self.wall_s:.0f}%"
        if self.server_cpu_s is None:
            return f"CPU: {client} of a core"
        return f"CPU: server {100 * self.server_cpu_s / self.wall_s:.0f}%, {client} of a core"


def _p(values: list[float], pct: int) -> float:
    """The ``pct`` percentile (0 for no values: a kind of request that never ran)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- one request, timed ------------------------------------------------------------------
async def _request(
    http: httpx.AsyncClient, tally: Tally, kind: str, path: str, token: str, body: Any = None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    try:
        if body is None:
            response = await http.get(path, headers=headers)
        else:
            headers["Content-Type"] = "application/json"
            response = await http.post(path, content=orjson.dumps(body), headers=headers)
    except httpx.HTTPError as exc:
        tally.answered += 1
        tally.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
        return None
    tally.answered += 1
    tally.latencies.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        tally.errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
        return None
    return orjson.loads(response.content)


# -- what a desktop sends ----------------------------------------------------------------
async def _pull(http: httpx.AsyncClient, seat: Seat, tally: Tally) -> None:
    body = {"protocol": 1, "epoch": seat.epoch, "cursors": seat.cursors, "limit": PULL_LIMIT}
    answer = await _request(http, tally, "pull", "/api/v1/sync/pull", seat.token, body)
    if answer is not None:
        seat.epoch = answer["epoch"]
        for bucket in answer["buckets"]:
            seat.cursors[bucket["bucket"]] = bucket["to"]
        for gone in answer.get("dropped") or ():
            seat.cursors.pop(gone, None)


async def _push(
    http: httpx.AsyncClient, seat: Seat, tally: Tally, mutations: list[tuple[str, dict[str, Any]]]
) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    batch = []
    for name, args in mutations:
        seat.seq += 1
        mid = str(uuid.uuid4())
        batch.append({"id": mid, "seq": seat.seq, "name": name, "args": args, "created_at": now})
    body = {"protocol": 1, "device_id": seat.device, "mutations": batch}
    answer = await _request(http, tally, "push", "/api/v1/sync/push", seat.token, body)
    if answer is None:
        return
    for (name, _args), outcome in zip(mutations, answer["results"], strict=True):
        tally.outcomes[f"{name} {outcome['status']}"] += 1
        if outcome["status"] == "rejected":
            tally.errors.append(f"{name} rejected: {outcome['code']}: {outcome['message']}")


async def _fill_cart(http: httpx.AsyncClient, seat: Seat, tally: Tally, rng: random.Random) -> None:
    cart_id = str(uuid.uuid4())
    lines = [
        {"sku": p["sku"], "quantity": str(rng.randint(1, 5)), "unit": p["unit"],
         "seen_unit_price": p["price"]}
        for p in rng.sample(seat.products, CART_LINES)
    ]  # fmt: skip
    mutations: list[tuple[str, dict[str, Any]]] = [
        ("cart.create", {"cart_id": cart_id, "name": f"Bench {seat.seq}"})
    ]
    for line in lines:
        mutations.append(
            ("cart.set_line", {"cart_id": cart_id, "line_id": str(uuid.uuid4()),
                               "sku": line["sku"], "quantity": line["quantity"],
                               "unit": line["unit"]})
        )  # fmt: skip
    seat.cart = (cart_id, lines)
    await _push(http, seat, tally, mutations)


async def _submit(http: httpx.AsyncClient, seat: Seat, tally: Tally) -> None:
    assert seat.cart is not None
    cart_id, lines = seat.cart
    seat.cart = None
    args = {
        "client_order_id": str(uuid.uuid4()), "cart_id": cart_id, "lines": lines,
        "po_number": f"BENCH-{seat.seq}", "seen_currency": seat.products[0]["currency"],
    }  # fmt: skip
    await _push(http, seat, tally, [("order.submit", args)])


async def _desktop(http: httpx.AsyncClient, seat: Seat, tally: Tally, rng: random.Random) -> None:
    """Pull, edit a cart, pull, submit it; again, until the shared budget is spent."""
    step = 0
    while tally.take():
        if step % 2 == 0:
            await _pull(http, seat, tally)
        elif seat.cart is None:
            await _fill_cart(http, seat, tally, rng)
        else:
            await _submit(http, seat, tally)
        step += 1


async def _health(http: httpx.AsyncClient, seat: Seat, tally: Tally, _rng: random.Random) -> None:
    while tally.take():
        await _request(http, tally, "healthz", "/healthz", seat.token)


Work = Callable[[httpx.AsyncClient, Seat, Tally, random.Random], Awaitable[None]]


async def _drive(
    url: str, seats: list[Seat], requests: int, work: Work, pid: int, limit_s: float
) -> Phase:
    """Run ``work`` for every seat at once until ``requests`` are spent, or ``limit_s`` has
    passed (a stalled server must not stall the benchmark: what is unanswered is an error)."""
    tally = Tally(budget=requests)
    # A client per desktop, as in life; one shared pool of 50 connections costs httpx
    # several times the CPU per request and made the client the bottleneck.
    clients = [httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) for _ in seats]
    try:
        server_cpu, client_cpu = _cpu_seconds(pid), time.process_time()
        start = time.perf_counter()
        everyone = asyncio.gather(
            *(work(http, seat, tally, random.Random(n))
              for n, (http, seat) in enumerate(zip(clients, seats, strict=True)))
        )  # fmt: skip
        try:
            await asyncio.wait_for(everyone, limit_s)
        except TimeoutError:
            tally.errors.append(
                f"stopped at the {limit_s:.0f} s limit: {tally.answered} of {requests} "
                f"requests answered, {tally.sent - tally.answered} still waiting"
            )
        wall = time.perf_counter() - start
        client_cpu = time.process_time() - client_cpu
        server_after = _cpu_seconds(pid)
    finally:
        for http in clients:
            await http.aclose()
    server_used = None if server_cpu is None or server_after is None else server_after - server_cpu
    return Phase(tally, wall, client_cpu, server_used)


# -- set-up: sign in, find orderable products, first sync -------------------------------
def _orderable(http: httpx.Client, token: str) -> list[dict[str, str]]:
    """Up to 50 active products with a price that take one base unit."""
    answer = http.get(
        "/api/v1/products", params={"limit": 500}, headers={"Authorization": f"Bearer {token}"}
    )
    answer.raise_for_status()
    found = [
        {"sku": p["sku"], "unit": p["base_unit"], "price": p["price"]["unit_price"],
         "currency": p["price"]["currency"]}
        for p in answer.json()
        if p["status"] == "active" and p["price"]
        and Decimal(p["min_qty"]) <= 1 and Decimal(p["multiple"]) == 1
    ]  # fmt: skip
    if len(found) < CART_LINES:
        raise RuntimeError("the demo seed has too few simple products for the benchmark")
    return found[:50]


def _first_sync(
    http: httpx.Client, token: str, known: dict[str, int]
) -> tuple[dict[str, int], str | None]:
    """Pull until nothing is left; buckets another account shared (``known``) are not
    downloaded again. The rows are dropped: only the cursors matter here."""
    cursors, epoch = dict(known), None
    while True:
        answer = http.post(
            "/api/v1/sync/pull",
            content=orjson.dumps(
                {"protocol": 1, "epoch": epoch, "cursors": cursors, "limit": 10_000}
            ),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        answer.raise_for_status()
        page = orjson.loads(answer.content)
        epoch = page["epoch"]
        for bucket in page["buckets"]:
            cursors[bucket["bucket"]] = bucket["to"]
        for gone in page.get("dropped") or ():
            cursors.pop(gone, None)
        if not page["more"]:
            return cursors, epoch


def _seats(url: str, users: list[dict[str, Any]], clients: int) -> list[Seat]:
    """``clients`` desktops spread over the demo users who may order (several desktops per
    user when there are more desktops than users), each signed in and synced once."""
    orderers = [u for u in users if "buyer" in u["roles"]]
    tokens: dict[str, str] = {}
    accounts: dict[str, tuple[list[dict[str, str]], dict[str, int], str | None]] = {}
    known: dict[str, int] = {}
    with httpx.Client(base_url=url, timeout=300) as http:
        for user in orderers[:clients]:
            login = http.post(
                "/api/v1/auth/login", json={"email": user["email"], "password": user["password"]}
            )
            login.raise_for_status()
            tokens[user["email"]] = login.json()["access_token"]
            if user["account"] not in accounts:
                token = tokens[user["email"]]
                cursors, epoch = _first_sync(http, token, known)
                known.update(cursors)
                accounts[user["account"]] = (_orderable(http, token), cursors, epoch)
    seats = []
    for n in range(clients):
        user = orderers[n % len(orderers)]
        products, cursors, epoch = accounts[user["account"]]
        seats.append(Seat(user["email"], tokens[user["email"]], products, dict(cursors), epoch))
    return seats


# -- one database ------------------------------------------------------------------------
@dataclass(frozen=True)
class Load:
    """How hard to push: desktops, requests per phase, catalog size, time limit per phase."""

    clients: int = CLIENTS
    requests: int = REQUESTS
    skus: int = SERVER_SKUS
    limit_s: float = PHASE_LIMIT_S


def _measure(db: str, label: str, load: Load) -> list[Record]:
    # Production mode, as deployed: it refuses the demo secret, so the run gets its own.
    env = {"ORDERPAD_ENV": "production", "ORDERPAD_SECRET_KEY": secrets.token_urlsafe(48)}
    users = seed(db, load.skus, env)
    with served(db, env) as server:
        seats = _seats(server.url, users, load.clients)
        drive = (server.url, seats, load.requests)
        base = asyncio.run(_drive(*drive, _health, server.pid, load.limit_s))
        work = asyncio.run(_drive(*drive, _desktop, server.pid, load.limit_s))
        server_error = server.last_error()
    tally = work.tally
    errors = len(tally.errors) + len(base.tally.errors)
    problems = ""
    if errors:
        problems = f"first error: {(tally.errors or base.tally.errors)[0]}; " + (
            f"the server's last error: {server_error}; " if server_error else ""
        )
    orders = sum(n for k, n in tally.outcomes.items() if k.startswith("order.submit"))
    outcomes = ", ".join(f"{k} {n}" for k, n in sorted(tally.outcomes.items()))
    pulls, pushes = tally.latencies.get("pull", []), tally.latencies.get("push", [])
    # Nothing answered at all: the phase's limit is all that is known of the latency.
    every = tally.all_ms() or [load.limit_s * 1000]
    base_ms = base.tally.all_ms() or [load.limit_s * 1000]
    return [
        result(
            f"server throughput, {load.clients} clients pulling and pushing ({label})",
            work.rps(), "req/s", baseline=base.rps(), better="higher", errors=errors,
            note=f"{problems}{tally.answered} requests answered in {work.wall_s:.1f} s: "
                 f"{len(pulls)} pulls, {len(pushes)} pushes ({outcomes}); {load.skus} SKUs; "
                 f"baseline: GET /healthz (SELECT 1) the same way; {work.cpu_note()} "
                 f"(baseline {base.cpu_note()})",
        ),
        result(
            f"server p95 latency, {load.clients} clients ({label})",
            _p(every, 95), "ms", baseline=_p(base_ms, 95), errors=errors,
            note=f"p50 {_p(every, 50):.1f} ms; pull p95 {_p(pulls, 95):.1f} ms, push p95 "
                 f"{_p(pushes, 95):.1f} ms; {orders} orders; baseline: GET /healthz, "
                 f"p50 {_p(base_ms, 50):.1f} ms",
        ),
    ]  # fmt: skip


def _create_pg_database() -> str:
    import psycopg

    name = f"orderpad_bench_{secrets.token_hex(6)}"
    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def run(
    load: Load, *, postgres: bool = True, skipped: list[dict[str, str]] | None = None
) -> list[Record]:
    """SQLite, then PostgreSQL unless ``postgres`` is false or none answers; a skipped half
    is appended to ``skipped`` as {"name", "reason"}."""
    results: list[Record] = []
    with tempfile.TemporaryDirectory(prefix="orderpad-server-bench-") as tmp:
        results += _measure(f"sqlite:///{tmp}/server.sqlite3", "SQLite", load)
    reason = "--no-postgres was given" if not postgres else pg_unavailable_reason()
    if reason is not None:
        if skipped is not None:
            skipped.append({"name": "server throughput (PostgreSQL)", "reason": reason})
        return results
    name = _create_pg_database()
    try:
        base = pg_admin_dsn().split("://", 1)[1].rsplit("/", 1)[0]
        results += _measure(f"postgresql+psycopg://{base}/{name}", "PostgreSQL", load)
    finally:
        drop_pg_database(name)
    return results

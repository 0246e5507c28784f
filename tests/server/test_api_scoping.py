"""Every endpoint is scoped to the caller's account, and roles limit what a user may do.

`test_every_endpoint_has_a_scoping_test` fails when an endpoint is added without a test here.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server import test_erp_link, test_sync_server  # noqa: F401  (register their tests)
from tests.server.scoping import SCOPED, scoped
from tests.support import RunningServer

PUBLIC = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/refresh"), ("GET", "/healthz")}


@pytest.fixture(scope="module")
def two_accounts(demo_server: RunningServer) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Buyers of two unrelated accounts whose assortments differ."""
    accounts = sorted({u["account"] for u in demo_server.users})
    clients = {
        a: demo_server.client_for(demo_server.user(account=a, role="buyer"))
        for a in accounts
        if any("buyer" in u["roles"] and u["account"] == a for u in demo_server.users)
    }
    skus = {
        a: {p["sku"] for p in c.get("/api/v1/products", params={"limit": 500}).json()}
        for a, c in clients.items()
    }
    for a in clients:
        for b in clients:
            if a != b and skus[b] - skus[a]:
                yield clients[a], clients[b]
                for c in clients.values():
                    c.close()
                return
    raise AssertionError("the demo seed has no two accounts with different assortments")


def test_every_endpoint_has_a_scoping_test(demo_server: RunningServer) -> None:
    spec = httpx.get(f"{demo_server.url}/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert routes - PUBLIC - SCOPED == set(), "write a scoping test for these endpoints"


def test_every_non_public_endpoint_needs_a_token(demo_server: RunningServer) -> None:
    for method, path in SCOPED:
        url = demo_server.url + path.replace("{number}", "X").replace("{sku}", "X")
        assert httpx.request(method, url).status_code == 401, (method, path)


@scoped("GET", "/api/v1/me")
def test_me_shows_only_the_callers_account(two_accounts: tuple[httpx.Client, ...]) -> None:
    a, b = two_accounts
    assert (
        a.get("/api/v1/me").json()["account"]["id"] != b.get("/api/v1/me").json()["account"]["id"]
    )


@scoped("POST", "/api/v1/auth/logout")
def test_logout_touches_only_the_callers_login(demo_server: RunningServer) -> None:
    viewer = demo_server.user(role="viewer")
    other = next(
        u for u in demo_server.users if "buyer" in u["roles"] and u["account"] != viewer["account"]
    )
    with demo_server.client_for(viewer) as v, demo_server.client_for(other) as o:
        assert v.post("/api/v1/auth/logout").status_code == 204
        assert o.get("/api/v1/me").status_code == 200


@scoped("GET", "/api/v1/ship-tos")
def test_ship_tos_are_the_callers_own(two_accounts: tuple[httpx.Client, ...]) -> None:
    a, b = two_accounts
    codes_a = {(s["code"], s["name"]) for s in a.get("/api/v1/ship-tos").json()}
    codes_b = {(s["code"], s["name"]) for s in b.get("/api/v1/ship-tos").json()}
    assert codes_a and codes_b and not codes_a & codes_b


@scoped("GET", "/api/v1/users")
def test_users_are_listed_for_admins_of_the_account_only(demo_server: RunningServer) -> None:
    admin = demo_server.user(role="admin")
    with demo_server.client_for(admin) as c:
        emails = {u["email"] for u in c.get("/api/v1/users").json()}
    own = {u["email"] for u in demo_server.users if u["account"] == admin["account"]}
    assert own <= emails
    assert not {u["email"] for u in demo_server.users if u["account"] != admin["account"]} & emails
    plain = [u for u in demo_server.users if u["roles"] in (["viewer"], ["buyer"])]
    assert {tuple(u["roles"]) for u in plain} == {("viewer",), ("buyer",)}
    for user in plain:
        with demo_server.client_for(user) as c:
            r = c.get("/api/v1/users")
        assert r.status_code == 403, user["roles"]
        assert "role" in r.json()["detail"]


@scoped("GET", "/api/v1/orders")
def test_order_lists_are_the_callers_own(two_accounts: tuple[httpx.Client, ...]) -> None:
    a, b = two_accounts
    ids_a = {o["client_order_id"] for o in a.get("/api/v1/orders", params={"limit": 500}).json()}
    ids_b = {o["client_order_id"] for o in b.get("/api/v1/orders", params={"limit": 500}).json()}
    assert ids_a and ids_b and not ids_a & ids_b


@scoped("GET", "/api/v1/orders/{number}")
def test_another_accounts_order_is_not_found(two_accounts: tuple[httpx.Client, ...]) -> None:
    a, b = two_accounts
    own = a.get("/api/v1/orders").json()[0]["number"]
    detail = a.get(f"/api/v1/orders/{own}").json()
    assert detail["lines"] and detail["history"]
    theirs = {o["number"] for o in b.get("/api/v1/orders", params={"limit": 500}).json()}
    mine = {o["number"] for o in a.get("/api/v1/orders", params={"limit": 500}).json()}
    only_theirs = next(iter(theirs - mine))
    assert a.get(f"/api/v1/orders/{only_theirs}").status_code == 404


@scoped("GET", "/api/v1/products")
def test_product_search_stays_in_the_assortment(two_accounts: tuple[httpx.Client, ...]) -> None:
    a, b = two_accounts
    skus_a = {p["sku"] for p in a.get("/api/v1/products", params={"limit": 500}).json()}
    skus_b = {p["sku"] for p in b.get("/api/v1/products", params={"limit": 500}).json()}
    outside = next(iter(skus_b - skus_a))
    assert a.get("/api/v1/products", params={"q": outside}).json() == []
    assert [p["sku"] for p in b.get("/api/v1/products", params={"q": outside}).json()] == [outside]


@scoped("GET", "/api/v1/products/{sku}")
def test_product_outside_the_assortment_is_not_found(
    two_accounts: tuple[httpx.Client, ...],
) -> None:
    a, b = two_accounts
    skus_a = {p["sku"] for p in a.get("/api/v1/products", params={"limit": 500}).json()}
    skus_b = {p["sku"] for p in b.get("/api/v1/products", params={"limit": 500}).json()}
    outside = next(iter(skus_b - skus_a))
    assert a.get(f"/api/v1/products/{outside}").status_code == 404
    detail = b.get(f"/api/v1/products/{outside}").json()
    assert detail["sku"] == outside and len(detail["stock"]) == 3

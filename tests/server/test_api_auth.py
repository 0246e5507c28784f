"""Sign-in, refresh rotation, sign-out and rate limiting against a real server process."""

from __future__ import annotations

import httpx
import pytest

from tests.support import RunningServer


def test_healthz_and_openapi(demo_server: RunningServer) -> None:
    assert httpx.get(f"{demo_server.url}/healthz").json() == {"status": "ok", "database": "sqlite"}
    spec = httpx.get(f"{demo_server.url}/openapi.json").json()
    assert "/api/v1/auth/login" in spec["paths"]
    assert "/api/v1/me" in spec["paths"]


def test_login_returns_tokens_and_me_describes_the_user(demo_server: RunningServer) -> None:
    buyer = demo_server.user(role="buyer")
    tokens = demo_server.login(buyer["email"], buyer["password"])
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] > 0 and tokens["refresh_expires_in"] > tokens["expires_in"]
    me = httpx.get(
        f"{demo_server.url}/api/v1/me",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    ).json()
    assert me["email"] == buyer["email"]
    assert "buyer" in me["roles"]
    assert me["account"]["number"] == buyer["account"]
    assert "password" not in str(me).lower()


def test_wrong_password_and_unknown_email_look_the_same(demo_server: RunningServer) -> None:
    buyer = demo_server.user(role="buyer")
    wrong = httpx.post(
        f"{demo_server.url}/api/v1/auth/login",
        json={"email": buyer["email"], "password": "not-the-password"},
    )
    unknown = httpx.post(
        f"{demo_server.url}/api/v1/auth/login",
        json={"email": "nobody@unknown.example", "password": "whatever1"},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_requests_without_or_with_forged_tokens_are_refused(demo_server: RunningServer) -> None:
    assert httpx.get(f"{demo_server.url}/api/v1/me").status_code == 401
    buyer = demo_server.user(role="buyer")
    token = demo_server.login(buyer["email"], buyer["password"])["access_token"]
    body, _sig = token.split(".")
    forged = body + "." + "A" * 43
    r = httpx.get(f"{demo_server.url}/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    assert "signature" in r.json()["detail"]


def test_refresh_rotates_and_reuse_revokes_the_whole_login(demo_server: RunningServer) -> None:
    buyer = demo_server.user(role="buyer")
    first = demo_server.login(buyer["email"], buyer["password"])
    refresh = lambda token: httpx.post(  # noqa: E731
        f"{demo_server.url}/api/v1/auth/refresh", json={"refresh_token": token}
    )
    second = refresh(first["refresh_token"])
    assert second.status_code == 200
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    headers = {"Authorization": f"Bearer {new['access_token']}"}
    assert httpx.get(f"{demo_server.url}/api/v1/me", headers=headers).status_code == 200

    # Someone replays the spent token: the whole family dies, including the new tokens.
    replay = refresh(first["refresh_token"])
    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]
    assert refresh(new["refresh_token"]).status_code == 401
    assert httpx.get(f"{demo_server.url}/api/v1/me", headers=headers).status_code == 401


def test_logout_ends_the_login(demo_server: RunningServer) -> None:
    viewer = demo_server.user(role="viewer")
    tokens = demo_server.login(viewer["email"], viewer["password"])
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert httpx.post(f"{demo_server.url}/api/v1/auth/logout", headers=headers).status_code == 204
    assert httpx.get(f"{demo_server.url}/api/v1/me", headers=headers).status_code == 401
    r = httpx.post(
        f"{demo_server.url}/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert r.status_code == 401


def test_failed_logins_are_rate_limited_per_email(demo_server: RunningServer) -> None:
    email = "rate-limit-probe@unknown.example"
    codes = [
        httpx.post(
            f"{demo_server.url}/api/v1/auth/login", json={"email": email, "password": f"wrong-{i}"}
        ).status_code
        for i in range(7)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    r = httpx.post(
        f"{demo_server.url}/api/v1/auth/login", json={"email": email, "password": "wrong"}
    )
    assert int(r.headers["Retry-After"]) > 0
    # Another user is not locked out by it.
    buyer = demo_server.user(role="buyer")
    assert demo_server.login(buyer["email"], buyer["password"])["access_token"]


@pytest.mark.postgres
def test_login_works_on_postgres(demo_server_pg: RunningServer) -> None:
    admin = demo_server_pg.user(role="admin")
    with demo_server_pg.client_for(admin) as client:
        assert client.get("/api/v1/me").json()["email"] == admin["email"]
        assert client.get("/healthz").json()["database"] == "postgresql"


def test_a_login_is_committed_before_its_answer_arrives(demo_server: RunningServer) -> None:
    """The refresh token must exist the moment the client holds it (no commit-after-send)."""
    import hashlib
    import sqlite3

    buyer = demo_server.user(role="buyer")
    tokens = demo_server.login(buyer["email"], buyer["password"])
    digest = hashlib.sha256(tokens["refresh_token"].encode()).hexdigest()
    path = demo_server.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT count(*) FROM refresh_tokens WHERE token_hash = ?", (digest,))
        assert found.fetchone()[0] == 1

"""The server refuses to start in production mode with the demo secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("secret", [None, "orderpad-demo-secret-do-not-use-in-production"])
def test_serve_refuses_production_without_a_secret(tmp_path: Path, secret: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ORDERPAD_SECRET_KEY"}
    env["ORDERPAD_ENV"] = "production"
    if secret is not None:
        env["ORDERPAD_SECRET_KEY"] = secret
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "server.cli", "--database-url", url, "serve",
             "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("orderpad-server serve started in production with the demo secret")
    assert done.returncode != 0
    assert "ORDERPAD_SECRET_KEY" in done.stderr
    assert not (tmp_path / "server.sqlite3").exists()  # refused before touching the database


def test_the_app_factory_refuses_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """`uvicorn server.app:create_app --factory --workers 4`: every worker refuses."""
    from server.app import create_app

    monkeypatch.setenv("ORDERPAD_ENV", "production")
    monkeypatch.delenv("ORDERPAD_SECRET_KEY", raising=False)
    monkeypatch.setenv("ORDERPAD_DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="ORDERPAD_SECRET_KEY"):
        create_app()

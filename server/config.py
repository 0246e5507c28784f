"""Server settings, read from the environment once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEMO_SECRET = "orderpad-demo-secret-do-not-use-in-production"


def default_database_url() -> str:
    """The embedded default: an SQLite file under ./var (created on demand)."""
    path = Path(os.environ.get("ORDERPAD_SERVER_DATA", "var")).resolve() / "orderpad-server.sqlite3"
    return f"sqlite:///{path}"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob the server has; build with `Settings.from_env()`."""

    database_url: str = field(default_factory=default_database_url)
    secret_key: str = DEMO_SECRET
    production: bool = False
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    login_window_s: int = 300
    login_max_failures_per_email: int = 5
    login_max_failures_per_address: int = 20
    # Clients older than this sync protocol get 426 (raise it when the protocol changes).
    min_protocol: int = 1
    # Database connections per server process (0: the driver's default). A request holds at
    # most one at a time, so this caps concurrent requests on the database.
    db_pool_size: int = 0

    @classmethod
    def from_env(cls, *, database_url: str | None = None) -> Settings:
        return cls(
            database_url=database_url
            or os.environ.get("ORDERPAD_DATABASE_URL")
            or default_database_url(),
            secret_key=os.environ.get("ORDERPAD_SECRET_KEY", DEMO_SECRET),
            production=os.environ.get("ORDERPAD_ENV", "development") == "production",
            access_token_ttl_s=_int_env("ORDERPAD_ACCESS_TOKEN_TTL", 900),
            refresh_token_ttl_s=_int_env("ORDERPAD_REFRESH_TOKEN_TTL", 30 * 24 * 3600),
            login_window_s=_int_env("ORDERPAD_LOGIN_WINDOW", 300),
            login_max_failures_per_email=_int_env("ORDERPAD_LOGIN_MAX_FAILURES", 5),
            login_max_failures_per_address=_int_env("ORDERPAD_LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
            min_protocol=_int_env("ORDERPAD_MIN_PROTOCOL", 1),
            db_pool_size=_int_env("ORDERPAD_DB_POOL_SIZE", 0),
        )

    def check_safe_to_serve(self) -> None:
        """Refuse to run a production server on the demo secret."""
        if self.production and self.secret_key == DEMO_SECRET:
            raise RuntimeError(
                "ORDERPAD_ENV=production but ORDERPAD_SECRET_KEY is the demo secret; "
                "set a long random ORDERPAD_SECRET_KEY"
            )

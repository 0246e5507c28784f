"""Support diagnostics: versions and state of a data folder, never a secret."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

from app import __version__, cli
from app.diagnostics import diagnostics_text
from app.services.profile import Profile, save_profile
from app.services.workspace import Workspace
from app.store.outbox import enqueue
from app.sync.tokens import Tokens, TokenStore
from tests.store.helpers import page, product, row

ACCESS = "eyJhbGciOiJIUzI1NiJ9.ACCESS-TOKEN-SECRET-1234567890"
REFRESH = "rt_REFRESH-TOKEN-SECRET-0987654321"


def _signed_in_folder(data_dir: Path) -> Path:
    profile = Profile(
        server_url="https://orders.example", email="buyer@example.com", name="Bea Buyer",
        roles=["buyer"], account_number="10010", account_name="Builder Ltd", currency="EUR",
    )  # fmt: skip
    with Workspace(data_dir) as ws:
        save_profile(data_dir, profile)
        TokenStore(data_dir, profile.key).save(Tokens(ACCESS, REFRESH))
        rows = [row("product", "A-1", 1, product("A-1"))]
        ws.replica.apply_page(page("catalog:1", rows, start=0))
        with ws.replica.session() as session:
            enqueue(session, "cart.submit", {"note": "x"})
    return data_dir


def test_diagnostics_of_a_signed_in_folder(tmp_path: Path) -> None:
    data_dir = _signed_in_folder(tmp_path / "data")
    assert (data_dir / "session.json").read_text().count(ACCESS) == 1  # the secret is there

    text = diagnostics_text(data_dir)
    assert f"Orderpad {__version__}" in text
    for part in ("Python ", "Qt ", "PySide6 ", "SQLite ", "Platform "):
        assert part in text
    assert f"Data folder {data_dir}" in text
    assert "schema version" in text
    assert "Products 1" in text
    assert "Outbox pending 1" in text
    assert "buyer@example.com" in text and "account 10010" in text
    assert "Last sync catalog:" in text
    for secret in (ACCESS, REFRESH, "ACCESS-TOKEN", "REFRESH-TOKEN", "eyJ"):
        assert secret not in text


def test_diagnostics_of_an_open_workspace_and_of_a_broken_folder(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        text = diagnostics_text(ws)
    assert "Signed in: no" in text and "Last sync: never" in text

    a_file = tmp_path / "file"
    a_file.write_text("x")
    text = diagnostics_text(a_file)
    assert "Replica cannot be opened" in text  # still says the versions


def test_diagnostics_command(tmp_path: Path) -> None:
    data_dir = _signed_in_folder(tmp_path / "data")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["--data-dir", str(data_dir), "diagnostics"]) == 0
    assert "Products 1" in out.getvalue()
    assert ACCESS not in out.getvalue() and REFRESH not in out.getvalue()

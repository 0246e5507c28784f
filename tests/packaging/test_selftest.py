"""`orderpad --self-test`: passes from source (a real process), and names the first failure."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app import cli
from app.selftest import STEPS, run_steps, self_test

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


def test_self_test_passes_from_source() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--self-test"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name, _step in STEPS:
        assert any(line.startswith("ok") and f" {name} " in line for line in lines), (
            f"no ok line for {name!r}:\n{done.stdout}"
        )
    assert lines[-1].startswith("self-test passed")
    assert "propagateSizeHints" not in done.stderr  # the offscreen plugin's noise is dropped


@pytest.fixture
def app_identity() -> Iterator[None]:
    """The in-process steps name the application "Orderpad" (QSettings would then be the
    person's own); put the test process's names back afterwards."""
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    yield
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])


@pytest.mark.usefixtures("app_identity")
def test_a_broken_step_fails_and_is_named(tmp_path: Path) -> None:
    # A data folder that is a file: the replica cannot be created.
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("not a folder")
    out, err = io.StringIO(), io.StringIO()
    results = run_steps(not_a_folder, out=out, err=err)
    names = [r.name for r in results]
    assert names == ["qt application", "icons and plugins", "replica migrations"]
    assert [r.ok for r in results] == [True, True, False]
    assert "FileExistsError" in (results[-1].error or "") or "NotADirectory" in (
        results[-1].error or ""
    )
    assert out.getvalue().splitlines()[-1].startswith("FAIL replica migrations")
    assert "Traceback" in err.getvalue()

    summary = io.StringIO()
    assert self_test(not_a_folder, out=summary) == 1
    assert "self-test FAILED at replica migrations" in summary.getvalue()


def test_self_test_runs_alone() -> None:
    assert cli.main(["--self-test", "status"]) == 2
    assert cli.main(["--data-dir", "/tmp/somewhere", "--self-test"]) == 2

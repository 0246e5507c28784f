"""`python -m bench` (what `make bench` runs) at a tiny size: every benchmark runs, the results
file has the documented schema with numbers in it, and the page and the printed table agree."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.record import KEYS
from tests.support import pg_unavailable_reason

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def test_the_runner_at_a_tiny_size(tmp_path: Path) -> None:
    out, docs = tmp_path / "results.json", tmp_path / "benchmarks.md"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--skus", "300", "--clients", "3",
         "--requests", "60", "--out", str(out), "--docs", str(docs)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]

    report = json.loads(out.read_text())
    assert report["failed"] == []
    assert {"cpu", "cores", "ram_gib", "os", "python", "pyside6", "sqlalchemy", "sqlite"} <= set(
        report["machine"]
    )
    results = report["results"]
    assert {r["group"] for r in results} == {"sync", "quickorder", "ui", "server"}
    for r in results:
        assert set(KEYS) <= set(r), r
        assert isinstance(r["name"], str) and r["name"] and isinstance(r["unit"], str), r
        assert _number(r["value"]), r
        assert r["baseline"] is None or (_number(r["baseline"]) and r["baseline"] > 0), r
        assert (r["ratio"] is None) == (r["baseline"] is None), r
        assert r["ratio"] is None or _number(r["ratio"]), r
        assert r["target"] is None or _number(r["target"]), r
        assert r["better"] in ("lower", "higher"), r
        assert r["pass"] in (True, False, None), r
        if r["target"] is not None:
            assert r["pass"] is not None, r

    server = [r for r in results if r["group"] == "server"]
    assert all(r["baseline"] is not None for r in server)
    assert all(r["pass"] is not False for r in server), [r["note"] for r in server]  # no errors
    names = " ".join(r["name"] for r in server)
    assert "3 clients" in names and "(SQLite)" in names
    reason = pg_unavailable_reason()
    if reason is None:
        assert "(PostgreSQL)" in names
    else:  # said, not silently left out
        assert [s["name"] for s in report["skipped"]] == ["server throughput (PostgreSQL)"]
        assert "skipped server throughput (PostgreSQL)" in done.stderr

    page = docs.read_text()
    assert page.startswith("# Benchmarks")
    assert "| Area | Benchmark | Result | Baseline | Ratio | Target | Pass |" in page
    assert f"{report['machine']['cores']} cores" in page
    for r in results:
        assert r["name"] in page and r["name"] in done.stdout

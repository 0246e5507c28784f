"""Sync benchmarks: initial sync of the N-SKU demo into an empty replica, a delta of 1,000
changed prices, and the client's peak memory; each beside a raw baseline from the same run.
Run through the bench runner: ``python -m bench --only sync [--skus 100000]``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.record import Record, result
from bench.server_process import served, server_cli

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _client(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run(
        [PY, "-m", "app.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )


def _timed_sync(data: Path) -> tuple[float, dict[str, Any], int]:
    """Run `orderpad sync --json` in a child; (seconds, report, the child's peak RSS in KiB).
    The peak comes from wait4 on that child alone: RUSAGE_CHILDREN would report the largest
    child so far, which is the seeding process."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [PY, "-m", "app.cli", "--data-dir", str(data), "sync", "--json"],
            stdout=out, stderr=err, cwd=ROOT, env=env,
        )  # fmt: skip
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError(f"orderpad sync failed: {err.read().decode()[-2000:]}")
        return seconds, json.loads(out.read()), usage.ru_maxrss


def _baseline_insert(rows: list[tuple[str, str]], path: Path) -> float:
    """A bare sqlite3 executemany of the same rows (key, JSON) into an empty file."""
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (key TEXT PRIMARY KEY, data TEXT)")
    with db:
        db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    db.close()
    return time.perf_counter() - start


def run(skus: int) -> list[Record]:
    """Seed an SQLite server with the ``skus``-SKU demo, serve it, and time a fresh client's
    initial sync and then a delta sync."""
    results: list[Record] = []
    with tempfile.TemporaryDirectory(prefix="orderpad-bench-") as tmp:
        tmpdir = Path(tmp)
        db = f"sqlite:///{tmpdir}/server.sqlite3"
        t0 = time.perf_counter()
        server_cli(db, "init-db")
        server_cli(db, "seed", "--demo", "--skus", str(skus))
        results.append(result(f"seed {skus} SKUs (SQLite)", time.perf_counter() - t0, "s"))
        with served(db) as server:
            data = tmpdir / "client"
            _client(data, "login", "--server", server.url, "--email",
                    "buyer1@acme-industrial.example", "--password", "demo-buyer1")  # fmt: skip
            seconds, report, peak_kib = _timed_sync(data)
            rows = int(report["pulled_rows"])
            # Baseline: the same number of rows with the same payload size, bare sqlite3.
            with sqlite3.connect(data / "replica.sqlite3") as replica:
                sample = [
                    (str(i), d)
                    for i, (d,) in enumerate(
                        replica.execute(
                            "SELECT data FROM products UNION ALL SELECT data FROM stock "
                            "UNION ALL SELECT data FROM prices"
                        )
                    )
                ]
            base = _baseline_insert(sample, tmpdir / "baseline.sqlite3")
            results.append(
                result(f"initial sync {skus} SKUs", seconds, "s", baseline=base, target=15.0,
                       note=f"{rows} rows; baseline: the same rows' JSON inserted with bare "
                            "sqlite3 executemany")
            )  # fmt: skip
            results.append(
                result("initial sync rate", rows / seconds, "rows/s",
                       baseline=len(sample) / base, target=20000, better="higher")
            )  # fmt: skip
            results.append(
                result("client peak memory (initial sync)", peak_kib / 1024, "MB", target=300,
                       note="peak RSS of the `orderpad sync` process")
            )  # fmt: skip
            # Delta: 1,000 changed prices through the ERP import, then one sync.
            price_file = tmpdir / "prices.csv"
            with sqlite3.connect(f"{tmpdir}/server.sqlite3") as srv:
                rows_1000 = srv.execute(
                    "SELECT pl.code, p.sku, i.min_qty, i.price FROM price_list_items i "
                    "JOIN price_lists pl ON pl.id = i.price_list_id "
                    "JOIN products p ON p.id = i.product_id "
                    "JOIN accounts a ON a.price_list_id = pl.id AND a.number = '10010' "
                    "WHERE i.min_qty = 1 LIMIT 1000"
                ).fetchall()
            with price_file.open("w") as fh:
                fh.write("price_list,sku,min_qty,price\n")
                for code, sku, min_qty, price in rows_1000:
                    fh.write(f"{code},{sku},{min_qty},{float(price) * 1.03:.4f}\n")
            server_cli(db, "import", "prices", str(price_file))
            dseconds, dreport, _ = _timed_sync(data)
            start = time.perf_counter()
            _client(data, "status")  # the fixed cost of starting the client process
            floor = time.perf_counter() - start
            results.append(
                result(f"delta sync, {len(rows_1000):,} changed prices", dseconds, "s",
                       baseline=floor, target=1.0, passed=dseconds - floor < 1.0,
                       note=f"{dreport['pulled_rows']} rows; baseline: the client's start-up "
                            "(`orderpad status`); target: < 1 s beyond the baseline")
            )  # fmt: skip
    return results

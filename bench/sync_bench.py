"""Sync benchmarks: initial sync of the N-SKU demo into an empty replica, a delta of 1,000
changed prices, and the client's peak memory; each beside a raw baseline from the same run.

    python -m bench.sync_bench [--skus 100000] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _server_cli(db: str, *args: str) -> str:
    out = subprocess.run(
        [PY, "-m", "server.cli", "--database-url", db, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout


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
    """Run `orderpad sync --json` in a child; (seconds, report, child peak RSS in KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = _client(data, "sync", "--json")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, json.loads(out.stdout), max(peak, before)


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


def run(skus: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="orderpad-bench-") as tmp:
        tmpdir = Path(tmp)
        db = f"sqlite:///{tmpdir}/server.sqlite3"
        t0 = time.perf_counter()
        _server_cli(db, "init-db")
        _server_cli(db, "seed", "--demo", "--skus", str(skus))
        seed_s = time.perf_counter() - t0
        results.append(
            {
                "name": f"seed {skus} SKUs (SQLite)",
                "value": round(seed_s, 2),
                "unit": "s",
                "baseline": None,
                "ratio": None,
                "target": None,
            }
        )
        port = free_port()
        server = subprocess.Popen(
            [PY, "-m", "server.cli", "--database-url", db, "serve", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(f"{url}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            data = tmpdir / "client"
            _client(
                data,
                "login",
                "--server",
                url,
                "--email",
                "buyer1@acme-industrial.example",
                "--password",
                "demo-buyer1",
            )
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
            base_rate = len(sample) / base
            results.append(
                {
                    "name": f"initial sync {skus} SKUs",
                    "value": round(seconds, 2),
                    "unit": "s",
                    "baseline": round(base, 2),
                    "ratio": round(seconds / base, 1),
                    "target": 15.0,
                    "pass": seconds < 15.0,
                }
            )
            results.append(
                {
                    "name": "initial sync rate",
                    "value": round(rows / seconds),
                    "unit": "rows/s",
                    "baseline": round(base_rate),
                    "ratio": round(base_rate / (rows / seconds), 1),
                    "target": 20000,
                    "pass": rows / seconds >= 20000,
                }
            )
            results.append(
                {
                    "name": "client peak memory (initial sync)",
                    "value": round(peak_kib / 1024),
                    "unit": "MB",
                    "baseline": None,
                    "ratio": None,
                    "target": 300,
                    "pass": peak_kib / 1024 < 300,
                }
            )
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
            _server_cli(db, "import", "prices", str(price_file))
            dseconds, dreport, _ = _timed_sync(data)
            start = time.perf_counter()
            _client(data, "status")  # the fixed cost of starting the client process
            floor = time.perf_counter() - start
            results.append(
                {
                    "name": "delta sync, 1,000 changed prices",
                    "value": round(dseconds, 2),
                    "unit": "s",
                    "baseline": round(floor, 2),
                    "ratio": round(dseconds / floor, 1),
                    "target": 1.0,
                    "pass": dseconds - floor < 1.0,
                    "note": f"{dreport['pulled_rows']} rows; baseline = client start-up",
                }
            )
        finally:
            server.terminate()
            server.wait(10)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)
    results = run(args.skus)
    Path(args.out).write_text(json.dumps(results, indent=2))
    for r in results:
        print(
            f"{r['name']:40} {r['value']:>10} {r['unit']:7} baseline {r['baseline']!s:>8} "
            f"ratio {r['ratio']!s:>5} target {r['target']!s:>7} "
            f"{'' if 'pass' not in r else ('PASS' if r['pass'] else 'FAIL')}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

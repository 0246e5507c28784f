"""`python -m bench`: every benchmark, each beside its baseline, in one results table.

Runs sync (initial and delta sync, client memory), quickorder (spreadsheet import, paste,
scan resolution), ui (cold start, catalog search, scan to line visible) and server
(throughput and p95 latency of N clients, SQLite and PostgreSQL). Writes bench/results.json,
prints the table, and writes docs/benchmarks.md when every benchmark ran.

    python -m bench [--skus 100000] [--clients 50] [--requests 2000] [--only server,ui]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.record import Record
from bench.report import machine, page, summary

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("sync", "quickorder", "ui", "server")
Skipped = list[dict[str, str]]


def _sync(args: argparse.Namespace, _skipped: Skipped) -> list[Record]:
    from bench import sync_bench

    return sync_bench.run(args.skus)


def _quickorder(args: argparse.Namespace, _skipped: Skipped) -> list[Record]:
    from bench import quickorder_bench

    if args.smoke:
        return quickorder_bench.run(args.skus, lines=500, scans=1000)
    return quickorder_bench.run(args.skus)


def _ui(args: argparse.Namespace, _skipped: Skipped) -> list[Record]:
    if not os.environ.get("QT_QPA_PLATFORM"):  # `make` exports it empty
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from bench import ui_bench

    if args.smoke:
        return ui_bench.run(args.skus, cold_runs=1, scans=20)
    return ui_bench.run(args.skus)


def _server(args: argparse.Namespace, skipped: Skipped) -> list[Record]:
    from bench import server_bench

    skus = args.server_skus or min(args.skus, server_bench.SERVER_SKUS)
    load = server_bench.Load(args.clients, args.requests, skus, args.phase_limit)
    return server_bench.run(load, postgres=not args.no_postgres, skipped=skipped)


RUNNERS: dict[str, Callable[[argparse.Namespace, Skipped], list[Record]]] = {
    "sync": _sync, "quickorder": _quickorder, "ui": _ui, "server": _server,
}  # fmt: skip


def _groups(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = sorted(set(names) - set(GROUPS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(GROUPS)}, not {text!r}")
    return names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    add = parser.add_argument
    add(
        "--skus",
        type=int,
        default=100_000,
        help="products in the replicas and on the sync server (default 100000)",
    )
    add(
        "--clients",
        type=int,
        default=50,
        help="simulated desktops in the server benchmark (default 50)",
    )
    add(
        "--requests",
        type=int,
        default=2000,
        help="requests per server phase, all clients together (default 2000)",
    )
    add(
        "--server-skus",
        type=int,
        help="products on the throughput server (default: --skus, at most 20000)",
    )
    add(
        "--phase-limit",
        type=float,
        default=120.0,
        help="seconds a server phase may take; what is unanswered then counts as errors",
    )
    add("--no-postgres", action="store_true", help="server benchmark on SQLite only")
    add(
        "--only",
        type=_groups,
        default=list(GROUPS),
        help=f"comma-separated, of: {', '.join(GROUPS)}",
    )
    add(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results.json",
        help="the JSON results (default bench/results.json)",
    )
    add(
        "--docs",
        type=Path,
        help="the markdown page (default docs/benchmarks.md, written only when every "
        "benchmark ran, not --smoke; --docs '' for none)",
    )
    add(
        "--smoke",
        action="store_true",
        help="few repetitions (500-line XLSX, 1,000 scans, one cold start): shows that every "
        "benchmark runs (the tests use it); the numbers mean little",
    )
    add(
        "--strict", action="store_true", help="exit 1 when a result misses its target or had errors"
    )
    args = parser.parse_args(argv)
    if args.docs is None and args.only == list(GROUPS) and not args.smoke:
        args.docs = ROOT / "docs" / "benchmarks.md"
    elif args.docs is not None and str(args.docs) in ("", "."):
        args.docs = None
    return args


def run(args: argparse.Namespace, argv: list[str]) -> dict[str, Any]:
    """Run the chosen groups in order; a group that crashes is reported, the rest still run."""
    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "command": " ".join(["python -m bench", *argv]),
        "machine": machine(),
        "results": [],
        "skipped": [],
        "failed": [],
    }
    clock = time.perf_counter()
    for group in args.only:
        print(f"bench: {group}…", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            records = RUNNERS[group](args, report["skipped"])
        except Exception as exc:
            traceback.print_exc()
            report["failed"].append({"name": group, "error": f"{type(exc).__name__}: {exc}"})
            continue
        for record in records:
            record["group"] = group
        report["results"] += records
        print(f"bench: {group}: {len(records)} results in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
    report["seconds"] = round(time.perf_counter() - clock, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    report = run(args, argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(summary(report), end="", flush=True)
    if args.docs is not None:
        args.docs.parent.mkdir(parents=True, exist_ok=True)
        args.docs.write_text(page(report))
    for s in report["skipped"]:
        print(f"bench: skipped {s['name']}: {s['reason']}", file=sys.stderr)
    where = f"{args.out}" + (f" and {args.docs}" if args.docs is not None else "")
    print(f"bench: results in {where} ({report['seconds']:.0f} s)", file=sys.stderr)
    if report["failed"]:
        return 1
    missed = [r for r in report["results"] if r["pass"] is False]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())

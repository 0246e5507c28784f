"""The benchmark report: the machine it ran on, and the results as one markdown table (printed
by the runner and written to docs/benchmarks.md)."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.record import Record

AREAS = {"sync": "sync", "quickorder": "quick order", "ui": "desktop", "server": "server"}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _ram_gib() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (AttributeError, ValueError, OSError):
        return None


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _postgres_version() -> str | None:
    """The version of the PostgreSQL the server benchmark would use, or None."""
    try:
        import psycopg

        from tests.support import pg_admin_dsn

        with psycopg.connect(pg_admin_dsn(), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except Exception:  # no driver, no server: the page says "not reachable"
        return None
    return None if row is None else str(row[0])


def machine() -> dict[str, Any]:
    """What the numbers depend on: hardware, OS, and the versions of the stack."""
    try:
        from PySide6.QtCore import qVersion

        qt: str | None = str(qVersion())
    except ImportError:
        qt = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": _version("PySide6-Essentials") or _version("PySide6"),
        "qt": qt,
        "sqlalchemy": _version("SQLAlchemy"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "load_average_at_start": None if load is None else [round(x, 2) for x in load],
    }


def _num(x: float) -> str:
    """Three significant digits (thousands in full, with separators)."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _target(r: Record) -> str:
    if r["target"] is None:
        return "—"
    return f"{'<' if r['better'] == 'lower' else '≥'} {_num(r['target'])} {r['unit']}"


def _pass(r: Record) -> str:
    return {True: "yes", False: "**no**", None: "—"}[r["pass"]]


def table(results: list[Record]) -> str:
    """One row per result: area, name, result, baseline, ratio, target, pass."""
    lines = [
        "| Area | Benchmark | Result | Baseline | Ratio | Target | Pass |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for r in results:
        base = "—" if r["baseline"] is None else f"{_num(r['baseline'])} {r['unit']}"
        ratio = "—" if r["ratio"] is None else f"{_num(r['ratio'])}×"
        lines.append(
            f"| {AREAS.get(r.get('group', ''), r.get('group', ''))} | {r['name']} | "
            f"{_num(r['value'])} {r['unit']} | {base} | {ratio} | {_target(r)} | {_pass(r)} |"
        )
    return "\n".join(lines)


def machine_line(m: dict[str, Any]) -> str:
    pg = m["postgresql"] or "not reachable"
    load = m["load_average_at_start"]
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; "
        f"Python {m['python']}, PySide6 {m['pyside6']} (Qt {m['qt']}), "
        f"SQLAlchemy {m['sqlalchemy']}, SQLite {m['sqlite']}, PostgreSQL {pg}"
        + ("" if load is None else f"; load average at start {', '.join(map(str, load))}")
    )


def summary(report: dict[str, Any]) -> str:
    """The table, then the notes, the skipped and the failed benchmarks."""
    parts = [table(report["results"])]
    notes = [f"- *{r['name']}*: {r['note']}" for r in report["results"] if r["note"]]
    if notes:
        parts.append("Notes:\n\n" + "\n".join(notes))
    if report["skipped"]:
        parts.append(
            "Skipped:\n\n" + "\n".join(f"- {s['name']}: {s['reason']}" for s in report["skipped"])
        )
    if report["failed"]:
        parts.append(
            "Failed to run:\n\n"
            + "\n".join(f"- {f['name']}: {f['error']}" for f in report["failed"])
        )
    return "\n\n".join(parts) + "\n"


def page(report: dict[str, Any]) -> str:
    """docs/benchmarks.md: how the numbers were made, on what, and the table."""
    m = report["machine"]
    return f"""# Benchmarks

Written by `make bench` (`python -m bench`); do not edit by hand. Every benchmark is measured
beside a baseline from the same run: the same kind of work done the simplest way (a bare
`sqlite3` insert of the same rows, a bare openpyxl read of the same file, an empty Qt window,
`GET /healthz` on the same server). Ratio is result ÷ baseline. A result without a target
passes or fails only on errors. Timings move with the machine's load (the load average at
the start is below): compare ratios rather than absolute numbers, and runs only on one machine.

- **Run:** {report["started"]} UTC, `{report["command"]}`, {report["seconds"]:.0f} s
- **Machine:** {machine_line(m)}

{summary(report)}"""

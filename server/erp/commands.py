"""The `orderpad-server` sub-commands of the ERP link: api-key, import of event files,
simulate-erp. server/cli.py registers them; each returns the process exit code."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from server.db import make_sessionmaker, transaction


def cmd_api_key(engine: Engine, args: argparse.Namespace) -> int:
    from server.erp.keys import ApiKeyRefused, create_key, list_keys, revoke_key

    sessions = make_sessionmaker(engine)
    try:
        if args.action == "create":
            accounts = [a for a in (args.accounts or "").replace(" ", ",").split(",") if a]
            with transaction(sessions) as session:
                key = create_key(session, name=args.name, accounts=accounts)
            scope = ", ".join(accounts) if accounts else "all accounts"
            print(f"created API key {args.name!r} for {scope}; it is shown only this once:")
            print(key)
            return 0
        if args.action == "revoke":
            with transaction(sessions) as session:
                changed = revoke_key(session, name=args.name)
            print(f"revoked API key {args.name!r}" if changed else f"{args.name!r} was revoked")
            return 0
    except ApiKeyRefused as exc:
        print(f"api-key: {exc}", file=sys.stderr)
        return 1
    with sessions() as session:
        keys = list_keys(session)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": k.name,
                        "prefix": k.prefix,
                        "accounts": k.accounts,
                        "created_at": k.created_at.isoformat(),
                        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                    }
                    for k in keys
                ],
                indent=2,
            )
        )
        return 0
    if not keys:
        print("no API keys; create one with `orderpad-server api-key create NAME`")
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
        scope = " ".join(k.accounts) or "all accounts"
        print(f"{k.name:24} {k.prefix}…  {state:18} {scope}")
    return 0


def cmd_import_events(engine: Engine, args: argparse.Namespace) -> int:
    from server.erp.files import import_events
    from server.erp_import.tables import ImportFileError

    try:
        report = import_events(engine, args.kind, Path(args.file), dry_run=args.dry_run)
    except ImportFileError as exc:
        print(f"import: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        print(report.summary())
    return 1 if report.errors else 0


def cmd_simulate(engine: Engine, args: argparse.Namespace) -> int:
    from server.erp.simulate import ErpSimulator

    simulator = ErpSimulator(make_sessionmaker(engine), seed=args.seed, speed=args.speed)
    if args.once:
        report = simulator.run_once()
        for line in report.log:
            print(line)
        for line in report.rejected:
            print(f"refused: {line}", file=sys.stderr)
        print(
            f"simulate-erp: {report.acknowledged} orders taken over, {report.applied} events "
            f"applied, {len(report.rejected)} refused"
        )
        return 1 if report.rejected else 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"simulate-erp: playing the ERP at {args.speed}x; Ctrl+C stops", flush=True)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is the way to stop it
        simulator.run(stop, on_step=lambda line: print(line, flush=True))
    return 0


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    run: Callable[[argparse.Namespace], int],
) -> None:
    """Register `api-key` and `simulate-erp`; `run(args)` calls `args.erp_command(engine, args)`.

    The import kinds `shipments` and `order-status` are listed by server/cli.py.
    """
    keys = sub.add_parser("api-key", help="create, list or revoke API keys for the ERP")
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key and print it once")
    create.add_argument("name")
    create.add_argument("--accounts", help="limit the key to these account numbers: 10010,10020")
    listing = actions.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--json", action="store_true")
    actions.add_parser("revoke", help="revoke a key at once").add_argument("name")
    keys.set_defaults(func=run, erp_command=cmd_api_key)

    sim = sub.add_parser("simulate-erp", help="play the supplier's ERP for the demo")
    sim.add_argument("--speed", type=float, default=60.0, help="time runs this much faster")
    sim.add_argument("--once", action="store_true", help="do everything due now, then exit")
    sim.add_argument("--seed", type=int, default=7, help="same seed, same story")
    sim.set_defaults(func=run, erp_command=cmd_simulate)

"""`orderpad-server`: set up the database, seed the demo, import ERP files, serve."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import select

from server.config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(database_url=args.database_url)


def cmd_init_db(args: argparse.Namespace) -> int:
    from server import migrate
    from server.db import make_engine

    settings = _settings(args)
    migrate.upgrade(make_engine(settings.database_url))
    print(f"database ready: {_redact(settings.database_url)}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from server import migrate
    from server.db import make_engine
    from server.seed import SeedError, seed_demo

    if not args.demo:
        print("nothing to seed: pass --demo", file=sys.stderr)
        return 2
    engine = make_engine(_settings(args).database_url)
    migrate.upgrade(engine)
    try:
        report = seed_demo(engine, skus=args.skus, seed=args.seed)
    except SeedError as exc:
        if args.if_empty:
            print("demo data already there; nothing to do")
            return 0
        print(f"seed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "email": u.email,
                        "password": u.password,
                        "name": u.name,
                        "roles": u.roles,
                        "account": u.account_number,
                        "account_name": u.account_name,
                    }
                    for u in report.users
                ],
                indent=2,
            )
        )
        return 0
    print(
        f"seeded {report.products} products, {report.accounts} accounts, "
        f"{report.orders} orders ({report.order_lines} lines) in {report.seconds:.1f} s"
    )
    print("demo users (email / password / roles / account):")
    for u in report.users:
        print(f"  {u.email:40} {u.password:16} {' '.join(u.roles):16} {u.account_number}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server import migrate
    from server.app import create_app
    from server.db import make_engine

    settings = _settings(args)
    try:
        settings.check_safe_to_serve()
    except RuntimeError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    if not args.no_migrate:
        migrate.upgrade(make_engine(settings.database_url))
    app = create_app(settings)
    print(f"serving {_redact(settings.database_url)} on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from server.db import make_engine
    from server.erp.commands import cmd_import_events
    from server.erp.files import KINDS as EVENT_KINDS
    from server.erp_import import ImportKind, import_file

    path = Path(args.file)
    if not path.is_file():
        print(f"import: no such file: {path}", file=sys.stderr)
        return 2
    if args.kind in EVENT_KINDS:
        return cmd_import_events(make_engine(_settings(args).database_url), args)
    report = import_file(
        make_engine(_settings(args).database_url),
        ImportKind(args.kind),
        path,
        dry_run=args.dry_run,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        print(report.summary())
    return 1 if report.errors else 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from server.accounts.models import Account, User, format_roles, parse_roles
    from server.auth.passwords import hash_password
    from server.changes.service import RowChange, account_bucket, record_changes
    from server.db import make_engine, make_sessionmaker, transaction

    password = args.password or os.environ.get("ORDERPAD_NEW_USER_PASSWORD")
    if not password:
        password = getpass.getpass("password for the new user: ")
    try:
        roles = parse_roles(args.roles)
        password_hash = hash_password(password)
    except ValueError as exc:
        print(f"create-user: {exc}", file=sys.stderr)
        return 2
    sessions = make_sessionmaker(make_engine(_settings(args).database_url))
    with transaction(sessions) as session:
        account = session.scalar(select(Account).where(Account.number == args.account))
        if account is None:
            print(f"create-user: no account {args.account}", file=sys.stderr)
            return 1
        email = args.email.strip().lower()
        if session.scalar(select(User).where(User.email == email)) is not None:
            print(f"create-user: {email} exists already", file=sys.stderr)
            return 1
        user = User(
            account_id=account.id,
            email=email,
            name=args.name or email,
            password_hash=password_hash,
            roles_raw=format_roles(set(roles)),
        )
        session.add(user)
        session.flush()
        record_changes(session, account_bucket(account.id), [RowChange("user", str(user.id))])
    print(f"created {email} ({format_roles(set(roles))}) in account {args.account}")
    return 0


def cmd_update_user(args: argparse.Namespace) -> int:
    """Change a user's roles, active flag or manager; pending approvals are re-routed."""
    from server.accounts.models import Account, User, format_roles, parse_roles
    from server.approvals.service import reroute_pending
    from server.changes.service import RowChange, account_bucket, record_changes
    from server.db import make_engine, make_sessionmaker, transaction

    sessions = make_sessionmaker(make_engine(_settings(args).database_url))
    with transaction(sessions) as session:
        user = session.scalar(select(User).where(User.email == args.email.strip().lower()))
        if user is None:
            print(f"update-user: no user {args.email}", file=sys.stderr)
            return 1
        if args.roles is not None:
            try:
                user.roles_raw = format_roles(set(parse_roles(args.roles)))
            except ValueError as exc:
                print(f"update-user: {exc}", file=sys.stderr)
                return 2
        if args.active is not None:
            user.active = args.active == "yes"
        if args.manager is not None:
            manager = session.scalar(select(User).where(User.email == args.manager.lower()))
            if manager is None or manager.account_id != user.account_id:
                print(f"update-user: no user {args.manager} in the same account", file=sys.stderr)
                return 1
            user.manager_id = manager.id
        session.flush()
        record_changes(session, account_bucket(user.account_id), [RowChange("user", str(user.id))])
        account = session.get(Account, user.account_id)
        rerouted = reroute_pending(session, account) if account is not None else 0
        state = "active" if user.active else "disabled"
        print(f"{user.email}: {user.roles_raw}, {state}; {rerouted} pending order(s) re-routed")
    return 0


def cmd_erp(args: argparse.Namespace) -> int:
    """api-key and simulate-erp: see server/erp/commands.py."""
    from server.db import make_engine

    return int(args.erp_command(make_engine(_settings(args).database_url), args))


def _redact(url: str) -> str:
    """A database URL with its password hidden, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orderpad-server", description=__doc__)
    parser.add_argument(
        "--database-url", help="SQLAlchemy URL (default: $ORDERPAD_DATABASE_URL or ./var/*.sqlite3)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init-db", help="create or migrate the schema").set_defaults(func=cmd_init_db)

    seed = sub.add_parser("seed", help="fill an empty database with demo data")
    seed.add_argument("--demo", action="store_true", help="the industrial-supplies demo")
    seed.add_argument("--skus", type=int, default=20_000, help="number of products")
    seed.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    seed.add_argument("--json", action="store_true", help="print the demo users as JSON")
    seed.add_argument("--if-empty", action="store_true", help="succeed quietly if already seeded")
    seed.set_defaults(func=cmd_seed)

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate on start")
    serve.set_defaults(func=cmd_serve)

    imp = sub.add_parser("import", help="import an ERP export (CSV or XLSX)")
    imp.add_argument(
        "kind",
        choices=["products", "prices", "stock", "accounts", "shipments", "order-status"],
    )
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=cmd_import)

    cu = sub.add_parser("create-user", help="add a user to an account")
    cu.add_argument("--account", required=True, help="account number")
    cu.add_argument("--email", required=True)
    cu.add_argument("--name")
    cu.add_argument("--roles", default="buyer", help='e.g. "buyer approver"')
    cu.add_argument("--password", help="default: $ORDERPAD_NEW_USER_PASSWORD or a prompt")
    cu.set_defaults(func=cmd_create_user)

    uu = sub.add_parser("update-user", help="change a user's roles, manager or active flag")
    uu.add_argument("email")
    uu.add_argument("--roles", help='the new roles, e.g. "buyer approver"')
    uu.add_argument("--active", choices=["yes", "no"])
    uu.add_argument("--manager", metavar="EMAIL")
    uu.set_defaults(func=cmd_update_user)

    from server.erp.commands import add_parsers as add_erp_parsers

    add_erp_parsers(sub, run=cmd_erp)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())

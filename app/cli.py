"""`orderpad`: the desktop client's command line (headless sub-commands for admins and scripts).

`orderpad` with no sub-command opens the desktop app; `orderpad demo` opens it on a local
demo server. Every command works on one data directory (`--data-dir`, default: the per-user
data dir).
Exit codes: 0 done; 1 the request failed (message on stderr, nothing lost); 2 bad usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app import __version__


def _plain(value: Any) -> Any:
    """JSON-ready copy of dataclasses, Decimals, dates and enums."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _print_json(value: Any) -> None:
    print(json.dumps(_plain(value), indent=2, ensure_ascii=False))


def _quantity(raw: str) -> Decimal:
    try:
        qty = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not qty.is_finite() or qty <= 0:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive quantity")
    return qty


def _workspace(args: argparse.Namespace) -> Any:
    from app.services.workspace import Workspace

    return Workspace(Path(args.data_dir) if args.data_dir else None)


# -- commands ----------------------------------------------------------------------------------
def cmd_login(args: argparse.Namespace) -> int:
    import getpass

    password = args.password or getpass.getpass(f"password for {args.email}: ")
    with _workspace(args) as ws:
        profile = ws.login(args.server, args.email, password)
        status = ws.status()
    print(
        f"signed in as {profile.email} ({', '.join(profile.roles)}) of "
        f"{profile.account_name} [{profile.account_number}]; session kept in "
        f"{status.session_store}"
    )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        report = ws.sync(verify=args.verify, page_limit=args.page_limit)
    if args.json:
        _print_json(report)
    else:
        print(report.summary())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        status = ws.status()
    if args.json:
        _print_json(status)
        return 0
    p = status.profile
    print(f"data: {status.data_dir}")
    print(f"signed in: {p.email} @ {p.server_url} ({p.account_name})" if p else "not signed in")
    print(f"products: {status.products}")
    for area in status.areas:
        when = area.synced_at.isoformat(timespec="seconds") if area.synced_at else "never"
        print(f"  {area.area:8} last synced {when}")
    print("outbox: " + (", ".join(f"{k} {v}" for k, v in status.outbox.items()) or "empty"))
    return 0


def cmd_products(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        hits = ws.search_products(args.query or "", limit=args.limit)
    if args.json:
        _print_json(hits)
    else:
        for h in hits:
            print(f"{h.sku:14} {h.name[:60]:60} {h.base_unit:4} {h.status}")
    return 0


def cmd_cart_add(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        ws.add_to_cart(args.sku, args.qty, args.unit, args.cart)
        view = ws.cart(args.cart)
    line = next(li for li in view.lines if li.sku.upper() == args.sku.upper())
    print(
        f"{view.name}: {line.sku} now {line.quantity} {line.unit}"
        + (f"; problems: {'; '.join(line.problems)}" if line.problems else "")
    )
    return 0


def cmd_cart_show(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        view = ws.cart(args.cart)
    if args.json:
        _print_json(view)
        return 0
    print(f"cart {view.name} ({view.status})")
    for li in view.lines:
        price = f"{li.unit_price} {view.currency}" if li.unit_price is not None else "no price"
        print(
            f"  {li.sku:14} {li.quantity:>8} {li.unit:4} {price:>16}  {li.line_total or ''}"
            + (f"  ! {'; '.join(li.problems)}" if li.problems else "")
        )
    print(f"total {view.total} {view.currency}")
    return 0


def cmd_cart_submit(args: argparse.Namespace) -> int:
    requested = dt.date.fromisoformat(args.requested_date) if args.requested_date else None
    with _workspace(args) as ws:
        order_id = ws.submit_cart(
            args.cart,
            po_number=args.po,
            ship_to=args.ship_to,
            requested_date=requested,
            note=args.note,
        )
    if args.json:
        _print_json({"client_order_id": order_id, "status": "queued"})
    else:
        print(f"order {order_id} queued; it is sent on the next sync")
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        entries = ws.outbox_entries()
    if args.json:
        _print_json(entries)
    else:
        for e in entries:
            msg = (e.result or {}).get("message") or e.last_error or ""
            print(f"{e.seq:5} {e.name:22} {e.state:18} {msg}")
    return 0


def cmd_orders(args: argparse.Namespace) -> int:
    from app import cli_orders

    with _workspace(args) as ws:
        if args.action == "show":
            return cli_orders.cmd_order_show(ws, args)
        if args.action == "confirm":
            if not args.order:
                print("orders confirm: name the order (number or id)", file=sys.stderr)
                return 2
            ws.confirm_order(args.order, remove_lines=args.remove_line or [])
            print(f"confirmation of {args.order} queued; it is sent on the next sync")
            return 0
        if args.json:  # with each order's timeline, line quantities and shipments
            _print_json(cli_orders.orders_json(ws))
            return 0
        orders = ws.orders()
    for o in orders:
        print(
            f"{o.number or '(queued)':12} {o.status:20} {o.po_number or '':12} "
            f"{o.subtotal or ''} {o.currency or ''}"
        )
    return 0


def _log_to_file(args: argparse.Namespace) -> None:
    """The window's runs log to ``<data dir>/logs/orderpad.log`` (rotated; secrets hidden)."""
    from app.logs import setup_file_logging
    from app.services.profile import default_data_dir

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    setup_file_logging(data_dir, verbose=args.verbose)
    logging.getLogger("orderpad").info(
        "orderpad %s %s starting (Python %s, %s)",
        __version__, args.command, sys.version.split()[0], sys.platform,
    )  # fmt: skip


def cmd_demo(args: argparse.Namespace) -> int:
    if getattr(sys, "frozen", False):  # the installed bundle carries the client only
        print(
            "orderpad demo: needs the server package; run it from a development checkout "
            "(`make run`)",
            file=sys.stderr,
        )
        return 2
    from app.ui.app import run_gui

    _log_to_file(args)
    return run_gui(
        Path(args.data_dir) if args.data_dir else None,
        demo=True,
        demo_skus=args.skus,
        screenshot=Path(args.screenshot) if args.screenshot else None,
    )


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    _log_to_file(args)
    return run_gui(Path(args.data_dir) if args.data_dir else None)


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from app.diagnostics import diagnostics_text

    print(diagnostics_text(Path(args.data_dir) if args.data_dir else None), end="")
    return 0


# -- parser ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orderpad", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"orderpad {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (Qt offscreen, a temporary replica, the main window, a "
        "scan, a PDF label, an XLSX) and exit; never touches your data",
    )
    parser.add_argument("--data-dir", help="where the local replica lives (default: per-user)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what sync does")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("login", help="sign in (online, once)")
    p.add_argument("--server", required=True, help="e.g. http://127.0.0.1:8765")
    p.add_argument("--email", required=True)
    p.add_argument("--password", help="default: ask")
    p.set_defaults(func=cmd_login)

    p = sub.add_parser("sync", help="push queued changes, then pull")
    p.add_argument("--verify", action="store_true", help="check every bucket's checksum")
    p.add_argument(
        "--page-limit",
        type=int,
        default=10_000,
        help="rows per pull request (the server caps it at 10,000)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("status", help="freshness per data area and the outbox")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("products", help="search the local catalog")
    p.add_argument("query", nargs="?")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_products)

    cart = sub.add_parser("cart", help="work with carts (offline)").add_subparsers(
        dest="cart_command", required=True
    )
    p = cart.add_parser("add", help="add a quantity of a SKU")
    p.add_argument("sku")
    p.add_argument("qty", type=_quantity)
    p.add_argument("--unit")
    p.add_argument("--cart", help=f"cart name (default: {'Default'})")
    p.set_defaults(func=cmd_cart_add)
    p = cart.add_parser("show", help="the cart, priced offline")
    p.add_argument("--cart")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cart_show)
    p = cart.add_parser("submit", help="queue the cart as an order")
    p.add_argument("--cart")
    p.add_argument("--po", help="your purchase order number")
    p.add_argument("--ship-to", help="ship-to location code")
    p.add_argument("--requested-date", help="YYYY-MM-DD")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cart_submit)

    from app.cli_quickorder import add_commands

    add_commands(sub, cart)

    p = sub.add_parser("outbox", help="queued changes and the server's answers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox)

    p = sub.add_parser(
        "orders",
        help="orders; `orders show ORDER` the timeline, lines and shipments (ORDER: number, PO "
        "number, ERP number or id); `orders confirm ORDER` accepts changes",
    )
    p.add_argument("action", nargs="?", choices=["list", "show", "confirm"], default="list")
    p.add_argument("order", nargs="?")
    p.add_argument("--remove-line", type=int, action="append", help="line number to drop")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_orders)

    from app.cli_orders import add_commands as add_order_commands

    add_order_commands(sub)

    from app.cli_approvals import add_commands as add_approval_commands

    add_approval_commands(sub)

    p = sub.add_parser("diagnostics", help="versions, data folder and sync state for support")
    p.set_defaults(func=cmd_diagnostics)

    p = sub.add_parser(
        "demo",
        help="open the app on a local demo server (seeded the first time; needs the server "
        "package: a development checkout, not the installed bundle)",
    )
    p.add_argument("--screenshot", metavar="FILE", help="save the window after the first sync")
    p.add_argument("--skus", type=int, help="products in a new demo (default: the seed's)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.services.views import WorkspaceError
    from app.sync.errors import SyncError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.self_test:
        from app.selftest import quiet_platform_noise, self_test

        if args.command is not None or args.data_dir:
            print("orderpad --self-test: runs alone, on a temporary folder", file=sys.stderr)
            return 2
        quiet_platform_noise()
        return self_test()
    if args.command is None:
        args.command, args.func = "app", cmd_gui  # no sub-command: the desktop app
    try:
        return int(args.func(args))
    except (WorkspaceError, SyncError) as exc:
        print(f"orderpad {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `orderpad orders | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())

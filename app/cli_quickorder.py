"""The quick-order sub-commands of `orderpad`: `cart paste`, `cart import`, `scan`, `reorder`,
`lists` and `labels`.

Each prints one line per input row (or, with --json, one JSON entry per input row) and exits
1 when any row is an error; the good rows are still added unless --dry-run. `cart import`
exits 2 when it cannot tell the columns apart: it lists them; run it again with --map.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine loads when a command runs, not for `orderpad` opening the window
    from app.quickorder.lines import QuickOrderReport, RowOutcome


def _workspace(args: argparse.Namespace) -> Any:
    from app.services.workspace import Workspace

    return Workspace(Path(args.data_dir) if args.data_dir else None)


def _service(ws: Any) -> Any:
    from app.services.quickorder import QuickOrderService

    return QuickOrderService(ws)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def row_entry(outcome: RowOutcome) -> dict[str, Any]:
    """The JSON entry of one input row."""
    line = outcome.line
    return {
        "row": outcome.row,
        "input": outcome.source,
        "sku": line.sku,
        "name": line.name,
        "quantity": _dec(line.quantity),
        "requested": _dec(outcome.requested),
        "unit": line.unit,
        "unit_price": _dec(line.unit_price),
        "line_total": _dec(line.line_total),
        "currency": line.currency,
        "price_explanation": line.price_explanation,
        "status": line.status.value,
        "message": line.message,
        "problems": [
            {"reason": p.reason.value, "message": p.message, "field": p.field and p.field.value}
            for p in line.problems
        ],
        "suggestions": [{"sku": s.sku, "name": s.name} for s in line.suggestions],
        "merged_with": list(outcome.merged_with),
        "corrected": line.corrected,
    }


def _print_rows(report: QuickOrderReport, as_json: bool) -> None:
    rows = report.rows()
    if as_json:
        print(json.dumps([row_entry(o) for o in rows], indent=2, ensure_ascii=False))
        return
    print(f"{'row':>4}  {'status':8} {'sku':14} {'qty':>9} {'unit':5} {'price':>11} {'total':>11}")
    for o in rows:
        line = o.line
        print(
            f"{o.row:>4}  {line.status.value:8} {(line.sku or '')[:14]:14} "
            f"{_dec(line.quantity) or '':>9} {(line.unit or '')[:5]:5} "
            f"{_dec(line.unit_price) or '':>11} {_dec(line.line_total) or '':>11}"
            + (f"  {line.message}" if line.message else "")
        )


def _summary(report: QuickOrderReport, cart: str | None, added: int, dry_run: bool) -> str:
    from app.quickorder.lines import LineStatus

    counts = report.counts()
    parts = [f"{counts[s.value]} {s.value}" for s in LineStatus if counts[s.value]]
    total_rows = sum(counts.values())
    text = f"{total_rows} rows: {', '.join(parts) or 'nothing to order'}"
    currency = report.currency or ""
    if dry_run:
        text += f"; dry run, nothing added (would add {len(report.addable)} lines, "
        text += f"{report.total} {currency})".replace(" )", ")")
    elif added:
        text += f"; {added} lines added to cart {cart} ({report.total} {currency})".replace(
            " )", ")"
        )
    return text


def _finish(report: QuickOrderReport, cart: str | None, added: int, args: Any) -> int:
    _print_rows(report, args.json)
    print(_summary(report, cart, added, args.dry_run), file=sys.stderr)
    return 1 if report.has_errors else 0


def cmd_cart_paste(args: argparse.Namespace) -> int:
    text = sys.stdin.read()
    with _workspace(args) as ws:
        outcome = _service(ws).paste(text, cart=args.cart, dry_run=args.dry_run)
    return _finish(outcome.report, outcome.cart, len(outcome.added), args)


def cmd_cart_import(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        outcome = _service(ws).import_file(
            Path(args.file),
            cart=args.cart,
            sheet=args.sheet,
            mapping=args.map,
            dry_run=args.dry_run,
            report_to=Path(args.report) if args.report else None,
        )
    preview = outcome.preview
    if outcome.report is None:
        detection = preview.detection
        print(
            f"orderpad cart import: cannot tell which column is which "
            f"({detection.reason or 'no header row recognised'}).",
            file=sys.stderr,
        )
        for choice in detection.columns:
            guess = f" -> {choice.guess.value}?" if choice.guess else ""
            samples = ", ".join(choice.samples)
            print(f"  {choice.letter}: {choice.header or '(no header)'} [{samples}]{guess}",
                  file=sys.stderr)  # fmt: skip
        hint = preview.mapping.describe() if preview.mapping else "sku=A,qty=B"
        print(f"Run again with --map {hint} (it is remembered for this layout).", file=sys.stderr)
        return 2
    if preview.notes or preview.mapping_source != "detected":
        mapping = preview.mapping.describe() if preview.mapping else ""
        notes = "; ".join([*preview.notes, f"columns {mapping} ({preview.mapping_source})"])
        print(f"{Path(args.file).name}: {notes}", file=sys.stderr)
    code = _finish(outcome.report, outcome.cart, len(outcome.added), args)
    if outcome.report_path is not None:
        print(f"report written to {outcome.report_path}", file=sys.stderr)
    return code


def cmd_scan(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        batch = _service(ws).scan(args.codes, cart=args.cart, dry_run=args.dry_run)
    if args.json:
        entries = []
        for event in batch.events:
            r = event.result
            entries.append(
                {
                    "code": r.code, "kind": r.kind.value, "ok": r.ok, "via": r.via,
                    "sku": r.sku, "name": r.name, "unit": r.unit, "quantity": _dec(r.quantity),
                    "location": r.location, "batch": r.batch,
                    "expiry": r.expiry.isoformat() if r.expiry else None,
                    "message": event.message, "line": event.line.number if event.line else None,
                }
            )  # fmt: skip
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    else:
        for event in batch.events:
            mark = "ok " if event.result.ok else "ERR"
            print(f"{mark} {event.result.code}: {event.message}")
    if batch.added:
        print(f"{len(batch.added)} scans added to cart {batch.cart}", file=sys.stderr)
    return 0 if all(event.result.ok for event in batch.events) else 1


def cmd_reorder(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        outcome = _service(ws).reorder(args.order, cart=args.cart, dry_run=args.dry_run)
    return _finish(outcome.report, outcome.cart, len(outcome.added), args)


def cmd_lists(args: argparse.Namespace) -> int:
    action = args.lists_command or "all"
    with _workspace(args) as ws:
        service = _service(ws)
        if action == "all":
            saved = service.lists()
            if args.json:
                print(json.dumps([_plain_list(item) for item in saved], indent=2))
            for item in [] if args.json else saved:
                shared = " (shared)" if item.shared else ""
                print(f"{item.name}{shared}: {item.line_count} lines, updated {item.updated_at}")
            return 0
        if action == "show":
            lines = service.list_lines(args.name)
            if args.json:
                print(json.dumps([{"position": li.position, "sku": li.sku,
                                   "quantity": _dec(li.quantity), "unit": li.unit,
                                   "note": li.note} for li in lines], indent=2))  # fmt: skip
            for li in [] if args.json else lines:
                print(f"{li.position:>4} {li.sku:14} {li.quantity:>9f} {li.unit:5} {li.note or ''}")
            return 0
        if action == "create":
            return _create_list(service, args)
        if action == "order":
            outcome = service.order_list(args.name, cart=args.cart, dry_run=args.dry_run)
            return _finish(outcome.report, outcome.cart, len(outcome.added), args)
        if action == "export":
            path = service.export_list(args.name, Path(args.out))
            print(f"list {args.name} written to {path}")
            return 0
        service.delete_list(args.name)
        print(f"list {args.name} deleted")
        return 0


def _plain_list(item: Any) -> dict[str, Any]:
    return {"name": item.name, "shared": item.shared, "lines": item.line_count,
            "owner": item.owner_email, "updated_at": item.updated_at}  # fmt: skip


def _create_list(service: Any, args: argparse.Namespace) -> int:
    options = {"shared": args.shared, "replace": args.replace}
    if args.from_order:
        saved = service.save_list_from_order(args.name, order=args.from_order, **options)
    elif args.from_file:
        saved, outcome = service.save_list_from_file(
            args.name, path=Path(args.from_file), mapping=args.map, **options
        )
        if saved is None:
            print("cannot tell which column is which: run `cart import FILE --dry-run` "
                  "to see the columns, then pass --map", file=sys.stderr)  # fmt: skip
            return 2
        left = [o for o in outcome.report.rows() if not o.line.addable]
        for o in left:
            print(f"row {o.row} left out: {o.line.status.value}: {o.line.message}",
                  file=sys.stderr)  # fmt: skip
    else:
        saved = service.save_list_from_cart(args.name, cart=args.from_cart, **options)
    print(f"list {saved.name} saved with {saved.line_count} lines")
    return 0


def cmd_labels(args: argparse.Namespace) -> int:
    from app.label_sheet import write_labels

    with _workspace(args) as ws:
        service = _service(ws)
        lines = service.list_lines(args.list)
        labels = service.labels_for([(li.sku, li.unit) for li in lines])
    path = write_labels(Path(args.out), labels, title=args.list)
    print(f"{len(labels)} labels written to {path}")
    return 0


def add_commands(sub: Any, cart: Any) -> None:
    """Register the commands on the `orderpad` parser (``cart``: the cart sub-parsers)."""
    p = cart.add_parser("paste", help="add pasted lines from stdin: SKU qty [unit]")
    p.add_argument("--cart", help="cart name (default: Default)")
    p.add_argument("--json", action="store_true", help="one JSON entry per input row")
    p.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    p.set_defaults(func=cmd_cart_paste)

    p = cart.add_parser("import", help="add the rows of an XLSX or CSV file")
    p.add_argument("file")
    p.add_argument("--cart", help="cart name (default: Default)")
    p.add_argument("--sheet", help="worksheet name (default: the one with an order table)")
    p.add_argument("--map", help="columns, e.g. sku=B,qty=D,unit=E (remembered per layout)")
    p.add_argument("--report", help="write the annotated copy of the file to OUT.xlsx")
    p.add_argument("--json", action="store_true", help="one JSON entry per input row")
    p.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    p.set_defaults(func=cmd_cart_import)

    p = sub.add_parser("scan", help="resolve barcodes as the scanner does; add them to the cart")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--cart", help="cart name (default: Default)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--dry-run", action="store_true", help="resolve only; change nothing")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("reorder", help="add a past order's lines to the cart again")
    p.add_argument("order", help="order number or id")
    p.add_argument("--cart", help="cart name (default: Default)")
    p.add_argument("--json", action="store_true", help="one JSON entry per order line")
    p.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    p.set_defaults(func=cmd_reorder)

    lists = sub.add_parser("lists", help="saved lists (order templates); no action: list them")
    lists.add_argument("--json", action="store_true")
    lists.set_defaults(func=cmd_lists, lists_command=None)
    actions = lists.add_subparsers(dest="lists_command")
    p = actions.add_parser("show", help="the lines of a list")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("create", help="save a list from a cart, an order or a file")
    p.add_argument("name")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--from-cart", metavar="CART", help="default: the Default cart")
    source.add_argument("--from-order", metavar="ORDER", help="order number or id")
    source.add_argument("--from-file", metavar="FILE", help="an XLSX or CSV file")
    p.add_argument("--map", help="columns of the file, e.g. sku=B,qty=D")
    p.add_argument("--shared", action="store_true", help="mark the list as shared")
    p.add_argument("--replace", action="store_true", help="replace a list of that name")
    p = actions.add_parser("order", help="add a list to the cart (checked like a reorder)")
    p.add_argument("name")
    p.add_argument("--cart", help="cart name (default: Default)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--dry-run", action="store_true")
    p = actions.add_parser("export", help="write a list to XLSX (the layout import reads)")
    p.add_argument("name")
    p.add_argument("out")
    p = actions.add_parser("delete", help="delete a list")
    p.add_argument("name")

    p = sub.add_parser("labels", help="a PDF of Code 128 shelf labels for a saved list")
    p.add_argument("list", help="saved list name")
    p.add_argument("--out", required=True, help="FILE.pdf")
    p.set_defaults(func=cmd_labels)

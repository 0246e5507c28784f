"""Where orders stand, from the command line: `orders --json` and `orders show ORDER` with
the timeline, each line's quantities and the shipments; `notifications`.

ORDER is our order number, the client order id, the supplier's ERP number or the buyer's PO
number. JSON keys of `orders --json` are those of the order summaries plus `timeline`,
`lines`, `shipments`, `expected` and `late`; line keys follow the synced order row.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.services.order_status import LineProgress, OrderTrack, ShipmentView, TimelineStep

_MARK = {"done": "x", "current": ">", "future": "-"}


def _workspace(args: argparse.Namespace) -> Any:
    from app.services.workspace import Workspace

    return Workspace(Path(args.data_dir) if args.data_dir else None)


def _plain(value: Any) -> Any:
    from app.cli import _plain as plain

    return plain(value)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def line_entry(line: LineProgress) -> dict[str, Any]:
    """One line's quantities, keyed like the synced order row."""
    return {
        "line_no": line.line_no,
        "sku": line.sku,
        "unit": line.unit,
        "quantity": _num(line.ordered),
        "quantity_confirmed": _num(line.confirmed),
        "quantity_shipped": _num(line.shipped),
        "quantity_backordered": _num(line.backordered),
        "quantity_cancelled": _num(line.cancelled),
        "quantity_open": _num(line.open),
        "expected_date": line.expected_date.isoformat() if line.expected_date else None,
        "status": line.status,
    }


def track_entries(track: OrderTrack) -> dict[str, Any]:
    """The JSON of a track: timeline, lines, shipments, expected, late."""
    return {
        "timeline": [_plain(step) for step in track.timeline],
        "lines": [line_entry(line) for line in track.lines],
        "shipments": [_plain(parcel) for parcel in track.shipments],
        "expected": track.expected.isoformat() if track.expected else None,
        "late": track.late,
    }


def orders_json(ws: Any) -> list[dict[str, Any]]:
    tracks = ws.order_tracks()
    entries = []
    for order in ws.orders():
        entry = _plain(order)
        track = tracks.get(order.client_order_id)
        if track is not None:
            entry.update(track_entries(track))
        entries.append(entry)
    return entries


def order_json(detail: Any) -> dict[str, Any]:
    """An order's detail with its timeline and shipments; its lines carry the quantities."""
    entry: dict[str, Any] = _plain(detail)
    track: OrderTrack | None = detail.track
    entry.pop("track", None)
    if track is None:
        return entry
    extra = track_entries(track)
    by_no = {line["line_no"]: line for line in extra.pop("lines")}
    for line in entry["lines"]:
        for key, value in by_no.get(line["line_no"], {}).items():
            line.setdefault(key, value)
    entry.update(extra)
    return entry


def _step_text(step: TimelineStep) -> str:
    when = _when(step.at) or (f"expected {step.expected.isoformat()}" if step.expected else "")
    flag = "  !" if step.tone in ("warn", "bad") else ""
    return f"  {_MARK[step.state]} {step.title:22} {when:18} {step.detail}".rstrip() + flag


def _parcel_text(parcel: ShipmentView) -> list[str]:
    state = (
        f"delivered {_when(parcel.delivered_at)}"
        if parcel.delivered
        else "late, expected " + str(parcel.expected_delivery)
        if parcel.late
        else f"on the way, expected {parcel.expected_delivery or '?'}"
    )
    rows = [f"  {parcel.carrier} {parcel.tracking_number}  shipped {_when(parcel.shipped_at)}, "
            f"{state}"]  # fmt: skip
    if parcel.tracking_url:
        rows.append(f"    {parcel.tracking_url}")
    rows += [f"    line {li.line_no} {li.sku} {_num(li.quantity)} {li.unit}" for li in parcel.lines]
    return rows


def show_text(detail: Any) -> list[str]:
    track: OrderTrack = detail.track
    head = f"{detail.number or '(queued)'}  {detail.status}"
    head += f"  PO {detail.po_number}" if detail.po_number else ""
    head += f"  ERP {detail.erp_number}" if detail.erp_number else ""
    rows = [head, *(_step_text(step) for step in track.timeline), "lines:"]
    rows.append("  #  SKU            ordered  confirmed  shipped  backordered  cancelled  expected")
    for li in track.lines:
        rows.append(
            f"  {li.line_no:<2} {li.sku:14} {_num(li.ordered):>7}  {_num(li.confirmed):>9}  "
            f"{_num(li.shipped):>7}  {_num(li.backordered):>11}  {_num(li.cancelled):>9}  "
            f"{li.expected_date or ''}  {li.unit} {li.status}"
        )
    rows.append("shipments:" if track.shipments else "shipments: none yet")
    for parcel in track.shipments:
        rows += _parcel_text(parcel)
    return rows


def cmd_order_show(ws: Any, args: argparse.Namespace) -> int:
    """`orders show ORDER`: called by `orders` in app/cli.py with its open workspace."""
    if not args.order:
        import sys

        print("orders show: name the order (number, PO number or id)", file=sys.stderr)
        return 2
    detail = ws.order(args.order)
    if args.json:
        from app.cli import _print_json

        _print_json(order_json(detail))
    else:
        print("\n".join(show_text(detail)))
    return 0


def cmd_notifications(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        centre = ws.notifications
        notices = centre.notices(unread_only=args.unread, limit=args.limit)
        if args.mark_read:
            centre.mark_read([n.id for n in notices])
    if args.json:
        from app.cli import _print_json

        _print_json(notices)
        return 0
    if not notices:
        print("no unread notifications" if args.unread else "no notifications")
    for n in notices:
        from app.services.order_status import parse_time

        mark = " " if n.read else "*"
        print(f"{mark} {_when(parse_time(n.created_at))}  {n.title}: {n.text}")
    return 0


def add_commands(sub: Any) -> None:
    """Register `notifications` on the `orderpad` parser."""
    p = sub.add_parser("notifications", help="what happened to your orders (newest first)")
    p.add_argument("--unread", action="store_true", help="only those not read yet")
    p.add_argument("--mark-read", action="store_true", help="mark the listed ones read")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notifications)

"""`orderpad-server import shipments|order-status FILE`: ERP exports applied as events.

Every row (every shipment, for a shipments file) becomes an event with an id derived from
its content and goes through the same code as the integration API, each in its own
transaction; the report lists refused rows by their spreadsheet row number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from server.db import make_sessionmaker
from server.erp.events import EventRejected, parse_event
from server.erp.file_rows import (
    ORDER_STATUS,
    SHIPMENTS,
    RowEvent,
    ShipmentRow,
    read_shipment_row,
    read_status_row,
    with_event_id,
)
from server.erp.keys import ALL_ACCOUNTS
from server.erp.service import post_event
from server.erp_import.report import RowError
from server.erp_import.rows import Tally, data_rows, header
from server.erp_import.tables import Table, open_table

KINDS = ("shipments", "order-status")


@dataclass
class EventFileReport:
    kind: str
    file: str
    rows_read: int = 0
    events: int = 0
    applied: int = 0
    unchanged: int = 0  # duplicates: imported before
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "file": self.file,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "events": self.events,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "ignored_columns": list(self.ignored_columns),
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                for e in self.errors
            ],
        }

    def summary(self) -> str:
        verb = "checked (dry run: nothing applied)" if self.dry_run else "applied"
        done = self.events if self.dry_run else self.applied
        lines = [
            f"{self.kind} from {self.file}: {self.rows_read} rows read, {self.events} events; "
            f"{done} {verb}, {self.unchanged} unchanged (imported before); "
            f"{len(self.errors)} errors"
        ]
        if self.ignored_columns:
            lines.append("ignored columns: " + ", ".join(self.ignored_columns))
        lines.extend(e.describe() for e in self.errors)
        return "\n".join(lines)


def _shipment_events(table: Table, tally: Tally) -> list[RowEvent]:
    match = header(table, SHIPMENTS, tally)
    if match is None:
        return []
    groups: dict[tuple[str, str], list[ShipmentRow]] = {}
    for cells in data_rows(table, match, tally):
        row = read_shipment_row(cells)
        if row is None:
            tally.errors.extend(cells.errors)
        else:
            groups.setdefault((row.order, row.ref), []).append(row)
    events: list[RowEvent] = []
    for (order, ref), rows in groups.items():
        first = rows[0]
        odd = [r for r in rows if (r.head, r.delivered_at) != (first.head, first.delivered_at)]
        what = f"shipment {ref} of order {order}"
        numbers = tuple(r.row for r in rows)
        if odd:
            for r in odd:
                tally.errors.append(
                    RowError(
                        r.row,
                        None,
                        ref,
                        f"{what}: carrier, tracking number or dates differ from row {first.row}; "
                        "the shipment was not imported",
                    )
                )
            continue
        lines = [{"line_no": r.line_no, "quantity": r.quantity} for r in rows]
        shipment: dict[str, Any] = {"type": "shipment", "order": order, "shipment_ref": ref}
        events.append(
            RowEvent(numbers, what, with_event_id(shipment | first.head | {"lines": lines}))
        )
        if first.delivered_at:
            delivered = {"type": "delivered", "order": order, "shipment_ref": ref}
            delivered["at"] = first.delivered_at
            events.append(RowEvent(numbers, f"delivery of {what}", with_event_id(delivered)))
    return events


def _status_events(table: Table, tally: Tally) -> list[RowEvent]:
    match = header(table, ORDER_STATUS, tally)
    if match is None:
        return []
    events = []
    for cells in data_rows(table, match, tally):
        event = read_status_row(cells)
        if event is None:
            tally.errors.extend(cells.errors)
        else:
            events.append(event)
    return events


def _refuse(report: EventFileReport, item: RowEvent, message: str) -> None:
    rows = ", ".join(map(str, item.rows))
    where = f" (rows {rows})" if len(item.rows) > 1 else ""
    report.errors.append(RowError(item.rows[0], None, None, f"{item.what}{where}: {message}"))


def import_events(
    engine: Engine, kind: str, path: Path, *, dry_run: bool = False
) -> EventFileReport:
    """Read `path` and apply its events in file order; a file that cannot be read raises
    ImportFileError. With `dry_run` the rows are only checked, nothing is applied."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = EventFileReport(kind, str(path), dry_run=dry_run)
    tally = Tally()
    with open_table(path) as table:
        if table is None:
            tally.errors.append(RowError(1, None, None, "the file is empty"))
            items: list[RowEvent] = []
        else:
            items = (_shipment_events if kind == "shipments" else _status_events)(table, tally)
    report.rows_read = tally.rows_read
    report.errors = list(tally.errors)
    report.ignored_columns = tally.ignored_columns
    report.events = len(items)
    sessions = make_sessionmaker(engine)
    for item in items:
        if dry_run:
            try:
                parse_event(item.event)
            except EventRejected as exc:
                _refuse(report, item, exc.message)
            continue
        result = post_event(sessions, ALL_ACCOUNTS, item.event, source=f"file:{path.name}")
        if result["status"] == "applied":
            report.applied += 1
        elif result["status"] == "duplicate":
            report.unchanged += 1
        else:
            _refuse(report, item, str(result["message"]))
    report.errors.sort(key=lambda e: e.row)
    return report

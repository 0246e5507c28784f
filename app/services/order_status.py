"""Where an order stands, read from its synced row: a timeline of steps with times, each
line's quantities and the shipments with their tracking links.

Pure functions over the order document (the JSON the server syncs, see
docs/sync-protocol.md); no Qt, no database. ``order_track(doc, today=...)`` is the one entry.
``today`` decides what is late, so pass the server-corrected day (``Workspace.today()``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

Doc = Mapping[str, Any]
ZERO = Decimal(0)

# Statuses the server gives an order (server/orders/models.py OrderStatus, plus the ERP's
# "exception"); "pending" is the client's own: queued on this device, not sent yet.
SHIPPED_STATUSES = frozenset({"partly_shipped", "shipped", "delivered"})
FINAL_STATUSES = frozenset({"delivered", "cancelled", "rejected"})
OPEN_STATUSES = frozenset(
    {"pending", "needs_confirmation", "pending_approval", "approved", "submitted",
     "sent_to_erp", "confirmed", "partly_shipped", "shipped", "exception"}
)  # fmt: skip


class StepState(StrEnum):
    DONE = "done"  # happened
    CURRENT = "current"  # where the order is now
    FUTURE = "future"  # still to come


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One step of an order's way. ``tone`` is "good", "warn" (delay, problem) or "bad"
    (cancelled, rejected); ``expected`` is the day a future step is expected (for the
    delayed state: the day it was due). ``waiting``: the order waits here for someone
    (the buyer, an approver, the next sync) rather than having done this step."""

    key: str
    title: str
    state: StepState
    at: dt.datetime | None = None
    detail: str = ""
    tone: str = "good"
    expected: dt.date | None = None
    waiting: bool = False

    @property
    def done(self) -> bool:
        return self.state is StepState.DONE

    @property
    def current(self) -> bool:
        return self.state is StepState.CURRENT

    @property
    def future(self) -> bool:
        return self.state is StepState.FUTURE


@dataclass(frozen=True, slots=True)
class LineProgress:
    """What became of one order line, in the line's unit."""

    line_no: int
    sku: str
    unit: str
    ordered: Decimal
    confirmed: Decimal
    shipped: Decimal
    backordered: Decimal
    cancelled: Decimal
    expected_date: dt.date | None
    status: str

    @property
    def open(self) -> Decimal:
        """Still to ship: ordered, less shipped and cancelled."""
        return max(ZERO, self.ordered - self.shipped - self.cancelled)


@dataclass(frozen=True, slots=True)
class ShippedLine:
    line_no: int
    sku: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class ShipmentView:
    """A parcel: ``tracking_url`` is the carrier's public page (None for unknown carriers);
    ``late`` when it is not delivered and its expected day has passed."""

    carrier: str
    tracking_number: str
    tracking_url: str | None
    shipped_at: dt.datetime | None
    expected_delivery: dt.date | None
    delivered_at: dt.datetime | None
    lines: list[ShippedLine]
    late: bool = False

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None


@dataclass(frozen=True, slots=True)
class OrderTrack:
    """An order's timeline, lines and shipments. ``expected`` is the day the rest of the
    order is expected (None when nothing is open or no day is known); ``late`` when that
    day, or a parcel's, has passed."""

    status: str
    erp_number: str | None
    timeline: list[TimelineStep]
    lines: list[LineProgress]
    shipments: list[ShipmentView]
    expected: dt.date | None = None
    late: bool = False
    backordered_skus: list[str] = field(default_factory=list)

    @property
    def current(self) -> TimelineStep | None:
        return next((s for s in self.timeline if s.current), None)


# -- reading the document -----------------------------------------------------------------
def parse_time(value: object) -> dt.datetime | None:
    """An ISO time as aware UTC (a time without zone is UTC); None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def parse_day(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def quantity(value: object) -> Decimal:
    if value is None or value == "":
        return ZERO
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return ZERO


def _objects(doc: Doc, name: str) -> list[Mapping[str, Any]]:
    value = doc.get(name)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def line_progress(doc: Doc) -> list[LineProgress]:
    lines = []
    for n, raw in enumerate(_objects(doc, "lines"), start=1):
        ordered = quantity(raw.get("quantity"))
        lines.append(
            LineProgress(
                line_no=int(raw.get("line_no") or n),
                sku=str(raw.get("sku") or ""),
                unit=str(raw.get("unit") or ""),
                ordered=ordered,
                confirmed=quantity(raw.get("quantity_confirmed")),
                shipped=quantity(raw.get("quantity_shipped")),
                backordered=quantity(raw.get("quantity_backordered")),
                cancelled=quantity(raw.get("quantity_cancelled")),
                expected_date=parse_day(raw.get("expected_date")),
                status=str(raw.get("status") or ""),
            )
        )
    return lines


def shipments(doc: Doc, lines: Sequence[LineProgress], *, today: dt.date) -> list[ShipmentView]:
    by_no = {line.line_no: line for line in lines}
    found = []
    for raw in _objects(doc, "shipments"):
        shipped_lines = []
        for item in _objects(raw, "lines"):
            number = int(item.get("line_no") or 0)
            line = by_no.get(number)
            shipped_lines.append(
                ShippedLine(
                    line_no=number,
                    sku=line.sku if line else "",
                    quantity=quantity(item.get("quantity")),
                    unit=line.unit if line else "",
                )
            )
        delivered_at = parse_time(raw.get("delivered_at"))
        expected = parse_day(raw.get("expected_delivery"))
        url = raw.get("tracking_url")
        found.append(
            ShipmentView(
                carrier=str(raw.get("carrier") or ""),
                tracking_number=str(raw.get("tracking_number") or ""),
                tracking_url=url if isinstance(url, str) and url else None,
                shipped_at=parse_time(raw.get("shipped_at")),
                expected_delivery=expected,
                delivered_at=delivered_at,
                lines=shipped_lines,
                late=delivered_at is None and expected is not None and expected < today,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class _Entry:
    status: str
    at: dt.datetime | None
    note: str


def _history(doc: Doc) -> list[_Entry]:
    return [
        _Entry(str(h.get("status") or ""), parse_time(h.get("at")), str(h.get("note") or ""))
        for h in _objects(doc, "history")
    ]


def _first(history: Iterable[_Entry], *statuses: str) -> _Entry | None:
    return next((h for h in history if h.status in statuses), None)


def _last(history: Sequence[_Entry], *statuses: str) -> _Entry | None:
    return next((h for h in reversed(history) if h.status in statuses), None)


def _after(history: Sequence[_Entry], entry: _Entry | None, *waiting: str) -> _Entry | None:
    """The first entry after ``entry`` whose status is none of ``waiting`` (the moment the
    order moved on), or None."""
    if entry is None:
        return None
    seen = False
    for h in history:
        if h is entry:
            seen = True
        elif seen and h.status not in waiting:
            return h
    return None


# -- the timeline -------------------------------------------------------------------------
_STEP_OF_STATUS = {
    "pending": "queued",
    "needs_confirmation": "review",
    "pending_approval": "approval",
    "sent_to_erp": "sent",
    "confirmed": "confirmed",
    "partly_shipped": "partly_shipped",
    "shipped": "shipped",
    "delivered": "delivered",
}
_PRE_ERP = ("approval", "review", "submitted")  # "submitted" means: the latest of these


def _base_status(status: str, history: Sequence[_Entry], track_lines: Sequence[LineProgress],
                 shipments_: Sequence[ShipmentView]) -> str:  # fmt: skip
    """The status the timeline stands on: for exception, cancelled or rejected orders the
    last ordinary status before (from the history, else from what the lines show)."""
    if status in _STEP_OF_STATUS or status in ("submitted", "approved"):
        return status
    for entry in reversed(history):
        if entry.status in _STEP_OF_STATUS or entry.status in ("submitted", "approved"):
            return entry.status
    if shipments_:
        return "partly_shipped"
    if any(line.confirmed > 0 for line in track_lines):
        return "confirmed"
    return "submitted"


def _carriers(parcels: Sequence[ShipmentView]) -> str:
    if len(parcels) == 1:
        return f"{parcels[0].carrier} {parcels[0].tracking_number}".strip()
    names = ", ".join(dict.fromkeys(p.carrier for p in parcels if p.carrier))
    return f"{len(parcels)} parcels: {names}" if names else f"{len(parcels)} parcels"


def _max_day(days: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None


def order_track(doc: Doc, *, today: dt.date, queued: bool = False) -> OrderTrack:
    """The timeline, line quantities and shipments of one order document.

    ``queued``: the order is only on this device (not sent yet); its status then reads
    "pending" whatever the document says.
    """
    status = "pending" if queued else str(doc.get("status") or "submitted")
    erp = doc.get("erp_number") if isinstance(doc.get("erp_number"), str) else None
    history = _history(doc)
    lines = line_progress(doc)
    parcels = shipments(doc, lines, today=today)
    open_lines = [li for li in lines if li.open > 0]
    moving = [p for p in parcels if not p.delivered]
    line_day = _max_day(li.expected_date for li in open_lines)
    expected = _max_day([line_day, *(p.expected_delivery for p in moving)])
    final = status in FINAL_STATUSES
    overdue = [p.expected_delivery for p in moving if p.late] + [
        li.expected_date for li in open_lines if li.expected_date and li.expected_date < today
    ]
    late = not final and bool(overdue)
    base = _base_status(status, history, lines, parcels)
    created = parse_time(doc.get("created_at"))

    steps: list[TimelineStep] = []

    def add(key: str, title: str, at: dt.datetime | None = None, detail: str = "",
            expected_day: dt.date | None = None) -> None:  # fmt: skip
        steps.append(TimelineStep(key, title, StepState.FUTURE, at, detail, "good", expected_day))

    if status == "pending":
        add("queued", "Queued on this device", created, "Sent with the next sync")
    po = doc.get("po_number")
    first = _first(history, "submitted", "pending_approval", "needs_confirmation")
    add("submitted", "Submitted", (first.at if first else None) or created,
        f"PO {po}" if po else "")  # fmt: skip
    review = _first(history, "needs_confirmation")
    if review is not None or status == "needs_confirmation":
        moved = _after(history, _last(history, "needs_confirmation"), "needs_confirmation")
        add("review", "Waiting for you", (review.at if review else None),
            "The supplier changed prices or lines: review them")  # fmt: skip
        if moved is not None and status != "needs_confirmation":
            steps[-1] = _replace(steps[-1], title="Changes accepted", at=moved.at,
                                 detail=moved.note)  # fmt: skip
    asked = _first(history, "pending_approval")
    if asked is not None or status == "pending_approval":
        decided = _after(history, _last(history, "pending_approval"), "pending_approval")
        add("approval", "Waiting for approval", asked.at if asked else None,
            asked.note if asked else "")  # fmt: skip
        if status == "rejected":
            rejected = _last(history, "rejected")
            steps[-1] = _replace(steps[-1], title="Rejected", tone="bad",
                                 at=rejected.at if rejected else None,
                                 detail=rejected.note if rejected else "")  # fmt: skip
        elif decided is not None and status != "pending_approval":
            steps[-1] = _replace(steps[-1], title="Approved", at=decided.at, detail=decided.note)
    sent = _first(history, "sent_to_erp")
    add("sent", "Sent to supplier", sent.at if sent else None,
        f"ERP order {erp}" if erp else "")  # fmt: skip
    confirmed = _first(history, "confirmed")
    confirm_detail = f"ERP order {erp}" if erp else ""
    add("confirmed", "Confirmed", confirmed.at if confirmed else None, confirm_detail)
    partly = _first(history, "partly_shipped")
    if (
        partly is not None
        or base == "partly_shipped"
        or (len(parcels) > 1 and base in ("shipped", "delivered"))
    ):
        shipped_lines = sum(1 for li in lines if li.shipped > 0)
        at = partly.at if partly else (parcels[0].shipped_at if parcels else None)
        add("partly_shipped", "Partly shipped", at,
            f"{shipped_lines} of {len(lines)} lines shipped" if parcels else "",
            line_day)  # fmt: skip
    shipped = _first(history, "shipped")
    last_ship = parcels[-1].shipped_at if parcels else None
    if base in ("shipped", "delivered"):
        ship_detail = _carriers(parcels)
    elif parcels and open_lines:
        ship_detail = f"{len(open_lines)} of {len(lines)} lines still to ship"
    else:
        ship_detail = ""
    add("shipped", "Shipped", (shipped.at if shipped else None) or last_ship, ship_detail,
        line_day)  # fmt: skip
    delivered = _first(history, "delivered")
    delivered_at = _max_day_time(p.delivered_at for p in parcels)
    add("delivered", "Delivered", (delivered.at if delivered else None) or delivered_at,
        "", expected)  # fmt: skip

    overdue_since = _min_day(overdue) if late else None
    steps = _place(steps, base, status, history, overdue_since=overdue_since)
    return OrderTrack(
        status=status,
        erp_number=erp,
        timeline=steps,
        lines=lines,
        shipments=parcels,
        expected=expected if open_lines or moving else None,
        late=late,
        backordered_skus=sorted({li.sku for li in lines if li.backordered > 0 and li.open > 0}),
    )


def _min_day(days: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _max_day_time(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _replace(step: TimelineStep, **changes: Any) -> TimelineStep:
    return dataclasses.replace(step, **changes)


def _place(
    steps: list[TimelineStep],
    base: str,
    status: str,
    history: Sequence[_Entry],
    *,
    overdue_since: dt.date | None,
) -> list[TimelineStep]:
    """Mark steps done / current / future around the step of ``base``; add the cancelled,
    exception and delayed states."""
    keys = [s.key for s in steps]
    key = _STEP_OF_STATUS.get(base)
    if key is None or key not in keys:  # submitted, approved: the latest pre-ERP step
        key = next((k for k in _PRE_ERP if k in keys), "submitted")
    reached = keys.index(key)
    placed: list[TimelineStep] = []
    for number, step in enumerate(steps):
        if number < reached:
            placed.append(_replace(step, state=StepState.DONE, expected=None))
        elif number == reached:
            waiting = step.title.startswith(("Waiting", "Queued"))
            placed.append(_replace(step, state=StepState.CURRENT, expected=None, waiting=waiting))
        else:
            placed.append(_replace(step, state=StepState.FUTURE, at=None))
    done, rest = _done(placed[: reached + 1]), placed[reached + 1 :]
    if status == "rejected":
        if placed[reached].key == "approval":  # the approval step itself says "Rejected"
            return placed[: reached + 1]
        return [*done, _state_step(history, "rejected", "Rejected", "bad")]
    if status == "cancelled":
        return [*done, _state_step(history, "cancelled", "Cancelled", "bad")]
    if status == "exception":
        return [*done, _state_step(history, "exception", "Problem reported", "warn"), *rest]
    if overdue_since is not None:
        detail = f"Expected {overdue_since.isoformat()}, not here yet"
        delayed = TimelineStep("delayed", "Delayed", StepState.CURRENT, None, detail, "warn",
                               overdue_since)  # fmt: skip
        return [*done, delayed, *rest]
    return placed


def _state_step(history: Sequence[_Entry], status: str, title: str, tone: str) -> TimelineStep:
    """The current step of an order that left the ordinary way: when and why, from the
    latest history entry of that status."""
    entry = _last(history, status)
    return TimelineStep(
        status, title, StepState.CURRENT, entry.at if entry else None,
        entry.note if entry else "", tone,
    )  # fmt: skip


def _done(steps: Sequence[TimelineStep]) -> list[TimelineStep]:
    return [_replace(s, state=StepState.DONE) for s in steps]

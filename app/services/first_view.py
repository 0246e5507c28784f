"""The first view: the default cart priced, its quantity steps and the status, as they were
when the desktop app last closed, kept beside the replica so that the next start can paint
the window with the person's data before the replica's libraries (SQLAlchemy: a quarter of
a second to import on a small machine) have loaded. The screens replace it with the live
view as soon as the replica is open.

It is shown only when it is certainly current: written by this format, for the same server
day (prices depend on the date), and the replica, its write-ahead log and the profile are
byte-for-byte where they were when it was written (size and modification time: any write
by a sync, the command line or another window changes them). Anything else, or a file that
cannot be read, means no first view: the window waits for the replica instead.

Nothing here imports the store; ``capture`` gets the workspace it runs on."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from app.services.profile import Profile
from app.services.views import (
    AreaStatus,
    CartView,
    PricedCartLine,
    QuantityStep,
    Status,
    WorkspaceError,
)

if TYPE_CHECKING:
    from app.services.workspace import Workspace

log = logging.getLogger("orderpad.first_view")
FILE_NAME = "first-view.json"
FORMAT = 1
WATCHED = ("replica.sqlite3", "replica.sqlite3-wal", "profile.json")


@dataclass(frozen=True, slots=True)
class FirstView:
    cart: CartView  # the default cart, priced for ``day``
    steps: dict[str, QuantityStep]
    status: Status
    day: dt.date  # the server's today when it was priced
    clock_offset_s: float  # this machine's clock to the server's, as measured by sync


def capture(ws: Workspace) -> FirstView | None:
    """The first view of ``ws`` now (on the worker that owns the replica); None when there
    is no open default cart (nothing is created for it)."""
    try:
        ws.cart_id(None, create=False)
    except WorkspaceError:
        return None
    cart = ws.cart(None)
    return FirstView(
        cart=cart,
        steps=ws.quantity_steps(cart),
        status=ws.status(session_store=False),
        day=ws.today(),
        clock_offset_s=ws.server_clock_offset().total_seconds(),
    )


def fingerprint(data_dir: Path) -> list[list[Any]]:
    """Name, size and modification time (ns) of each watched file; None when missing."""
    marks: list[list[Any]] = []
    for name in WATCHED:
        try:
            info = os.stat(data_dir / name)
        except FileNotFoundError:
            marks.append([name, None, None])
        else:
            marks.append([name, info.st_size, info.st_mtime_ns])
    return marks


def save(data_dir: Path, view: FirstView) -> None:
    """Write ``view`` with the fingerprint of the files as they are now: call it after the
    replica is closed, so that closing (a checkpoint of the log) is part of what it saw."""
    doc = {"format": FORMAT, "files": fingerprint(data_dir), "view": _encode(view)}
    path = data_dir / FILE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(doc))
    os.replace(tmp, path)


def load(data_dir: Path, *, now: dt.datetime | None = None) -> FirstView | None:
    """The first view kept in ``data_dir`` when it is current (see the module), else None."""
    path = data_dir / FILE_NAME
    try:
        doc = orjson.loads(path.read_bytes())
        if doc.get("format") != FORMAT or doc.get("files") != fingerprint(data_dir):
            return None
        view = _decode(doc["view"])
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file is only a missed shortcut
        log.warning("ignored an unreadable %s", path, exc_info=True)
        return None
    moment = now or dt.datetime.now(dt.UTC)
    if (moment + dt.timedelta(seconds=view.clock_offset_s)).date() != view.day:
        return None
    return view


def forget(data_dir: Path) -> None:
    """Remove the kept first view (a profile that signs out, say)."""
    (data_dir / FILE_NAME).unlink(missing_ok=True)


# -- encoding ----------------------------------------------------------------------------
def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _when(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _unwhen(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _encode(view: FirstView) -> dict[str, Any]:
    cart, status = view.cart, view.status
    profile = status.profile
    return {
        "cart": {
            "cart_id": cart.cart_id,
            "name": cart.name,
            "status": cart.status,
            "currency": cart.currency,
            "total": str(cart.total),
            "local_changes": cart.local_changes,
            "lines": [
                {
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": str(line.quantity),
                    "unit": line.unit,
                    "unit_price": _dec(line.unit_price),
                    "line_total": _dec(line.line_total),
                    "explanation": line.explanation,
                    "problems": line.problems,
                }
                for line in cart.lines
            ],
        },
        "steps": {key: [str(s.minimum), str(s.step)] for key, s in view.steps.items()},
        "status": {
            "profile": None if profile is None else asdict(profile),
            "products": status.products,
            "areas": [[a.area, _when(a.synced_at), a.buckets] for a in status.areas],
            "outbox": status.outbox,
            "held_for_upgrade": status.held_for_upgrade,
            "data_dir": status.data_dir,
        },
        "day": view.day.isoformat(),
        "clock_offset_s": view.clock_offset_s,
    }


def _decode(doc: dict[str, Any]) -> FirstView:
    cart, status = doc["cart"], doc["status"]
    profile = status["profile"]
    return FirstView(
        cart=CartView(
            cart_id=cart["cart_id"],
            name=cart["name"],
            status=cart["status"],
            currency=cart["currency"],
            total=Decimal(cart["total"]),
            local_changes=bool(cart["local_changes"]),
            lines=[
                PricedCartLine(
                    line_id=line["line_id"],
                    sku=line["sku"],
                    name=line["name"],
                    quantity=Decimal(line["quantity"]),
                    unit=line["unit"],
                    unit_price=_undec(line["unit_price"]),
                    line_total=_undec(line["line_total"]),
                    explanation=line["explanation"],
                    problems=list(line["problems"]),
                )
                for line in cart["lines"]
            ],
        ),
        steps={
            key: QuantityStep(Decimal(minimum), Decimal(step))
            for key, (minimum, step) in doc["steps"].items()
        },
        status=Status(
            profile=None if profile is None else Profile(**profile),
            products=int(status["products"]),
            areas=[
                AreaStatus(area, _unwhen(at), list(buckets))
                for area, at, buckets in status["areas"]
            ],
            outbox={str(k): int(v) for k, v in status["outbox"].items()},
            held_for_upgrade=bool(status["held_for_upgrade"]),
            data_dir=str(status["data_dir"]),
        ),
        day=dt.date.fromisoformat(doc["day"]),
        clock_offset_s=float(doc["clock_offset_s"]),
    )

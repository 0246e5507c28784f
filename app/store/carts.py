"""Local carts and queued orders, offline first.

Every change writes the cart (or order) the buyer sees and its outbox mutation in one
transaction. A cart's local version (column ``local``, the same JSON shape as the server's
row) wins over server echoes while the outbox still holds unsent mutations for it; once none
is left, the next echo replaces it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.domain.money import ensure_decimal
from app.domain.pricing import LinePrice, NoPrice, line_price
from app.domain.totals import PricedLine, order_totals
from app.domain.units import UnknownUnit
from app.store import catalog
from app.store.outbox import OutboxEntry, OutboxState, enqueue, pending_for_cart

if TYPE_CHECKING:
    from app.store.replica import Replica

Doc = dict[str, Any]


class CartNotFound(LookupError):
    """No cart with that id on this device."""


class CartClosed(ValueError):
    """The cart was submitted or deleted; it cannot change any more."""


class EmptyCart(ValueError):
    """An order needs at least one line."""


@dataclass(frozen=True, slots=True)
class Cart:
    cart_id: str
    name: str
    status: str  # open | submitted | deleted
    updated_at: str | None
    line_count: int
    local_changes: bool  # the buyer's edits are not confirmed by the server yet
    synced: bool  # the server knows this cart


@dataclass(frozen=True, slots=True)
class CartLine:
    line_id: str
    sku: str
    quantity: Decimal
    unit: str
    updated_at: str | None


@dataclass(frozen=True, slots=True)
class OrderSummary:
    client_order_id: str
    number: str | None
    status: str  # "pending" while queued on this device
    po_number: str | None
    created_at: str | None
    currency: str | None
    subtotal: Decimal | None
    line_count: int
    queued: bool  # not echoed by the server yet
    erp_number: str | None = None  # the supplier's ERP order number, once it has one


def create_cart(replica: Replica, name: str) -> str:
    """Create an open cart named ``name``; returns its id."""
    cart_id = str(uuid.uuid4())
    doc: Doc = {"cart_id": cart_id, "name": _name(name), "status": "open",
                "owner_email": None, "updated_at": _now(), "lines": []}  # fmt: skip
    with replica.session() as session:
        _save(session.connection(), doc, new=True)
        enqueue(session, "cart.create", {"cart_id": cart_id, "name": doc["name"]})
    return cart_id


def rename_cart(replica: Replica, cart_id: str, name: str) -> None:
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        doc["name"] = _name(name)
        _touch_and_save(session, doc)
        enqueue(session, "cart.rename", {"cart_id": cart_id, "name": doc["name"]})


def delete_cart(replica: Replica, cart_id: str) -> None:
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        doc["status"] = "deleted"
        _touch_and_save(session, doc)
        enqueue(session, "cart.delete", {"cart_id": cart_id})


def add_to_cart(replica: Replica, cart_id: str, sku: str, quantity: Decimal, unit: str) -> str:
    """Add ``quantity`` to the line of the same SKU (any case) and unit, or add a line.

    Returns the line id. A non-positive quantity raises ValueError.
    """
    return _put_line(replica, cart_id, sku, _quantity(quantity), unit, add=True)


def set_line(replica: Replica, cart_id: str, sku: str, quantity: Decimal, unit: str) -> str:
    """Set the quantity of the line of that SKU and unit (creating it); returns its id."""
    return _put_line(replica, cart_id, sku, _quantity(quantity), unit, add=False)


def set_line_quantity(replica: Replica, cart_id: str, line_id: str, quantity: Decimal) -> None:
    """Set one line's quantity (use ``remove_line`` to drop it). Raises LookupError."""
    qty = _quantity(quantity)
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        line = _line(doc, line_id)
        line["quantity"] = _text(qty)
        line["updated_at"] = _now()
        _touch_and_save(session, doc)
        enqueue(session, "cart.set_line", _set_line_args(cart_id, line))


def remove_line(replica: Replica, cart_id: str, line_id: str) -> None:
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        _line(doc, line_id)
        doc["lines"] = [line for line in doc["lines"] if line["line_id"] != line_id]
        _touch_and_save(session, doc)
        enqueue(session, "cart.remove_line", {"cart_id": cart_id, "line_id": line_id})


def carts(replica: Replica, *, include_closed: bool = False) -> list[Cart]:
    """Carts on this device, by name; open ones only unless ``include_closed``."""
    where = "" if include_closed else "WHERE status = 'open'"
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql(
            f"SELECT local, data FROM carts {where} ORDER BY name COLLATE NOCASE, cart_id"
        )
        return [_cart(local, data) for local, data in rows]


def cart_by_name(replica: Replica, name: str) -> Cart | None:
    """The open cart called ``name`` (case-insensitive), if any."""
    wanted = name.strip().casefold()
    return next((c for c in carts(replica) if c.name.casefold() == wanted), None)


def cart_lines(replica: Replica, cart_id: str) -> list[CartLine]:
    """The lines of a cart as the buyer sees them. Raises CartNotFound."""
    with replica.reading() as session:
        doc = _doc(session.connection(), cart_id)
    return [
        CartLine(line["line_id"], line["sku"], Decimal(line["quantity"]), line["unit"],
                 line.get("updated_at"))
        for line in doc["lines"]
    ]  # fmt: skip


def submit_cart(
    replica: Replica,
    cart_id: str,
    *,
    po_number: str | None,
    ship_to: str | None,
    requested_date: date | None,
    note: str | None,
    on: date | None = None,
) -> str:
    """Queue the cart as an order; returns its client_order_id.

    Prices every line as the buyer sees it now (``on``: today, UTC, as the server prices),
    stores a local order in status ``pending`` (shown as queued), queues ``order.submit``
    with each line's ``seen_unit_price`` (per ordered unit; None when it cannot be priced
    offline: the server will explain) and marks the cart submitted, all in one transaction.
    Raises CartNotFound, CartClosed, EmptyCart.
    """
    day = on or datetime.now(UTC).date()
    client_order_id = str(uuid.uuid4())
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        if not doc["lines"]:
            raise EmptyCart(f"cart {doc['name']!r} has no lines")
        currency = catalog.account_currency(session)
        priced: list[tuple[Doc, LinePrice | None]] = []
        for line in doc["lines"]:
            price = _price(session, line, day)
            if currency is None and price is not None:
                currency = price.unit_price.currency
            priced.append((line, price))
        args = {
            "client_order_id": client_order_id,
            "cart_id": cart_id,
            "lines": [_order_arg(line, price) for line, price in priced],
            "ship_to": ship_to,
            "po_number": po_number,
            "requested_date": None if requested_date is None else requested_date.isoformat(),
            "note": note,
            "seen_currency": currency,
        }
        order = _local_order(client_order_id, args, priced, currency)
        _save_order(session.connection(), order)
        doc["status"] = "submitted"
        _touch_and_save(session, doc)
        enqueue(session, "order.submit", args)
    return client_order_id


def local_orders(replica: Replica) -> list[OrderSummary]:
    """Orders queued on this device that the server has not echoed yet, newest first."""
    return [order for order in orders(replica) if order.queued]


def orders(replica: Replica) -> list[OrderSummary]:
    """All orders on this device (synced and queued), newest first."""
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT local, data, bucket FROM orders ORDER BY created_at DESC, key"
        )
        summaries = []
        for local, data, bucket in rows:
            doc = orjson.loads(data if data is not None else local)
            subtotal = doc.get("subtotal")
            summaries.append(
                OrderSummary(
                    client_order_id=doc["client_order_id"],
                    number=doc.get("number"),
                    status=doc.get("status") or "unknown",
                    po_number=doc.get("po_number"),
                    created_at=doc.get("created_at"),
                    currency=doc.get("currency"),
                    subtotal=None if subtotal is None else Decimal(subtotal),
                    line_count=len(doc.get("lines") or []),
                    queued=bucket is None,
                    erp_number=doc.get("erp_number"),
                )
            )
        return summaries


def settle_after_results(session: Session, outcomes: list[tuple[OutboxEntry, OutboxState]]) -> None:
    """Outbox hook: bring local carts and queued orders in line with the server's answers.

    A rejected cart change is undone (the server's version shows again) once no other
    mutation for the cart is unsent; a rejected order re-opens its cart so the buyer can fix
    and resubmit. Queued orders take the answer's status until the server echoes them.
    """
    conn = session.connection()
    for entry, state in outcomes:
        cart_id = entry.args.get("cart_id")
        if entry.name == "order.submit":
            _answer_order(conn, entry, state)
        if state is not OutboxState.REJECTED or not isinstance(cart_id, str):
            continue
        row = conn.exec_driver_sql(
            "SELECT local, data FROM carts WHERE cart_id = ?", (cart_id,)
        ).first()
        if row is None or row[0] is None:
            continue
        if entry.name == "order.submit":
            doc = orjson.loads(row[0])
            doc["status"] = "open"
            _save(conn, doc)
        elif row[1] is not None and pending_for_cart(session, cart_id) == 0:
            _save(conn, orjson.loads(row[1]), local=False)


# -- internals ----------------------------------------------------------------------------


def add_many(
    replica: Replica, cart_id: str, items: Sequence[tuple[str, Decimal, str]]
) -> list[str]:
    """Add many (sku, quantity, unit) at once: one transaction, one outbox entry per line
    touched (its final quantity). Returns the line id of each item, in order.

    A pasted or imported list of 5,000 lines costs one cart write, not 5,000."""
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        ids, touched = _put_lines(session, doc, items, add=True)
        _touch_and_save(session, doc)
        for line in touched:
            enqueue(session, "cart.set_line", _set_line_args(cart_id, line))
        return ids


def _put_line(
    replica: Replica, cart_id: str, sku: str, quantity: Decimal, unit: str, *, add: bool
) -> str:
    with replica.session() as session:
        doc = _open_cart(session, cart_id)
        ids, touched = _put_lines(session, doc, [(sku, quantity, unit)], add=add)
        _touch_and_save(session, doc)
        enqueue(session, "cart.set_line", _set_line_args(cart_id, touched[0]))
        return ids[0]


def _put_lines(
    session: Session, doc: Doc, items: Sequence[tuple[str, Decimal, str]], *, add: bool
) -> tuple[list[str], list[Doc]]:
    """Merge items into the cart document (same SKU, any case, and unit = one line)."""
    by_key = {(line["sku"].casefold(), line["unit"]): line for line in doc["lines"]}
    ids: list[str] = []
    touched: dict[str, Doc] = {}
    now = _now()
    for sku, quantity, unit in items:
        code = unit.strip().upper()
        if not code:
            raise ValueError("unit must not be empty")
        qty = _quantity(quantity)
        product = catalog.product_by_sku(session, sku)
        canonical_sku = product.sku if product else sku.strip()
        line = by_key.get((canonical_sku.casefold(), code))
        if line is None:
            line = {"line_id": str(uuid.uuid4()), "sku": canonical_sku, "quantity": "0",
                    "unit": code, "updated_at": None}  # fmt: skip
            doc["lines"].append(line)
            by_key[(canonical_sku.casefold(), code)] = line
        total = Decimal(line["quantity"]) + qty if add else qty
        line["quantity"] = _text(total)
        line["updated_at"] = now
        ids.append(str(line["line_id"]))
        touched[line["line_id"]] = line
    return ids, list(touched.values())


def _set_line_args(cart_id: str, line: Doc) -> Doc:
    return {"cart_id": cart_id, "line_id": line["line_id"], "sku": line["sku"],
            "quantity": line["quantity"], "unit": line["unit"]}  # fmt: skip


def _price(session: Session, line: Doc, day: date) -> LinePrice | None:
    pricing = catalog.pricing_of(session, line["sku"])
    if pricing is None:
        return None
    try:
        factor = catalog.units_of(session, line["sku"]).factor(line["unit"])
        return line_price(
            pricing=pricing, quantity=Decimal(line["quantity"]), unit_factor=factor, on=day
        )
    except (NoPrice, UnknownUnit, catalog.UnknownProduct):
        return None


def _order_arg(line: Doc, price: LinePrice | None) -> Doc:
    seen_price = None
    if price is not None:
        why = price.resolution.explanation
        seen_price = {
            "source": why.source.value,
            "reference": why.reference,
            "tier_min_qty": None if why.tier_min_qty is None else str(why.tier_min_qty),
            "valid_until": None if why.valid_until is None else why.valid_until.isoformat(),
            "text": why.text,
        }
    return {
        "sku": line["sku"],
        "quantity": line["quantity"],
        "unit": line["unit"],
        "seen_unit_price": None if price is None else str(price.unit_price.amount),
        "seen_price": seen_price,
    }


def _local_order(
    client_order_id: str,
    args: Doc,
    priced: list[tuple[Doc, LinePrice | None]],
    currency: str | None,
) -> Doc:
    now = _now()
    subtotal = None
    if currency is not None:
        totals = order_totals(
            [
                PricedLine(line["sku"], Decimal(line["quantity"]), line["unit"],
                           price.unit_price, price.line_total)
                for line, price in priced
                if price is not None and price.unit_price.currency == currency
            ],
            currency,
        )  # fmt: skip
        subtotal = str(totals.subtotal.amount)
    lines = []
    for number, (line, price) in enumerate(priced, start=1):
        lines.append({
            "line_no": number, "sku": line["sku"], "quantity": line["quantity"],
            "unit": line["unit"],
            "unit_price": None if price is None else str(price.unit_price.amount),
            "line_total": None if price is None else str(price.line_total.amount),
            "price_source": None if price is None else price.resolution.explanation.source.value,
            "price_explanation": None if price is None else price.resolution.explanation.text,
            "quantity_confirmed": None, "quantity_shipped": None,
            "quantity_backordered": None, "status": "open",
        })  # fmt: skip
    return {
        "client_order_id": client_order_id, "number": None, "status": "pending",
        "po_number": args["po_number"], "requested_date": args["requested_date"],
        "note": args["note"], "currency": currency, "subtotal": subtotal,
        "ship_to": args["ship_to"], "created_at": now, "updated_at": now, "erp_number": None,
        "user_email": None, "lines": lines,
        "history": [{"status": "pending", "note": "queued on this device", "at": now}],
        "review": None, "cart_id": args["cart_id"],
    }  # fmt: skip


def _save_order(conn: Connection, doc: Doc) -> None:
    conn.exec_driver_sql(
        "INSERT INTO orders (key, client_order_id, number, status, created_at, po_number, "
        "local) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
        "status = excluded.status, local = excluded.local",
        (doc["client_order_id"], doc["client_order_id"], doc["number"], doc["status"],
         doc["created_at"], doc["po_number"], orjson.dumps(doc).decode()),
    )  # fmt: skip


_ANSWER_STATUS = {
    OutboxState.APPLIED: "submitted",
    OutboxState.NEEDS_CONFIRMATION: "needs_confirmation",
    OutboxState.REJECTED: "rejected",
}


def _answer_order(conn: Connection, entry: OutboxEntry, state: OutboxState) -> None:
    client_order_id = entry.args.get("client_order_id")
    row = conn.exec_driver_sql(
        "SELECT local FROM orders WHERE key = ? AND bucket IS NULL", (client_order_id,)
    ).first()
    if row is None or row[0] is None:
        return  # already replaced by the server's echo
    doc = orjson.loads(row[0])
    answer = entry.result or {}
    doc["status"] = _ANSWER_STATUS[state]
    doc["history"].append({"status": doc["status"], "note": answer.get("message") or "",
                           "at": _now()})  # fmt: skip
    detail = answer.get("result")
    if isinstance(detail, dict):
        doc["number"] = detail.get("order_number", doc["number"])
        doc["review"] = detail.get("review", doc["review"])
    _save_order(conn, doc)


def _doc(conn: Connection, cart_id: str) -> Doc:
    row = conn.exec_driver_sql(
        "SELECT local, data FROM carts WHERE cart_id = ?", (cart_id,)
    ).first()
    if row is None:
        raise CartNotFound(f"no cart {cart_id}")
    doc: Doc = orjson.loads(row[0] if row[0] is not None else row[1])
    doc.setdefault("lines", [])
    return doc


def _open_cart(session: Session, cart_id: str) -> Doc:
    doc = _doc(session.connection(), cart_id)
    if doc.get("status", "open") != "open":
        raise CartClosed(f"cart {doc.get('name')!r} is {doc.get('status')}")
    return doc


def _touch_and_save(session: Session, doc: Doc) -> None:
    doc["updated_at"] = _now()
    _save(session.connection(), doc)


def _save(conn: Connection, doc: Doc, *, new: bool = False, local: bool = True) -> None:
    """Store ``doc`` as the cart's local version (``local=False``: drop the local version)."""
    values = (doc["name"], doc["status"], doc.get("updated_at"))
    text = orjson.dumps(doc).decode() if local else None
    if new:
        conn.exec_driver_sql(
            "INSERT INTO carts (cart_id, local, name, status, updated_at) VALUES (?, ?, ?, ?, ?)",
            (doc["cart_id"], text, *values),
        )
    else:
        conn.exec_driver_sql(
            "UPDATE carts SET local = ?, name = ?, status = ?, updated_at = ? WHERE cart_id = ?",
            (text, *values, doc["cart_id"]),
        )


def _cart(local: str | None, data: str | None) -> Cart:
    doc = orjson.loads(local if local is not None else data)  # type: ignore[arg-type]
    return Cart(
        cart_id=doc["cart_id"],
        name=doc.get("name") or "",
        status=doc.get("status") or "open",
        updated_at=doc.get("updated_at"),
        line_count=len(doc.get("lines") or []),
        local_changes=local is not None,
        synced=data is not None,
    )


def _line(doc: Doc, line_id: str) -> Doc:
    for line in doc["lines"]:
        if line["line_id"] == line_id:
            return line  # type: ignore[no-any-return]
    raise LookupError(f"cart {doc['cart_id']} has no line {line_id}")


def _quantity(value: Decimal) -> Decimal:
    qty = ensure_decimal(value, "quantity")
    if qty <= 0:
        raise ValueError(f"quantity must be positive, not {qty}")
    return qty


def _text(value: Decimal) -> str:
    return f"{value:f}"


def _name(name: str) -> str:
    text = name.strip()
    if not text:
        raise ValueError("a cart needs a name")
    return text


def _now() -> str:
    return datetime.now(UTC).isoformat()

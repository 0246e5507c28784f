"""What is worth telling the buyer when an order or a stock row changed: pure comparisons.

``order_facts(doc)`` reduces an order document to the few facts a notification depends on
(stored by the caller between syncs); ``order_notices(before, after, doc)`` names what
happened in between. ``stock_notices`` does the same for products that are backordered on
an open order and came back in stock. No database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from app.services.order_status import FINAL_STATUSES, parse_day
from app.services.order_status import quantity as quantity
from app.store.notifications import NoticeDraft

# Kinds of order notifications (the notification centre's registry lists them with labels).
ORDER_CONFIRMED = "order_confirmed"
ORDER_SHIPPED = "order_shipped"  # shipped in full or in part
ORDER_DELIVERED = "order_delivered"
ORDER_DELAYED = "order_delayed"
ORDER_EXCEPTION = "order_exception"
ORDER_CANCELLED = "order_cancelled"
LINE_BACKORDERED = "line_backordered"
BACK_IN_STOCK = "back_in_stock"

Facts = dict[str, Any]
ZERO = Decimal(0)
_RANK = {"confirmed": 1, "partly_shipped": 2, "shipped": 3, "delivered": 4}


def plain(value: Decimal) -> str:
    """5.0000 -> "5": a quantity as a person reads it."""
    return format(value.normalize(), "f")


def _open(line: Mapping[str, Any]) -> Decimal:
    ordered = quantity(line.get("quantity"))
    return max(ZERO, ordered - quantity(line.get("quantity_shipped"))
               - quantity(line.get("quantity_cancelled")))  # fmt: skip


def _objects(doc: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = doc.get(name)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _parcel_key(parcel: Mapping[str, Any]) -> str:
    return f"{parcel.get('carrier') or ''} {parcel.get('tracking_number') or ''}".strip()


def order_facts(doc: Mapping[str, Any]) -> Facts:
    """The facts of an order document the notifications compare (JSON-ready)."""
    status = str(doc.get("status") or "")
    reached = max(
        [_RANK.get(status, 0)] + [_RANK.get(str(h.get("status")), 0)
                                  for h in _objects(doc, "history")]
    )  # fmt: skip
    if _objects(doc, "shipments"):
        reached = max(reached, 2)
    return {
        "status": status,
        "reached": reached,
        "lines": {
            str(li.get("line_no")): {
                "backordered": plain(quantity(li.get("quantity_backordered"))),
                "cancelled": plain(quantity(li.get("quantity_cancelled"))),
                "open": plain(_open(li)),
                "expected": li.get("expected_date"),
            }
            for li in _objects(doc, "lines")
        },
        "parcels": {
            _parcel_key(p): {
                "expected": p.get("expected_delivery"),
                "delivered": p.get("delivered_at") is not None,
            }
            for p in _objects(doc, "shipments")
        },
    }


NEW_ORDER: Facts = {"status": "submitted", "reached": 0, "lines": {}, "parcels": {}}
"""What an order that just arrived is compared with: submitted, nothing else yet."""


def order_name(doc: Mapping[str, Any]) -> str:
    return str(doc.get("number") or doc.get("po_number") or "(queued)")


def _with_po(doc: Mapping[str, Any], text: str) -> str:
    po = doc.get("po_number")
    return f"PO {po}: {text}" if po else text


def _last_note(doc: Mapping[str, Any], status: str) -> str:
    for entry in reversed(_objects(doc, "history")):
        if entry.get("status") == status and entry.get("note"):
            return str(entry["note"])
    return ""


def _line_label(line: Mapping[str, Any]) -> str:
    return f"line {line.get('line_no')} ({line.get('sku') or '?'})"


def _parcel_text(parcel: Mapping[str, Any]) -> str:
    text = f"{parcel.get('carrier') or 'a carrier'} {parcel.get('tracking_number') or ''}"
    expected = parcel.get("expected_delivery")
    return text.strip() + (f", expected {expected}" if expected else "")


def order_notices(before: Facts, after: Facts, doc: Mapping[str, Any]) -> list[NoticeDraft]:
    """What happened to the order between ``before`` and ``after`` (its facts), at most one
    notification of each kind. ``doc`` is the new document (for numbers and wording)."""
    number = order_name(doc)
    found: list[NoticeDraft] = []

    def notice(kind: str, title: str, text: str) -> None:
        found.append(
            NoticeDraft(kind, title, _with_po(doc, text), str(doc.get("client_order_id")), number)
        )

    status, old_status = after["status"], before["status"]
    lines = {str(li.get("line_no")): li for li in _objects(doc, "lines")}
    parcels = {_parcel_key(p): p for p in _objects(doc, "shipments")}
    new_parcels = [p for key, p in parcels.items() if key not in before["parcels"]]

    if status == "cancelled" and old_status != "cancelled":
        notice(ORDER_CANCELLED, f"Order {number} cancelled",
               _last_note(doc, "cancelled") or "The supplier cancelled the order")  # fmt: skip
        return found
    reached, old_reached = after["reached"], before["reached"]
    if reached > old_reached and reached == 4:
        text = f"All {len(parcels)} parcels delivered" if len(parcels) > 1 else "Delivered"
        notice(ORDER_DELIVERED, f"Order {number} delivered", text)
    elif new_parcels and reached >= 2:
        partly = any(quantity(after["lines"][k]["open"]) > 0 for k in after["lines"])
        title = f"Order {number} {'partly shipped' if partly else 'shipped'}"
        notice(ORDER_SHIPPED, title, "; ".join(_parcel_text(p) for p in new_parcels))
    elif reached > old_reached and reached == 1:
        erp = doc.get("erp_number")
        days = sorted(
            {str(li["expected_date"]) for li in lines.values() if li.get("expected_date")}
        )
        text = f"Confirmed by the supplier as ERP order {erp}" if erp else "Confirmed"
        notice(ORDER_CONFIRMED, f"Order {number} confirmed",
               text + (f", expected {days[-1]}" if days else ""))  # fmt: skip

    if status == "exception" and old_status != "exception":
        notice(ORDER_EXCEPTION, f"Problem with order {number}",
               _last_note(doc, "exception") or "The supplier reported a problem")  # fmt: skip

    later: list[str] = []
    for key, parcel in after["parcels"].items():
        old = before["parcels"].get(key)
        if old and not parcel["delivered"] and _later(old["expected"], parcel["expected"]):
            later.append(f"{key} now expected {parcel['expected']}")
    backordered: list[str] = []
    in_stock: list[str] = []
    cancelled: list[str] = []
    for key, line in after["lines"].items():
        old = before["lines"].get(key)
        raw = lines.get(key, {})
        if old is None:
            old = {"backordered": "0", "cancelled": "0", "open": line["open"], "expected": None}
        if quantity(line["open"]) > 0 and _later(old["expected"], line["expected"]):
            later.append(f"{_line_label(raw)} now expected {line['expected']}")
        bo, old_bo = quantity(line["backordered"]), quantity(old["backordered"])
        if bo > old_bo:
            until = f", expected {line['expected']}" if line["expected"] else ""
            backordered.append(f"{_line_label(raw)}: {plain(bo)} {raw.get('unit') or ''}".rstrip()
                               + f" backordered{until}")  # fmt: skip
        elif old_bo > 0 and bo == 0 and quantity(line["open"]) > 0 and status != "cancelled":
            in_stock.append(f"{_line_label(raw)} is in stock and reserved for you")
        if quantity(line["cancelled"]) > quantity(old["cancelled"]):
            cancelled.append(f"{_line_label(raw)} cancelled")
    if later and status not in FINAL_STATUSES:
        notice(ORDER_DELAYED, f"Order {number} delayed", "; ".join(later))
    if backordered:
        notice(LINE_BACKORDERED, f"Backorder on order {number}", "; ".join(backordered))
    if in_stock:
        notice(BACK_IN_STOCK, f"Back in stock for order {number}", "; ".join(in_stock))
    if cancelled:
        notice(ORDER_CANCELLED, f"Line cancelled on order {number}", "; ".join(cancelled))
    return found


def _later(before: object, after: object) -> bool:
    old, new = parse_day(before), parse_day(after)
    return old is not None and new is not None and new > old


# -- stock of backordered products ------------------------------------------------------------
def available(stock_doc: Mapping[str, Any] | None) -> Decimal:
    """Units available in every warehouse of a stock document (0 for none)."""
    if stock_doc is None:
        return ZERO
    return sum((quantity(w.get("available")) for w in _objects(stock_doc, "warehouses")), ZERO)


def backordered_on(docs: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """SKU (upper-case) -> the open orders on which a quantity of it is backordered."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        if str(doc.get("status") or "") in FINAL_STATUSES:
            continue
        for line in _objects(doc, "lines"):
            if quantity(line.get("quantity_backordered")) > 0 and _open(line) > 0:
                orders = found.setdefault(str(line.get("sku") or "").upper(), [])
                if doc not in orders:
                    orders.append(doc)
    return found


def stock_notice(sku: str, was: Decimal, now: Decimal,
                 orders: Sequence[Mapping[str, Any]]) -> NoticeDraft | None:  # fmt: skip
    """A notification when ``sku``, backordered on ``orders``, came back in stock (none
    available before, some now)."""
    if was > 0 or now <= 0 or not orders:
        return None
    names = ", ".join(order_name(doc) for doc in orders)
    first = orders[0]
    return NoticeDraft(
        BACK_IN_STOCK,
        f"{sku} is back in stock",
        f"{plain(now)} available again; backordered on order {names}",
        str(first.get("client_order_id")),
        order_name(first),
    )

"""Order documents as the server syncs them (docs/sync-protocol.md, `order`), built step by
step like the ERP moves an order: ``OrderDoc().sent("4500").confirmed().shipped(...)``."""

from __future__ import annotations

import copy
from typing import Any

Doc = dict[str, Any]
T0 = "2026-11-20T09:00:00+00:00"


def line(no: int, sku: str, qty: str = "4", unit: str = "EA") -> Doc:
    return {
        "line_no": no,
        "sku": sku,
        "quantity": f"{qty}.0000",
        "unit": unit,
        "unit_price": "2.5000",
        "line_total": "10.00",
        "price_source": "list",
        "price_explanation": "list price",
        "quantity_confirmed": "0.0000",
        "quantity_shipped": "0.0000",
        "quantity_backordered": "0.0000",
        "quantity_cancelled": "0.0000",
        "expected_date": None,
        "status": "open",
    }


class OrderDoc:
    """A mutable order document; each step adds what the server would add."""

    def __init__(self, *skus: str, po: str = "PO-4711", number: str = "OP-000042") -> None:
        self.doc: Doc = {
            "client_order_id": "6f1c0000-0000-4000-8000-000000000042",
            "number": number,
            "status": "submitted",
            "po_number": po,
            "requested_date": None,
            "note": "",
            "currency": "EUR",
            "subtotal": "20.0000",
            "ship_to": "MAIN",
            "created_at": T0,
            "updated_at": T0,
            "erp_number": None,
            "user_email": "buyer1@acme.example",
            "lines": [line(n, sku) for n, sku in enumerate(skus or ("FAS-1", "FAS-2"), 1)],
            "history": [{"status": "submitted", "note": "", "at": T0}],
            "shipments": [],
            "review": None,
        }

    def copy(self) -> OrderDoc:
        other = OrderDoc.__new__(OrderDoc)
        other.doc = copy.deepcopy(self.doc)
        return other

    def _event(self, status: str, at: str, note: str = "") -> OrderDoc:
        self.doc["status"] = status
        self.doc["history"].append({"status": status, "note": note, "at": at})
        return self

    def line(self, no: int) -> Doc:
        return next(li for li in self.doc["lines"] if li["line_no"] == no)

    def sent(self, erp: str = "4500012345", at: str = "2026-11-20T10:00:00+00:00") -> OrderDoc:
        self.doc["erp_number"] = erp
        return self._event("sent_to_erp", at, f"Sent to the supplier (ERP order {erp})")

    def confirmed(self, at: str = "2026-11-20T11:00:00+00:00") -> OrderDoc:
        for li in self.doc["lines"]:
            li["quantity_confirmed"], li["status"] = li["quantity"], "confirmed"
        note = f"Confirmed by the supplier as {self.doc['erp_number']}"
        return self._event("confirmed", at, note)

    def backordered(self, no: int, qty: str, until: str | None, at: str) -> OrderDoc:
        li = self.line(no)
        li["quantity_backordered"], li["expected_date"], li["status"] = qty, until, "backordered"
        return self._event(self.doc["status"], at, f"Line {no} backordered until {until}")

    def allocated(self, no: int, at: str) -> OrderDoc:
        li = self.line(no)
        li["quantity_backordered"], li["status"] = "0.0000", "allocated"
        return self._event(self.doc["status"], at, f"Line {no} back in stock and reserved")

    def shipped(
        self,
        *nos: int,
        carrier: str = "DHL",
        tracking: str = "00340434161094042557",
        at: str = "2026-11-21T14:00:00+00:00",
        eta: str = "2026-11-24",
    ) -> OrderDoc:
        for no in nos:
            li = self.line(no)
            li["quantity_shipped"], li["status"] = li["quantity"], "shipped"
        self.doc["shipments"].append(
            {
                "carrier": carrier,
                "tracking_number": tracking,
                "tracking_url": f"https://track.example/{tracking}"
                if carrier != "Own van"
                else None,
                "shipped_at": at,
                "expected_delivery": eta,
                "delivered_at": None,
                "lines": [{"line_no": no, "quantity": self.line(no)["quantity"]} for no in nos],
            }
        )
        whole = all(
            li["quantity_shipped"] == li["quantity"] or li["status"] == "cancelled"
            for li in self.doc["lines"]
        )
        return self._event("shipped" if whole else "partly_shipped", at, f"Shipped with {carrier}")

    def delayed_parcel(self, index: int, eta: str, at: str) -> OrderDoc:
        self.doc["shipments"][index]["expected_delivery"] = eta
        return self._event(self.doc["status"], at, f"Shipment delayed until {eta}")

    def delivered(self, index: int = 0, at: str = "2026-11-24T09:30:00+00:00") -> OrderDoc:
        parcel = self.doc["shipments"][index]
        parcel["delivered_at"] = at
        done = all(p["delivered_at"] for p in self.doc["shipments"])
        open_lines = any(
            li["quantity_shipped"] != li["quantity"] and li["status"] != "cancelled"
            for li in self.doc["lines"]
        )
        status = "delivered" if done and not open_lines else self.doc["status"]
        return self._event(status, at, f"Delivered: {parcel['carrier']}")

    def cancelled_line(self, no: int, at: str) -> OrderDoc:
        li = self.line(no)
        li["quantity_cancelled"], li["status"] = li["quantity"], "cancelled"
        every = all(x["status"] == "cancelled" for x in self.doc["lines"])
        return self._event(
            "cancelled" if every else self.doc["status"], at, f"Line {no} cancelled: discontinued"
        )

    def exception(self, reason: str, at: str) -> OrderDoc:
        return self._event("exception", at, reason)

    def status_entry(self, status: str, at: str, note: str = "") -> OrderDoc:
        return self._event(status, at, note)

"""Builders of protocol rows and pages for the replica tests (shapes of docs/sync-protocol.md)."""

from __future__ import annotations

from typing import Any

from app.domain.gtin import make_gtin
from app.store.pages import BucketPage

Row = dict[str, Any]


def product(sku: str, **changes: Any) -> Row:
    """A product row's data; ``product("FAS-1", name="Bolt")``."""
    data: Row = {
        "sku": sku,
        "name": f"Hex bolt {sku}",
        "description": "Zinc plated steel",
        "category": "Fasteners",
        "brand": "Acme",
        "base_unit": "EA",
        "min_qty": "1",
        "multiple": "1",
        "list_price": "0.5000",
        "currency": "EUR",
        "status": "active",
        "replacement_sku": None,
        "units": [{"code": "EA", "factor": 1, "gtin": None}],
    }
    data.update(changes)
    return data


def ean13(n: int) -> str:
    """A valid EAN-13 numbered ``n``."""
    return make_gtin(f"400{n:09d}")


def stock(sku: str, available: str = "10") -> Row:
    return {
        "sku": sku,
        "warehouses": [
            {"warehouse": "W1", "warehouse_name": "Main", "available": available,
             "next_receipt_date": None, "next_receipt_qty": None, "lead_time_days": 2,
             "as_of": "2026-11-23T10:00:00+00:00"}
        ],
    }  # fmt: skip


def price(sku: str, tiers: list[tuple[str, str]], **changes: Any) -> Row:
    data: Row = {
        "sku": sku, "price_list": "STD", "currency": "EUR", "valid_from": None,
        "valid_to": None, "tiers": [{"min_qty": q, "price": p} for q, p in tiers],
    }  # fmt: skip
    data.update(changes)
    return data


def account(number: str = "A-1", currency: str = "EUR") -> Row:
    return {
        "number": number, "name": "Builder Ltd", "currency": currency, "payment_terms": "30",
        "credit_limit": "10000.00", "open_balance": "0.00", "on_hold": False,
        "price_tolerance_pct": "2.0", "parent_number": None,
    }  # fmt: skip


def row(entity: str, key: str, position: int, data: Row | None) -> Row:
    """A page row; ``data=None`` makes a tombstone."""
    return {
        "entity": entity,
        "key": key,
        "position": position,
        "deleted": data is None,
        "data": data,
    }


def page(
    bucket: str,
    rows: list[Row],
    *,
    start: int,
    end: int | None = None,
    reset: bool = False,
    complete: bool = True,
) -> BucketPage:
    """A bucket page from ``start`` to ``end`` (default: the last row's position)."""
    if end is None:
        end = max([start, *(r["position"] for r in rows)])
    return BucketPage.from_json(
        {
            "bucket": bucket,
            "reset": reset,
            "from": start,
            "to": end,
            "complete": complete,
            "rows": rows,
            "checkpoint": None,
        }
    )


def products_page(
    bucket: str, skus: list[str], *, start: int = 0, reset: bool = True, complete: bool = True
) -> BucketPage:
    """Products ``skus`` at positions start+1, start+2, …"""
    rows = [row("product", sku, start + i + 1, product(sku)) for i, sku in enumerate(skus)]
    return page(bucket, rows, start=start, reset=reset, complete=complete)

"""Warehouses and a stock row per product and warehouse (available, next receipt, lead time)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.seed.catalog import CatalogProduct
from server.seed.vocab import WAREHOUSES

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WarehouseSpec:
    id: int
    code: str
    name: str
    lead_days: tuple[int, int]


def warehouses() -> list[WarehouseSpec]:
    return [
        WarehouseSpec(i, code, name, lead)
        for i, (code, name, lead) in enumerate(WAREHOUSES, start=1)
    ]


def warehouse_rows(specs: list[WarehouseSpec]) -> list[Row]:
    return [{"id": w.id, "code": w.code, "name": w.name} for w in specs]


class StockGenerator:
    """Stock levels as of the nightly ERP snapshot `as_of`; receipts fall after `today`."""

    def __init__(
        self, rng: random.Random, specs: list[WarehouseSpec], *, today: dt.date, as_of: dt.datetime
    ) -> None:
        self._rng = rng
        self._specs = specs
        self._today = today
        self._as_of = as_of

    def rows(self, product: CatalogProduct) -> list[Row]:
        rng = self._rng
        step = max(product.multiple, product.units[0][1] if product.units else 1)
        # Cheap bulk items are stocked in thousands, expensive ones in tens.
        scale = 400 if product.list_price < 1 else 60 if product.list_price < 20 else 12
        rows: list[Row] = []
        for spec in self._specs:
            empty = rng.random() < (0.85 if not product.active else 0.12)
            available = 0 if empty else rng.randint(1, scale) * step
            receipt_date: dt.date | None = None
            receipt_qty: Decimal | None = None
            if product.active and (empty or rng.random() < 0.2):
                receipt_date = self._today + dt.timedelta(days=rng.randint(1, 30))
                receipt_qty = Decimal(rng.randint(1, scale) * step * 2)
            low, high = spec.lead_days
            lead = rng.randint(low, high) if available else rng.randint(5, 21)
            rows.append(
                {
                    "product_id": product.id,
                    "warehouse_id": spec.id,
                    "available": Decimal(available),
                    "next_receipt_date": receipt_date,
                    "next_receipt_qty": receipt_qty,
                    "lead_time_days": lead,
                    "as_of": self._as_of,
                }
            )
        return rows

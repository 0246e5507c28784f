"""Generating demo products with their units and barcodes, one chunk at a time.

`CatalogGenerator.chunks` yields rows ready for bulk insert plus a compact
`CatalogProduct` per product, so a million products never sit in memory as dicts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from app.domain.gtin import make_gtin, normalize_gtin
from server.seed.vocab import CATEGORIES, DESCRIPTION_TAILS, Category, Family

# A made-up GS1 company prefix (400-440 is Germany); 6 digits leave 6 for the item reference.
_COMPANY_BODY = 401234_000000
_DISCONTINUED_SHARE = 0.02
_UNIT_WORDS = {"EA": "piece", "PR": "pair", "M": "metre", "L": "litre"}
_PACK_WORDS = {"BX": "box", "RL": "roll", "CS": "case"}
_CASE_BOXES = (2, 4, 5, 6, 8, 10, 12, 20)

Row = dict[str, Any]


def gtin13(item: int) -> str:
    """The EAN-13 printed on one piece."""
    return make_gtin(f"{_COMPANY_BODY + item:012d}")


def gtin14(indicator: int, item: int) -> str:
    """The GTIN-14 of a pack of that item (indicator digit 1..8)."""
    return make_gtin(f"{indicator}{_COMPANY_BODY + item:012d}")


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    """What later stages (stock, prices, orders) need to know about one product."""

    id: int
    sku: str
    category: str
    base_unit: str
    min_qty: int
    multiple: int
    list_price: Decimal
    active: bool
    units: tuple[tuple[str, int], ...]  # pack units (code, base units per pack)


@dataclass(frozen=True, slots=True)
class CatalogChunk:
    products: list[CatalogProduct]
    product_rows: list[Row]
    unit_rows: list[Row]


class CatalogGenerator:
    """Makes `count` products deterministically from `rng`, numbering ids from 1."""

    def __init__(self, rng: random.Random, *, stamp: dt.datetime) -> None:
        self._rng = rng
        self._stamp = stamp
        self._cum_weights = list(accumulate(c.weight for c in CATEGORIES))
        self._next_number = {c.prefix: 1000 for c in CATEGORIES}
        self._last_active: dict[tuple[str, int], str] = {}
        self._unit_id = 0

    def chunks(self, count: int, size: int) -> Iterator[CatalogChunk]:
        for start in range(0, count, size):
            chunk = CatalogChunk([], [], [])
            for index in range(start, min(start + size, count)):
                self._make(index, chunk)
            yield chunk

    def _make(self, index: int, chunk: CatalogChunk) -> None:
        rng = self._rng
        category = rng.choices(CATEGORIES, cum_weights=self._cum_weights)[0]
        family_no = rng.randrange(len(category.families))
        family = category.families[family_no]
        values = {slot: rng.choice(options) for slot, options in family.slots.items()}
        name = family.pattern.format_map(values)
        multiple, min_qty = self._quantity_rule(family, values)
        units = self._pack_units(family, multiple)
        price = self._list_price(family)
        sku = self._sku(category)
        key = (category.prefix, family_no)
        replacement = self._last_active.get(key)
        if replacement is not None and rng.random() < _DISCONTINUED_SHARE:
            status: str = "discontinued"
        else:
            status, replacement = "active", None
            self._last_active[key] = sku
        brand = rng.choice(category.brands)
        product_id = index + 1
        chunk.products.append(
            CatalogProduct(
                product_id,
                sku,
                category.name,
                family.base_unit,
                min_qty,
                multiple,
                price,
                status == "active",
                units,
            )
        )
        chunk.product_rows.append(
            {
                "id": product_id,
                "sku": sku,
                "name": name,
                "description": self._description(name, family, brand, units, min_qty, multiple),
                "category": category.name,
                "brand": brand,
                "base_unit": family.base_unit,
                "min_qty": Decimal(min_qty),
                "multiple": Decimal(multiple),
                "list_price": price,
                "currency": "EUR",
                "status": status,
                "replacement_sku": replacement,
                "updated_at": self._stamp,
            }
        )
        self._add_unit_rows(chunk.unit_rows, product_id, index, family.base_unit, units)

    def _add_unit_rows(
        self,
        rows: list[Row],
        product_id: int,
        item: int,
        base: str,
        units: tuple[tuple[str, int], ...],
    ) -> None:
        self._unit_id += 1
        rows.append(
            {
                "id": self._unit_id,
                "product_id": product_id,
                "code": base,
                "factor": 1,
                "gtin": normalize_gtin(gtin13(item)),  # stored as GTIN-14
            }
        )
        indicator = 0
        for code, factor in units:
            indicator = self._rng.randint(indicator + 1, indicator + 3)
            self._unit_id += 1
            rows.append(
                {
                    "id": self._unit_id,
                    "product_id": product_id,
                    "code": code,
                    "factor": factor,
                    "gtin": gtin14(indicator, item),
                }
            )

    def _sku(self, category: Category) -> str:
        number = self._next_number[category.prefix]
        self._next_number[category.prefix] = number + self._rng.randint(1, 3)
        return f"{category.prefix}-{number:06d}"

    def _quantity_rule(self, family: Family, values: dict[str, str]) -> tuple[int, int]:
        """(multiple, min_qty) in base units."""
        rng = self._rng
        if family.container_slot is not None:
            size = int(values[family.container_slot])
            return size, size
        steps = [m for m in family.multiples if m > 1]
        if steps and rng.random() < 0.3:
            multiple = rng.choice(steps)
            return multiple, multiple * rng.choice((1, 1, 1, 2, 5))
        return 1, (1 if rng.random() < 0.9 else rng.choice((5, 10, 20)))

    def _pack_units(self, family: Family, multiple: int) -> tuple[tuple[str, int], ...]:
        rng = self._rng
        if family.container_slot is not None:
            case = {1: 12, 5: 4}.get(multiple)
            return (("CS", multiple * case),) if case else ()
        boxes = [b for b in family.boxes if b % multiple == 0 and b > multiple]
        if not boxes or rng.random() >= 0.85:
            return ()
        box = rng.choice(boxes)
        units: tuple[tuple[str, int], ...] = ((family.pack_code, box),)
        cases = [k for k in _CASE_BOXES if 100 <= box * k <= 1000]
        if family.pack_code == "BX" and cases and rng.random() < 0.6:
            units += (("CS", box * rng.choice(cases)),)
        return units

    def _list_price(self, family: Family) -> Decimal:
        """A price in the family's range, skewed towards cheap; 4 dp below 0.10, 3 below 1."""
        low, high = (int(p * 10_000) for p in family.price)
        cents4 = min(self._rng.randint(low, high), self._rng.randint(low, high))
        price = Decimal(cents4).scaleb(-4)
        if price < Decimal("0.1"):
            return price
        if price < 1:
            return price.quantize(Decimal("0.001"))
        return price.quantize(Decimal("0.01"))

    def _description(
        self,
        name: str,
        family: Family,
        brand: str,
        units: tuple[tuple[str, int], ...],
        min_qty: int,
        multiple: int,
    ) -> str:
        per = _UNIT_WORDS.get(family.base_unit, "unit")
        parts = [f"{name}. {family.blurb} Brand: {brand}.", f"Priced per {per}"]
        packs = [f"{_PACK_WORDS.get(code, code)} of {factor:,}" for code, factor in units]
        if packs:
            parts[-1] += "; " + ", ".join(packs)
        parts[-1] += "."
        if multiple > 1:
            parts.append(f"Sold in multiples of {multiple} (minimum {min_qty}).")
        elif min_qty > 1:
            parts.append(f"Minimum order {min_qty}.")
        tail = self._rng.choice(DESCRIPTION_TAILS)
        if tail:
            parts.append(tail)
        return " ".join(parts)

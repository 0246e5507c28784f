"""The narrow view of the catalog that quick order reads: a protocol, so validation and
scanning can be tested with any catalog and run against the replica in one read transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from app.domain.pricing import ProductPricing
from app.quickorder.lines import Suggestion
from app.store.catalog import GtinMatch, ProductDetails


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Available base units over all warehouses, as of the oldest warehouse figure."""

    available: Decimal
    as_of: datetime | None


class Catalog(Protocol):
    """What validation and scanning read. SKU lookups ignore case and surrounding spaces."""

    def prefetch(self, skus: Collection[str]) -> None:
        """Load these SKUs in bulk (a hint; lookups work without it)."""

    def product(self, sku: str) -> ProductDetails | None: ...

    def product_by_gtin(self, gtin: str) -> GtinMatch | None:
        """``gtin`` is a valid GTIN of any length (the caller checked it)."""

    def pricing(self, sku: str) -> ProductPricing | None: ...

    def stock(self, sku: str) -> StockLevel | None:
        """None when no stock figure was synced for the product."""

    def similar(self, text: str, *, limit: int = 3) -> list[Suggestion]:
        """Products whose SKU (or name) is close to ``text``, best first."""

    def sku_for_part_number(self, part_number: str) -> str | None:
        """The SKU the account's own part number stands for."""

    def sku_with_zeros(self, digits: str) -> str | None:
        """The one SKU that is ``digits`` with leading zeros, if exactly one exists."""

    def known_skus(self, texts: Sequence[str]) -> set[str]:
        """The case-folded texts that are SKUs."""

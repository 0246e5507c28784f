"""The account's own part numbers and the SKUs they stand for (quick order resolves through
them). ``learned`` rows come from the buyer confirming a match on this device; ``synced``
rows are for the server's cross-reference when it sends one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store.replica import Replica


@dataclass(frozen=True, slots=True)
class PartNumber:
    part_number: str
    sku: str
    source: str  # learned | synced
    updated_at: str


def learn(replica: Replica, part_number: str, sku: str) -> None:
    """Remember that the buyer's ``part_number`` is ``sku`` (replacing an earlier answer).

    Raises ValueError for an empty part number or SKU.
    """
    number, code = part_number.strip(), sku.strip()
    if not number or not code:
        raise ValueError("a part number and a SKU are both needed")
    with replica.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO part_numbers (part_number, sku, source, updated_at) "
            "VALUES (?, ?, 'learned', ?) ON CONFLICT (part_number) DO UPDATE SET "
            "sku = excluded.sku, source = 'learned', updated_at = excluded.updated_at",
            (number, code, datetime.now(UTC).isoformat()),
        )


def forget(replica: Replica, part_number: str) -> bool:
    """Drop a part number; returns whether it existed."""
    with replica.session() as session:
        result = session.connection().exec_driver_sql(
            "DELETE FROM part_numbers WHERE part_number = ?", (part_number.strip(),)
        )
        return bool(result.rowcount)


def part_numbers(replica: Replica) -> list[PartNumber]:
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT part_number, sku, source, updated_at FROM part_numbers "
            "ORDER BY part_number COLLATE NOCASE"
        )
        return [PartNumber(*row) for row in rows]

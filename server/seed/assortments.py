"""The demo's assortments: which categories each one holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class AssortmentSpec:
    id: int
    code: str
    name: str
    only: frozenset[str] = frozenset()
    without: frozenset[str] = frozenset()

    def holds(self, category: str) -> bool:
        if self.only and category not in self.only:
            return False
        return category not in self.without


ASSORTMENTS: tuple[AssortmentSpec, ...] = (
    AssortmentSpec(1, "FULL", "Full range"),
    AssortmentSpec(
        2,
        "JAN-SAFE",
        "Janitorial, safety and packaging",
        only=frozenset({"Janitorial", "Safety", "Packaging"}),
    ),
    AssortmentSpec(
        3, "MRO", "Maintenance, repair and operations", without=frozenset({"Welding", "Hydraulics"})
    ),
)


def assortment_rows() -> list[dict[str, Any]]:
    return [{"id": a.id, "code": a.code, "name": a.name} for a in ASSORTMENTS]

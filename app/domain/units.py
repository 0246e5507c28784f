"""Units of measure per product (each, box, case) and conversion to the base unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import ensure_decimal


class UnknownUnit(ValueError):
    """Raised for a unit code the product is not sold in; the message lists the known ones."""


@dataclass(frozen=True, slots=True)
class UnitOfMeasure:
    """One unit a product is sold in: ``UnitOfMeasure("CS", 100)`` holds 100 base units.

    Codes are stored upper-case; a factor below 1 (or not an int) raises.
    """

    code: str
    factor: int

    def __post_init__(self) -> None:
        code = self.code.strip().upper()
        if not code:
            raise ValueError("unit code must not be empty")
        if isinstance(self.factor, bool) or not isinstance(self.factor, int):
            raise TypeError(f"factor of {code} must be an int, not {type(self.factor).__name__}")
        if self.factor < 1:
            raise ValueError(f"factor of {code} must be at least 1, not {self.factor}")
        object.__setattr__(self, "code", code)


@dataclass(frozen=True, slots=True)
class ProductUnits:
    """The units of one product: ``ProductUnits("EA", (UnitOfMeasure("BX", 10),))``.

    The base unit always exists with factor 1, listed or not. Listing it with another
    factor, or listing a code twice, raises ValueError. Lookups ignore case.
    """

    base: str
    units: tuple[UnitOfMeasure, ...] = ()

    def __post_init__(self) -> None:
        base = self.base.strip().upper()
        if not base:
            raise ValueError("base unit must not be empty")
        seen: set[str] = set()
        for unit in self.units:
            if unit.code in seen:
                raise ValueError(f"unit {unit.code} is listed twice")
            seen.add(unit.code)
            if unit.code == base and unit.factor != 1:
                raise ValueError(f"base unit {base} must have factor 1, not {unit.factor}")
        units = self.units
        if base not in seen:
            units = (UnitOfMeasure(base, 1), *units)
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "units", units)

    @property
    def codes(self) -> tuple[str, ...]:
        """All unit codes, base unit included, in the order given."""
        return tuple(unit.code for unit in self.units)

    def has(self, code: str) -> bool:
        """Return True if the product is sold in ``code`` (case-insensitive)."""
        wanted = code.strip().upper()
        return any(unit.code == wanted for unit in self.units)

    def factor(self, code: str) -> int:
        """Return how many base units one ``code`` holds; raises UnknownUnit."""
        wanted = code.strip().upper()
        for unit in self.units:
            if unit.code == wanted:
                return unit.factor
        raise UnknownUnit(f"unknown unit {code!r}; known units: {', '.join(self.codes)}")

    def to_base(self, qty: Decimal, unit: str) -> Decimal:
        """Convert ``qty`` of ``unit`` to base units (2 BX -> 20 EA)."""
        return ensure_decimal(qty, "quantity") * self.factor(unit)

    def from_base(self, qty_base: Decimal, unit: str) -> Decimal:
        """Convert base units to ``unit`` (20 EA -> 2 BX); may be fractional (25 EA -> 2.5 BX)."""
        return ensure_decimal(qty_base, "quantity") / self.factor(unit)

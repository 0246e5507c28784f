"""The scan loop's state: the current location and the lines scanned so far.

A repeated scan of the same product and unit (at the same location) adds to its line; a
location scan applies to the items scanned after it. Pure: the UI or CLI decides when to
write the lines to a cart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from app.quickorder.scan import ScanKind, ScanResult


@dataclass(slots=True)
class ScanLine:
    """One line of a scan session; ``number`` is its 1-based position."""

    number: int
    sku: str
    name: str
    unit: str
    quantity: Decimal
    location: str | None
    scans: int = 1


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """What one scan did: the resolved code, the line it changed (if any) and a toast text."""

    result: ScanResult
    line: ScanLine | None
    message: str
    added: bool  # a new line (False: an existing line grew, or nothing changed)


@dataclass(slots=True)
class ScanSession:
    location: str | None = None
    lines: list[ScanLine] = field(default_factory=list)

    def apply(self, result: ScanResult) -> ScanEvent:
        """Apply one resolved scan; returns the event to show (and sound: ``result.ok``)."""
        if result.kind is ScanKind.LOCATION:
            self.location = result.location
            return ScanEvent(result, None, result.message, False)
        sku, unit = result.sku, result.unit
        if not result.ok or sku is None or unit is None:
            return ScanEvent(result, None, result.message, False)
        result = replace(result, location=self.location)
        key = (sku.casefold(), unit, self.location)
        for line in self.lines:
            if (line.sku.casefold(), line.unit, line.location) == key:
                line.quantity += result.quantity
                line.scans += 1
                text = f"line {line.number}: {line.sku} now {line.quantity:f} {line.unit}"
                return ScanEvent(result, line, text, False)
        line = ScanLine(
            number=len(self.lines) + 1,
            sku=sku,
            name=result.name or "",
            unit=unit,
            quantity=result.quantity,
            location=self.location,
        )
        self.lines.append(line)
        where = f" at {self.location}" if self.location else ""
        text = f"line {line.number}: {line.sku} {line.quantity:f} {line.unit}{where}"
        return ScanEvent(result, line, text, True)

"""What a buyer entered (``LineInput``) and what became of it (``LineResult``, the report).

One ``LineInput`` per input row. Rows of the same product and unit merge into one
``LineResult`` that keeps every source row, so a report can still be shown row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Field(StrEnum):
    """The columns a quick-order line can have."""

    SKU = "sku"
    PART_NUMBER = "part_number"  # the buyer's own part number
    BARCODE = "barcode"
    QUANTITY = "quantity"
    UNIT = "unit"
    NOTE = "note"


ITEM_FIELDS = (Field.SKU, Field.PART_NUMBER, Field.BARCODE)


class LineStatus(StrEnum):
    """``skipped``: nothing to order on this row (no quantity, 0, a heading); never an error."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    SKIPPED = "skipped"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    SKIP = "skip"


class Reason(StrEnum):
    """Why a line is not simply ok. The severity of each is fixed in ``SEVERITY``."""

    # errors: the line is not added
    UNKNOWN_ITEM = "unknown_item"  # not in the replica = not in the account's assortment
    UNKNOWN_PART_NUMBER = "unknown_part_number"
    UNKNOWN_BARCODE = "unknown_barcode"
    BAD_BARCODE = "bad_barcode"
    DISCONTINUED = "discontinued"
    UNKNOWN_UNIT = "unknown_unit"
    INVALID_QUANTITY = "invalid_quantity"
    QUANTITY_RULE = "quantity_rule"  # pack size or minimum broken, policy "flag"
    NO_PRICE = "no_price"
    NO_ITEM = "no_item"  # a quantity without an item number
    UNREADABLE_CELL = "unreadable_cell"  # formula without a saved value, #N/A, 1.2E+12 in a CSV
    # warnings: the line is added
    ROUNDED_UP = "rounded_up"
    STOCK_SHORT = "stock_short"
    TIER_PRICE = "tier_price"
    HIDDEN_ROW = "hidden_row"
    ZEROS_RESTORED = "zeros_restored"
    NUMBER_READ_AS = "number_read_as"
    # skipped: nothing to order
    NO_QUANTITY = "no_quantity"
    ZERO_QUANTITY = "zero_quantity"
    NOT_AN_ITEM = "not_an_item"


SEVERITY: Mapping[Reason, Severity] = {
    **{
        reason: Severity.ERROR
        for reason in (
            Reason.UNKNOWN_ITEM,
            Reason.UNKNOWN_PART_NUMBER,
            Reason.UNKNOWN_BARCODE,
            Reason.BAD_BARCODE,
            Reason.DISCONTINUED,
            Reason.UNKNOWN_UNIT,
            Reason.INVALID_QUANTITY,
            Reason.QUANTITY_RULE,
            Reason.NO_PRICE,
            Reason.NO_ITEM,
            Reason.UNREADABLE_CELL,
        )
    },
    **{
        reason: Severity.WARNING
        for reason in (
            Reason.ROUNDED_UP,
            Reason.STOCK_SHORT,
            Reason.TIER_PRICE,
            Reason.HIDDEN_ROW,
            Reason.ZEROS_RESTORED,
            Reason.NUMBER_READ_AS,
        )
    },
    Reason.NO_QUANTITY: Severity.SKIP,
    Reason.ZERO_QUANTITY: Severity.SKIP,
    Reason.NOT_AN_ITEM: Severity.SKIP,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason with a sentence the buyer can act on; ``field`` is the cell to highlight.

    ``row`` names the source row when the problem belongs to one row of a merged line.
    """

    reason: Reason
    message: str
    field: Field | None = None
    row: int | None = None

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.reason]


@dataclass(frozen=True, slots=True)
class LineInput:
    """One row as read: from a pasted line, a spreadsheet row or a scan.

    ``quantity`` is a Decimal when the source cell was a number, the text as typed when it
    was text, and None when the row has no quantity (skipped, never guessed). ``columns``
    maps each field to its 0-based column for highlighting; ``problems`` were found while
    reading (a hidden row, a formula without a saved value).
    """

    row: int
    source: str
    sku: str | None = None
    part_number: str | None = None
    barcode: str | None = None
    quantity: Decimal | str | None = None
    unit: str | None = None
    note: str | None = None
    columns: Mapping[Field, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def item(self) -> str | None:
        """The item reference as typed (SKU, else part number, else barcode)."""
        return self.sku or self.part_number or self.barcode


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A product the buyer may have meant."""

    sku: str
    name: str


@dataclass(frozen=True, slots=True)
class LineResult:
    """One order line after checking: the merged rows, what will be ordered and why not.

    ``quantity``/``unit`` are what goes into the cart (after merging and any correction);
    ``requested`` is the merged quantity as entered. Prices are per ``unit``.
    """

    inputs: tuple[LineInput, ...]
    status: LineStatus
    row_quantities: tuple[Decimal | None, ...] = ()  # each input row's own quantity, parsed
    sku: str | None = None
    name: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    requested: Decimal | None = None
    corrected: bool = False
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    currency: str | None = None
    price_explanation: str | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    replacement_sku: str | None = None

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(source.row for source in self.inputs)

    @property
    def row(self) -> int:
        return self.inputs[0].row

    @property
    def source(self) -> str:
        return self.inputs[0].source

    @property
    def addable(self) -> bool:
        """True when the line goes into the cart (ok or warning)."""
        return self.status in (LineStatus.OK, LineStatus.WARNING)

    @property
    def message(self) -> str:
        """Every problem and note as one sentence ("" for a plain ok line)."""
        return "; ".join([*(problem.message for problem in self.problems), *self.notes])


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One input row and the line it ended in (the per-row view of a report)."""

    row: int
    source: str
    requested: Decimal | None  # this row's own quantity
    line: LineResult

    @property
    def status(self) -> LineStatus:
        return self.line.status

    @property
    def merged_with(self) -> tuple[int, ...]:
        return tuple(row for row in self.line.rows if row != self.row)


@dataclass(frozen=True, slots=True)
class QuickOrderReport:
    """Every line of one paste, file or scan batch, in input order."""

    lines: tuple[LineResult, ...]
    currency: str | None = None

    @property
    def has_errors(self) -> bool:
        return any(line.status is LineStatus.ERROR for line in self.lines)

    @property
    def addable(self) -> tuple[LineResult, ...]:
        return tuple(line for line in self.lines if line.addable)

    @property
    def total(self) -> Decimal:
        """The sum of the line totals of the lines that will be added."""
        return sum((line.line_total or Decimal(0) for line in self.addable), Decimal(0))

    def counts(self) -> dict[str, int]:
        """Input rows per status: {"ok": 9, "warning": 2, "error": 1, "skipped": 0}."""
        counts = {status.value: 0 for status in LineStatus}
        for line in self.lines:
            counts[line.status.value] += len(line.inputs)
        return counts

    def rows(self) -> list[RowOutcome]:
        """One outcome per input row, by row number."""
        outcomes = [
            RowOutcome(source.row, source.source, _nth(line.row_quantities, index), line)
            for line in self.lines
            for index, source in enumerate(line.inputs)
        ]
        return sorted(outcomes, key=lambda outcome: outcome.row)


def _nth(values: tuple[Decimal | None, ...], index: int) -> Decimal | None:
    return values[index] if index < len(values) else None

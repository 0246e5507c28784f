"""Reading one data row cell by cell into typed values; every bad cell becomes a RowError.

An empty cell means "the default" (or "none"); a column the file lacks is not read at all,
so an update keeps what the database has for it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from server.erp_import.numbers import DecimalMark, ambiguous, parse_decimal
from server.erp_import.report import RowError

PLACES = 4
_QUANTUM = Decimal(1).scaleb(-PLACES)
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TRUE = frozenset({"1", "y", "yes", "true", "x", "j", "ja"})
_FALSE = frozenset({"", "0", "n", "no", "false", "nein"})


class RowCells:
    """The cells of one row by column name; check `ok` after reading every field."""

    def __init__(self, row: int, cells: Mapping[str, str], *, mark: DecimalMark) -> None:
        self.row = row
        self.cells = cells
        self.mark = mark
        self.errors: list[RowError] = []

    @property
    def ok(self) -> bool:
        return not self.errors

    def has(self, column: str) -> bool:
        return column in self.cells

    def raw(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str | None, message: str, value: str | None = None) -> None:
        if value is None and column is not None:
            value = self.raw(column)
        self.errors.append(RowError(self.row, column, value, message))

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = self.raw(column)
        if not value and required:
            self.fail(column, "a value is required")
        elif len(value) > max_length:
            self.fail(column, f"{_quote(value)} is longer than {max_length} characters")
        return value

    def optional_text(self, column: str, *, max_length: int) -> str | None:
        return self.text(column, max_length=max_length) or None

    def code(self, column: str, *, max_length: int, default: str) -> str:
        """Upper-case code such as a currency or unit; empty means `default`."""
        return self.text(column, max_length=max_length).upper() or default

    def currency(self, column: str, *, default: str = "EUR") -> str:
        value = self.code(column, max_length=3, default=default)
        if not (len(value) == 3 and value.isalpha() and value.isascii()):
            self.fail(column, f"{_quote(self.raw(column))} is not a 3-letter currency code")
        return value

    def choice(self, column: str, options: tuple[str, ...], *, default: str) -> str:
        value = self.raw(column).lower() or default
        if value not in options:
            self.fail(column, f"{_quote(self.raw(column))} is not one of {', '.join(options)}")
        return value

    def decimal(
        self,
        column: str,
        *,
        default: Decimal | None = None,
        signed: bool = False,
        positive: bool = False,
    ) -> Decimal | None:
        """A number with at most 4 decimal places; an empty cell gives `default`."""
        value = self.raw(column)
        if not value:
            return default
        number = self._number(column, value, signed=signed, positive=positive)
        return default if number is None else number

    def number(
        self, column: str, *, default: Decimal, signed: bool = False, positive: bool = False
    ) -> Decimal:
        """Like `decimal`, for a column that always has a value (`default` when empty)."""
        number = self.decimal(column, default=default, signed=signed, positive=positive)
        return default if number is None else number

    def required_decimal(
        self, column: str, *, signed: bool = False, positive: bool = False
    ) -> Decimal:
        value = self.raw(column)
        if not value:
            self.fail(column, "a value is required")
            return Decimal(0)
        number = self._number(column, value, signed=signed, positive=positive)
        return Decimal(0) if number is None else number

    def _number(self, column: str, value: str, *, signed: bool, positive: bool) -> Decimal | None:
        number = parse_decimal(value, self.mark)
        if number is None:
            self.fail(column, _not_a_number(value, self.mark))
            return None
        if number != number.quantize(_QUANTUM):
            self.fail(column, f"{_quote(value)} has more than {PLACES} decimal places")
        elif positive and number <= 0:
            self.fail(column, f"{_quote(value)} must be greater than 0")
        elif not signed and number < 0:
            self.fail(column, f"{_quote(value)} must not be negative")
        return number.quantize(_QUANTUM)

    def integer(self, column: str, *, default: int, minimum: int = 0) -> int:
        value = self.raw(column)
        if not value:
            return default
        number = parse_decimal(value, self.mark)
        if number is None or number != number.to_integral_value():
            self.fail(column, f"{_quote(value)} is not a whole number")
            return default
        if number < minimum:
            self.fail(column, f"{_quote(value)} must be at least {minimum}")
        return int(number)

    def date(self, column: str) -> dt.date | None:
        value = self.raw(column)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.fail(column, f"{_quote(value)} is not a date (write YYYY-MM-DD)")
        return parsed

    def flag(self, column: str, *, default: bool = False) -> bool:
        value = self.raw(column).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.fail(column, f"{_quote(self.raw(column))} is not yes/no, true/false or 1/0")
        return False


def parse_date(text: str) -> dt.date | None:
    """ISO date (a time part is ignored) or the European DD.MM.YYYY."""
    german = _GERMAN_DATE.fullmatch(text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day)
        if len(text) > 10 and text[10] in "T ":
            return dt.datetime.fromisoformat(text).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _not_a_number(value: str, mark: DecimalMark) -> str:
    if ambiguous(value, mark):
        return f"{_quote(value)} is ambiguous: write it without the comma or with a decimal point"
    if mark is DecimalMark.POINT and "," in value:
        return f"{_quote(value)} is not a number (this file writes decimals with a point)"
    if mark is DecimalMark.COMMA and "." in value:
        return f"{_quote(value)} is not a number (this file writes decimals with a comma)"
    return f"{_quote(value)} is not a number"


def _quote(value: str) -> str:
    return repr(value) if len(value) <= 40 else repr(value[:37] + "...")

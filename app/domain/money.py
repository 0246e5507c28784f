"""Money and the rounding rules, stated once for the client and the server.

Rounding rules (every caller relies on these; change them here or nowhere):

- Unit prices are kept to 4 decimal places (``round_unit_price``, ROUND_HALF_UP).
- A line total is unit price × quantity, rounded half-up to the currency's minor
  unit (``round_money``): 2 places for EUR, 0 for JPY.
- An order subtotal is the sum of the rounded line totals (never a re-rounded sum).
- Percentages of change are rounded half-up to 1 decimal place (``round_percent``).

Money is always ``Decimal``; floats are refused with ``TypeError`` wherever an amount
is built, because a float has already lost cents before we see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCY_MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "USD": 2,
    "GBP": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CNY": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
}

_MINOR_STEP = {code: Decimal(1).scaleb(-places) for code, places in CURRENCY_MINOR_UNITS.items()}
UNIT_PRICE_PLACES = 4
_UNIT_PRICE_STEP = Decimal(1).scaleb(-UNIT_PRICE_PLACES)
_PERCENT_STEP = Decimal("0.1")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


class CurrencyMismatch(ValueError):
    """Raised when two amounts in different currencies are added, subtracted or compared."""


def minor_units(currency: str) -> int:
    """Return the number of decimal places of ``currency``; unknown codes raise ValueError."""
    try:
        return CURRENCY_MINOR_UNITS[currency]
    except KeyError:
        raise ValueError(f"unknown currency {currency!r}") from None


def ensure_decimal(value: object, what: str = "amount") -> Decimal:
    """Return ``value`` as a finite Decimal; ints are widened, floats raise TypeError.

    Use this in constructors; use ``to_decimal`` for text typed by a person.
    """
    if type(value) is Decimal and value.is_finite():  # the common case, first (a hot path)
        return value
    if isinstance(value, bool | float):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    return value


def to_decimal(value: str | int | Decimal) -> Decimal:
    """Parse a quantity or amount as typed: "1.5", "1,5", " 12 " or an int/Decimal.

    Floats raise TypeError; NaN, infinity, exponents, thousands separators and
    empty text raise ValueError (we refuse to guess whether "1.234,5" means 1234.5).
    """
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"not a number: {value!r}")
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already guards this
            raise ValueError(f"not a number: {value!r}") from None
    return ensure_decimal(value, "value")


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` half-up to the minor unit of ``currency`` (0.01 for EUR)."""
    step = _MINOR_STEP.get(currency)
    if step is None:
        step = Decimal(1).scaleb(-minor_units(currency))
    return ensure_decimal(amount).quantize(step, rounding=ROUND_HALF_UP)


def round_unit_price(amount: Decimal) -> Decimal:
    """Round a unit price half-up to 4 decimal places."""
    return ensure_decimal(amount).quantize(_UNIT_PRICE_STEP, rounding=ROUND_HALF_UP)


def round_percent(value: Decimal) -> Decimal:
    """Round a percentage half-up to 1 decimal place."""
    return ensure_decimal(value, "percent").quantize(_PERCENT_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency; ``Money(Decimal("12.5"), "EUR")``.

    Arithmetic keeps full precision; call ``.rounded()`` where the rules above say so.
    Mixing currencies raises ``CurrencyMismatch``; a float amount raises TypeError.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount = self.amount
        if type(amount) is not Decimal or not amount.is_finite():
            object.__setattr__(self, "amount", ensure_decimal(amount))
        if type(self.currency) is str and self.currency in CURRENCY_MINOR_UNITS:
            return  # already a known code, upper-case (a hot path: every priced line)
        if not isinstance(self.currency, str):
            raise TypeError("currency must be a str such as 'EUR'")
        code = self.currency.strip().upper()
        minor_units(code)
        object.__setattr__(self, "currency", code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return 0 in ``currency``."""
        return cls(Decimal(0), currency)

    def rounded(self) -> Money:
        """Return this amount rounded half-up to the currency's minor unit."""
        return Money(round_money(self.amount, self.currency), self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented
        return Money(self.amount * ensure_decimal(factor, "factor"), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount >= other.amount

    def __str__(self) -> str:
        # Show at least the minor unit ("EUR 12.50") but never hide unit-price digits.
        exponent = self.amount.normalize().as_tuple().exponent
        extra = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        places = max(minor_units(self.currency), extra)
        shown = self.amount.quantize(Decimal(1).scaleb(-places))
        return f"{self.currency} {shown:f}"

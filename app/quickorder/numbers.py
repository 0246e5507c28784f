"""Reading a quantity the way buyers type it: "12", "1,5", "1.5", "1.234,5", "1 000", "12 pcs".

``.`` and ``,`` are both decimal marks; when both occur the last one is. A lone mark followed by
exactly three digits ("1,000") is read as a thousands separator and says so, because
"1,000 pieces" means a thousand far more often than one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


class BadNumber(ValueError):
    """The text is not a number; the message quotes it."""


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: Decimal
    note: str | None = None  # set when the reading was a guess ("read '1,000' as 1000")


_SPACES = re.compile(r"[\s\u00a0\u202f']+")  # 1 000, 1'000 (Swiss), no-break spaces
_SHAPE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)*|[.,]\d+)")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def parse_number(text: str) -> ParsedNumber:
    """Parse ``text`` into a Decimal; raises BadNumber. Signs are kept (callers refuse them)."""
    raw = text.strip()
    compact = _SPACES.sub("", raw)
    if not compact or not _SHAPE.fullmatch(compact):
        raise BadNumber(f"{raw!r} is not a number")
    sign = ""
    if compact[0] in "+-":
        sign, compact = compact[0].replace("+", ""), compact[1:]
    digits, note = _normalise(compact)
    try:
        value = Decimal(sign + digits)
    except InvalidOperation:
        raise BadNumber(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise BadNumber(f"{raw!r} is not a number")
    if note is not None:
        note = f"read {raw!r} as {value:f}"
    return ParsedNumber(value, note)


def _normalise(text: str) -> tuple[str, str | None]:
    """Return plain digits with "." as the decimal mark, and whether it was a guess."""
    marks = [char for char in text if char in ".,"]
    if not marks:
        return text, None
    if len(set(marks)) == 2:
        decimal = text[max(text.rfind("."), text.rfind(","))]
        thousands = "," if decimal == "." else "."
        whole, _, fraction = text.rpartition(decimal)
        if decimal in whole or not _GROUPED.fullmatch(whole.replace(thousands, ",")):
            raise BadNumber(f"{text!r} is not a number")
        return whole.replace(thousands, "") + "." + fraction, None
    mark = marks[0]
    if len(marks) > 1:  # 1.000.000 or 1,000,000
        if not _GROUPED.fullmatch(text):
            raise BadNumber(f"{text!r} is not a number")
        return text.replace(mark, ""), None
    whole, _, fraction = text.partition(mark)
    if len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        return whole + fraction, "guess"
    return (whole or "0") + "." + (fraction or "0"), None

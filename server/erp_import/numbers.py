"""Numbers as ERP exports write them: 1234.5, 1234,5 or 1.234,5, read into exact Decimals.

Which mark is the decimal one is decided per file, never guessed per cell: a '1.500' that
means 1500 in one file and 1.5 in the next must not be read the same way in both.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?")  # 1234,5 and 1.234,5
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")  # 1,234: a thousand, or 1.234?
_SPACES = str.maketrans("", "", " \u00a0\u202f")


class DecimalMark(StrEnum):
    POINT = "point"  # 1234.5 only: comma-separated CSV, or a CSV with no decimal comma at all
    COMMA = "comma"  # 1234,5 and 1.234,5: a ';' or tab CSV whose numbers use decimal commas
    EITHER = "either"  # XLSX text cells: 1234.5 or 1234,5, but "1,234" is refused as ambiguous


def sniff_decimal_mark(text: str, delimiter: str) -> DecimalMark:
    """COMMA when a ';'/tab CSV has a cell like 12,5 (a decimal comma); POINT otherwise."""
    if delimiter == ",":
        return DecimalMark.POINT
    d = re.escape(delimiter)
    cell = re.compile(rf'(?:^|{d})"?\s*[+-]?\d+(?:\.\d{{3}})*,\d+\s*"?(?={d}|$)', re.MULTILINE)
    return DecimalMark.COMMA if cell.search(text) else DecimalMark.POINT


def ambiguous(text: str, mark: DecimalMark) -> bool:
    """True for "1,234" in a file that may use either mark: the user must say which."""
    if mark is not DecimalMark.EITHER:
        return False
    return _COMMA_GROUPS.fullmatch(text.translate(_SPACES)) is not None


def parse_decimal(text: str, mark: DecimalMark) -> Decimal | None:
    """The exact value of `text` written with `mark`; None if it is not such a number."""
    text = text.translate(_SPACES)
    if mark is DecimalMark.COMMA:
        if not _COMMA_DECIMAL.fullmatch(text):
            return None
        text = text.replace(".", "").replace(",", ".")
    elif mark is DecimalMark.EITHER and "," in text:
        if "." in text or text.count(",") != 1 or ambiguous(text, mark):
            return None
        text = text.replace(",", ".")
    if not _PLAIN.fullmatch(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None

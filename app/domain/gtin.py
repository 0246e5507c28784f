"""GTIN / EAN / UPC check digits and normalisation to 14 digits, as scanned or typed.

Catalog rows store GTIN-14; scans are normalised with ``normalize_gtin`` before lookup.
"""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)
_DIGITS = frozenset("0123456789")


class InvalidGtin(ValueError):
    """Raised with the reason a code is not a GTIN (length, non-digit, check digit)."""


def _require_digits(code: str, what: str) -> None:
    if not code:
        raise InvalidGtin(f"{what} is empty")
    bad = next((char for char in code if char not in _DIGITS), None)
    if bad is not None:
        raise InvalidGtin(f"{what} {code!r} contains a non-digit {bad!r}")


def gtin_check_digit(body: str) -> int:
    """Return the GS1 mod-10 check digit for ``body`` (all digits but the check digit).

    Works for any length (GTIN-8 to 14, SSCC); raises InvalidGtin for non-digits.
    """
    _require_digits(body, "body")
    # Weights alternate 3, 1, 3 … starting from the rightmost digit of the body.
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(body[::-1]))
    return (10 - total % 10) % 10


def make_gtin(body: str) -> str:
    """Append the check digit: ``make_gtin("400638133393")`` -> "4006381333931".

    ``body`` must be 7, 11, 12 or 13 digits (a GTIN-8/12/13/14 without its check digit).
    """
    _require_digits(body, "body")
    if len(body) + 1 not in GTIN_LENGTHS:
        raise InvalidGtin(f"body has {len(body)} digits; expected 7, 11, 12 or 13")
    return body + str(gtin_check_digit(body))


def _validate(code: str) -> str:
    code = code.strip()
    _require_digits(code, "GTIN")
    if len(code) not in GTIN_LENGTHS:
        raise InvalidGtin(f"GTIN {code!r} has {len(code)} digits; expected 8, 12, 13 or 14")
    expected = gtin_check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise InvalidGtin(f"GTIN {code}: check digit should be {expected}, not {code[-1]}")
    return code


def is_valid_gtin(code: str) -> bool:
    """Return True for a GTIN-8, UPC-A (12), EAN-13 or GTIN-14 with a correct check digit."""
    try:
        _validate(code)
    except InvalidGtin:
        return False
    return True


def normalize_gtin(code: str) -> str:
    """Return ``code`` as a 14-digit GTIN (zero-padded); surrounding whitespace is ignored.

    Raises InvalidGtin saying what is wrong: length, a non-digit, or the check digit.
    """
    return _validate(code).zfill(14)


def gtin14_to_ean13(g14: str) -> str | None:
    """Return the EAN-13 inside a GTIN (any valid length), or None if its indicator is not 0."""
    code = normalize_gtin(g14)
    return code[1:] if code[0] == "0" else None


def upc_a_to_ean13(code: str) -> str:
    """Return the EAN-13 for a 12-digit UPC-A ("036000291452" -> "0036000291452")."""
    upc = _validate(code)
    if len(upc) != 12:
        raise InvalidGtin(f"UPC-A has 12 digits, {upc!r} has {len(upc)}")
    return "0" + upc


def expand_upc_e(code: str) -> str:
    """Expand a UPC-E code to its 12-digit UPC-A.

    Accepts 6 digits (number system 0 assumed), 7 (number system + 6) or 8 (number
    system + 6 + check digit, which is verified). Number system must be 0 or 1.
    """
    code = code.strip()
    _require_digits(code, "UPC-E")
    if len(code) == 6:
        system, middle, check = "0", code, None
    elif len(code) in (7, 8):
        system, middle, check = code[0], code[1:7], code[7:] or None
    else:
        raise InvalidGtin(f"UPC-E {code!r} has {len(code)} digits; expected 6, 7 or 8")
    if system not in "01":
        raise InvalidGtin(f"UPC-E number system must be 0 or 1, not {system}")
    last = middle[5]
    if last in "012":
        body = middle[0:2] + last + "0000" + middle[2:5]
    elif last == "3":
        body = middle[0:3] + "00000" + middle[3:5]
    elif last == "4":
        body = middle[0:4] + "00000" + middle[4]
    else:
        body = middle[0:5] + "0000" + last
    upc_a = make_gtin(system + body)
    if check is not None and check != upc_a[-1]:
        raise InvalidGtin(f"UPC-E {code}: check digit should be {upc_a[-1]}, not {check}")
    return upc_a

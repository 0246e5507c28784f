"""Barcodes as typed or scanned (EAN-8/13, UPC-A/E, GTIN-14) to the GTIN-14s to look up."""

from __future__ import annotations

from app.domain.gtin import InvalidGtin, expand_upc_e, normalize_gtin

_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


def gtin_candidates(code: str) -> list[tuple[str, str]]:
    """(GTIN-14, symbology) pairs ``code`` may stand for, most likely first; raises
    InvalidGtin saying why.

    Eight digits are an EAN-8 or a UPC-E with its number system and check digit: both are
    returned when both check digits hold. Six or seven digits are UPC-E.
    """
    text = code.strip()
    if not text or not text.isascii() or not text.isdigit():
        raise InvalidGtin(f"barcode {text!r} must be digits only")
    found: list[tuple[str, str]] = []
    errors: list[str] = []
    if len(text) in _NAMES:
        try:
            found.append((normalize_gtin(text), _NAMES[len(text)]))
        except InvalidGtin as exc:
            errors.append(str(exc))
    if len(text) in (6, 7, 8):
        try:
            upc = normalize_gtin(expand_upc_e(text))
            if all(upc != gtin for gtin, _ in found):
                found.append((upc, "UPC-E"))
        except InvalidGtin as exc:
            errors.append(str(exc))
    if found:
        return found
    if errors:
        raise InvalidGtin(errors[0])
    raise InvalidGtin(f"barcode {text} has {len(text)} digits; expected 8, 12, 13 or 14")

"""What a scanned code means: a product (EAN/UPC/GTIN, GS1-128/DataMatrix, our own label, or a
plain SKU) with its unit and quantity, or a location that applies to the next items.

Our own Code 128 labels carry ``OP:<SKU>`` or ``OP:<SKU>:<UNIT>`` (``label_payload``); a label
with the bare SKU works too. Location and bin labels carry ``LOC:<code>``. Pure: the catalog
is read through ``Catalog``; nothing here knows Qt or the scanner device.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.gs1 import Gs1Data, Gs1Error, looks_like_gs1, parse_gs1
from app.domain.gtin import InvalidGtin
from app.quickorder.catalog import Catalog
from app.quickorder.codes import gtin_candidates
from app.store.catalog import ProductDetails

LABEL_PREFIX = "OP:"
LOCATION_PREFIX = "LOC:"
# AIM symbology identifiers a scanner may send first ("]E0" EAN-13, "]C0" Code 128 …);
# the GS1 ones ("]C1", "]d2", "]Q3", "]e0") are left for the GS1 parser.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_GS1_AIM = ("]C1", "]d2", "]Q3", "]e0", "]J1")
_CONTROL = re.compile(r"[\r\n\t\x00-\x1c\x1e\x1f]")


class ScanKind(StrEnum):
    PRODUCT = "product"
    LOCATION = "location"
    UNKNOWN = "unknown"  # a well-formed code no product carries
    INVALID = "invalid"  # a misread: wrong check digit, broken GS1 data


@dataclass(frozen=True, slots=True)
class ScanResult:
    """One resolved scan. ``ok`` only for an orderable product or a location.

    ``quantity`` is 1 unless the code carries a count (GS1 AI 30/37); ``unit`` is the unit
    the barcode stands for (a case GTIN: the case). ``via`` says how it was read.
    """

    code: str
    kind: ScanKind
    ok: bool
    message: str
    via: str = ""
    sku: str | None = None
    name: str | None = None
    unit: str | None = None
    quantity: Decimal = Decimal(1)
    location: str | None = None
    batch: str | None = None
    expiry: date | None = None
    serial: str | None = None
    replacement_sku: str | None = None


def label_payload(sku: str, unit: str | None = None) -> str:
    """The text of our own Code 128 label for ``sku`` (and a unit other than the base)."""
    text = f"{LABEL_PREFIX}{sku.strip()}"
    return f"{text}:{unit.strip().upper()}" if unit else text


def clean_code(raw: str) -> str:
    """The code without surrounding blanks, Enter/Tab suffixes and control characters
    (GS, the GS1 separator, is kept)."""
    return _CONTROL.sub("", raw).strip()


def resolve_scan(raw: str, catalog: Catalog) -> ScanResult:
    """Resolve one scanned code; never raises for bad input (the result says what is wrong)."""
    code = clean_code(raw)
    if not code:
        return ScanResult(raw, ScanKind.INVALID, False, "empty scan")
    upper = code.upper()
    if upper.startswith(LOCATION_PREFIX):
        place = code[len(LOCATION_PREFIX) :].strip()
        if not place:
            return ScanResult(code, ScanKind.INVALID, False, "location label without a code")
        return ScanResult(
            code, ScanKind.LOCATION, True, f"location {place}: next items go there",
            via="location label", location=place,
        )  # fmt: skip
    if upper.startswith(LABEL_PREFIX):
        return _label(code, code[len(LABEL_PREFIX) :].strip(), catalog)
    if _AIM.match(code) and not code.startswith(_GS1_AIM):
        code = code[3:]
    if looks_like_gs1(code):
        return _gs1(code, catalog)
    if code.isascii() and code.isdigit():
        product = catalog.product(code)  # a numeric SKU wins over a barcode reading
        if product is not None:
            return _product(code, product, product.base_unit, Decimal(1), "SKU")
        return _gtin(code, catalog)
    product = catalog.product(code)
    if product is not None:
        return _product(code, product, product.base_unit, Decimal(1), "SKU")
    return ScanResult(code, ScanKind.UNKNOWN, False, f"{code!r} is no item in your catalog")


def _label(code: str, payload: str, catalog: Catalog) -> ScanResult:
    product = catalog.product(payload)
    unit: str | None = None
    if product is None and ":" in payload:
        sku, _, unit = payload.rpartition(":")
        product = catalog.product(sku)
    if product is None:
        return ScanResult(code, ScanKind.UNKNOWN, False, f"label {payload!r}: no such item")
    if unit is not None and unit.strip().upper() not in {u.code for u in product.units}:
        return ScanResult(
            code, ScanKind.INVALID, False,
            f"label {payload!r}: {product.sku} is not sold in {unit}", sku=product.sku,
        )  # fmt: skip
    return _product(code, product, (unit or product.base_unit).upper(), Decimal(1), "label")


def _gtin(code: str, catalog: Catalog) -> ScanResult:
    try:
        candidates = gtin_candidates(code)
    except InvalidGtin as exc:
        return ScanResult(code, ScanKind.INVALID, False, f"misread? {exc}; scan again")
    for gtin, via in candidates:
        match = catalog.product_by_gtin(gtin)
        if match is not None:
            return _product(code, match.product, match.unit, Decimal(1), via)
    return ScanResult(code, ScanKind.UNKNOWN, False, f"no item in your catalog has barcode {code}")


def _gs1(code: str, catalog: Catalog) -> ScanResult:
    try:
        data = parse_gs1(code)
    except Gs1Error as exc:
        return ScanResult(code, ScanKind.INVALID, False, f"GS1 code not readable: {exc}")
    gtin = data.gtin or data.content_gtin
    if gtin is None:
        what = "a pallet label (SSCC)" if data.sscc else "no product number (AI 01/02)"
        return ScanResult(code, ScanKind.UNKNOWN, False, f"GS1 code with {what}; not an item")
    match = catalog.product_by_gtin(gtin)
    if match is None:
        return ScanResult(code, ScanKind.UNKNOWN, False, f"no item in your catalog has GTIN {gtin}")
    count = Decimal(data.count) if data.count else Decimal(1)
    result = _product(code, match.product, match.unit, count, "GS1")
    return _with_gs1(result, data)


def _with_gs1(result: ScanResult, data: Gs1Data) -> ScanResult:
    return replace(result, batch=data.batch, expiry=data.expiry, serial=data.serial)


def _product(
    code: str, product: ProductDetails, unit: str, quantity: Decimal, via: str
) -> ScanResult:
    if product.status != "active":
        text = f"{product.sku} is {product.status}"
        if product.replacement_sku:
            text += f"; replaced by {product.replacement_sku}"
        return ScanResult(
            code, ScanKind.PRODUCT, False, text, via=via, sku=product.sku, name=product.name,
            unit=unit, quantity=quantity, replacement_sku=product.replacement_sku,
        )  # fmt: skip
    return ScanResult(
        code, ScanKind.PRODUCT, True, f"{product.sku} {product.name}: +{quantity:f} {unit}",
        via=via, sku=product.sku, name=product.name, unit=unit, quantity=quantity,
    )  # fmt: skip

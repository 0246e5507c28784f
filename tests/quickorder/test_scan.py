"""Scan resolution: every code kind the scan path accepts, and the scan loop. (Telling a scan
from typing is the UI's ScanDetector: tests/ui/test_scanner.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.gtin import gtin_check_digit, make_gtin
from app.quickorder.replica_catalog import open_catalog
from app.quickorder.scan import ScanKind, ScanResult, label_payload, resolve_scan
from app.quickorder.scan_session import ScanSession
from app.store.replica import Replica
from tests.quickorder.helpers import (
    BOLT_BOX_GTIN,
    BOLT_EAN,
    GLOVE_CASE_GTIN,
    UPC_A,
    UPC_E,
    build_replica,
)

GS = "\x1d"
SSCC = "0" + "3" * 16 + str(gtin_check_digit("0" + "3" * 16))


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with build_replica(tmp_path) as opened:
        yield opened


def scan(replica: Replica, code: str) -> ScanResult:
    with open_catalog(replica) as catalog:
        return resolve_scan(code, catalog)


@pytest.mark.parametrize(
    ("code", "sku", "unit", "quantity", "via"),
    [
        (BOLT_EAN, "FAS-0001", "EA", 1, "EAN-13"),
        (f"]E0{BOLT_EAN}\r\n", "FAS-0001", "EA", 1, "EAN-13"),  # AIM id and Enter
        (BOLT_BOX_GTIN, "FAS-0001", "BX", 1, "GTIN-14"),  # a case barcode is the case unit
        (UPC_A, "FAS-0013", "EA", 1, "UPC-A"),
        (UPC_E, "TAPE-1", "EA", 1, "UPC-E"),
        (f"(01){BOLT_BOX_GTIN}(30)3", "FAS-0001", "BX", 3, "GS1"),
        (f"]C101{BOLT_BOX_GTIN}10LOT-7{GS}17271231303", "FAS-0001", "BX", 3, "GS1"),
        (f"(02){GLOVE_CASE_GTIN}(37)4", "GLV-L", "CS", 4, "GS1"),
        (label_payload("FAS-0002"), "FAS-0002", "EA", 1, "label"),
        (label_payload("GLV-L", "cs"), "GLV-L", "CS", 1, "label"),
        ("TOOL-200", "TOOL-200", "EA", 1, "SKU"),
        ("4711", "4711", "EA", 1, "SKU"),  # a numeric SKU is not read as a barcode
    ],
)
def test_codes_resolve_to_product_unit_and_quantity(
    replica: Replica, code: str, sku: str, unit: str, quantity: int, via: str
) -> None:
    result = scan(replica, code)
    assert result.ok and result.kind is ScanKind.PRODUCT, result.message
    assert (result.sku, result.unit, result.quantity, result.via) == (
        sku, unit, Decimal(quantity), via,
    )  # fmt: skip


def test_gs1_batch_and_expiry_travel_with_the_scan(replica: Replica) -> None:
    result = scan(replica, f"]C101{BOLT_BOX_GTIN}10LOT-7{GS}17271231")
    assert (result.batch, result.expiry.isoformat() if result.expiry else None) == (
        "LOT-7", "2027-12-31",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (BOLT_EAN[:-1] + str((int(BOLT_EAN[-1]) + 1) % 10), ScanKind.INVALID, "check digit"),
        (make_gtin("400999999999"), ScanKind.UNKNOWN, "no item in your catalog has barcode"),
        (f"(01)0{BOLT_EAN}(99)x", ScanKind.INVALID, "unknown AI"),
        ("(00)" + SSCC, ScanKind.UNKNOWN, "pallet label"),
        (label_payload("FAS-0002", "KG"), ScanKind.INVALID, "not sold in KG"),
        ("OP:NOPE", ScanKind.UNKNOWN, "no such item"),
        ("hello", ScanKind.UNKNOWN, "no item in your catalog"),
        ("LOC:", ScanKind.INVALID, "without a code"),
        ("\r\n", ScanKind.INVALID, "empty"),
    ],
)
def test_misreads_and_unknown_codes_say_why(
    replica: Replica, code: str, kind: ScanKind, words: str
) -> None:
    result = scan(replica, code)
    assert not result.ok and result.kind is kind and words in result.message


def test_a_discontinued_item_names_its_replacement(replica: Replica) -> None:
    result = scan(replica, "OP:TOOL-100")
    assert not result.ok and result.replacement_sku == "TOOL-200"
    assert result.message == "TOOL-100 is discontinued; replaced by TOOL-200"


def test_the_scan_loop_adds_repeats_and_applies_the_location(replica: Replica) -> None:
    session = ScanSession()
    events = [
        session.apply(scan(replica, code))
        for code in (BOLT_EAN, BOLT_EAN, BOLT_BOX_GTIN, "LOC:Bay 4", BOLT_EAN, "bad!", BOLT_EAN)
    ]
    assert [e.message for e in events] == [
        "line 1: FAS-0001 1 EA",
        "line 1: FAS-0001 now 2 EA",
        "line 2: FAS-0001 1 BX",
        "location Bay 4: next items go there",
        "line 3: FAS-0001 1 EA at Bay 4",
        "'bad!' is no item in your catalog",
        "line 3: FAS-0001 now 2 EA",
    ]
    assert [(li.sku, li.unit, li.quantity, li.location, li.scans) for li in session.lines] == [
        ("FAS-0001", "EA", Decimal(2), None, 2),
        ("FAS-0001", "BX", Decimal(1), None, 1),
        ("FAS-0001", "EA", Decimal(2), "Bay 4", 2),
    ]
    assert [e.added for e in events] == [True, False, True, False, True, False, False]

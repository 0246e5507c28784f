"""Checking quick-order lines against a real replica: one outcome per row, with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.quantity import QuantityPolicy
from app.quickorder.lines import Field, LineInput, LineStatus, Problem, QuickOrderReport, Reason
from app.quickorder.replica_catalog import open_catalog
from app.quickorder.validate import check_lines
from app.store import partnumbers
from app.store.replica import Replica
from tests.quickorder.helpers import BOLT_BOX_GTIN, TODAY, build_replica


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with build_replica(tmp_path) as opened:
        yield opened


def check(
    replica: Replica, *inputs: LineInput, policy: QuantityPolicy = QuantityPolicy.FLAG
) -> QuickOrderReport:
    with open_catalog(replica) as catalog:
        return check_lines(list(inputs), catalog, on=TODAY, policy=policy)


def line(row: int, sku: str | None, qty: Decimal | str | None = "1", **more: object) -> LineInput:
    return LineInput(row=row, source=f"{sku} {qty}", sku=sku, quantity=qty, **more)  # type: ignore[arg-type]


def reasons(report: QuickOrderReport, index: int = 0) -> list[Reason]:
    return [problem.reason for problem in report.lines[index].problems]


def test_a_good_line_is_priced_with_its_explanation(replica: Replica) -> None:
    report = check(replica, line(1, " fas-0001 ", "10"))
    (result,) = report.lines
    assert result.status is LineStatus.OK and result.message == ""
    assert (result.sku, result.name, result.quantity, result.unit) == (
        "FAS-0001", "Hex bolt M8x40", Decimal(10), "EA",
    )  # fmt: skip
    assert result.unit_price == Decimal("0.4500") and result.line_total == Decimal("4.50")
    assert result.price_explanation == "price list STD" and result.currency == "EUR"
    assert report.total == Decimal("4.50") and not report.has_errors


def test_duplicates_merge_case_insensitively_and_keep_every_row(replica: Replica) -> None:
    report = check(
        replica,
        line(1, "FAS-0001", "600"),
        line(2, "TOOL-200", "1"),
        line(3, "fas-0001", "400", unit="ea"),
        line(4, "FAS-0001", "1", unit="BX"),
    )
    merged, drill, box = report.lines
    assert merged.rows == (1, 3) and merged.quantity == Decimal(1000)
    assert merged.row_quantities == (Decimal(600), Decimal(400))
    # The volume tier applies to the merged quantity, and says so.
    assert merged.unit_price == Decimal("0.4000") and merged.status is LineStatus.WARNING
    assert reasons(report) == [Reason.TIER_PRICE]
    assert "rows 1, 3 merged: 1000 EA in total" in merged.message
    assert box.rows == (4,) and box.unit == "BX" and box.unit_price == Decimal("45.0000")
    assert drill.price_explanation == "contract C-12 price, valid until 2026-12-31"
    assert [(o.row, o.requested, o.merged_with) for o in report.rows()] == [
        (1, Decimal(600), (3,)), (2, Decimal(1), ()), (3, Decimal(400), (1,)), (4, Decimal(1), ()),
    ]  # fmt: skip
    assert report.counts() == {"ok": 2, "warning": 2, "error": 0, "skipped": 0}


def test_unknown_sku_suggests_close_matches(replica: Replica) -> None:
    report = check(replica, line(1, "FAS-0031"), line(2, "hex bolt"), line(3, "ZZZ-999"))
    typo, words, nothing = report.lines
    assert typo.status is LineStatus.ERROR and reasons(report) == [Reason.UNKNOWN_ITEM]
    # One slip away each: a swapped pair (0013) and a wrong digit (0001).
    assert {"FAS-0013", "FAS-0001"} <= {s.sku for s in typo.suggestions}
    assert len(typo.suggestions) <= 3 and "did you mean FAS-0001, FAS-0013" in typo.message
    assert [s.sku for s in words.suggestions] == ["FAS-0001"]
    assert nothing.suggestions == () and "not in your catalog" in nothing.message


def test_discontinued_names_its_replacement(replica: Replica) -> None:
    (result,) = check(replica, line(1, "TOOL-100")).lines
    assert result.status is LineStatus.ERROR and result.replacement_sku == "TOOL-200"
    assert result.problems[0].reason is Reason.DISCONTINUED
    assert result.message == "TOOL-100 is discontinued; replaced by TOOL-200 (Cordless drill 18V)"
    assert [s.sku for s in result.suggestions] == ["TOOL-200"]


@pytest.mark.parametrize(
    ("qty", "reason", "status"),
    [
        ("abc", Reason.INVALID_QUANTITY, LineStatus.ERROR),
        ("-2", Reason.INVALID_QUANTITY, LineStatus.ERROR),
        ("0", Reason.ZERO_QUANTITY, LineStatus.SKIPPED),
        (None, Reason.NO_QUANTITY, LineStatus.SKIPPED),
        ("1,000", Reason.NUMBER_READ_AS, LineStatus.WARNING),
        ("2,5", Reason.QUANTITY_RULE, LineStatus.ERROR),  # bolts are whole pieces
    ],
)
def test_quantity_outcomes(
    replica: Replica, qty: str | None, reason: Reason, status: LineStatus
) -> None:
    report = check(replica, line(1, "FAS-0001", qty))
    assert report.lines[0].status is status
    assert reason in reasons(report)


def test_pack_rule_is_flagged_or_corrected_by_policy(replica: Replica) -> None:
    flagged = check(replica, line(1, "FAS-0002", "10")).lines[0]
    assert flagged.status is LineStatus.ERROR and flagged.problems[0].reason is Reason.QUANTITY_RULE
    assert "Sold in multiples of 12 EA" in flagged.message and flagged.quantity == Decimal(10)
    fixed = check(replica, line(1, "FAS-0002", "10"), policy=QuantityPolicy.AUTO_CORRECT).lines[0]
    assert fixed.status is LineStatus.WARNING and fixed.corrected
    assert (fixed.requested, fixed.quantity, fixed.unit) == (Decimal(10), Decimal(12), "EA")
    assert fixed.message.startswith("rounded up to 12 EA")
    assert fixed.line_total == Decimal("2.16")


def test_the_same_quantity_is_checked_against_each_products_own_rule(replica: Replica) -> None:
    # A quantity is checked once per pack rule and units: FAS-0002 sells in twelves, the
    # others in single pieces.
    report = check(
        replica,
        *(line(row, sku, "10") for row, sku in enumerate(["FAS-0013", "FAS-0002", "FAS-0014"], 1)),
        policy=QuantityPolicy.AUTO_CORRECT,
    )
    assert [(result.sku, result.quantity, result.corrected) for result in report.lines] == [
        ("FAS-0013", Decimal(10), False),
        ("FAS-0002", Decimal(12), True),
        ("FAS-0014", Decimal(10), False),
    ]


def test_stock_short_as_of_the_last_sync_is_a_warning(replica: Replica) -> None:
    (result,) = check(replica, line(1, "FAS-0002", "3", unit="BX")).lines
    assert result.status is LineStatus.WARNING
    assert result.message == (
        "only 24 EA in stock as of 2026-11-23 10:00 UTC (last sync); 36 EA ordered"
    )


def test_units_by_code_word_or_barcode(replica: Replica) -> None:
    report = check(
        replica,
        line(1, "GLV-L", "2", unit="Karton"),
        line(2, "GLV-L", "2", unit="pairs"),
        line(3, "FAS-0001", "2", unit="pallet"),
        LineInput(row=4, source="box gtin", barcode=BOLT_BOX_GTIN, quantity="2"),
    )
    cases, pairs, bad, boxes = report.lines
    assert (cases.unit, cases.unit_price) == ("CS", Decimal("36.0000"))
    assert "unit 'Karton' read as CS" in cases.message
    assert pairs.unit == "PR"
    assert bad.status is LineStatus.ERROR and bad.problems[0] == Problem(
        Reason.UNKNOWN_UNIT, "FAS-0001 is not sold in 'pallet'; units: EA, BX", Field.UNIT
    )
    assert (boxes.sku, boxes.unit, boxes.quantity) == ("FAS-0001", "BX", Decimal(2))


def test_numeric_skus_barcodes_in_the_sku_column_and_lost_zeros(replica: Replica) -> None:
    report = check(
        replica,
        line(1, "4711", Decimal(3)),
        line(2, "1234", Decimal(5)),
        line(3, "036000291452", Decimal(1)),
    )
    cloth, tie, washer = report.lines
    assert cloth.sku == "4711" and cloth.status is LineStatus.OK
    assert tie.sku == "001234" and tie.status is LineStatus.WARNING
    assert tie.problems[0].reason is Reason.ZEROS_RESTORED
    assert washer.sku == "FAS-0013" and "barcode of FAS-0013" in washer.message


def test_part_numbers_resolve_once_learned(replica: Replica) -> None:
    source = LineInput(row=1, source="P-77", part_number="P-77", quantity="4")
    assert check(replica, source).lines[0].problems[0].reason is Reason.UNKNOWN_PART_NUMBER
    partnumbers.learn(replica, "p-77", "FAS-0014")
    (result,) = check(replica, source, line(2, "P-77", "1")).lines[:1]
    assert result.sku == "FAS-0014" and result.quantity == Decimal(5)
    assert "your part number P-77 is FAS-0014" in result.message


def test_rows_without_items_or_prices(replica: Replica) -> None:
    report = check(
        replica,
        LineInput(row=1, source="12", quantity="12"),
        LineInput(row=2, source="note only", note="call first"),
        line(3, "NOPRICE-1", "1"),
        line(4, "CBL-5", "2,5"),
    )
    no_item, note, no_price, cable = report.lines
    assert no_item.status is LineStatus.ERROR and no_item.problems[0].reason is Reason.NO_ITEM
    assert note.status is LineStatus.SKIPPED
    assert no_price.status is LineStatus.ERROR and "no price for NOPRICE-1" in no_price.message
    assert cable.status is LineStatus.OK and cable.quantity == Decimal("2.5")
    assert cable.line_total == Decimal("5.00")

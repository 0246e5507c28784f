"""Golden tests: messy buyer files imported through the service, row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.quickorder.lines import Field, LineStatus, QuickOrderReport, Reason
from app.services.quickorder import QuickOrderService
from app.services.workspace import Workspace, WorkspaceError
from tests.quickorder.helpers import TODAY, build_replica
from tests.quickorder.workbooks import build

Row = tuple[int, str, str | None, str | None, str | None]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    build_replica(tmp_path / "data").close()
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    with Workspace(tmp_path / "data", clock=lambda: noon) as opened:
        yield opened


@pytest.fixture
def service(workspace: Workspace) -> QuickOrderService:
    return QuickOrderService(workspace)


def rows(report: QuickOrderReport | None) -> list[Row]:
    """(row, status, sku, quantity, unit) per input row."""
    assert report is not None
    return [
        (o.row, o.status.value, o.line.sku, _text(o.line.quantity), o.line.unit)
        for o in report.rows()
    ]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def reasons_by_row(report: QuickOrderReport | None) -> dict[int, list[Reason]]:
    assert report is not None
    return {o.row: [p.reason for p in o.line.problems] for o in report.rows()}


@pytest.mark.parametrize("name", ["site-order.xlsx", "site-order-excel.xlsx"])
def test_site_order_with_title_block_hidden_rows_formulas_and_totals(
    service: QuickOrderService, workspace: Workspace, tmp_path: Path, name: str
) -> None:
    outcome = service.import_file(build(name, tmp_path), cart="Nord")
    preview = outcome.preview
    assert (preview.sheet, preview.sheet_names) == ("Bestellung", ("Info", "Bestellung"))
    assert preview.mapping is not None and preview.mapping.header_row == 4
    assert preview.mapping.columns == {
        Field.SKU: 1, Field.QUANTITY: 3, Field.UNIT: 4, Field.NOTE: 5,
    }  # fmt: skip
    assert rows(outcome.report) == [
        (5, "ok", "FAS-0001", "15", "EA"),  # merged with row 10 ("Stk" is EA)
        (6, "ok", "001234", "100", "EA"),  # a number cell formatted 000000
        (7, "ok", "4711", "3", "EA"),
        (9, "warning", "FAS-0013", "50", "EA"),  # hidden
        (10, "ok", "FAS-0001", "15", "EA"),
        (11, "error", "TOOL-100", "1", "EA"),
        (12, "error", "FAS-9999", "2", None),
        (13, "error", "FAS-0002", None, "EA"),
        (14, "error", "GLV-L", "2.5", "CS"),
        (15, "skipped", "FAS-0002", None, "EA"),
        (16, "skipped", None, None, None),  # the total, a formula without a saved value
    ]
    why = reasons_by_row(outcome.report)
    assert why[9] == [Reason.HIDDEN_ROW]
    assert why[11] == [Reason.DISCONTINUED]
    assert why[12] == [Reason.UNKNOWN_ITEM]
    assert why[13] == [Reason.UNREADABLE_CELL]
    assert why[14] == [Reason.QUANTITY_RULE]
    assert why[15] == [Reason.ZERO_QUANTITY]
    assert why[16] == [Reason.NOT_AN_ITEM]
    assert outcome.report is not None
    row13 = next(o for o in outcome.report.rows() if o.row == 13).line
    assert row13.message == "formula without a saved value: open and save the file in Excel"
    # The good rows are in the cart, each merged line once, queued for the server.
    assert outcome.cart == "Nord" and len(outcome.added) == 4
    view = workspace.cart("Nord")
    assert [(li.sku, li.quantity, li.unit) for li in view.lines] == [
        ("FAS-0001", Decimal(15), "EA"), ("001234", Decimal(100), "EA"),
        ("4711", Decimal(3), "EA"), ("FAS-0013", Decimal(50), "EA"),
    ]  # fmt: skip
    assert [e.name for e in workspace.outbox_entries()].count("cart.set_line") == 4


def test_formula_cells_use_their_saved_values(service: QuickOrderService, tmp_path: Path) -> None:
    outcome = service.import_file(build("formulas-with-saved-values.xlsx", tmp_path), dry_run=True)
    assert rows(outcome.report) == [
        (2, "ok", "FAS-0001", "100", "EA"),
        (3, "ok", "FAS-0014", "30", "EA"),
    ]


def test_item_numbers_stored_as_numbers_keep_their_digits(
    service: QuickOrderService, tmp_path: Path
) -> None:
    outcome = service.import_file(build("numbers-as-numbers.xlsx", tmp_path), dry_run=True)
    assert rows(outcome.report) == [
        (2, "ok", "FAS-0001", "3", "EA"),  # an EAN-13 typed as a number, not 4.00000E+12
        (3, "ok", "FAS-0001", "1", "BX"),  # the box GTIN-14, stored as a float
        (4, "ok", "4711", "2", "EA"),  # 4711.0 read as 4711
        (5, "error", "TAPE-1", "1.5", "EA"),
    ]


def test_german_windows_1252_csv_with_decimal_commas(
    service: QuickOrderService, tmp_path: Path
) -> None:
    outcome = service.import_file(build("german-windows-1252.csv", tmp_path), dry_run=True)
    assert outcome.preview.notes == ("encoding windows-1252", "delimiter semicolon")
    assert rows(outcome.report) == [
        (3, "warning", "FAS-0001", "1000", "EA"),  # "1.000" in a German file; tier price
        (4, "ok", "CBL-5", "12.5", "M"),
        (5, "ok", "001234", "20", "EA"),  # text keeps its zeros
        (7, "ok", "FAS-0014", "3", "EA"),
    ]
    assert reasons_by_row(outcome.report)[3] == [Reason.NUMBER_READ_AS, Reason.TIER_PRICE]
    assert outcome.report is not None
    assert outcome.report.rows()[0].line.inputs[0].note == "Größe M8; verzinkt"


def test_platform_templates(service: QuickOrderService, tmp_path: Path) -> None:
    sku_qty = service.import_file(build("sku-qty-template.csv", tmp_path), dry_run=True)
    assert rows(sku_qty.report) == [
        (2, "ok", "FAS-0001", "20", "EA"),
        (3, "ok", "TOOL-200", "1", "EA"),
        (4, "ok", "FAS-0001", "20", "EA"),
    ]
    items = service.import_file(build("item-number-template.csv", tmp_path), dry_run=True)
    assert rows(items.report) == [
        (2, "ok", "FAS-0002", "2", "BX"),
        (3, "error", "1.23457E+12", "4", "EA"),
        (4, "ok", "GLV-L", "1", "CS"),
    ]
    assert "scientific notation" in items.report.rows()[1].line.message  # type: ignore[union-attr]


def test_an_unknown_layout_is_asked_once_then_remembered(
    service: QuickOrderService, workspace: Workspace, tmp_path: Path
) -> None:
    path = build("unknown-layout.csv", tmp_path)
    first = service.import_file(path)
    assert first.report is None and first.preview.needs_mapping and first.added == ()
    choices = {c.letter: (c.header, c.samples, c.guess) for c in first.preview.detection.columns}
    assert choices["B"] == ("Code", ("FAS-0001", "FAS-0014", "TOOL-200"), Field.SKU)
    assert choices["D"][2] is Field.QUANTITY
    assert workspace.outbox_entries() == []
    answered = service.import_file(path, mapping="sku=B,qty=D", dry_run=True)
    assert answered.preview.mapping_source == "given"
    assert [r[2:4] for r in rows(answered.report)] == [
        ("FAS-0001", "12"), ("FAS-0014", "30"), ("TOOL-200", "1"),
    ]  # fmt: skip
    # A new file of the same layout imports without asking.
    later = tmp_path / "next-week.csv"
    later.write_text("Pos|Code|Text|Anz\n1|FAS-0002|Mutter|24\n", encoding="utf-8")
    again = service.import_file(later, dry_run=True)
    assert again.preview.mapping_source == "remembered"
    assert rows(again.report) == [(2, "ok", "FAS-0002", "24", "EA")]


def test_dry_run_changes_nothing_and_bad_input_is_explained(
    service: QuickOrderService, workspace: Workspace, tmp_path: Path
) -> None:
    outcome = service.import_file(build("site-order.xlsx", tmp_path), dry_run=True)
    assert outcome.dry_run and outcome.cart is None and outcome.added == ()
    assert workspace.outbox_entries() == [] and workspace.carts() == []
    with pytest.raises(WorkspaceError, match="no sheet 'Orders'"):
        service.import_file(tmp_path / "site-order.xlsx", sheet="Orders")
    with pytest.raises(WorkspaceError, match="unknown field"):
        service.import_file(tmp_path / "site-order.xlsx", mapping="colour=B")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(WorkspaceError, match="not an Excel workbook"):
        service.import_file(broken)
    with pytest.raises(WorkspaceError, match="no file"):
        service.import_file(tmp_path / "missing.csv")


def test_every_row_is_reported_even_when_nothing_can_be_ordered(
    service: QuickOrderService, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("SKU;Qty;Note\nNOPE-1;3;\n;;only a note\n;7;\nTotal;10;\n", encoding="utf-8")
    outcome = service.import_file(path, dry_run=True)
    assert [(r[0], r[1]) for r in rows(outcome.report)] == [
        (2, "error"), (3, "skipped"), (4, "error"), (5, "skipped"),
    ]  # fmt: skip
    assert outcome.report is not None and outcome.report.has_errors
    assert outcome.report.lines[0].status is LineStatus.ERROR

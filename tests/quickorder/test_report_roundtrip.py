"""The round-trip report: the buyer's own workbook with statuses, fixed and imported again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.services.quickorder import QuickOrderService
from app.services.workspace import Workspace
from tests.quickorder.helpers import TODAY, build_replica
from tests.quickorder.workbooks import build

RED, AMBER = "FFC7CE", "FFEB9C"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[QuickOrderService]:
    build_replica(tmp_path / "data").close()
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    with Workspace(tmp_path / "data", clock=lambda: noon) as workspace:
        yield QuickOrderService(workspace)


def fill(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.fgColor.rgb)[-6:]


def statuses(path: Path, sheet: str, column: str) -> dict[int, str]:
    ws = load_workbook(path)[sheet]
    return {
        cell.row: str(cell.value) for cell in ws[column] if cell.value is not None and cell.row > 4
    }


def test_the_report_annotates_the_buyers_workbook_and_a_fixed_copy_imports(
    service: QuickOrderService, tmp_path: Path
) -> None:
    source = build("site-order.xlsx", tmp_path)
    report_path = tmp_path / "out" / "site-order-report.xlsx"
    first = service.import_file(source, dry_run=True, report_to=report_path)
    assert first.report_path == report_path and first.report is not None
    expected = {o.row: o.status.value for o in first.report.rows()}
    assert statuses(report_path, "Bestellung", "G") == expected

    book = load_workbook(report_path)
    ws = book["Bestellung"]
    assert (ws["G4"].value, ws["H4"].value) == ("Orderpad status", "Orderpad message")
    assert ws["H12"].value.startswith("unknown item number 'FAS-9999'")
    assert fill(ws["B11"]) == RED and fill(ws["B12"]) == RED  # discontinued, unknown
    assert fill(ws["D13"]) == RED and fill(ws["D14"]) == RED  # formula, 2.5 cases
    assert fill(ws["B9"]) == AMBER and fill(ws["B5"]) is None  # hidden row; a good row
    assert fill(ws["G11"]) == RED and fill(ws["G5"]) == "C6EFCE"
    # The rest of the buyer's workbook is as it was.
    assert book.sheetnames == ["Info", "Bestellung"]
    assert ws["D16"].value == "=SUM(D5:D15)" and ws.row_dimensions[9].hidden
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["B6"].value == 1234 and ws["B6"].number_format == "000000"

    # The buyer fixes the cells that were red in the file they know, and imports it again.
    ws["B11"] = "TOOL-200"
    ws["B12"] = "FAS-0014"
    ws["D13"] = 24
    ws["D14"] = 3
    fixed = tmp_path / "site-order-fixed.xlsx"
    book.save(fixed)
    second_report = tmp_path / "out" / "again.xlsx"
    second = service.import_file(fixed, report_to=second_report)
    assert second.preview.mapping_source == "detected"
    assert second.report is not None and not second.report.has_errors
    assert {o.row: o.status.value for o in second.report.rows()} == {
        5: "ok", 6: "ok", 7: "ok", 9: "warning", 10: "ok", 11: "ok", 12: "ok", 13: "ok",
        14: "ok", 15: "skipped", 16: "skipped",
    }  # fmt: skip
    again = load_workbook(second_report)["Bestellung"]
    assert again.max_column == 8  # the status columns were reused, not added again
    assert fill(again["B11"]) is None and fill(again["D14"]) is None  # old red cleared
    assert statuses(second_report, "Bestellung", "G")[11] == "ok"


def test_a_csv_report_is_a_workbook_with_the_same_text(
    service: QuickOrderService, tmp_path: Path
) -> None:
    report_path = tmp_path / "german-report.xlsx"
    outcome = service.import_file(
        build("german-windows-1252.csv", tmp_path), dry_run=True, report_to=report_path
    )
    assert outcome.report is not None
    ws = load_workbook(report_path).active
    assert ws["A5"].value == "001234" and ws["B4"].value == "12,5"
    assert (ws["E2"].value, ws["E3"].value, ws["F3"].value) == (
        "Orderpad status", "warning", "read '1.000' as 1000; volume price: price list STD "
        "tier 1000+; unit 'Stück' read as EA",
    )  # fmt: skip
    assert fill(ws["B3"]) == AMBER
    reread = service.import_file(report_path, dry_run=True)
    assert [o.status.value for o in reread.report.rows()] == [  # type: ignore[union-attr]
        "warning", "ok", "ok", "ok",
    ]  # fmt: skip

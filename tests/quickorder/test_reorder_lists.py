"""Reorder a past order and saved lists: partial success with a reason per line left out;
lists exported and printed as labels the scan path reads back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.quickorder.replica_catalog import open_catalog
from app.quickorder.scan import resolve_scan
from app.services.quickorder import QuickOrderService
from app.services.workspace import Workspace, WorkspaceError
from app.store import carts
from tests.quickorder.helpers import TODAY, build_replica
from tests.store.helpers import page, row


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    replica = build_replica(tmp_path / "data")
    server_order = {
        "client_order_id": "7b0c4c8e-0000-4000-8000-000000000001", "number": "SO-1001",
        "status": "shipped", "created_at": "2026-10-01T09:00:00+00:00", "lines": [
            {"line_no": 1, "sku": "FAS-0001", "quantity": "200", "unit": "EA"},
            {"line_no": 2, "sku": "TOOL-100", "quantity": "1", "unit": "EA"},
            {"line_no": 3, "sku": "GONE-1", "quantity": "5", "unit": "EA"},
            {"line_no": 4, "sku": "FAS-0002", "quantity": "4", "unit": "BX"},
        ],
    }  # fmt: skip
    replica.apply_page(
        page("account:9", [row("order", server_order["client_order_id"], 1, server_order)],
             start=0)
    )  # fmt: skip
    replica.close()
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    with Workspace(tmp_path / "data", clock=lambda: noon) as opened:
        yield opened


@pytest.fixture
def service(workspace: Workspace) -> QuickOrderService:
    return QuickOrderService(workspace)


def test_reorder_adds_what_it_can_and_says_why_not_the_rest(
    service: QuickOrderService, workspace: Workspace
) -> None:
    outcome = service.reorder("SO-1001", cart="Again")
    by_row = {o.row: o for o in outcome.report.rows()}
    assert by_row[1].status.value == "ok"
    assert by_row[2].status.value == "error" and by_row[2].line.replacement_sku == "TOOL-200"
    assert "discontinued; replaced by TOOL-200" in by_row[2].line.message
    assert by_row[3].status.value == "error" and "not in your catalog" in by_row[3].line.message
    assert by_row[4].status.value == "warning" and "in stock as of" in by_row[4].line.message
    assert [(li.sku, li.quantity, li.unit) for li in workspace.cart("Again").lines] == [
        ("FAS-0001", Decimal(200), "EA"), ("FAS-0002", Decimal(4), "BX"),
    ]  # fmt: skip
    with pytest.raises(WorkspaceError, match="no order 'SO-9'"):
        service.reorder("SO-9")


def test_a_queued_order_can_be_reordered_by_its_id(
    service: QuickOrderService, workspace: Workspace
) -> None:
    cart_id = workspace.cart_id("Site", create=True)
    carts.add_to_cart(workspace.replica, cart_id, "FAS-0014", Decimal(7), "EA")
    order_id = carts.submit_cart(
        workspace.replica, cart_id, po_number=None, ship_to=None, requested_date=None, note=None
    )
    outcome = service.reorder(order_id, dry_run=True)
    assert [(o.row, o.line.sku, o.line.quantity) for o in outcome.report.rows()] == [
        (1, "FAS-0014", Decimal(7))
    ]


def test_saved_lists_from_cart_order_and_file_then_ordered_and_exported(
    service: QuickOrderService, workspace: Workspace, tmp_path: Path
) -> None:
    service.paste("FAS-0001 12\nGLV-L 2 CS\n", cart="Weekly")
    weekly = service.save_list_from_cart("Weekly basics", cart="Weekly", shared=True)
    assert (weekly.name, weekly.line_count, weekly.shared) == ("Weekly basics", 2, True)
    from_order = service.save_list_from_order("Last big order", order="SO-1001")
    assert from_order.line_count == 4  # kept as ordered; checked when it is ordered
    source = tmp_path / "list.csv"
    source.write_text("SKU;Qty;Note\nFAS-0013;100;bin 4\nNOPE;1;\n", encoding="utf-8")
    from_file, outcome = service.save_list_from_file("From file", path=source)
    assert from_file is not None and from_file.line_count == 1
    assert [o.status.value for o in outcome.report.rows()] == ["ok", "error"]  # type: ignore[union-attr]
    assert service.list_lines("from file")[0].note == "bin 4"
    assert [item.name for item in service.lists()] == [
        "From file", "Last big order", "Weekly basics",
    ]  # fmt: skip
    with pytest.raises(WorkspaceError, match="exists already"):
        service.save_list_from_cart("weekly BASICS", cart="Weekly")

    ordered = service.order_list("Last big order", cart="From list")
    assert [o.status.value for o in ordered.report.rows()] == ["ok", "error", "error", "warning"]
    assert len(ordered.added) == 2

    exported = service.export_list("Weekly basics", tmp_path / "weekly.xlsx")
    again = service.import_file(exported, dry_run=True)
    assert again.preview.mapping_source == "detected"
    assert [(o.line.sku, o.line.quantity, o.line.unit) for o in again.report.rows()] == [  # type: ignore[union-attr]
        ("FAS-0001", Decimal(12), "EA"), ("GLV-L", Decimal(2), "CS"),
    ]  # fmt: skip
    service.delete_list("Weekly basics")
    with pytest.raises(WorkspaceError, match="no saved list"):
        service.list_lines("Weekly basics")


def test_label_sheet_encodes_codes_the_scan_path_reads(
    service: QuickOrderService, workspace: Workspace, tmp_path: Path
) -> None:
    from app.label_sheet import write_labels

    items = [("FAS-0001", "EA"), ("GLV-L", "CS"), ("001234", "EA")] * 9  # 27: two pages
    labels = service.labels_for(items)
    assert [label.payload for label in labels[:3]] == ["OP:FAS-0001", "OP:GLV-L:CS", "OP:001234"]
    pdf = write_labels(tmp_path / "labels.pdf", labels, title="Shelf A")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 2
    with open_catalog(workspace.replica) as catalog:
        resolved = [resolve_scan(label.payload, catalog) for label in labels[:3]]
    assert [(r.ok, r.sku, r.unit) for r in resolved] == [
        (True, "FAS-0001", "EA"), (True, "GLV-L", "CS"), (True, "001234", "EA"),
    ]  # fmt: skip
    with pytest.raises(WorkspaceError, match="unknown SKU"):
        service.labels_for([("NOPE", "EA")])

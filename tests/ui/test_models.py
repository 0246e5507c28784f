"""Every table model passes pytest-qt's model tester, with rows in it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services.quickorder import (
    ColumnChoice,
    Field,
    LineInput,
    LineResult,
    LineStatus,
    Problem,
    QuickOrderReport,
    Reason,
    SavedList,
)
from app.services.workspace import CartView, PricedCartLine, Workspace
from app.ui.carts import carts_model
from app.ui.catalog_model import CatalogModel
from app.ui.column_mapping import columns_model
from app.ui.import_report import report_rows_model, rows_by_concern
from app.ui.lines_model import LinesModel
from app.ui.lists import lists_model
from app.ui.main_window import MainWindow
from app.ui.order_detail import order_line_rows
from app.ui.orders import order_lines_model, orders_model
from app.ui.sync_centre import area_model, outbox_model
from tests.ui import fixtures
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    sample_lines,
    wait_for,
)

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_lines_model(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, data_dir
) -> None:
    lines = sample_lines(data_dir, 5)
    window.quick.pad.paste("\n".join(f"{sku} {qty}" for sku, qty in lines))
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 5)
    qtmodeltester.check(window.quick.model, force_py=True)


def test_catalog_model_fetches_rows_lazily(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    window: MainWindow,
) -> None:
    model = CatalogModel(window.ctx.ops)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        skus = [hit.sku for hit in ws.search_products("", limit=250)]
    model.set_skus(skus)
    assert model.product(0) is None  # nothing fetched before it is shown
    assert model.data(model.index(0, 1)) == "…"
    with qtbot.waitSignal(model.rows_loaded):
        pass
    assert model.product(0) is not None and model.product(150) is None  # one block only
    qtmodeltester.check(model, force_py=True)
    model.data(model.index(249, 1))  # shown: its block is fetched
    wait_for(qtbot, window, lambda: model.product(249) is not None)
    model.mark_stale()
    qtmodeltester.check(model, force_py=True)
    window.ctx.ops.wait_idle()


def test_row_models(qtmodeltester: ModelTester, window: MainWindow, data_dir) -> None:
    with Workspace(data_dir) as ws:
        orders = ws.orders()
        detail = ws.order(orders[0].client_order_id)
        status = ws.status()
        ws.add_to_cart(*sample_lines(data_dir, 1)[0])
        entries = ws.outbox_entries()
        carts = ws.carts()
    for model, rows in (
        (orders_model(), orders),
        (order_lines_model(), order_line_rows(detail)),
        (area_model(window.ctx.settings.stale_after), status.areas),
        (outbox_model(), entries),
        (carts_model(), carts),
    ):
        assert rows
        model.set_rows(rows)  # type: ignore[attr-defined]
        qtmodeltester.check(model, force_py=True)


def test_report_lists_and_column_models(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    """The models of the import report, the saved lists and the column-mapping dialog."""
    good = LineInput(row=2, source="FAS-1 5", sku="FAS-1", quantity=Decimal(5))
    bad = LineInput(row=1, source="NOPE 1", sku="NOPE", quantity=Decimal(1))
    report = QuickOrderReport(
        (
            LineResult((good,), LineStatus.OK, (Decimal(5),), "FAS-1", "Screw",
                       Decimal(5), "EA", Decimal(5)),
            LineResult((bad,), LineStatus.ERROR, (Decimal(1),), "NOPE",
                       problems=(Problem(Reason.UNKNOWN_ITEM, "not in your catalog"),)),
        )
    )  # fmt: skip
    rows = rows_by_concern(report)
    assert [r.row for r in rows] == [1, 2]  # the problem first
    saved = SavedList("l1", "Weekly", False, None, "2026-11-20T10:00:00+00:00",
                      "2026-11-21T10:00:00+00:00", 3)  # fmt: skip
    column = ColumnChoice(2, "C", "Item", ("FAS-1", "FAS-2"), Field.SKU)
    for model, items in (
        (report_rows_model(), rows),
        (lists_model(), [saved]),
        (columns_model(), [column]),
    ):
        model.set_rows(items)  # type: ignore[attr-defined]
        qtmodeltester.check(model, force_py=True)


def test_lines_model_appends_without_a_reset(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    """A scan adds a line at the end or changes one: rows are signalled, not reset."""

    def line(n: int, qty: int) -> PricedCartLine:
        return PricedCartLine(f"l{n}", f"SKU-{n}", "Thing", Decimal(qty), "EA", Decimal(1),
                              Decimal(qty), "list price", [])  # fmt: skip

    def cart(*lines: PricedCartLine) -> CartView:
        total = sum((li.line_total or Decimal(0) for li in lines), Decimal(0))
        return CartView("c1", "Default", "open", "EUR", list(lines), total, True)

    model = LinesModel()
    model.set_cart(cart(line(1, 1), line(2, 1)), {})
    qtmodeltester.check(model, force_py=True)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        model.set_cart(cart(line(1, 2), line(2, 1), line(3, 1)), {})
    assert [li.quantity for li in model.rows] == [2, 1, 1]
    with qtbot.waitSignal(model.modelReset):  # a line removed: a plain reload
        model.set_cart(cart(line(1, 2), line(3, 1)), {})
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)

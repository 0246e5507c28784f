"""Every table model passes pytest-qt's model tester, with rows in it."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services.workspace import Workspace
from app.ui.carts import carts_model
from app.ui.catalog_model import CatalogModel
from app.ui.main_window import MainWindow
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
        (order_lines_model(), detail.lines),
        (area_model(window.ctx.settings.stale_after), status.areas),
        (outbox_model(), entries),
        (carts_model(), carts),
    ):
        assert rows
        model.set_rows(rows)  # type: ignore[attr-defined]
        qtmodeltester.check(model, force_py=True)

"""The catalog screen's search: every key searches (the newest text wins), and the fast
SKU search lists what the full search lists, ranked or, for a broad prefix, not."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import workspace as workspace_module
from app.services.workspace import Workspace
from app.ui.main_window import CATALOG, MainWindow
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, type_keys, wait_for

# Fixtures used by this module's tests.
data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_search_skus_matches_the_full_search(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace(data_dir) as ws:
        sku = ws.search_products("", limit=1)[0].sku
        for query in ("screw", sku, sku[:5], "glove nitr", ""):
            full = [hit.sku for hit in ws.search_products(query, limit=300)]
            assert ws.search_skus(query, limit=300) == full  # few matches: ranked alike
        monkeypatch.setattr(workspace_module, "RANKED_MATCHES", 0)  # everything is "broad"
        for query in ("screw", sku[:5], sku):
            full = [hit.sku for hit in ws.search_products(query, limit=300)]
            broad = ws.search_skus(query, limit=300)
            assert sorted(broad) == sorted(full)  # the same matches, in catalog order
        assert ws.search_skus(sku, limit=300)[0] == sku  # the exact SKU still comes first
        prefix = ws.search_skus(sku[:5], limit=300)
        assert prefix[: len(prefix) // 2] == sorted(prefix[: len(prefix) // 2])  # SKU order


def test_every_key_searches_and_the_newest_text_wins(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CATALOG)
    page = window.catalog
    wait_for(qtbot, window, lambda: page.shown_query == "")
    type_keys(page.search, "scr")  # three searches asked for while the first runs
    wait_for(qtbot, window, lambda: page.shown_query == "scr")
    assert not page._searching and not page._again
    page.search.clear()
    wait_for(qtbot, window, lambda: page.shown_query == "")  # the cached full list


def test_a_long_result_list_grows_as_it_is_scrolled(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CATALOG)
    page = window.catalog
    wait_for(qtbot, window, lambda: page.shown_query == "")
    assert page.model.rowCount() == 200 and page.count.text() == "200+ products"
    assert page.model.canFetchMore()
    page.table.scrollToBottom()  # the view asks for more at the end
    wait_for(qtbot, window, lambda: page.model.rowCount() > 200)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        every = [hit.sku for hit in ws.search_products("", limit=5000)]
    wait_for(qtbot, window, lambda: page.model.skus == every)
    assert page.count.text() == f"{len(every)} products"
    assert not page.model.canFetchMore()

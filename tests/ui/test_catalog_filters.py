"""Catalog filters: category, brand and "in stock" narrow the search (combined with the text),
through indexes, and the screen's lists and count follow."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.workspace import CatalogFilter, Workspace
from app.store.entities import canonical, digest_of
from app.store.migrations import MIGRATIONS
from app.store.pages import BucketPage
from app.store.replica import Replica
from app.ui.main_window import CATALOG, MainWindow
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, save_shot, type_keys, wait_for

data_dir = fixtures.data_dir
window = fixtures.window

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _expected(ws: Workspace, query: str, filters: CatalogFilter) -> set[str]:
    """What the filters must leave of the unfiltered search, checked product by product."""
    found = set()
    for hit in ws.search_products(query, limit=5000):
        product = ws.product(hit.sku)
        assert product is not None
        if filters.category and product.category != filters.category:
            continue
        if filters.brand and product.brand != filters.brand:
            continue
        stock = ws.stock_of(hit.sku)
        if filters.in_stock and not any((s.available or Decimal(0)) > 0 for s in stock):
            continue
        found.add(hit.sku)
    return found


def test_filters_leave_exactly_the_matching_products(data_dir: Path) -> None:
    with Workspace(data_dir) as ws:
        facets = ws.catalog_facets()
        assert len(facets.categories) > 1 and len(facets.brands) > 1
        some = ws.product(ws.search_products("", limit=1)[0].sku)
        assert some is not None and some.category and some.brand
        cases = [
            CatalogFilter(category=some.category),
            CatalogFilter(brand=some.brand),
            CatalogFilter(in_stock=True),
            CatalogFilter(category=some.category, brand=some.brand, in_stock=True),
        ]
        out_of_stock = 0
        for filters in cases:
            for query in ("", some.name.split()[0], some.sku[:5], some.sku):
                got = ws.search_skus(query, limit=5000, filters=filters)
                assert len(got) == len(set(got))
                assert set(got) == _expected(ws, query, filters), (query, filters)
            if filters.in_stock:
                out_of_stock = len(ws.search_skus("", limit=5000)) - len(
                    ws.search_skus("", limit=5000, filters=filters)
                )
        assert out_of_stock > 0  # the demo has products no warehouse holds
        # The exact SKU still comes first, and a filter it fails leaves it out.
        assert ws.search_skus(some.sku, filters=cases[0])[0] == some.sku
        other = next(c for c in facets.categories if c != some.category)
        assert some.sku not in ws.search_skus(some.sku, filters=CatalogFilter(category=other))


def test_filtered_searches_use_the_indexes(data_dir: Path) -> None:
    """EXPLAIN QUERY PLAN: words are looked up in the full-text index first (not once per
    product of a category), categories and brands through their indexes."""
    db = sqlite3.connect(data_dir / "replica.sqlite3")
    try:

        def plan(sql: str, *args: object) -> list[str]:
            return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args)]

        words = plan(
            "SELECT p.sku FROM products_fts CROSS JOIN products p ON p.id = products_fts.rowid "
            "CROSS JOIN stock s ON s.sku = p.sku AND s.in_stock = 1 "
            "WHERE products_fts MATCH ? AND p.category = ? LIMIT 200",
            '"screw"*',
            "Fasteners",
        )
        assert words[0].startswith("SCAN products_fts VIRTUAL TABLE")
        assert "INTEGER PRIMARY KEY" in words[1] and "sqlite_autoindex_stock_1" in words[2]
        by_category = plan("SELECT sku FROM products p WHERE p.category = ?", "x")
        assert "ix_products_category" in by_category[0]
        by_brand = plan("SELECT sku FROM products p WHERE p.brand = ?", "x")
        assert "ix_products_brand" in by_brand[0]
        # In stock, no text: read in name order, stopping at the first page (no sort).
        in_stock = plan(
            "SELECT p.sku FROM products p CROSS JOIN stock s ON s.sku = p.sku AND s.in_stock = 1 "
            "ORDER BY p.name LIMIT 200"
        )
        assert in_stock[0] == "SCAN p USING INDEX ix_products_name"
        assert not any("TEMP B-TREE" in step for step in in_stock)
    finally:
        db.close()


def _stock_page(*available: str) -> BucketPage:
    rows = [
        {"entity": "stock", "key": f"A-{n}", "position": n, "deleted": False,
         "data": {"sku": f"A-{n}", "warehouses": [{"warehouse": "W1", "available": qty}]}}
        for n, qty in enumerate(available, start=1)
    ]  # fmt: skip
    return BucketPage.from_json(
        {"bucket": "stock:1", "reset": True, "from": 0, "to": len(rows), "complete": True,
         "rows": rows, "checkpoint": None}
    )  # fmt: skip


def test_the_stock_flag_is_filled_for_rows_synced_before_the_upgrade(tmp_path: Path) -> None:
    Replica.open(tmp_path, migrations=[m for m in MIGRATIONS if m.version < 4]).close()
    with sqlite3.connect(tmp_path / "replica.sqlite3") as db:  # rows as version 3 kept them
        for row in _stock_page("0", "12.5", "-3").rows:
            assert row.data is not None
            text = canonical(row.data)
            db.execute(
                "INSERT INTO stock (sku, bucket, position, digest, data, gen) "
                "VALUES (?, 'stock:1', ?, ?, ?, 1)",
                (row.key, row.position, digest_of(text), text.decode()),
            )
    with Replica.open(tmp_path) as new:
        with new.reading() as session:
            rows = session.connection().exec_driver_sql("SELECT sku, in_stock FROM stock")
            flags = {str(sku): int(flag) for sku, flag in rows}
        assert flags == {"A-1": 0, "A-2": 1, "A-3": 0}
        assert new.corrupted_keys("stock:1") == []  # the projection agrees with the data
        new.apply_page(_stock_page("0", "0", "4"))  # a re-download: projected as it lands
        with new.reading() as session:
            rows = session.connection().exec_driver_sql("SELECT sku, in_stock FROM stock")
            assert {str(sku): int(flag) for sku, flag in rows} == {"A-1": 0, "A-2": 0, "A-3": 1}


def test_the_screen_combines_filters_with_the_search(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.go(CATALOG)
    page = window.catalog
    wait_for(qtbot, window, lambda: page.shown_query == "" and page.category.count() > 2)
    everything = list(page.model.skus)
    category = page.category.itemData(1)
    page.category.setCurrentIndex(1)
    wait_for(qtbot, window, lambda: page.shown_filters.category == category)
    in_category = list(page.model.skus)
    assert in_category and in_category != everything
    assert page.count.text().endswith("(filtered)") and page.clear_filters.isEnabled()
    page.in_stock.setChecked(True)
    wait_for(qtbot, window, lambda: page.shown_filters.in_stock)
    assert set(page.model.skus) <= set(in_category)
    word = _first_word(window, in_category[0])
    type_keys(page.search, word)
    wait_for(qtbot, window, lambda: page.shown_query == word)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        assert set(page.model.skus) == _expected(ws, word, page.filters())
    wait_for(qtbot, window, lambda: page.model.product(0) is not None)
    page.table.setFocus()
    page.table.selectRow(0)
    wait_for(
        qtbot, window, lambda: page.card is not None and page.card.product.sku == page.model.skus[0]
    )
    save_shot(window, "catalog-filters.png", tmp_path)
    page.clear_filters.click()
    page.search.clear()
    wait_for(qtbot, window, lambda: page.shown_query == "" and not page.shown_filters.active)
    assert page.model.skus == everything and not page.clear_filters.isEnabled()


def _first_word(window: MainWindow, sku: str) -> str:
    with Workspace(window.ctx.workspace.data_dir) as ws:
        product = ws.product(sku)
    assert product is not None
    return next(w for w in product.name.split() if len(w) >= 3 and w.isalpha())


def test_a_long_filtered_list_grows_with_matches_of_the_filter(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go(CATALOG)
    page = window.catalog
    wait_for(qtbot, window, lambda: page.shown_query == "")
    page.in_stock.setChecked(True)
    wait_for(qtbot, window, lambda: page.shown_filters.in_stock)
    with Workspace(window.ctx.workspace.data_dir) as ws:
        every = ws.search_skus("", limit=5000, filters=CatalogFilter(in_stock=True))
    assert len(every) > 200 and page.model.rowCount() == 200  # the first page
    page.table.scrollToBottom()
    wait_for(qtbot, window, lambda: page.model.skus == every)
    assert page.count.text() == f"{len(every)} products (filtered)"

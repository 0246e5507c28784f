"""The bulk catalog reader agrees with app.store.catalog; the new tables migrate in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.quickorder.replica_catalog import open_catalog
from app.store import layouts, partnumbers
from app.store.migrations import MIGRATIONS
from app.store.replica import Replica
from tests.quickorder.helpers import PRODUCTS, build_replica


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with build_replica(tmp_path) as opened:
        yield opened


@pytest.mark.parametrize("unknown", [1, 2000])  # 2000: batches looked up on a helper thread
def test_bulk_reads_build_what_the_store_builds(replica: Replica, unknown: int) -> None:
    skus = [str(p["sku"]) for p in PRODUCTS]
    with open_catalog(replica) as catalog:
        missing = ["MISSING"] + [f"MISSING-{n}" for n in range(1, unknown)]
        catalog.prefetch([sku.lower() for sku in skus] + missing)
        for sku in skus:
            assert catalog.product(sku.lower()) == replica.product_by_sku(sku)
            assert catalog.pricing(sku) == replica.pricing_of(sku)
        assert catalog.product("MISSING") is None
        assert catalog.known_skus(["fas-0001", "nope", " 4711 "]) == {"fas-0001", "4711"}
        stock = catalog.stock("FAS-0002")
        assert stock is not None and stock.available == 24
        assert catalog.stock("TOOL-200") is None
        assert catalog.sku_with_zeros("1234") == "001234"
        assert catalog.sku_with_zeros("4711") is None


def test_part_numbers_and_layouts_are_stored_locally(replica: Replica) -> None:
    partnumbers.learn(replica, " P-77 ", "FAS-0014")
    partnumbers.learn(replica, "p-77", "FAS-0013")  # the buyer corrected it
    assert [(p.part_number, p.sku, p.source) for p in partnumbers.part_numbers(replica)] == [
        ("P-77", "FAS-0013", "learned")
    ]
    with open_catalog(replica) as catalog:
        assert catalog.sku_for_part_number("P-77") == "FAS-0013"
    assert partnumbers.forget(replica, "P-77") and not partnumbers.forget(replica, "P-77")
    layouts.remember(replica, "abc", {"columns": {"sku": 1}, "header_row": 2}, ["item"])
    assert layouts.recall(replica, "abc") == {"columns": {"sku": 1}, "header_row": 2}
    layouts.forget(replica, "abc")
    assert layouts.recall(replica, "abc") is None


def test_a_version_1_replica_gains_the_quick_order_tables(tmp_path: Path) -> None:
    Replica.open(tmp_path, migrations=MIGRATIONS[:1]).close()
    with Replica.open(tmp_path) as upgraded:
        partnumbers.learn(upgraded, "X-1", "FAS-0001")
    with sqlite3.connect(tmp_path / "replica.sqlite3") as raw:
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert {"part_numbers", "import_layouts"} <= tables

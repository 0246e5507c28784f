from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from app.store.apply import CursorGap
from app.store.entities import MalformedRow
from app.store.replica import Replica
from tests.store.helpers import page, product, products_page, row, stock


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with Replica.open(tmp_path) as opened:
        yield opened


def names(replica: Replica) -> dict[str, str]:
    with replica.reading() as session:
        rows = session.connection().exec_driver_sql("SELECT sku, name FROM products")
        return {sku: name for sku, name in rows}


def test_insert_update_and_tombstone(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B", "C"]))
    assert names(replica) == {"A": "Hex bolt A", "B": "Hex bolt B", "C": "Hex bolt C"}
    assert replica.cursors() == {"catalog:1": 3}

    replica.apply_page(
        page(
            "catalog:1",
            [
                row("product", "B", 4, product("B", name="Carriage bolt")),
                row("product", "C", 5, None),
            ],
            start=3,
        )
    )
    assert names(replica) == {"A": "Hex bolt A", "B": "Carriage bolt"}
    assert replica.cursors() == {"catalog:1": 5}
    assert replica.product_count() == 2
    assert replica.sync_states()[0].synced_at is not None


def test_data_is_stored_as_received_with_its_digest(replica: Replica) -> None:
    data = product("A", list_price="12.3400")
    replica.apply_page(page("catalog:1", [row("product", "A", 1, data)], start=0, reset=True))
    with replica.reading() as session:
        text, digest = (
            session.connection()
            .exec_driver_sql("SELECT data, digest FROM products WHERE sku = 'A'")
            .one()
        )
    assert orjson.loads(text) == data  # decimals stay strings
    assert digest == hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def test_a_failing_row_rolls_back_the_whole_page_and_its_cursor(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    bad = product("Z", units="not a list")
    failing = page(
        "catalog:1",
        [
            row("product", "A", 2, product("A", name="Changed")),
            row("stock", "A", 3, stock("A")),
            row("product", "Z", 4, bad),
        ],
        start=1,
    )
    with pytest.raises(MalformedRow, match="units"):
        replica.apply_page(failing)
    assert names(replica) == {"A": "Hex bolt A"}
    assert replica.cursors() == {"catalog:1": 1}
    with replica.reading() as session:
        assert session.connection().exec_driver_sql("SELECT COUNT(*) FROM stock").scalar() == 0


def test_a_database_error_mid_apply_rolls_back_earlier_rows(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    with replica.session() as session:  # sabotage the stock table so its insert fails
        session.connection().exec_driver_sql(
            "CREATE TRIGGER no_stock BEFORE INSERT ON stock BEGIN SELECT RAISE(ABORT, 'x'); END"
        )
    failing = page(
        "mixed:1",
        [row("product", "B", 1, product("B")), row("stock", "B", 2, stock("B"))],
        start=0,
        reset=True,
    )
    with pytest.raises(Exception, match="x"):
        replica.apply_page(failing)
    assert names(replica) == {"A": "Hex bolt A"}
    assert "mixed:1" not in replica.cursors()


def test_cursor_never_goes_back_and_gaps_are_refused(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B"]))
    # A retried, overlapping page: harmless, the cursor stays.
    replica.apply_page(page("catalog:1", [row("product", "B", 2, product("B"))], start=1, end=2))
    assert replica.cursors() == {"catalog:1": 2}
    with pytest.raises(CursorGap):
        replica.apply_page(page("catalog:1", [row("product", "C", 9, product("C"))], start=8))
    assert replica.cursors() == {"catalog:1": 2}


def test_an_older_version_does_not_overwrite_a_newer_one(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    replica.apply_page(
        page("catalog:1", [row("product", "A", 5, product("A", name="New"))], start=1)
    )
    replica.apply_page(
        page("catalog:1", [row("product", "A", 3, product("A", name="Old"))], start=2, end=3)
    )
    assert names(replica) == {"A": "New"}


def test_reset_deletes_ghosts_only_when_the_bucket_completes(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B", "C"]))
    # Server restored from a backup: the bucket is sent again from 0, without C.
    first = page(
        "catalog:1",
        [row("product", "A", 1, product("A", name="A again"))],
        start=0,
        reset=True,
        complete=False,
    )
    replica.apply_page(first)
    assert set(names(replica)) == {"A", "B", "C"}  # never empty half-way
    assert replica.sync_states()[0].resetting

    replica.apply_page(page("catalog:1", [row("product", "B", 2, product("B"))], start=1))
    assert names(replica) == {"A": "A again", "B": "Hex bolt B"}
    assert not replica.sync_states()[0].resetting
    assert replica.cursors() == {"catalog:1": 2}
    assert all(hit.sku != "C" for hit in replica.search_products("C"))


def test_a_restarted_reset_still_removes_ghosts(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B", "C"]))
    replica.apply_page(products_page("catalog:1", ["A"], complete=False))
    replica.apply_page(products_page("catalog:1", ["A", "B"], complete=True))  # from 0 again
    assert set(names(replica)) == {"A", "B"}


def test_unknown_entities_are_kept_for_later_versions(replica: Replica) -> None:
    replica.apply_page(
        page("account:3", [row("approval_rule", "R1", 1, {"id": "R1", "limit": "500"})], start=0)
    )
    with replica.reading() as session:
        stored = (
            session.connection().exec_driver_sql("SELECT entity, key, data FROM other_rows").one()
        )
    assert stored[:2] == ("approval_rule", "R1")
    assert replica.checkpoint_of("account:3").count == 1


def test_drop_buckets_removes_rows_and_cursors(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B"]))
    replica.apply_page(page("stock:1", [row("stock", "A", 1, stock("A"))], start=0, reset=True))
    replica.drop_buckets(["catalog:1"])
    assert replica.product_count() == 0
    assert replica.cursors() == {"stock:1": 1}
    assert replica.search_products("bolt") == []
    with replica.reading() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM product_units").scalar() == 0
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM stock").scalar() == 1


def test_reset_bucket_sets_the_cursor_to_zero(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    replica.reset_bucket("catalog:1")
    assert replica.cursors() == {"catalog:1": 0}
    assert replica.product_count() == 1


def test_switch_epoch_zeroes_cursors_once(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    assert replica.switch_epoch("e1")
    assert replica.cursors() == {"catalog:1": 0}
    replica.apply_page(products_page("catalog:1", ["A"]))
    assert not replica.switch_epoch("e1")
    assert replica.cursors() == {"catalog:1": 1} and replica.epoch == "e1"


def test_checkpoint_matches_an_independent_computation(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B", "C"]))
    replica.apply_page(page("catalog:1", [row("product", "B", 7, None)], start=3))
    expected = 0
    for entity, key, position in [("product", "A", 1), ("product", "C", 3)]:
        text = f"{entity}\x1f{key}\x1f{position}".encode()
        expected ^= int.from_bytes(hashlib.sha256(text).digest()[:8], "big")
    checkpoint = replica.checkpoint_of("catalog:1")
    assert (checkpoint.count, checkpoint.checksum) == (2, f"{expected:016x}")
    assert checkpoint.position == 7
    assert replica.checkpoint_of("nothing:9").count == 0


def test_corrupted_keys_finds_rows_damaged_on_disk(replica: Replica, tmp_path: Path) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B", "C", "D"]))
    assert replica.corrupted_keys("catalog:1") == []
    with sqlite3.connect(replica.path) as raw:
        raw.execute("UPDATE products SET data = replace(data, 'Hex', 'Hax') WHERE sku = 'A'")
        raw.execute("UPDATE products SET list_price = '9.99' WHERE sku = 'B'")
        raw.execute("UPDATE products SET data = '{not json' WHERE sku = 'C'")
        raw.execute("DELETE FROM product_units WHERE sku = 'D'")
    assert sorted(replica.corrupted_keys("catalog:1")) == [
        ("product", "A"), ("product", "B"), ("product", "C"), ("product", "D"),
    ]  # fmt: skip


def test_full_text_index_follows_updates_and_deletes(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A", "B"]))
    replica.apply_page(
        page(
            "catalog:1",
            [row("product", "A", 3, product("A", name="Wood screw")), row("product", "B", 4, None)],
            start=2,
        )
    )
    assert [hit.sku for hit in replica.search_products("wood")] == ["A"]
    assert replica.search_products("hex") == []
    with replica.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO products_fts (products_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_a_re_sent_unchanged_row_keeps_units_and_search(replica: Replica) -> None:
    replica.apply_page(products_page("catalog:1", ["A"]))
    replica.switch_epoch("e2")
    replica.apply_page(products_page("catalog:1", ["A"]))
    assert [hit.sku for hit in replica.search_products("bolt")] == ["A"]
    assert replica.units_of("A").codes == ("EA",)
    assert replica.corrupted_keys("catalog:1") == []

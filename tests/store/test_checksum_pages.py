from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.store.checksum import fold, row_hash
from app.store.pages import BucketPage, MalformedPage
from tests.store.helpers import product, row


def test_row_hash_is_the_first_8_bytes_of_sha256_big_endian() -> None:
    digest = hashlib.sha256(b"product\x1fFAS-1\x1f17").hexdigest()
    assert row_hash("product", "FAS-1", 17) == int(digest[:16], 16)


def test_fold_is_16_hex_digits_zero_padded() -> None:
    assert fold([]) == "0" * 16
    assert fold([1]) == "0000000000000001"
    assert fold([0xFFFF_FFFF_FFFF_FFFF]) == "f" * 16


hashes = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=50)


@given(hashes, st.randoms(use_true_random=False))
def test_fold_does_not_depend_on_order(values: list[int], rnd: random.Random) -> None:
    shuffled = values[:]
    rnd.shuffle(shuffled)
    assert fold(shuffled) == fold(values)


@given(hashes, st.integers(min_value=0, max_value=2**64 - 1))
def test_a_row_counted_twice_cancels_out(values: list[int], extra: int) -> None:
    assert fold([*values, extra, extra]) == fold(values)


def test_page_from_json_reads_rows_and_checkpoint() -> None:
    page = BucketPage.from_json(
        {
            "bucket": "catalog:1", "reset": True, "from": 0, "to": 2, "complete": True,
            "rows": [row("product", "A", 1, product("A")), row("product", "B", 2, None)],
            "checkpoint": {"position": 2, "count": 1, "checksum": "00ff"},
        }
    )  # fmt: skip
    assert page.reset and page.complete and page.to_position == 2
    assert page.rows[0].data is not None and page.rows[0].data["list_price"] == "0.5000"
    assert page.rows[1].deleted and page.rows[1].data is None
    assert page.checkpoint is not None and page.checkpoint.count == 1


@pytest.mark.parametrize(
    "change",
    [
        {"bucket": ""},
        {"from": -1},
        {"to": "7"},
        {"from": 5, "to": 4},
        {"reset": "yes"},
        {"rows": [{"entity": "product", "key": "A", "position": 1, "deleted": False}]},
        {"rows": [{"entity": "product", "key": "A", "position": 1.5, "data": {}}]},
        {"checkpoint": {"position": 1, "count": 1}},
    ],
)
def test_malformed_pages_are_refused(change: dict[str, object]) -> None:
    good = {"bucket": "b", "reset": False, "from": 0, "to": 1, "complete": True, "rows": []}
    with pytest.raises(MalformedPage):
        BucketPage.from_json({**good, **change})

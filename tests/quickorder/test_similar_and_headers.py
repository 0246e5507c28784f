"""The shortcuts in close-match ranking and header recognition give the plain answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.quickorder import headers
from app.quickorder.lines import Field
from app.quickorder.similar import edit_distance

_WORDS = st.text(alphabet="ab1-", max_size=9)


@given(_WORDS, _WORDS, st.integers(min_value=0, max_value=5))
def test_a_bounded_distance_is_the_distance_or_one_past_the_bound(
    a: str, b: str, limit: int
) -> None:
    full = edit_distance(a, b)
    assert edit_distance(a, b, limit=limit) == (full if full <= limit else limit + 1)


def _header_field_by_scanning_every_name(text: str) -> tuple[Field, int] | None:
    """header_field as it was written first: every known name tried, longest first."""
    key = headers.normalise_header(text)
    if not key or len(key) > 60:
        return None
    found = headers._EXACT.get(key) or headers._EXACT.get(key.replace(" ", ""))
    if found is not None:
        return found, 3
    words = set(key.split())
    for name, field in headers._BY_LENGTH:
        if len(name) < 3 and " " not in name:
            continue
        if key.startswith(name + " ") or f" {name} " in f" {key} ":
            if headers._vetoed(field, words):
                continue
            return field, 2 if key.startswith(name) else 1
    return None


_NAMES = [*headers._EXACT, "price", "total", "description", "x", "no", "de", "per", "SKU-001"]


@given(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4))
def test_header_recognition_matches_trying_every_name(parts: list[str]) -> None:
    text = " ".join(parts)
    assert headers.header_field(text) == _header_field_by_scanning_every_name(text)

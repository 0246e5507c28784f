from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.units import ProductUnits, UnitOfMeasure, UnknownUnit

D = Decimal
UNITS = ProductUnits("EA", (UnitOfMeasure("bx", 10), UnitOfMeasure("CS", 100)))


def test_base_unit_is_implicit_and_lookups_ignore_case() -> None:
    assert UNITS.codes == ("EA", "BX", "CS")
    assert UNITS.factor("ea") == 1
    assert UNITS.factor("Bx") == 10
    assert UNITS.has("cs") and not UNITS.has("PAL")


def test_unknown_unit_lists_known_units() -> None:
    with pytest.raises(UnknownUnit, match=r"unknown unit 'PAL'; known units: EA, BX, CS"):
        UNITS.factor("PAL")
    assert issubclass(UnknownUnit, ValueError)


def test_conversion() -> None:
    assert UNITS.to_base(D(2), "BX") == D(20)
    assert UNITS.to_base(D("1.5"), "CS") == D(150)
    assert UNITS.from_base(D(250), "CS") == D("2.5")
    assert UNITS.from_base(D(30), "EA") == D(30)
    with pytest.raises(TypeError):
        UNITS.to_base(2.0, "BX")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "units", "error"),
    [
        ("EA", (UnitOfMeasure("EA", 2),), "factor 1"),
        ("EA", (UnitOfMeasure("BX", 10), UnitOfMeasure("bx", 12)), "twice"),
        ("", (), "empty"),
    ],
)
def test_inconsistent_units_are_refused(
    base: str, units: tuple[UnitOfMeasure, ...], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        ProductUnits(base, units)


def test_unit_factor_must_be_a_positive_int() -> None:
    with pytest.raises(ValueError):
        UnitOfMeasure("BX", 0)
    with pytest.raises(TypeError):
        UnitOfMeasure("BX", 2.5)  # type: ignore[arg-type]


@settings(max_examples=200)
@given(
    st.decimals(min_value=0, max_value=10**6, places=3),
    st.integers(min_value=1, max_value=1000),
)
def test_to_base_and_from_base_are_inverse(qty: Decimal, factor: int) -> None:
    units = ProductUnits("EA", (UnitOfMeasure("PK", factor),))
    assert units.from_base(units.to_base(qty, "PK"), "PK") == qty
    assert units.to_base(units.from_base(qty * factor, "PK"), "PK") == qty * factor

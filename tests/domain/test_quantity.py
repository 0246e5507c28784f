from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.quantity import (
    QuantityPolicy,
    QuantityProblemCode,
    QuantityRule,
    check_quantity,
)
from app.domain.units import ProductUnits, UnitOfMeasure

D = Decimal
AUTO = QuantityPolicy.AUTO_CORRECT
UNITS = ProductUnits("EA", (UnitOfMeasure("BX", 10), UnitOfMeasure("CS", 120)))
PACKS_OF_12 = QuantityRule(min_qty=D(24), multiple=D(12))
ANY_WHOLE = QuantityRule(min_qty=D(1), multiple=D(1))


def codes(check: object) -> list[QuantityProblemCode]:
    return [problem.code for problem in check.problems]  # type: ignore[attr-defined]


def test_valid_quantity_is_accepted_unchanged() -> None:
    check = check_quantity(quantity=D(36), unit="ea", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert check.ok and not check.was_corrected
    assert check.unit == "EA"
    assert check.accepted_quantity == D(36) and check.accepted_unit == "EA"
    assert check.message == ""


def test_not_a_multiple_is_flagged_with_nearest_values() -> None:
    check = check_quantity(quantity=D(30), unit="EA", units=UNITS, rule=PACKS_OF_12)
    assert codes(check) == [QuantityProblemCode.NOT_A_MULTIPLE]
    assert check.problems[0].message == (
        "Sold in multiples of 12 EA; 30 EA is not a multiple (nearest: 24 or 36)"
    )
    assert check.corrected is None and check.accepted_quantity is None
    assert not check.ok and not check.was_corrected


def test_not_a_multiple_is_rounded_up_when_auto_correcting() -> None:
    check = check_quantity(quantity=D(30), unit="EA", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert check.was_corrected
    assert (check.corrected, check.corrected_unit) == (D(36), "EA")
    assert (check.accepted_quantity, check.accepted_unit) == (D(36), "EA")
    assert check.message.endswith("Corrected to 36 EA")


def test_below_minimum_and_not_a_multiple_both_reported() -> None:
    check = check_quantity(quantity=D(18), unit="EA", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.BELOW_MINIMUM, QuantityProblemCode.NOT_A_MULTIPLE]
    assert check.problems[0].message == "Minimum order is 24 EA; 18 EA is below it"
    assert check.corrected == D(24)


def test_below_minimum_on_a_multiple() -> None:
    check = check_quantity(quantity=D(12), unit="EA", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.BELOW_MINIMUM]
    assert check.corrected == D(24)


def test_correction_falls_back_to_base_unit_when_not_whole_in_requested_unit() -> None:
    # 2 BX = 20 EA; the next multiple of 12 is 24 EA, which is 2.4 BX.
    check = check_quantity(quantity=D(2), unit="bx", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.BELOW_MINIMUM, QuantityProblemCode.NOT_A_MULTIPLE]
    assert check.problems[1].message == (
        "Sold in multiples of 12 EA; 2 BX (20 EA) is not a multiple (nearest: 12 or 24)"
    )
    assert (check.corrected, check.corrected_unit) == (D(24), "EA")
    assert check.message.endswith("Corrected to 24 EA (not a whole number of BX)")


def test_correction_stays_in_requested_unit_when_whole() -> None:
    rule = QuantityRule(min_qty=D(240), multiple=D(120))
    check = check_quantity(quantity=D(1), unit="CS", units=UNITS, rule=rule, policy=AUTO)
    assert (check.corrected, check.corrected_unit) == (D(2), "CS")


def test_case_quantity_that_is_valid() -> None:
    check = check_quantity(quantity=D(1), unit="CS", units=UNITS, rule=PACKS_OF_12)
    assert check.ok


@pytest.mark.parametrize("qty", [D(0), D(-3), D("NaN")])
def test_non_positive_quantity_is_invalid_and_never_corrected(qty: Decimal) -> None:
    check = check_quantity(quantity=qty, unit="EA", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.INVALID]
    assert "positive number" in check.problems[0].message
    assert check.corrected is None and check.accepted_quantity is None


def test_unknown_unit_is_reported_not_corrected() -> None:
    check = check_quantity(quantity=D(5), unit="PAL", units=UNITS, rule=PACKS_OF_12, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.UNKNOWN_UNIT]
    assert "known units: EA, BX, CS" in check.problems[0].message
    assert check.accepted_quantity is None


def test_fraction_of_base_unit_is_rounded_up() -> None:
    check = check_quantity(quantity=D("1.5"), unit="EA", units=UNITS, rule=ANY_WHOLE, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.FRACTION_NOT_ALLOWED]
    assert check.problems[0].message == "Sold in whole EA only; 1.5 EA is not a whole number"
    assert (check.corrected, check.corrected_unit) == (D(2), "EA")


def test_half_a_box_becomes_base_units() -> None:
    check = check_quantity(quantity=D("0.5"), unit="BX", units=UNITS, rule=ANY_WHOLE, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.FRACTION_NOT_ALLOWED]
    assert (check.corrected, check.corrected_unit) == (D(5), "EA")


def test_fractions_allowed_when_the_rule_says_so() -> None:
    kg = ProductUnits("KG")
    rule = QuantityRule(min_qty=D("0.5"), multiple=D("0.25"), allow_fraction=True)
    assert check_quantity(quantity=D("0.75"), unit="kg", units=kg, rule=rule).ok
    check = check_quantity(quantity=D("0.6"), unit="KG", units=kg, rule=rule, policy=AUTO)
    assert codes(check) == [QuantityProblemCode.NOT_A_MULTIPLE]
    assert check.corrected == D("0.75")


def test_float_quantity_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        check_quantity(quantity=1.0, unit="EA", units=UNITS, rule=ANY_WHOLE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("min_qty", "multiple", "allow_fraction"),
    [(D(-1), D(1), False), (D(0), D(0), False), (D(0), D("0.5"), False)],
)
def test_inconsistent_rules_are_refused(
    min_qty: Decimal, multiple: Decimal, allow_fraction: bool
) -> None:
    with pytest.raises(ValueError):
        QuantityRule(min_qty=min_qty, multiple=multiple, allow_fraction=allow_fraction)


def smallest_valid_brute_force(start: int, min_qty: int, multiple: int) -> int:
    candidate = max(start, 1)
    while candidate < min_qty or candidate % multiple:
        candidate += 1
    return candidate


@settings(max_examples=300)
@given(
    qty=st.integers(min_value=1, max_value=300),
    unit=st.sampled_from(["EA", "BX", "CS"]),
    min_qty=st.integers(min_value=0, max_value=150),
    multiple=st.integers(min_value=1, max_value=30),
)
def test_auto_correction_is_valid_minimal_and_not_lower(
    qty: int, unit: str, min_qty: int, multiple: int
) -> None:
    rule = QuantityRule(min_qty=D(min_qty), multiple=D(multiple))
    check = check_quantity(quantity=D(qty), unit=unit, units=UNITS, rule=rule, policy=AUTO)
    requested_base = qty * UNITS.factor(unit)
    expected = smallest_valid_brute_force(requested_base, min_qty, multiple)
    if check.ok:
        assert expected == requested_base
        return
    assert check.corrected is not None and check.corrected_unit is not None
    corrected_base = check.corrected * UNITS.factor(check.corrected_unit)
    assert corrected_base == expected
    assert corrected_base >= requested_base
    assert rule.allows(corrected_base)
    assert check_quantity(
        quantity=check.corrected, unit=check.corrected_unit, units=UNITS, rule=rule
    ).ok


@settings(max_examples=200)
@given(
    qty=st.decimals(min_value=D("0.01"), max_value=100, places=2),
    min_qty=st.integers(min_value=0, max_value=20),
    multiple=st.integers(min_value=1, max_value=12),
)
def test_fractional_requests_correct_to_whole_valid_quantities(
    qty: Decimal, min_qty: int, multiple: int
) -> None:
    rule = QuantityRule(min_qty=D(min_qty), multiple=D(multiple))
    check = check_quantity(quantity=qty, unit="EA", units=UNITS, rule=rule, policy=AUTO)
    accepted = check.accepted_quantity
    assert accepted is not None
    assert accepted >= qty and rule.allows(accepted)
    whole = int(qty.to_integral_value(rounding=ROUND_CEILING))
    assert accepted == smallest_valid_brute_force(whole, min_qty, multiple)

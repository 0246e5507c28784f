"""Quantity rules (minimum, pack multiple, whole units) and checking an ordered quantity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.money import ensure_decimal
from app.domain.units import ProductUnits, UnknownUnit


@dataclass(frozen=True, slots=True)
class QuantityRule:
    """What may be ordered, in base units: at least ``min_qty``, in steps of ``multiple``.

    ``QuantityRule(Decimal(24), Decimal(12))`` allows 24, 36, 48 …; ``multiple`` 1 allows
    any whole number. Fractions (e.g. 0.5 kg) need ``allow_fraction=True``; a fractional
    ``multiple`` without it, a negative minimum or a non-positive multiple raise ValueError.
    """

    min_qty: Decimal
    multiple: Decimal
    allow_fraction: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_qty", ensure_decimal(self.min_qty, "min_qty"))
        object.__setattr__(self, "multiple", ensure_decimal(self.multiple, "multiple"))
        if self.min_qty < 0:
            raise ValueError(f"min_qty must not be negative, not {self.min_qty}")
        if self.multiple <= 0:
            raise ValueError(f"multiple must be positive, not {self.multiple}")
        if not self.allow_fraction and not _is_whole(self.multiple):
            raise ValueError(f"multiple {self.multiple} is a fraction; set allow_fraction")

    def smallest_valid_at_least(self, qty_base: Decimal) -> Decimal:
        """Return the smallest allowed base quantity >= ``qty_base`` (and >= one multiple)."""
        steps = max(
            _ceil_div(qty_base, self.multiple), _ceil_div(self.min_qty, self.multiple), Decimal(1)
        )
        return steps * self.multiple

    def allows(self, qty_base: Decimal) -> bool:
        """Return True if ``qty_base`` meets the minimum and is a positive multiple."""
        return qty_base > 0 and qty_base >= self.min_qty and qty_base % self.multiple == 0


class QuantityPolicy(StrEnum):
    """What to do with a breaking quantity: correct it upwards, or only flag it."""

    AUTO_CORRECT = "auto_correct"
    FLAG = "flag"


class QuantityProblemCode(StrEnum):
    """Why a quantity was refused."""

    INVALID = "invalid"  # not a positive number
    FRACTION_NOT_ALLOWED = "fraction_not_allowed"
    BELOW_MINIMUM = "below_minimum"
    NOT_A_MULTIPLE = "not_a_multiple"
    UNKNOWN_UNIT = "unknown_unit"


@dataclass(frozen=True, slots=True)
class QuantityProblem:
    """One broken rule with a sentence the buyer can act on."""

    code: QuantityProblemCode
    message: str


@dataclass(frozen=True, slots=True)
class QuantityCheck:
    """The outcome of ``check_quantity``.

    ``corrected``/``corrected_unit`` are set only when the policy auto-corrected; the
    corrected unit is the requested one when the result is a whole number of it, else
    the base unit. Read ``accepted_quantity`` with ``accepted_unit``: they are None
    when the quantity was refused.
    """

    requested: Decimal
    unit: str
    problems: tuple[QuantityProblem, ...]
    corrected: Decimal | None = None
    corrected_unit: str | None = None

    @property
    def ok(self) -> bool:
        """True when the requested quantity breaks no rule."""
        return not self.problems

    @property
    def was_corrected(self) -> bool:
        """True when a breaking quantity was replaced by ``corrected``."""
        return self.corrected is not None

    @property
    def accepted_quantity(self) -> Decimal | None:
        """The quantity to order (in ``accepted_unit``), or None if refused."""
        if self.ok:
            return self.requested
        return self.corrected

    @property
    def accepted_unit(self) -> str | None:
        """The unit of ``accepted_quantity``."""
        if self.ok:
            return self.unit
        return self.corrected_unit

    @property
    def message(self) -> str:
        """All problems, and the correction if any, as one text ("" when ok)."""
        parts = [problem.message for problem in self.problems]
        if self.corrected is not None and self.corrected_unit is not None:
            note = f"Corrected to {_fmt(self.corrected)} {self.corrected_unit}"
            if self.corrected_unit != self.unit:
                note += f" (not a whole number of {self.unit})"
            parts.append(note)
        return ". ".join(parts)


def check_quantity(
    *,
    quantity: Decimal,
    unit: str,
    units: ProductUnits,
    rule: QuantityRule,
    policy: QuantityPolicy = QuantityPolicy.FLAG,
) -> QuantityCheck:
    """Check ``quantity`` of ``unit`` against ``rule``; correct it upwards if the policy says so.

    Zero, negative or non-finite quantities and unknown units are refused and never
    corrected. A float quantity raises TypeError (a caller bug, not a buyer error).
    """
    if isinstance(quantity, int) and not isinstance(quantity, bool):
        quantity = Decimal(quantity)
    if not isinstance(quantity, Decimal):
        raise TypeError(f"quantity must be a Decimal, not {type(quantity).__name__}")
    try:
        factor = units.factor(unit)
    except UnknownUnit as exc:
        problem = QuantityProblem(QuantityProblemCode.UNKNOWN_UNIT, str(exc))
        return QuantityCheck(requested=quantity, unit=unit, problems=(problem,))
    code = unit.strip().upper()
    if not quantity.is_finite() or quantity <= 0:
        problem = QuantityProblem(
            QuantityProblemCode.INVALID, f"Quantity must be a positive number, not {quantity}"
        )
        return QuantityCheck(requested=quantity, unit=code, problems=(problem,))

    base_qty = quantity * factor
    problems = _problems(quantity, code, base_qty, units.base, rule)
    if not problems or policy is not QuantityPolicy.AUTO_CORRECT:
        return QuantityCheck(requested=quantity, unit=code, problems=problems)

    # Round up in base units; say it in the requested unit only if that is exact and whole.
    fixed_base = rule.smallest_valid_at_least(base_qty)
    in_unit = fixed_base / factor
    exact = in_unit * factor == fixed_base and (rule.allow_fraction or _is_whole(in_unit))
    return QuantityCheck(
        requested=quantity,
        unit=code,
        problems=problems,
        corrected=in_unit if exact else fixed_base,
        corrected_unit=code if exact else units.base,
    )


def _problems(
    quantity: Decimal, unit: str, base_qty: Decimal, base: str, rule: QuantityRule
) -> tuple[QuantityProblem, ...]:
    problems: list[QuantityProblem] = []
    fractional = not rule.allow_fraction and not (_is_whole(quantity) and _is_whole(base_qty))
    redundant = fractional and rule.multiple == 1
    below = base_qty < rule.min_qty
    off_step = base_qty % rule.multiple != 0 and not redundant
    if not (fractional or below or off_step):
        return ()  # the common case: no sentence to write
    shown = f"{_fmt(quantity)} {unit}"
    if unit != base:
        shown += f" ({_fmt(base_qty)} {base})"
    if fractional:
        problems.append(
            QuantityProblem(
                QuantityProblemCode.FRACTION_NOT_ALLOWED,
                f"Sold in whole {unit} only; {_fmt(quantity)} {unit} is not a whole number",
            )
        )
    if below:
        problems.append(
            QuantityProblem(
                QuantityProblemCode.BELOW_MINIMUM,
                f"Minimum order is {_fmt(rule.min_qty)} {base}; {shown} is below it",
            )
        )
    if off_step:
        lower = (base_qty // rule.multiple) * rule.multiple
        upper = lower + rule.multiple
        nearest = f"{_fmt(lower)} or {_fmt(upper)}" if lower > 0 else _fmt(upper)
        problems.append(
            QuantityProblem(
                QuantityProblemCode.NOT_A_MULTIPLE,
                f"Sold in multiples of {_fmt(rule.multiple)} {base}; "
                f"{shown} is not a multiple (nearest: {nearest})",
            )
        )
    return tuple(problems)


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _ceil_div(value: Decimal, step: Decimal) -> Decimal:
    whole = value // step
    return whole + 1 if value % step else whole


def _fmt(value: Decimal) -> str:
    # "12" rather than "12.000" or "1.2E+1" in sentences for buyers.
    return f"{value.normalize():f}"

"""One benchmark result: the record every benchmark returns and the runner tables.

A record is a plain dict (it goes to JSON as is): ``name``, ``value``, ``unit``,
``baseline`` (the same kind of work done the simplest way, measured in the same run),
``ratio`` (value ÷ baseline), ``target``, ``better`` ("lower" or "higher": which side of the
target passes), ``pass`` (true/false, or null when there is no target and nothing failed)
and ``note``.
"""

from __future__ import annotations

import math
from typing import Any

Record = dict[str, Any]
KEYS = ("name", "value", "unit", "baseline", "ratio", "target", "better", "pass", "note")


def tidy(x: float) -> float:
    """Round to about four significant digits: enough to compare runs, no false precision."""
    if x == 0 or not math.isfinite(x):
        return x
    digits = max(0, 3 - math.floor(math.log10(abs(x))))
    return round(x, digits)


def result(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    target: float | None = None,
    better: str = "lower",
    passed: bool | None = None,
    note: str | None = None,
    errors: int = 0,
) -> Record:
    """A record. ``pass`` is ``value`` against ``target`` unless ``passed`` says otherwise (a
    target with a second condition); any ``errors`` make it fail, target or not."""
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be 'lower' or 'higher', not {better!r}")
    if passed is None and target is not None:
        passed = value < target if better == "lower" else value >= target
    if errors:
        passed = False
        note = f"{errors} errors; " + (note or "")
    return {
        "name": name,
        "value": tidy(value),
        "unit": unit,
        "baseline": None if baseline is None else tidy(baseline),
        "ratio": None if not baseline else tidy(value / baseline),
        "target": target,
        "better": better,
        "pass": passed,
        "note": note,
    }

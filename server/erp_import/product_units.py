"""The units column of a product file ("BX:10:GTIN;CS:100") and a product's resulting units."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from app.domain.gtin import GTIN_LENGTHS, InvalidGtin, normalize_gtin
from app.domain.units import ProductUnits, UnitOfMeasure
from server.erp_import.cells import RowCells

_SEPARATORS = re.compile(r"[;|]")


class Unit(NamedTuple):
    """One row of product_units as the import compares it (a tuple: cheap to hash by the 100k)."""

    code: str
    factor: int
    gtin: str | None


def gtin_problem(code: str) -> str | None:
    """Why `code` is not a GTIN (length, non-digit, check digit), or None when it is one."""
    try:
        normalize_gtin(code)
    except InvalidGtin as exc:
        return str(exc)
    return None


def same_gtin(code: str) -> str:
    """One spelling for every way of writing a GTIN (an EAN-13 and its GTIN-14 are equal)."""
    return code.zfill(14)


def gtin_spellings(code: str) -> list[str]:
    """Every length `code` may be stored at: "4006381333931" is also "04006381333931"."""
    full = same_gtin(code)
    return [full[-n:] for n in GTIN_LENGTHS if not full[:-n].strip("0")]


def read_gtin(cells: RowCells, column: str = "gtin") -> str | None:
    value = cells.raw(column)
    if not value:
        return None
    problem = gtin_problem(value)
    if problem:
        cells.fail(column, problem)
        return value
    return normalize_gtin(value)  # stored as GTIN-14: one spelling per barcode


def read_units(cells: RowCells, column: str = "units") -> list[Unit]:
    """Extra units from "CODE:FACTOR[:GTIN]" parts separated by ';' or '|'."""
    units: list[Unit] = []
    for part in _SEPARATORS.split(cells.raw(column)):
        if not part.strip():
            continue
        bits = [bit.strip() for bit in part.split(":")]
        if len(bits) not in (2, 3) or not bits[0]:
            cells.fail(column, f"{part.strip()!r} is not CODE:FACTOR or CODE:FACTOR:GTIN")
            continue
        code, factor_text = bits[0].upper(), bits[1]
        gtin = bits[2] if len(bits) == 3 and bits[2] else None
        if len(code) > 8:
            cells.fail(column, f"unit code {code!r} is longer than 8 characters")
        if not (factor_text.isascii() and factor_text.isdigit() and int(factor_text) >= 1):
            cells.fail(column, f"{factor_text!r} in {part.strip()!r} is not a whole number >= 1")
            continue
        problem = gtin_problem(gtin) if gtin else None
        if problem:
            cells.fail(column, problem)
        elif gtin:
            gtin = normalize_gtin(gtin)
        units.append(Unit(code, int(factor_text), gtin))
    return units


def resolve_units(base: str, base_gtin: str | None, extras: Sequence[Unit]) -> frozenset[Unit]:
    """All units of a product, the base unit included; ValueError says what clashes.

    The base unit may also be listed among `extras` with factor 1, carrying its GTIN.
    """
    # The shared domain rules: codes unique, the base unit only ever with factor 1.
    ProductUnits(base, tuple(UnitOfMeasure(u.code, u.factor) for u in extras))
    for listed in (u for u in extras if u.code == base and u.gtin):
        if base_gtin and listed.gtin != base_gtin:
            raise ValueError(f"base unit {base} is given two GTINs: {base_gtin}, {listed.gtin}")
        base_gtin = listed.gtin
    units = frozenset({Unit(base, 1, base_gtin), *(u for u in extras if u.code != base)})
    gtins = [same_gtin(u.gtin) for u in units if u.gtin]
    if len(gtins) != len(set(gtins)):
        raise ValueError("the same GTIN is given to two units of this product")
    return units

"""Which column holds which field, written by a person (``--map sku=B,qty=D``) or stored.

A confirmed mapping is remembered per layout: the fingerprint of the header row (its
normalised names; the round-trip report's own columns left out), so the next file of the
same layout imports without asking.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.quickorder.headers import is_report_header, normalise_header
from app.quickorder.lines import ITEM_FIELDS, Field
from app.quickorder.table import column_index, column_letter

_FIELD_WORDS: dict[str, Field] = {
    "sku": Field.SKU, "item": Field.SKU, "article": Field.SKU,
    "part": Field.PART_NUMBER, "part_number": Field.PART_NUMBER, "customer": Field.PART_NUMBER,
    "barcode": Field.BARCODE, "ean": Field.BARCODE, "gtin": Field.BARCODE,
    "qty": Field.QUANTITY, "quantity": Field.QUANTITY,
    "unit": Field.UNIT, "uom": Field.UNIT,
    "note": Field.NOTE, "comment": Field.NOTE,
}  # fmt: skip


class MappingError(ValueError):
    """A mapping a person wrote that cannot be used; the message says which part."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Field -> 0-based column. ``header_row`` is the sheet row of the header (None: the data
    starts at the first row). A mapping needs an item column (SKU, part number or barcode)."""

    columns: Mapping[Field, int]
    header_row: int | None = None

    def __post_init__(self) -> None:
        if not any(f in self.columns for f in ITEM_FIELDS):
            raise MappingError("map a column to sku, part_number or barcode")
        used = list(self.columns.values())
        if len(used) != len(set(used)):
            raise MappingError("one column is mapped to two fields")
        if any(column < 0 for column in used):
            raise MappingError("column numbers start at 1 (A)")

    def describe(self) -> str:
        """ "sku=B,quantity=D" (the form --map accepts)."""
        ordered = sorted(self.columns.items(), key=lambda item: item[1])
        return ",".join(f"{f.value}={column_letter(c)}" for f, c in ordered)

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": {f.value: c for f, c in self.columns.items()},
            "header_row": self.header_row,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ColumnMapping:
        columns = {Field(name): int(column) for name, column in data["columns"].items()}
        header = data.get("header_row")
        return cls(columns, None if header is None else int(header))


def parse_mapping(text: str, *, header_row: int | None = None) -> ColumnMapping:
    """Parse ``sku=B,qty=D,unit=E`` (letters or 1-based numbers; ``header=3`` or
    ``header=none`` sets the header row). Raises MappingError."""
    columns: dict[Field, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep or not value.strip():
            raise MappingError(f"{part!r}: write field=column, e.g. sku=B")
        if name == "header":
            header_row = _header_row(value)
            continue
        target = _FIELD_WORDS.get(name)
        if target is None:
            raise MappingError(f"unknown field {name!r}; use {', '.join(sorted(_FIELD_WORDS))}")
        try:
            columns[target] = column_index(value)
        except ValueError as exc:
            raise MappingError(str(exc)) from None
    return ColumnMapping(columns, header_row)


def _header_row(value: str) -> int | None:
    text = value.strip().lower()
    if text in ("none", "no", "0", "-"):
        return None
    if not text.isdigit():
        raise MappingError(f"header={value!r}: give the header's row number or none")
    return int(text)


@dataclass(frozen=True, slots=True)
class Layout:
    """What identifies a file layout: its header names, or the width of a headerless sheet."""

    headers: tuple[str, ...] = field(default=())
    width: int = 0

    @property
    def fingerprint(self) -> str:
        names = "|".join(self.headers) if self.headers else f"<no header, {self.width} columns>"
        return hashlib.sha256(names.encode()).hexdigest()[:24]


def layout_of(header_texts: Sequence[str] | None, width: int) -> Layout:
    """The layout of a sheet with the header row ``header_texts`` (None: no header row)."""
    if header_texts is None:
        return Layout((), width)
    names = [normalise_header(text) for text in header_texts if not is_report_header(text)]
    while names and not names[-1]:
        names.pop()
    return Layout(tuple(names), width)

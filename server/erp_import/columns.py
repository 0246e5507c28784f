"""Column layouts of the import files and matching a file's header against them.

Header names are compared ignoring case, spaces and punctuation ("Item No." == "itemno"),
and each column accepts a few synonyms used by common ERP exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from server.erp_import.report import RowError

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(header: str) -> str:
    return _NOT_ALNUM.sub("", header.casefold())


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def accepts(self) -> tuple[str, ...]:
        return (self.name.replace("_", " "), *self.synonyms)


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns one kind of file may have."""

    title: str
    columns: tuple[Column, ...]

    def lookup(self) -> dict[str, str]:
        """normalised header text -> column name."""
        found: dict[str, str] = {}
        for column in self.columns:
            for text in column.accepts():
                key = normalise(text)
                if found.setdefault(key, column.name) != column.name:
                    raise ValueError(f"{self.title}: {text!r} would mean two columns")
        return found


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Where each known column sits in the file, and the header cells nobody knows."""

    positions: dict[str, int]
    ignored: list[str]
    errors: list[RowError]

    def has(self, column: str) -> bool:
        return column in self.positions


def match_header(layout: Layout, headers: list[str], header_row: int) -> HeaderMatch:
    lookup = layout.lookup()
    positions: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, text in enumerate(headers):
        if not text:
            continue
        name = lookup.get(normalise(text))
        if name is None:
            ignored.append(text)
        elif name in positions:
            first = headers[positions[name]]
            errors.append(
                RowError(header_row, None, text, f"columns {first!r} and {text!r} both mean {name}")
            )
        else:
            positions[name] = index
    missing = [c for c in layout.columns if c.required and c.name not in positions]
    if missing:
        errors.append(RowError(header_row, None, None, missing_message(layout, missing)))
    return HeaderMatch(positions, ignored, errors)


def missing_message(layout: Layout, missing: Iterable[Column]) -> str:
    parts = [f"{c.name} (accepted: {', '.join(c.accepts())})" for c in missing]
    return f"{layout.title}: missing required column(s): " + "; ".join(parts)


def cells_of(match: HeaderMatch, values: list[str]) -> Mapping[str, str]:
    """column name -> cell text, for the columns the file has (short rows read as empty)."""
    width = len(values)
    return {name: values[i] if i < width else "" for name, i in match.positions.items()}


# Synonyms shared by several layouts.
SKU = Column(
    "sku",
    (
        "item",
        "item number",
        "item no",
        "article",
        "article number",
        "article no",
        "product code",
        "part number",
    ),
    required=True,
)

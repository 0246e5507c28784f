"""The steps every kind of import shares: match the header, walk the rows, drop duplicates."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from server.erp_import.cells import RowCells
from server.erp_import.columns import HeaderMatch, Layout, cells_of, match_header
from server.erp_import.report import RowError
from server.erp_import.tables import Table


@dataclass
class Tally:
    """What an import has done so far; becomes the ImportReport."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def header(table: Table, layout: Layout, tally: Tally) -> HeaderMatch | None:
    """The header matched against `layout`, or None (and a header error) if it does not fit."""
    match = match_header(layout, table.headers, table.header_row)
    tally.ignored_columns = match.ignored
    if match.errors:
        tally.errors.extend(match.errors)
        return None
    return match


def data_rows(table: Table, match: HeaderMatch, tally: Tally) -> Iterator[RowCells]:
    """Every non-blank data row; a CSV row with cells beyond the header is refused here."""
    width = len(table.headers)
    for number, values in table.rows:
        tally.rows_read += 1
        if table.overflow_is_error and any(values[width:]):
            tally.errors.append(
                RowError(
                    number,
                    None,
                    None,
                    f"the row has {len(values)} cells but the header only {width}: "
                    "a value probably contains the delimiter and needs quotes",
                )
            )
            continue
        yield RowCells(number, cells_of(match, values), mark=table.decimal_mark)


R = TypeVar("R")


def drop_duplicates(
    records: list[R],
    *,
    key: Callable[[R], Hashable],
    row: Callable[[R], int],
    column: str,
    describe: Callable[[R], str],
    tally: Tally,
) -> list[R]:
    """Refuse every row whose key occurs more than once: the file does not say which is right."""
    rows_by_key: dict[Hashable, list[int]] = {}
    for record in records:
        rows_by_key.setdefault(key(record), []).append(row(record))
    kept: list[R] = []
    for record in records:
        rows = rows_by_key[key(record)]
        if len(rows) == 1:
            kept.append(record)
            continue
        others = ", ".join(str(r) for r in rows if r != row(record))
        tally.errors.append(
            RowError(
                row(record),
                column,
                describe(record),
                f"{describe(record)} is also in row {others}; none of these rows was imported",
            )
        )
    return kept


def refuse(tally: Tally, row: int, column: str | None, value: str | None, message: str) -> None:
    tally.errors.append(RowError(row, column, value, message))

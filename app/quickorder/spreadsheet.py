"""Opening a buyer's file (XLSX or CSV) as one sheet: its first rows for column detection,
then all rows for the chosen columns. Picks the sheet that has an order table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.quickorder.csvfile import read_csv
from app.quickorder.detect import HEAD_ROWS, SAMPLE_ROWS, Detection, KnownSkus, detect_columns
from app.quickorder.lines import ITEM_FIELDS
from app.quickorder.table import Table, TableRow
from app.quickorder.xlsx import UnreadableFile, XlsxBook

HEAD_LIMIT = HEAD_ROWS + SAMPLE_ROWS
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

__all__ = ["Sheet", "UnknownSheet", "UnreadableFile", "open_sheet"]


class UnknownSheet(UnreadableFile):
    """The workbook has no sheet of that name; the message lists the sheets."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of an open file. ``rows(columns)`` streams its rows (0-based columns)."""

    path: Path
    kind: str  # xlsx | csv
    name: str
    sheet_names: tuple[str, ...]
    head: tuple[TableRow, ...]
    notes: tuple[str, ...]
    rows: Callable[[frozenset[int] | None], Iterator[TableRow]]
    table: Table | None = None  # the whole file, for CSV (a report is written from it)

    def detect(self, known: KnownSkus | None = None) -> Detection:
        return detect_columns(self.head, known=known)


@contextmanager
def open_sheet(path: Path, *, sheet: str | None = None) -> Iterator[Sheet]:
    """Open ``path`` and pick ``sheet`` (default: the first with an order table).

    Raises UnreadableFile for a file that is neither a workbook nor text, and UnknownSheet
    for a sheet name the workbook does not have.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        table = read_csv(path)
        head = table.rows[:HEAD_LIMIT]
        yield Sheet(
            path, "csv", table.name, (table.name,), head, table.notes,
            lambda columns: iter(table.rows), table,
        )  # fmt: skip
        return
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(f"{path.name}: import .xlsx or .csv files (save .xls as .xlsx)")
    with XlsxBook(path) as book:
        names = book.sheet_names()
        if sheet is not None and sheet not in names:
            raise UnknownSheet(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(names)}")
        heads = {}
        chosen = sheet
        for name in [sheet] if sheet is not None else names:
            heads[name] = tuple(book.rows(name, limit=HEAD_LIMIT))
            # With one sheet there is nothing to choose (and detection is not free).
            if chosen is None and (len(names) == 1 or _has_order_table(heads[name])):
                chosen = name
        if chosen is None:
            chosen = next((name for name in names if heads[name]), names[0])
        notes: tuple[str, ...] = ()
        if len(names) > 1:
            notes = (f"sheet {chosen!r} of {len(names)}",)

        def rows(columns: frozenset[int] | None) -> Iterator[TableRow]:
            return book.rows(chosen, columns=columns)

        yield Sheet(path, "xlsx", chosen, tuple(names), heads[chosen], notes, rows)


def _has_order_table(head: tuple[TableRow, ...]) -> bool:
    detection = detect_columns(head)
    mapping = detection.mapping
    return (
        mapping is not None
        and mapping.header_row is not None
        and any(field in mapping.columns for field in ITEM_FIELDS)
    )

"""Turning the rows of a sheet into ``LineInput``s with a mapping; nothing typed is lost.

Blank rows (in the mapped columns) are not input. Every other row becomes one LineInput,
including headings, totals and rows without a quantity, which validation reports as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from app.quickorder.lines import ITEM_FIELDS, Field, LineInput, Problem, Reason
from app.quickorder.mapping import ColumnMapping
from app.quickorder.table import EMPTY, Cell, TableRow, column_letter

_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?E\+?\d+", re.IGNORECASE)
_TOTAL_WORDS = frozenset(
    ("total", "totals", "subtotal", "sum", "summe", "zwischensumme", "gesamt", "gesamtsumme",
     "totaal", "somme", "suma", "totale")
)  # fmt: skip


# Enum members as plain names: ``Field.SKU`` is an attribute lookup of ~0.15 µs on 3.11,
# and these loops run for every row of a file.
_SKU, _PART_NUMBER, _BARCODE = Field.SKU, Field.PART_NUMBER, Field.BARCODE
_QUANTITY, _UNIT, _NOTE = Field.QUANTITY, Field.UNIT, Field.NOTE
_NOT_AN_ITEM, _UNREADABLE = Reason.NOT_AN_ITEM, Reason.UNREADABLE_CELL
_ONE = Decimal(1)


def table_lines(rows: Iterable[TableRow], mapping: ColumnMapping) -> Iterator[LineInput]:
    """One LineInput per non-blank row below the header (rows are read lazily).

    A sheet without a quantity column orders one of each item. A row repeating the header
    (a multi-page export) and a row holding only the sum of the quantities above are
    recognised and reported as skipped.
    """
    header_texts: dict[Field, str] | None = None
    running_total = Decimal(0)
    columns = sorted(mapping.columns.items(), key=lambda item: item[1])
    letters = [(field, column, column_letter(column)) for field, column in columns]
    header_row = mapping.header_row
    for row in rows:
        if header_row is not None and row.number <= header_row:
            if row.number == header_row:
                header_texts = {f: row.cell(c).text.strip() for f, c in mapping.columns.items()}
            continue
        # What row.cell() does, inline: this loop runs for every row of the file.
        found, width = row.cells, len(row.cells)
        cells = {field: found[column] if column < width else EMPTY for field, column in columns}
        for cell in cells.values():
            if cell.text or cell.problem is not None:
                break
        else:
            continue  # blank in every mapped column
        line = _line(row, cells, mapping, header_texts, running_total, letters)
        if isinstance(line.quantity, Decimal) and line.item is not None:
            running_total += line.quantity
        if line.problems and any(p.reason is _NOT_AN_ITEM for p in line.problems):
            running_total = Decimal(0)
        yield line


def _line(
    row: TableRow,
    cells: dict[Field, Cell],
    mapping: ColumnMapping,
    header_texts: dict[Field, str] | None,
    running_total: Decimal,
    letters: list[tuple[Field, int, str]],
) -> LineInput:
    problems: list[Problem] = []
    if row.hidden:
        problems.append(
            Problem(Reason.HIDDEN_ROW, "this row is hidden in the spreadsheet; it was included")
        )
    texts = {field: cell.text.strip() for field, cell in cells.items()}
    for field, cell in cells.items():
        if cell.problem is not None:
            problems.append(Problem(_UNREADABLE, cell.problem, field))
        elif field in ITEM_FIELDS and _looks_scientific(texts[field]):
            problems.append(
                Problem(
                    _UNREADABLE,
                    f"{texts[field]} was saved in scientific notation and has lost digits: "
                    "format the column as Text in Excel and enter the numbers again",
                    field,
                )
            )
    quantity: Decimal | str | None
    counted = cells.get(_QUANTITY)
    if counted is not None:
        quantity = counted.number if counted.number is not None else (texts[_QUANTITY] or None)
    else:
        quantity = _ONE
    get = texts.get
    sku, part_number, barcode = get(_SKU) or None, get(_PART_NUMBER) or None, get(_BARCODE) or None
    item = sku or part_number or barcode
    unreadable = [p for p in problems if p.reason is _UNREADABLE] if problems else []
    if item is None and unreadable and all(p.field not in ITEM_FIELDS for p in unreadable):
        # No item: a total or a heading row whose formula has no saved value.
        problems = [p for p in problems if p not in unreadable]
        problems.append(Problem(_NOT_AN_ITEM, f"no item number ({unreadable[0].message})"))
    elif header_texts is not None and texts == header_texts:
        problems.append(Problem(_NOT_AN_ITEM, "the header row repeated; not an order line"))
    elif item is not None and item.casefold() in _TOTAL_WORDS:
        problems.append(Problem(_NOT_AN_ITEM, f"{item!r} row; not an order line"))
    elif item is None and isinstance(quantity, Decimal) and quantity == running_total != 0:
        problems.append(Problem(_NOT_AN_ITEM, "the sum of the quantities above; not an order line"))
    return LineInput(
        row=row.number,
        source=_source(row.number, cells, letters),
        sku=sku,
        part_number=part_number,
        barcode=barcode,
        quantity=quantity,
        unit=get(_UNIT) or None,
        note=get(_NOTE) or None,
        columns=mapping.columns,
        problems=tuple(problems),
    )


def _looks_scientific(text: str) -> bool:
    return ("E" in text or "e" in text) and _SCIENTIFIC.fullmatch(text) is not None


def _source(number: int, cells: dict[Field, Cell], letters: list[tuple[Field, int, str]]) -> str:
    """The cells as read: "B7: FAS-1 | D7: 12"."""
    parts = []
    for field, _column, letter in letters:
        cell = cells[field]
        if cell.text:
            shown = cell.text
        elif cell.problem is not None:
            shown = f"({cell.problem})"
        else:
            continue
        parts.append(f"{letter}{number}: {shown}")
    return " | ".join(parts)

"""Finding the header row and which column holds what, and saying when it is only a guess.

The header row may sit below a title block: the first 30 rows are scored by the header names
they contain (``headers.header_field``). Without a recognisable header the columns are
guessed from the data (known SKUs, valid GTINs, numbers), and the guess is never trusted
without a person confirming it, unless the layout is trivial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from app.domain.gtin import is_valid_gtin
from app.quickorder.headers import header_field, is_report_header
from app.quickorder.lines import ITEM_FIELDS, Field
from app.quickorder.mapping import ColumnMapping, Layout, layout_of
from app.quickorder.numbers import BadNumber, parse_number
from app.quickorder.table import Cell, TableRow, column_letter

HEAD_ROWS = 30  # rows searched for the header
SAMPLE_ROWS = 30  # data rows looked at to guess columns

KnownSkus = Callable[[Sequence[str]], set[str]]
"""Given texts, return those (case-folded) that are SKUs in the catalog."""


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """A non-empty column as a mapping dialog shows it."""

    column: int
    letter: str
    header: str
    samples: tuple[str, ...]
    guess: Field | None


@dataclass(frozen=True, slots=True)
class Detection:
    """The best mapping found, whether it can be used without asking, and the columns.

    ``sure`` is False when a person should confirm: ``reason`` says why and ``columns`` lists
    every column with samples and the guessed field.
    """

    mapping: ColumnMapping | None
    sure: bool
    reason: str
    header_texts: tuple[str, ...] | None
    columns: tuple[ColumnChoice, ...]
    layout: Layout


def detect_columns(head: Sequence[TableRow], *, known: KnownSkus | None = None) -> Detection:
    """Detect the mapping from the first rows of a sheet (``head``: the first ~60 rows)."""
    header = _find_header(head)
    header_number = None if header is None else header.number
    data = [
        row for row in head if not row.blank and (header is None or row.number > header.number)
    ][:SAMPLE_ROWS]
    width = max((len(row.cells) for row in head), default=0)
    header_texts = None if header is None else tuple(c.text for c in header.cells)
    layout = layout_of(header_texts, width)
    columns: dict[Field, int] = {}
    doubts: list[str] = []
    if header is not None:
        columns, ties = _from_header(header)
        doubts = _settle_ties(header, data, columns, ties, known)
    needs_guess = Field.QUANTITY not in columns or not any(f in columns for f in ITEM_FIELDS)
    taken = set(columns.values())
    guesses = _guess_from_data(data, width, taken=taken, known=known) if needs_guess else {}
    if not any(f in columns for f in ITEM_FIELDS):
        item = guesses.get(Field.SKU) or guesses.get(Field.BARCODE)
        if item is None:
            return Detection(
                None, False, "no column with item numbers found", header_texts,
                _choices(header, data, width, {}), layout,
            )  # fmt: skip
        field = Field.SKU if Field.SKU in guesses else Field.BARCODE
        columns[field] = item[0]
        if not item[1] or header is not None or width > 4:
            doubts.append(f"column {column_letter(item[0])} looks like {field.value}s")
    if Field.QUANTITY not in columns and Field.QUANTITY in guesses:
        column, trusted = guesses[Field.QUANTITY]
        columns[Field.QUANTITY] = column
        if not trusted or header is not None or width > 4:
            doubts.append(f"column {column_letter(column)} looks like the quantity")
    mapping = ColumnMapping(columns, header_number)
    reason = "; ".join(doubts)
    return Detection(
        mapping, not doubts, reason, header_texts, _choices(header, data, width, columns), layout
    )


def _find_header(head: Sequence[TableRow]) -> TableRow | None:
    best: tuple[int, TableRow] | None = None
    for row in head[:HEAD_ROWS]:
        found: dict[Field, int] = {}
        for cell in row.cells:
            match = header_field(cell.text) if cell.text else None
            if match is not None:
                found[match[0]] = max(found.get(match[0], 0), match[1])
        score = sum(found.values())
        # One exact name, or several fields: a title such as "Item list" scores 1 and loses.
        if (score >= 3 or len(found) >= 2) and (best is None or score > best[0]):
            best = (score, row)
    return None if best is None else best[1]


def _from_header(header: TableRow) -> tuple[dict[Field, int], dict[Field, list[int]]]:
    """field -> best column, and the fields where several columns tie for best."""
    by_field: dict[Field, list[tuple[int, int]]] = {}
    for column, cell in enumerate(header.cells):
        match = header_field(cell.text) if cell.text and not is_report_header(cell.text) else None
        if match is not None:
            by_field.setdefault(match[0], []).append((match[1], column))
    columns: dict[Field, int] = {}
    ties: dict[Field, list[int]] = {}
    for field, found in by_field.items():
        found.sort(key=lambda item: (-item[0], item[1]))
        columns[field] = found[0][1]
        tied = [column for score, column in found if score == found[0][0]]
        if len(tied) > 1 and field is not Field.NOTE:
            ties[field] = tied
    return columns, ties


def _settle_ties(
    header: TableRow,
    data: Sequence[TableRow],
    columns: dict[Field, int],
    ties: dict[Field, list[int]],
    known: KnownSkus | None,
) -> list[str]:
    """Pick between tied item columns by the data (the one holding SKUs); doubts left."""
    doubts = []
    for field, tied in ties.items():
        if field is Field.SKU and known is not None and data:
            shares = {column: _known_share(data, column, known) for column in tied}
            best = max(tied, key=lambda column: shares[column])
            if shares[best] >= 0.8 and all(shares[c] < 0.5 for c in tied if c != best):
                columns[field] = best
                continue
        names = " and ".join(f"{column_letter(c)} ({header.cells[c].text})" for c in tied[:2])
        doubts.append(f"two columns look like the {field.value}: {names}")
    return doubts


def _known_share(data: Sequence[TableRow], column: int, known: KnownSkus) -> float:
    texts = [row.cell(column).text.strip() for row in data if row.cell(column).text.strip()]
    return len(known(texts)) / len(texts) if texts else 0.0


def _guess_from_data(
    data: Sequence[TableRow], width: int, *, taken: set[int], known: KnownSkus | None
) -> dict[Field, tuple[int, bool]]:
    """field -> (column, trusted) for the item (SKU or barcode) and quantity columns."""
    guesses: dict[Field, tuple[int, bool]] = {}
    if not data:
        return guesses
    best_sku: tuple[float, int] | None = None
    best_gtin: tuple[float, int] | None = None
    numeric: list[int] = []
    for column in range(width):
        if column in taken:
            continue
        values = [row.cell(column) for row in data]
        texts = [cell.text.strip() for cell in values if cell.text.strip()]
        if len(texts) < max(1, len(data) // 2):
            continue
        if known is not None:
            share = _known_share(data, column, known)
            if share >= 0.5 and (best_sku is None or share > best_sku[0]):
                best_sku = (share, column)
        gtins = sum(1 for text in texts if is_valid_gtin(text)) / len(texts)
        if gtins >= 0.8 and (best_gtin is None or gtins > best_gtin[0]):
            best_gtin = (gtins, column)
        if _quantities(values):
            numeric.append(column)
    item_column = None
    if best_sku is not None:
        guesses[Field.SKU] = (best_sku[1], best_sku[0] >= 0.8)
        item_column = best_sku[1]
    elif best_gtin is not None:
        guesses[Field.BARCODE] = (best_gtin[1], True)
        item_column = best_gtin[1]
    numeric = [column for column in numeric if column != item_column]
    if numeric:
        after = [column for column in numeric if item_column is None or column > item_column]
        guesses[Field.QUANTITY] = ((after or numeric)[0], len(numeric) == 1)
    return guesses


def _quantities(cells: Sequence[Cell]) -> bool:
    """Mostly small positive numbers that are not a running position (1, 2, 3 …)."""
    values = []
    for cell in cells:
        if cell.number is not None:
            values.append(cell.number)
            continue
        if not cell.text.strip():
            continue
        try:
            values.append(parse_number(cell.text).value)
        except BadNumber:
            return False
    if len(values) < max(1, len(cells) // 2) or not all(0 <= v < 100_000 for v in values):
        return False
    running = len(values) > 2 and all(b - a == 1 for a, b in pairwise(values))
    return not running


def _choices(
    header: TableRow | None, data: Sequence[TableRow], width: int, columns: dict[Field, int]
) -> tuple[ColumnChoice, ...]:
    by_column = {column: field for field, column in columns.items()}
    choices = []
    for column in range(width):
        title = header.cell(column).text if header is not None else ""
        if is_report_header(title):
            continue
        samples = tuple(
            text for text in (row.cell(column).text for row in data) if text
        )[:3]  # fmt: skip
        if title or samples:
            choices.append(
                ColumnChoice(column, column_letter(column), title, samples, by_column.get(column))
            )
    return tuple(choices)

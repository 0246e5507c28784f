"""A sheet as read from XLSX, CSV or a pasted table: rows of cells with their row numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: ``text`` as the buyer sees it ("" when empty), ``number`` when it holds one.

    ``problem`` says why the value cannot be trusted (a formula without a saved value, an
    Excel error such as #N/A, a number saved in scientific notation).
    """

    text: str = ""
    number: Decimal | None = None
    problem: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text and self.problem is None


EMPTY = Cell()


@dataclass(frozen=True, slots=True)
class TableRow:
    """``number`` is the row number the spreadsheet shows (1-based)."""

    number: int
    cells: tuple[Cell, ...]
    hidden: bool = False

    def cell(self, column: int) -> Cell:
        return self.cells[column] if 0 <= column < len(self.cells) else EMPTY

    @property
    def blank(self) -> bool:
        return all(cell.blank for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of one sheet; ``name`` is the sheet name (the file name for CSV)."""

    name: str
    rows: tuple[TableRow, ...]
    notes: tuple[str, ...] = field(default=())  # how it was read: "encoding windows-1252"

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    if index < 0:
        raise ValueError(f"column index must not be negative, not {index}")
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(ref: str) -> int:
    """ "A" -> 0, "aa" -> 26, "3" -> 2 (1-based numbers are accepted too); raises ValueError."""
    text = ref.strip().upper()
    if text.isdigit() and int(text) >= 1:
        return int(text) - 1
    if not text or not text.isascii() or not text.isalpha() or len(text) > 3:
        raise ValueError(f"{ref!r} is not a column (use a letter such as B, or a number)")
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number - 1

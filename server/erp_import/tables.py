"""Reading an ERP export (CSV or XLSX) as a header and numbered rows of text cells.

Every cell becomes text as the user would read it in a spreadsheet: XLSX numbers without a
trailing ".0", dates as ISO strings. Rows are numbered as the spreadsheet numbers them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from server.erp_import.numbers import DecimalMark, sniff_decimal_mark

DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class ImportFileError(Exception):
    """The file itself cannot be read (missing, corrupt, wrong format); the message says why."""


@dataclass(frozen=True, slots=True)
class Table:
    """The header (first non-blank row) and the data rows after it; blank rows are skipped."""

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    decimal_mark: DecimalMark
    # In CSV a cell beyond the header usually means a value held an unquoted delimiter.
    overflow_is_error: bool


@contextmanager
def open_table(path: Path) -> Iterator[Table | None]:
    """Yields the file's table, or None when it holds no non-blank row at all."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror or exc}") from exc
    if magic == _OLE_MAGIC:
        raise ImportFileError(f"{path} is an old Excel .xls file: save it as .xlsx or .csv")
    if magic == _ZIP_MAGIC:
        with _xlsx_table(path) as table:
            yield table
    else:
        yield _csv_table(path)


def _with_header(
    rows: Iterator[tuple[int, list[str]]], *, mark: DecimalMark, overflow_is_error: bool
) -> Table | None:
    for number, cells in rows:
        if any(cells):
            return Table(number, cells, _non_blank(rows), mark, overflow_is_error)
    return None


def _non_blank(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    return ((number, cells) for number, cells in rows if any(cells))


# --- CSV -----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is taken as Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most (',' when it uses none)."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {d: _count_unquoted(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_unquoted(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _csv_table(path: Path) -> Table | None:
    try:
        text = decode(path.read_bytes())
    except (OSError, UnicodeError) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from exc
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            # csv yields [] for a blank line, so counting records keeps spreadsheet numbering.
            for number, record in enumerate(reader, start=1):
                yield number, [cell.strip() for cell in record]
        except csv.Error as exc:
            raise ImportFileError(f"{path} is not valid CSV: {exc}") from exc

    mark = sniff_decimal_mark(text, delimiter)
    return _with_header(rows(), mark=mark, overflow_is_error=True)


# --- XLSX ----------------------------------------------------------------------------------


@contextmanager
def _xlsx_table(path: Path) -> Iterator[Table | None]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFileError(f"{path} is not a readable .xlsx workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        # Some writers store a wrong sheet size; without this read-only mode truncates rows.
        sheet.reset_dimensions()
        rows = (
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        # Numeric cells arrive as numbers; only text cells can hold a decimal comma.
        yield _with_header(rows, mark=DecimalMark.EITHER, overflow_is_error=False)
    finally:
        book.close()


def cell_text(value: object) -> str:
    """An XLSX cell value as the text a user sees: 12345.0 -> "12345", a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


_NOISE = Decimal("1e-9")


def float_text(value: float) -> str:
    """Shortest faithful text for a float, without exponent or binary noise (0.1+0.2 -> 0.3)."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    number = Decimal(repr(value))
    if not number.is_finite():
        return repr(value)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -9:
        number = number.quantize(_NOISE)
    text = format(number.normalize(), "f")
    return text

"""Reading a buyer's XLSX: the workbook opened by openpyxl (read-only, cached formula values),
the cells of one sheet decoded by a lean loop over the sheet's XML.

openpyxl's public read-only API hides two facts quick order must report: which rows are
hidden and which formula cells have no saved value (a file written by a program rather than
Excel). Both are in the sheet XML. This module walks that XML itself (the standard library's
pull parser, which is what openpyxl's ``iterparse`` runs, with openpyxl's shared strings, date
styles and epoch), decoding cells the way openpyxl's reader does; a test holds the two to
agreement on the golden files. Reading only the mapped columns makes an import cheaper than a
plain openpyxl read of the same file. The openpyxl internals used are named in
``_SheetSource``; the version is pinned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

from app.quickorder.table import EMPTY, Cell, TableRow

NO_SAVED_VALUE = "formula without a saved value: open and save the file in Excel"
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_DIGITS = "0123456789"
_SHORT = 8  # inline texts up to this long are decoded once per sheet
_CHUNK = 16 * 1024  # bytes of sheet XML parsed at a time, as iterparse does


class UnreadableFile(ValueError):
    """The file is not a workbook openpyxl can open; the message says what to do."""


class XlsxBook:
    """An open workbook: ``sheet_names()``, ``rows(sheet)``. Close it (or use ``with``)."""

    def __init__(self, path: Path) -> None:
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            raise UnreadableFile(
                f"{path.name} is not an Excel workbook openpyxl can read ({exc}); "
                "save it as .xlsx or .csv"
            ) from exc
        self._zero_pads: dict[int, int] = {}

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sheet_names(self) -> list[str]:
        """Worksheets, visible ones first (chart sheets have no cells and are left out)."""
        sheets = self._book.worksheets
        visible = [ws.title for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
        return visible + [ws.title for ws in sheets if ws.title not in visible]

    def rows(
        self, sheet: str, *, columns: frozenset[int] | None = None, limit: int | None = None
    ) -> Iterator[TableRow]:
        """The rows of ``sheet`` that hold anything, by sheet row number.

        ``columns`` (0-based) reads only those cells; ``limit`` stops after that row number.
        """
        source = _SheetSource(self._book, sheet)
        wanted = None if columns is None else frozenset(c + 1 for c in columns)
        decode = self._cell
        # Cells that decode the same as an earlier one: numbers by value and style, shared
        # strings by index, short inline texts by text (quantities, units and codes repeat).
        seen: dict[tuple[str, str | None], Cell] = {}
        words: dict[str, Cell] = {}
        letters: dict[str, int] = {}
        number = 0
        with source.open() as stream:
            for element in _row_elements(stream):
                ref = element.get("r")
                number = int(float(ref)) if ref is not None else number + 1
                if limit is not None and number > limit:
                    break
                hidden = element.get("hidden") in ("1", "true")
                cells: dict[int, Cell] = {}
                column = 0
                for cell in element:
                    where = cell.get("r")
                    if where is None:
                        column += 1
                    else:
                        name = where.rstrip(_DIGITS)
                        column = letters.get(name) or letters.setdefault(name, _index(name))
                    if wanted is not None and column not in wanted:
                        continue
                    # The common cells are decoded here, saving a call each: numbers, shared
                    # strings and plain inline text (what openpyxl and many exporters write).
                    # The rest goes through _cell.
                    kind = cell.get("t")
                    if kind is None or kind == "n" or kind == "s":
                        value = cell.findtext(_VALUE)
                        if value:
                            key = (value, kind if kind == "s" else cell.get("s"))
                            known = seen.get(key)
                            if known is None:
                                known = seen[key] = decode(source, cell, number, column)
                            cells[column] = known
                            continue
                    elif kind == "inlineStr" and len(cell) == 1:
                        inline = cell[0]
                        if len(inline) == 1 and inline.tag == _INLINE:
                            part = inline[0]
                            if part.tag == _TEXT:
                                cells[column] = _inline_cell(part.text, words)
                                continue
                    cells[column] = decode(source, cell, number, column)
                element.clear()
                if cells:
                    width = max(cells)
                    values = tuple(map(cells.get, range(1, width + 1), repeat(EMPTY, width)))
                    yield TableRow(number, values, hidden)

    def _cell(self, source: _SheetSource, element: Any, row: int, column: int) -> Cell:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            return _text(_inline_text(element))
        value = element.findtext(_VALUE)
        if value is None or value == "":
            if kind not in ("s", "str") and element.find(_FORMULA) is not None:
                return Cell("", None, NO_SAVED_VALUE)
            return EMPTY
        if kind == "s":
            return _text(str(source.shared_strings[int(value)]))
        if kind == "str":
            return _text(value)
        if kind == "b":
            return Cell("TRUE" if value == "1" else "FALSE")
        if kind == "e":
            return Cell(value, None, f"the cell shows the Excel error {value}")
        if kind == "d":
            return _date_cell(from_ISO8601(value))
        style = int(element.get("s", 0) or 0)
        if style in source.date_styles:
            try:
                moment = from_excel(_number(value), source.epoch, source.is_duration(style))
            except (OverflowError, ValueError):
                return Cell(value, None, f"the date serial {value} is out of range")
            return _date_cell(moment)
        number = _number(value)
        if isinstance(number, int) or number.is_integer():
            whole = int(number)
            return Cell(self._integer_text(source, style, row, column, whole), Decimal(whole))
        exact = Decimal(repr(number))
        return Cell(f"{exact:f}", exact)

    def _integer_text(
        self, source: _SheetSource, style: int, row: int, column: int, value: int
    ) -> str:
        """ "1234" - or "001234" when the cell's number format pads it with zeros."""
        width = self._zero_pads.get(style)
        if width is None:
            fmt = ReadOnlyCell(source.sheet, row, column, value, "n", style).number_format
            width = len(fmt) if fmt and set(fmt) == {"0"} and len(fmt) > 1 else 0
            self._zero_pads[style] = width
        text = str(value)
        return text.zfill(width) if width and value >= 0 else text


class _SheetSource:
    """The openpyxl internals the reader needs, in one place: the sheet's XML stream,
    the shared strings, and which styles are dates."""

    def __init__(self, book: Any, sheet: str) -> None:
        self.sheet = book[sheet]
        self.shared_strings = self.sheet._shared_strings
        self.date_styles: set[int] = book._date_formats
        self._durations: set[int] = book._timedelta_formats
        self.epoch: dt.datetime = book.epoch

    def open(self) -> Any:
        return self.sheet._get_source()

    def is_duration(self, style: int) -> bool:
        return style in self._durations


def _row_elements(stream: Any) -> Iterator[Any]:
    """The sheet's ``<row>`` elements, each as soon as it is complete (the caller clears it).

    The pull parser that ``iterparse`` wraps, fed directly: ``iterparse`` adds a generator
    step for every element, and a sheet has a dozen elements per row."""
    parser: XMLPullParser[Any] = XMLPullParser(("end",))
    events: Callable[[], Iterator[Any]] = parser.read_events  # ("end", element) pairs
    while chunk := stream.read(_CHUNK):
        parser.feed(chunk)
        for _event, element in events():
            if element.tag == _ROW:
                yield element
    parser.close()


def _inline_cell(text: str | None, words: dict[str, Cell]) -> Cell:
    """A plain inline text; short ones (units, flags) are decoded once per sheet."""
    if not text:
        return EMPTY
    if len(text) > _SHORT:
        return Cell(text)
    cell = words.get(text)
    if cell is None:
        cell = words[text] = Cell(text)
    return cell


def _index(letters: str) -> int:
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    return column


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _inline_text(element: Any) -> str:
    inline = element.find(_INLINE)
    if inline is None:
        return ""
    parts = [inline.findtext(_TEXT) or ""]
    parts += [run.findtext(_TEXT) or "" for run in inline.iterfind(_RUN)]
    return "".join(parts)


def _text(value: str) -> Cell:
    return Cell(value) if value else EMPTY


def _date_cell(value: dt.datetime | dt.date | dt.time | dt.timedelta) -> Cell:
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return Cell(value.date().isoformat())
        return Cell(value.isoformat(sep=" "))
    return Cell(str(value))

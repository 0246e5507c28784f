"""The round-trip report: a copy of the buyer's own workbook with a status and a message
column and the problem cells filled red (error) or amber (warning), so the buyer fixes the
file they know and imports it again. A CSV becomes a workbook with the same rows.

Formulas, formats and other sheets of the original are kept (openpyxl, not read-only). A
report of a report reuses its status columns and clears the fills it set last time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.quickorder.headers import MESSAGE_HEADER, STATUS_HEADER, normalise_header
from app.quickorder.lines import ITEM_FIELDS, Field, LineStatus, QuickOrderReport, Severity
from app.quickorder.mapping import ColumnMapping
from app.quickorder.table import Table

_COLOURS = {
    LineStatus.OK: "C6EFCE",
    LineStatus.WARNING: "FFEB9C",
    LineStatus.ERROR: "FFC7CE",
    LineStatus.SKIPPED: "D9D9D9",
}
_CELL_COLOURS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
_OURS = {f"00{colour}" for colour in _COLOURS.values()} | {
    f"FF{colour}" for colour in _COLOURS.values()
}
_NO_FILL = PatternFill(fill_type=None)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def write_report(
    *,
    source: Path,
    out: Path,
    sheet: str,
    mapping: ColumnMapping,
    report: QuickOrderReport,
    table: Table | None = None,
) -> Path:
    """Write the annotated copy to ``out`` (.xlsx) and return it.

    ``table`` is the CSV's content when ``source`` is a CSV; for a workbook the original
    file is copied. Every reported row gets a status; skipped rows say why.
    """
    if table is not None:
        book = Workbook()
        ws = book.active
        ws.title = sheet[:31] or "Order"
        for table_row in table.rows:
            for column, value in enumerate(table_row.cells, start=1):
                if value.text:
                    ws.cell(table_row.number, column).value = value.text  # text: zeros stay
    else:
        book = load_workbook(source)
        ws = book[sheet]
    status_column, message_column = _report_columns(ws, mapping.header_row)
    if mapping.header_row is not None:
        for column, title in ((status_column, STATUS_HEADER), (message_column, MESSAGE_HEADER)):
            cell = ws.cell(mapping.header_row, column)
            cell.value = title
            cell.font = Font(bold=True)
    ws.column_dimensions[_letter(message_column)].width = 70
    ws.column_dimensions[_letter(status_column)].width = 12
    for outcome in report.rows():
        row = outcome.row
        line = outcome.line
        for column in mapping.columns.values():
            cell = ws.cell(row, column + 1)
            if _colour(cell) in _OURS:
                cell.fill = _NO_FILL
        status_cell = ws.cell(row, status_column)
        status_cell.value = line.status.value
        status_cell.fill = _fill(_COLOURS[line.status])
        ws.cell(row, message_column).value = line.message or None
        for problem in line.problems:
            if problem.row not in (None, row):
                continue
            colour = _CELL_COLOURS.get(problem.severity)
            target = _problem_column(problem.field, mapping)
            if colour is not None and target is not None:
                ws.cell(row, target + 1).fill = _fill(colour)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _report_columns(ws: Any, header_row: int | None) -> tuple[int, int]:
    """Existing status/message columns of an earlier report, else two new ones at the end."""
    if header_row is not None:
        titles = {
            normalise_header(str(cell.value)): cell.column
            for cell in ws[header_row]
            if cell.value is not None
        }
        status = titles.get(normalise_header(STATUS_HEADER))
        message = titles.get(normalise_header(MESSAGE_HEADER))
        if status is not None and message is not None:
            return status, message
    last = ws.max_column if ws.max_row > 1 or ws.max_column > 1 else 0
    return last + 1, last + 2


def _problem_column(field: Field | None, mapping: ColumnMapping) -> int | None:
    if field is not None and field in mapping.columns:
        return mapping.columns[field]
    # A problem of the line as a whole (no price, discontinued) marks its item cell.
    return next((mapping.columns[f] for f in ITEM_FIELDS if f in mapping.columns), None)


def _colour(cell: Any) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor.rgb if fill.fgColor is not None else None
    return colour if isinstance(colour, str) else None


def _letter(column: int) -> str:
    return str(get_column_letter(column))

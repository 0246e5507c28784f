"""The lean XLSX reader reads what openpyxl reads, and what openpyxl's API hides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.quickorder.table import TableRow
from app.quickorder.xlsx import NO_SAVED_VALUE, XlsxBook
from tests.quickorder.workbooks import build


def reference(value: object) -> str:
    """openpyxl's value as the reader should show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{Decimal(repr(value)):f}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else str(value)
    return str(value)


def read_all(path: Path, sheet: str) -> dict[int, TableRow]:
    with XlsxBook(path) as book:
        return {row.number: row for row in book.rows(sheet)}


@pytest.mark.parametrize(
    "name",
    [
        "site-order.xlsx",
        "site-order-excel.xlsx",
        "formulas-with-saved-values.xlsx",
        "numbers-as-numbers.xlsx",
    ],
)
def test_cells_agree_with_openpyxl(name: str, tmp_path: Path) -> None:
    path = build(name, tmp_path)
    book = load_workbook(path, read_only=True, data_only=True)
    full = load_workbook(path)
    for ws in book.worksheets:
        mine = read_all(path, ws.title)
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            row = mine.get(number)
            for column, value in enumerate(values):
                cell = row.cell(column) if row else None
                text = cell.text if cell else ""
                if cell is not None and cell.problem == NO_SAVED_VALUE:
                    assert value is None  # openpyxl reads it as empty
                    continue
                if name.startswith("site-order") and (number, column) == (6, 1):
                    assert (value, text) == (1234, "001234")  # the 000000 format
                    continue
                assert text == reference(value), (ws.title, number, column)
            hidden = bool(full[ws.title].row_dimensions[number].hidden)
            assert (row.hidden if row else False) == hidden


def test_types_dates_errors_and_column_subsets(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    day, moment = dt.date(2026, 11, 24), dt.time(8, 30)
    # Excel cells have no time zone: naive datetimes are what a workbook holds.
    ws.append(["text", 7, 2.5, True, dt.datetime.combine(day, dt.time(0)),
               dt.datetime.combine(day, moment)])  # fmt: skip
    ws["G1"] = "=1/0"
    ws["A3"] = "  spaced  "
    path = tmp_path / "types.xlsx"
    book.save(path)
    rows = read_all(path, "Sheet")
    first = rows[1]
    assert [c.text for c in first.cells] == [
        "text", "7", "2.5", "TRUE", "2026-11-24", "2026-11-24 08:30:00", "",
    ]  # fmt: skip
    assert first.cells[1].number == Decimal(7) and first.cells[2].number == Decimal("2.5")
    assert first.cells[6].problem == NO_SAVED_VALUE
    assert 2 not in rows and rows[3].cells[0].text == "  spaced  "
    with XlsxBook(path) as opened:
        subset = list(opened.rows("Sheet", columns=frozenset({2})))
    assert [[c.text for c in row.cells] for row in subset] == [["", "", "2.5"]]


def test_repeated_cells_keep_their_own_format(tmp_path: Path) -> None:
    # Cells that repeat are decoded once, by value and style: the same number shows its own
    # number format in each column.
    book = Workbook()
    ws = book.active
    for _ in range(3):
        ws.append([1234, 1234, "EA", "Stück", "EA"])
    for (padded,) in ws.iter_rows(min_col=2, max_col=2):
        padded.number_format = "000000"
    path = tmp_path / "repeated.xlsx"
    book.save(path)
    rows = read_all(path, "Sheet")
    assert [[c.text for c in row.cells] for row in rows.values()] == [
        ["1234", "001234", "EA", "Stück", "EA"],
    ] * 3
    assert rows[1].cells[0].number == rows[3].cells[1].number == Decimal(1234)

"""Exporting a saved list to XLSX in the layout quick order imports (SKU, Quantity, Unit,
Note; the name for people), so a buyer can edit it in Excel and import it again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = ("SKU", "Quantity", "Unit", "Note", "Description")


@dataclass(frozen=True, slots=True)
class ExportLine:
    sku: str
    quantity: Decimal
    unit: str
    note: str | None
    name: str | None


def write_list(path: Path, title: str, lines: Sequence[ExportLine]) -> Path:
    """Write ``lines`` to ``path``; SKUs are text cells, quantities numbers."""
    book = Workbook()
    ws = book.active
    ws.title = (title.strip() or "List")[:31].replace("/", "-")
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for line in lines:
        quantity: int | float = (
            int(line.quantity)
            if line.quantity == line.quantity.to_integral_value()
            else float(line.quantity)
        )
        ws.append([line.sku, quantity, line.unit, line.note, line.name])
        ws.cell(ws.max_row, 1).number_format = "@"  # keep "001234" as text
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["E"].width = 40
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path

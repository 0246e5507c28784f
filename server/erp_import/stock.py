"""Stock file: available quantity, next receipt and lead time per product and warehouse.

Rows that match the database are left alone, `as_of` included, so an unchanged level keeps
the time it was first reported and sends nothing to the clients.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.catalog.models import Product
from server.changes import service as changelog
from server.db import utcnow
from server.erp_import.bulk import insert_rows, select_in, table_of, update_rows
from server.erp_import.cells import RowCells
from server.erp_import.columns import SKU, Column, Layout
from server.erp_import.rows import Tally, data_rows, drop_duplicates, header, refuse
from server.erp_import.tables import Table
from server.stock.models import Stock, Warehouse

LAYOUT = Layout(
    "stock file",
    (
        SKU,
        Column("warehouse", ("warehouse code", "wh", "location", "site"), required=True),
        Column("available", ("qty", "quantity", "on hand", "stock", "free stock"), required=True),
        Column("next_receipt_date", ("next receipt", "receipt date", "eta", "due date")),
        Column("next_receipt_qty", ("receipt qty", "incoming", "incoming qty")),
        Column("lead_time_days", ("lead time", "lead days")),
    ),
)
DEFAULTS: dict[str, object] = {
    "next_receipt_date": None,
    "next_receipt_qty": None,
    "lead_time_days": 3,
}


@dataclass(frozen=True, slots=True)
class StockRow:
    row: int
    sku: str
    warehouse: str
    fields: dict[str, object]  # the stock columns the file has


def import_stock(session: Session, table: Table, tally: Tally) -> None:
    match = header(table, LAYOUT, tally)
    if match is None:
        return
    parsed = (_read(cells, tally) for cells in data_rows(table, match, tally))
    records = drop_duplicates(
        [r for r in parsed if r is not None],
        key=lambda r: (r.sku, r.warehouse),
        row=lambda r: r.row,
        column="sku",
        describe=lambda r: f"{r.sku} in warehouse {r.warehouse}",
        tally=tally,
    )
    products = {
        sku: product_id
        for sku, product_id in select_in(
            session, select(Product.sku, Product.id), Product.sku, {r.sku for r in records}
        )
    }
    warehouses = {code: i for i, code in session.execute(select(Warehouse.id, Warehouse.code))}
    stock = table_of(Stock)
    existing = {
        (row.product_id, row.warehouse_id): row._asdict()
        for row in select_in(session, select(stock), stock.c.product_id, set(products.values()))
    }
    now = utcnow()
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    changed: dict[int, str] = {}
    for record in records:
        product_id = products.get(record.sku)
        warehouse_id = warehouses.get(record.warehouse)
        if product_id is None:
            refuse(tally, record.row, "sku", record.sku, f"unknown SKU {record.sku!r}")
        if warehouse_id is None:
            known = ", ".join(sorted(warehouses)) or "none"
            refuse(
                tally,
                record.row,
                "warehouse",
                record.warehouse,
                f"unknown warehouse {record.warehouse!r} (known: {known})",
            )
        if product_id is None or warehouse_id is None:
            continue
        key = {"product_id": product_id, "warehouse_id": warehouse_id}
        old = existing.get((product_id, warehouse_id))
        if old is None:
            inserts.append({**DEFAULTS, **record.fields, **key, "as_of": now})
        elif any(old[k] != v for k, v in record.fields.items()):
            updates.append({**record.fields, **key, "as_of": now})
        else:
            tally.unchanged += 1
            continue
        changed[product_id] = record.sku
    tally.created += len(inserts)
    tally.updated += len(updates)
    insert_rows(session, stock, inserts)
    update_rows(session, stock, updates, keys=("product_id", "warehouse_id"))
    if changed:
        changelog.record_product_changes(session, changed, stock=True)


def _read(cells: RowCells, tally: Tally) -> StockRow | None:
    sku = cells.text("sku", max_length=64, required=True)
    warehouse = cells.text("warehouse", max_length=16, required=True)
    fields: dict[str, object] = {"available": cells.required_decimal("available")}
    if cells.has("next_receipt_date"):
        fields["next_receipt_date"] = cells.date("next_receipt_date")
    if cells.has("next_receipt_qty"):
        fields["next_receipt_qty"] = cells.decimal("next_receipt_qty")
    if cells.has("lead_time_days"):
        fields["lead_time_days"] = cells.integer("lead_time_days", default=3)
    if not cells.ok:
        tally.errors.extend(cells.errors)
        return None
    return StockRow(cells.row, sku, warehouse, fields)

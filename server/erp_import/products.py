"""Products file: upsert products by SKU, with their units, GTINs and assortment membership.

A column the file lacks is left as the database has it; with an assortments column, each
product's membership becomes exactly the listed codes (an empty cell: no assortment).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, delete
from sqlalchemy.orm import Session

from server.catalog.models import AssortmentProduct, Product, ProductUnit
from server.changes import service as changelog
from server.db import utcnow
from server.erp_import.bulk import (
    chunked,
    delete_in,
    insert_returning_ids,
    insert_rows,
    table_of,
    update_rows,
)
from server.erp_import.cells import RowCells
from server.erp_import.columns import SKU, Column, Layout
from server.erp_import.product_checks import Catalog, Existing, ProductRow, load_catalog, resolve
from server.erp_import.product_units import read_gtin, read_units
from server.erp_import.rows import Tally, data_rows, drop_duplicates, header
from server.erp_import.tables import Table

LAYOUT = Layout(
    "products file",
    (
        SKU,
        Column("name", ("product name", "item name", "title"), required=True),
        Column("description", ("long description", "desc")),
        Column("category", ("product group", "group")),
        Column("brand", ("manufacturer",)),
        Column("base_unit", ("unit", "uom", "base uom")),
        Column("min_qty", ("minimum", "minimum qty", "min order qty", "moq")),
        Column("multiple", ("order multiple", "pack multiple", "increment")),
        Column("list_price", ("price", "rrp", "msrp")),
        Column("currency", ("cur",)),
        Column("status", ("lifecycle",)),
        Column("replacement_sku", ("replacement", "replaced by", "successor")),
        Column("gtin", ("ean", "upc", "barcode", "ean13")),
        Column("units", ("extra units", "pack units")),
        Column("assortments", ("assortment",)),
    ),
)
STATUSES = ("active", "discontinued")
_CODE_SEPARATORS = re.compile(r"[;|,]")

# How to read each product column from a row, and what a new product gets without it.
_READERS: dict[str, Callable[[RowCells], object]] = {
    "name": lambda c: c.text("name", max_length=300, required=True),
    "description": lambda c: c.text("description", max_length=20_000),
    "category": lambda c: c.text("category", max_length=100),
    "brand": lambda c: c.text("brand", max_length=100),
    "base_unit": lambda c: c.code("base_unit", max_length=8, default="EA"),
    "min_qty": lambda c: c.decimal("min_qty", default=Decimal(1)),
    "multiple": lambda c: c.decimal("multiple", default=Decimal(1), positive=True),
    "list_price": lambda c: c.decimal("list_price"),
    "currency": lambda c: c.currency("currency"),
    "status": lambda c: c.choice("status", STATUSES, default="active"),
    "replacement_sku": lambda c: c.optional_text("replacement_sku", max_length=64),
}
DEFAULTS: dict[str, object] = {
    "description": "",
    "category": "",
    "brand": "",
    "base_unit": "EA",
    "min_qty": Decimal(1),
    "multiple": Decimal(1),
    "list_price": None,
    "currency": "EUR",
    "status": "active",
    "replacement_sku": None,
}


@dataclass(slots=True)
class Plan:
    """The writes an import makes, worked out before any of them."""

    creates: list[ProductRow] = field(default_factory=list)
    updates: list[tuple[ProductRow, Existing]] = field(default_factory=list)
    # Products whose own data changed (not only membership): every assortment holding them.
    changed: dict[int, str] = field(default_factory=dict)
    new_units: list[ProductRow] = field(default_factory=list)  # existing products only
    added: dict[int, list[ProductRow]] = field(default_factory=dict)
    removed: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


def import_products(session: Session, table: Table, tally: Tally) -> None:
    match = header(table, LAYOUT, tally)
    if match is None:
        return
    parsed = (_read(cells, tally) for cells in data_rows(table, match, tally))
    records = drop_duplicates(
        [r for r in parsed if r is not None],
        key=lambda r: r.sku,
        row=lambda r: r.row,
        column="sku",
        describe=lambda r: r.sku,
        tally=tally,
    )
    catalog = load_catalog(session, records, memberships=match.has("assortments"))
    valid = resolve(records, catalog, tally)
    _write(session, _plan(valid, catalog, tally))


def _read(cells: RowCells, tally: Tally) -> ProductRow | None:
    sku = cells.text("sku", max_length=64, required=True)
    fields = {name: read(cells) for name, read in _READERS.items() if cells.has(name)}
    gtin = read_gtin(cells) if cells.has("gtin") else None
    units = read_units(cells) if cells.has("units") else None
    codes = None
    if cells.has("assortments"):
        split = (c.strip() for c in _CODE_SEPARATORS.split(cells.raw("assortments")))
        codes = list(dict.fromkeys(c for c in split if c))
    if not cells.ok:
        tally.errors.extend(cells.errors)
        return None
    return ProductRow(cells.row, sku, fields, gtin, cells.has("gtin"), units, codes)


def _plan(valid: dict[str, ProductRow], catalog: Catalog, tally: Tally) -> Plan:
    plan = Plan()
    for record in valid.values():
        old = catalog.products.get(record.sku)
        wanted = record.wanted_assortments
        if old is None:
            plan.creates.append(record)
            for assortment_id in wanted or ():
                plan.added.setdefault(assortment_id, []).append(record)
            continue
        fields_differ = any(old.fields[k] != v for k, v in record.fields.items())
        units_differ = record.wanted_units != old.units
        if fields_differ or units_differ:
            plan.changed[old.id] = record.sku
        if units_differ:
            plan.new_units.append(record)
        if wanted is not None:
            for assortment_id in wanted - old.assortments:
                plan.added.setdefault(assortment_id, []).append(record)
            for assortment_id in old.assortments - wanted:
                plan.removed.setdefault(assortment_id, []).append((old.id, record.sku))
        if fields_differ or units_differ or (wanted is not None and wanted != old.assortments):
            plan.updates.append((record, old))
        else:
            tally.unchanged += 1
    tally.created += len(plan.creates)
    tally.updated += len(plan.updates)
    return plan


def _write(session: Session, plan: Plan) -> None:
    products, units = table_of(Product), table_of(ProductUnit)
    memberships = table_of(AssortmentProduct)
    now = utcnow()
    new_ids = insert_returning_ids(
        session,
        products,
        [{**DEFAULTS, **r.fields, "sku": r.sku, "updated_at": now} for r in plan.creates],
        "sku",
    )
    update_rows(
        session,
        products,
        [{"id": old.id, **r.fields, "updated_at": now} for r, old in plan.updates],
    )
    ids = {r.sku: old.id for r, old in plan.updates} | new_ids
    # Old units go first, so a GTIN can move from one product to another in the same file.
    delete_in(session, units, "product_id", [ids[r.sku] for r in plan.new_units])
    insert_rows(
        session,
        units,
        [
            {"product_id": ids[r.sku], "code": u.code, "factor": u.factor, "gtin": u.gtin}
            for r in (*plan.new_units, *plan.creates)
            for u in sorted(r.wanted_units, key=lambda u: (u.factor, u.code))
        ],
    )
    for assortment_id, leaving in plan.removed.items():
        for chunk in chunked([product_id for product_id, _ in leaving]):
            session.execute(
                delete(memberships).where(
                    and_(
                        memberships.c.assortment_id == assortment_id,
                        memberships.c.product_id.in_(chunk),
                    )
                )
            )
        changelog.record_scope_change(
            session, assortment_id, [sku for _, sku in leaving], removed=True
        )
    for assortment_id, joining in plan.added.items():
        insert_rows(
            session,
            memberships,
            [{"assortment_id": assortment_id, "product_id": ids[r.sku]} for r in joining],
        )
        changelog.record_scope_change(
            session, assortment_id, [r.sku for r in joining], removed=False
        )
    if plan.changed:
        changelog.record_product_changes(session, plan.changed)

"""Checking product rows against the catalog: units, GTIN owners, assortments, replacements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.catalog.models import Assortment, AssortmentProduct, Product, ProductUnit
from server.erp_import.bulk import select_in, table_of
from server.erp_import.product_units import Unit, gtin_spellings, resolve_units, same_gtin
from server.erp_import.rows import Tally, refuse

PRODUCT_FIELDS = (
    "name",
    "description",
    "category",
    "brand",
    "base_unit",
    "min_qty",
    "multiple",
    "list_price",
    "currency",
    "status",
    "replacement_sku",
)


@dataclass(slots=True)
class ProductRow:
    """One readable row of a products file, and what it asks the product to become."""

    row: int
    sku: str
    fields: dict[str, object]  # only the product columns the file has
    gtin: str | None
    has_gtin: bool  # False: the file has no gtin column, keep the base unit's GTIN
    units: list[Unit] | None  # None: the file has no units column, keep the extra units
    assortment_codes: list[str] | None  # None: the file has no assortments column
    wanted_units: frozenset[Unit] = frozenset()
    wanted_assortments: frozenset[int] | None = None


@dataclass(frozen=True, slots=True)
class Existing:
    id: int
    fields: dict[str, object]
    units: frozenset[Unit]
    assortments: frozenset[int]


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the database holds that the file's rows touch or refer to."""

    products: dict[str, Existing]  # by SKU, the products the file names
    known_skus: set[str]  # those plus the replacement SKUs that exist
    gtin_owners: dict[str, str]  # same_gtin() of a GTIN in the file -> SKU holding it now
    assortments: dict[str, int]  # code -> id


def load_catalog(session: Session, records: list[ProductRow], *, memberships: bool) -> Catalog:
    """Everything the rows need from the database, in a few chunked queries."""
    products = table_of(Product)
    skus = {r.sku for r in records}
    found: dict[str, tuple[int, dict[str, object]]] = {}
    columns = [products.c.sku, products.c.id, *(products.c[name] for name in PRODUCT_FIELDS)]
    for sku, product_id, *values in select_in(session, select(*columns), products.c.sku, skus):
        found[sku] = (product_id, dict(zip(PRODUCT_FIELDS, values, strict=True)))
    targets = {str(r.fields["replacement_sku"]) for r in records if r.fields.get("replacement_sku")}
    targets -= skus
    known = set(found) | {
        s for (s,) in select_in(session, select(Product.sku), Product.sku, targets)
    }

    ids = [product_id for product_id, _ in found.values()]
    units: dict[int, set[Unit]] = {}
    stmt = select(ProductUnit.product_id, ProductUnit.code, ProductUnit.factor, ProductUnit.gtin)
    for product_id, code, factor, gtin in select_in(session, stmt, ProductUnit.product_id, ids):
        units.setdefault(product_id, set()).add(Unit(code, factor, gtin))
    held: dict[int, set[int]] = {}
    if memberships:
        stmt2 = select(AssortmentProduct.product_id, AssortmentProduct.assortment_id)
        for product_id, assortment_id in select_in(
            session, stmt2, AssortmentProduct.product_id, ids
        ):
            held.setdefault(product_id, set()).add(assortment_id)

    gtins = {r.gtin for r in records if r.gtin}
    gtins.update(u.gtin for r in records for u in r.units or () if u.gtin)
    spellings = {spelling for gtin in gtins for spelling in gtin_spellings(gtin)}
    owners = select(ProductUnit.gtin, Product.sku).join(
        Product, Product.id == ProductUnit.product_id
    )
    return Catalog(
        products={
            sku: Existing(
                product_id,
                values,
                frozenset(units.get(product_id, ())),
                frozenset(held.get(product_id, ())),
            )
            for sku, (product_id, values) in found.items()
        },
        known_skus=known,
        gtin_owners={
            same_gtin(gtin): sku
            for gtin, sku in select_in(session, owners, ProductUnit.gtin, spellings)
            if gtin
        },
        assortments={
            code: i for i, code in session.execute(select(Assortment.id, Assortment.code))
        },
    )


def resolve(records: list[ProductRow], catalog: Catalog, tally: Tally) -> dict[str, ProductRow]:
    """The rows (by SKU) whose units, assortments, GTINs and replacement all check out."""
    valid = {r.sku: r for r in records if _settle(r, catalog, tally)}
    _refuse_shared_gtins(valid, tally)
    # Refusing a row can break a row that relied on it (its replacement, a GTIN it gave up).
    while True:
        refused = [r for r in valid.values() if not _references_ok(r, valid, catalog, tally)]
        if not refused:
            return valid
        for record in refused:
            del valid[record.sku]


def _settle(record: ProductRow, catalog: Catalog, tally: Tally) -> bool:
    """Work out the row's units and assortments; False (and errors) if they do not fit."""
    ok = True
    old = catalog.products.get(record.sku)
    old_base = str(old.fields["base_unit"]) if old else "EA"
    base = str(record.fields.get("base_unit", old_base))
    old_units = old.units if old else frozenset()
    gtin = (
        record.gtin
        if record.has_gtin
        else next((u.gtin for u in old_units if u.code == old_base), None)
    )
    extras = record.units
    if extras is None:
        extras = sorted(u for u in old_units if u.code != old_base)
    try:
        record.wanted_units = resolve_units(base, gtin, extras)
    except ValueError as exc:
        column = "units" if record.units is not None else "base_unit"
        refuse(tally, record.row, column, None, str(exc))
        ok = False
    codes = record.assortment_codes
    if codes is not None:
        unknown = [c for c in codes if c not in catalog.assortments]
        if unknown:
            known = ", ".join(sorted(catalog.assortments)) or "none"
            names = ", ".join(map(repr, unknown))
            refuse(
                tally,
                record.row,
                "assortments",
                ";".join(unknown),
                f"unknown assortment {names} (known: {known})",
            )
            ok = False
        else:
            record.wanted_assortments = frozenset(catalog.assortments[c] for c in codes)
    return ok


def _refuse_shared_gtins(valid: dict[str, ProductRow], tally: Tally) -> None:
    claims: dict[str, list[tuple[ProductRow, str]]] = {}
    for record in valid.values():
        for unit in record.wanted_units:
            if unit.gtin:
                claims.setdefault(same_gtin(unit.gtin), []).append((record, unit.gtin))
    for claimants in claims.values():
        if len(claimants) < 2:
            continue
        rows = ", ".join(str(r.row) for r, _ in claimants)
        for record, gtin in claimants:
            if valid.pop(record.sku, None) is not None:
                refuse(
                    tally,
                    record.row,
                    _gtin_column(record, gtin),
                    gtin,
                    f"GTIN {gtin} is given to more than one product (rows {rows})",
                )


def _references_ok(
    record: ProductRow, valid: dict[str, ProductRow], catalog: Catalog, tally: Tally
) -> bool:
    ok = True
    replacement = record.fields.get("replacement_sku")
    if isinstance(replacement, str):
        if replacement == record.sku:
            refuse(
                tally,
                record.row,
                "replacement_sku",
                replacement,
                "a product cannot be its own replacement",
            )
            ok = False
        elif replacement not in valid and replacement not in catalog.known_skus:
            refuse(
                tally,
                record.row,
                "replacement_sku",
                replacement,
                f"replacement SKU {replacement!r} is neither in the catalog nor imported",
            )
            ok = False
    for unit in record.wanted_units:
        if unit.gtin is None:
            continue
        key = same_gtin(unit.gtin)
        owner = catalog.gtin_owners.get(key)
        if owner is None or owner == record.sku:
            continue
        releasing = valid.get(owner)
        if releasing is None or any(
            u.gtin and same_gtin(u.gtin) == key for u in releasing.wanted_units
        ):
            refuse(
                tally,
                record.row,
                _gtin_column(record, unit.gtin),
                unit.gtin,
                f"GTIN {unit.gtin} already belongs to SKU {owner!r}",
            )
            ok = False
    return ok


def _gtin_column(record: ProductRow, gtin: str) -> str:
    if record.has_gtin and record.gtin == gtin:
        return "gtin"
    return "units" if record.units is not None else "gtin"

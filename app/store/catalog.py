"""Catalog reads over the replica: search, lookups by SKU or barcode, and domain objects.

Functions take a Session so a write (pricing a cart at submit) can read in its own
transaction; ``Replica`` wraps each in a short read transaction for everyone else. They
return plain dataclasses or ``app.domain`` objects, never ORM rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.domain.gtin import is_valid_gtin, normalize_gtin
from app.domain.pricing import ContractPrice, PriceListPrices, PriceTier, ProductPricing
from app.domain.quantity import QuantityRule
from app.domain.units import ProductUnits, UnitOfMeasure


class UnknownProduct(LookupError):
    """No product with that SKU in the replica (not in the assortment, or not synced yet)."""


@dataclass(frozen=True, slots=True)
class ProductHit:
    """One search result."""

    sku: str
    name: str
    category: str | None
    brand: str | None
    base_unit: str
    status: str


@dataclass(frozen=True, slots=True)
class UnitInfo:
    code: str
    factor: int
    gtin: str | None  # GTIN-14


@dataclass(frozen=True, slots=True)
class ProductDetails:
    """A product as the catalog shows it; decimals parsed, units ordered by factor."""

    sku: str
    name: str
    description: str | None
    category: str | None
    brand: str | None
    base_unit: str
    min_qty: Decimal
    multiple: Decimal
    list_price: Decimal | None
    currency: str | None
    status: str
    replacement_sku: str | None
    units: tuple[UnitInfo, ...]


@dataclass(frozen=True, slots=True)
class GtinMatch:
    """The product a barcode belongs to, and the unit it stands for (a case barcode: CS)."""

    product: ProductDetails
    unit: str
    factor: int


_HIT = "p.sku, p.name, p.category, p.brand, p.base_unit, p.status"
_DETAILS = (
    "p.sku, p.name, p.description, p.category, p.brand, p.base_unit, p.min_qty, p.multiple, "
    "p.list_price, p.currency, p.status, p.replacement_sku"
)
_WORD = re.compile(r"\w+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Column weights for bm25: sku, name, description, brand, category, barcodes.
_RANK = "bm25(products_fts, 10.0, 5.0, 1.0, 2.0, 2.0, 10.0)"


def search_products(
    session: Session, query: str, *, limit: int = 50, category: str | None = None
) -> list[ProductHit]:
    """Products matching ``query``: an exact SKU or GTIN first, then SKU prefixes, then words.

    Words match as prefixes in SKU, name, description, brand, category and barcodes ("scr
    galv" finds "Screw, galvanised"). An empty query lists products by name.
    """
    conn = session.connection()
    text = query.strip()
    where_cat, cat = (" AND p.category = ?", (category,)) if category else ("", ())
    if not text:
        return _hits(
            conn,
            f"SELECT {_HIT} FROM products p WHERE 1 = 1{where_cat} ORDER BY p.name LIMIT ?",
            (*cat, limit),
        )
    found: dict[str, ProductHit] = {}

    def add(hits: list[ProductHit]) -> None:
        for hit in hits:
            if len(found) < limit:
                found.setdefault(hit.sku, hit)

    add(_hits(conn, f"SELECT {_HIT} FROM products p WHERE p.sku = ? COLLATE NOCASE{where_cat}",
              (text, *cat)))  # fmt: skip
    if is_valid_gtin(text):
        add(
            _hits(
                conn,
                f"SELECT {_HIT} FROM product_units u JOIN products p ON p.sku = u.sku "
                f"WHERE u.gtin = ?{where_cat}",
                (normalize_gtin(text), *cat),
            )
        )
    # The FTS tokenizer splits "FAS-0012", so SKU prefixes use the NOCASE index as a range.
    low = text.translate(_ASCII_LOWER)
    high = low[:-1] + chr(ord(low[-1]) + 1)
    add(
        _hits(
            conn,
            f"SELECT {_HIT} FROM products p WHERE p.sku >= ? COLLATE NOCASE "
            f"AND p.sku < ? COLLATE NOCASE{where_cat} ORDER BY p.sku COLLATE NOCASE LIMIT ?",
            (low, high, *cat, limit),
        )
    )
    words = _WORD.findall(text)[:8]
    if words and len(found) < limit:
        match = " ".join(f'"{word}"*' for word in words)
        # Ranking a very broad prefix (one or two letters) costs ~100 ms; skip it there.
        order = f" ORDER BY {_RANK}" if sum(map(len, words)) >= 3 else ""
        add(
            _hits(
                conn,
                # CROSS JOIN: the words first; with a category SQLite would otherwise run
                # the full-text query once per product of that category (seconds).
                f"SELECT {_HIT} FROM products_fts CROSS JOIN products p "
                f"ON p.id = products_fts.rowid "
                f"WHERE products_fts MATCH ?{where_cat}{order} LIMIT ?",
                (match, *cat, limit + len(found)),
            )
        )
    return list(found.values())


@dataclass(frozen=True, slots=True)
class CatalogFilter:
    """The catalog screen's filters; an empty filter lets every product through."""

    category: str | None = None
    brand: str | None = None
    in_stock: bool = False  # some warehouse had some available at the last stock sync

    @property
    def active(self) -> bool:
        return bool(self.category or self.brand or self.in_stock)

    def sql(self) -> tuple[str, str, tuple[object, ...]]:
        """(a join after ``products p``, conditions on ``p``, their parameters)."""
        join = " CROSS JOIN stock s ON s.sku = p.sku AND s.in_stock = 1" if self.in_stock else ""
        where: list[str] = []
        params: list[object] = []
        for column, value in (("category", self.category), ("brand", self.brand)):
            if value:
                where.append(f" AND p.{column} = ?")
                params.append(value)
        return join, "".join(where), tuple(params)


@dataclass(frozen=True, slots=True)
class Facets:
    """The values the catalog can be filtered by, sorted."""

    categories: list[str]
    brands: list[str]


def facets(session: Session) -> Facets:
    """Every category and brand in the replica (each through its index: a few ms at 100k)."""
    conn = session.connection()

    def distinct(column: str) -> list[str]:
        rows = conn.exec_driver_sql(
            f"SELECT DISTINCT {column} FROM products WHERE {column} IS NOT NULL"
        )
        return sorted((str(v) for (v,) in rows if str(v).strip()), key=str.casefold)

    return Facets(distinct("category"), distinct("brand"))


def filtered_skus(
    session: Session, query: str, filters: CatalogFilter, *, limit: int, rank_up_to: int
) -> list[str]:
    """The SKUs a filtered catalog search lists, in ``search_products`` order: an exact SKU
    or GTIN, SKU prefixes, then words (ranked when at most ``rank_up_to`` products match
    the words; a broad prefix is listed in catalog order). No text: by name.

    Word matches are read from the full-text index first and then filtered (CROSS JOIN
    fixes that order): left to itself SQLite starts from the category index and runs the
    full-text query once per product, which took seconds at 100,000 SKUs.
    """
    conn = session.connection()
    join, where, params = filters.sql()
    text = query.strip()
    found: dict[str, None] = {}

    def add(sql: str, args: tuple[object, ...]) -> bool:
        for (sku,) in conn.exec_driver_sql(sql, args):
            found.setdefault(str(sku))
            if len(found) >= limit:
                return True
        return False

    if not text:
        add(f"SELECT p.sku FROM products p{join} WHERE 1 = 1{where} ORDER BY p.name LIMIT ?",
            (*params, limit))  # fmt: skip
        return list(found)
    steps: list[tuple[str, tuple[object, ...]]] = [
        (f"SELECT p.sku FROM products p{join} WHERE p.sku = ? COLLATE NOCASE{where}",
         (text, *params)),
    ]  # fmt: skip
    if is_valid_gtin(text):
        steps.append(
            (f"SELECT p.sku FROM product_units u CROSS JOIN products p ON p.sku = u.sku{join} "
             f"WHERE u.gtin = ?{where}", (normalize_gtin(text), *params))
        )  # fmt: skip
    low = text.translate(_ASCII_LOWER)
    high = low[:-1] + chr(ord(low[-1]) + 1)
    steps.append(
        (f"SELECT p.sku FROM products p{join} WHERE p.sku >= ? COLLATE NOCASE AND p.sku < ? "
         f"COLLATE NOCASE{where} ORDER BY p.sku COLLATE NOCASE LIMIT ?",
         (low, high, *params, limit))
    )  # fmt: skip
    words = _WORD.findall(text)[:8]
    if words:
        match = " ".join(f'"{word}"*' for word in words)
        order = ""
        if sum(map(len, words)) >= 3:
            probe = conn.exec_driver_sql(
                "SELECT COUNT(*) FROM (SELECT 1 FROM products_fts WHERE products_fts MATCH ? "
                "LIMIT ?)",
                (match, rank_up_to + 1),
            ).scalar_one()
            order = f" ORDER BY {_RANK}" if probe <= rank_up_to else ""
        steps.append(
            (f"SELECT p.sku FROM products_fts CROSS JOIN products p ON p.id = products_fts.rowid"
             f"{join} WHERE products_fts MATCH ?{where}{order} LIMIT ?",
             (match, *params, limit))
        )  # fmt: skip
    for sql, args in steps:
        if add(sql, args):
            break
    return list(found)


def product_count(session: Session) -> int:
    return int(session.connection().exec_driver_sql("SELECT COUNT(*) FROM products").scalar_one())


def product_by_sku(session: Session, sku: str) -> ProductDetails | None:
    """The product with SKU ``sku`` (case-insensitive; the exact spelling wins a tie)."""
    conn = session.connection()
    row = conn.exec_driver_sql(
        f"SELECT {_DETAILS} FROM products p WHERE p.sku = ? COLLATE NOCASE "
        "ORDER BY p.sku = ? DESC LIMIT 1",
        (sku.strip(), sku.strip()),
    ).first()
    return None if row is None else _details(conn, tuple(row))


def product_by_gtin(session: Session, gtin: str) -> GtinMatch | None:
    """The product and unit of a scanned GTIN-8/12/13/14; None if no product carries it.

    Raises ``app.domain.gtin.InvalidGtin`` (saying why) for a code that is not a GTIN.
    """
    conn = session.connection()
    row = conn.exec_driver_sql(
        f"SELECT u.code, u.factor, {_DETAILS} FROM product_units u "
        "JOIN products p ON p.sku = u.sku WHERE u.gtin = ? ORDER BY p.status = 'active' DESC, "
        "p.sku LIMIT 1",
        (normalize_gtin(gtin),),
    ).first()
    if row is None:
        return None
    return GtinMatch(_details(conn, tuple(row[2:])), str(row[0]), int(row[1]))


def units_of(session: Session, sku: str) -> ProductUnits:
    """The units ``sku`` is sold in; raises UnknownProduct."""
    product = _require(session, sku)
    return ProductUnits(
        base=product.base_unit,
        units=tuple(UnitOfMeasure(unit.code, unit.factor) for unit in product.units),
    )


def rule_of(session: Session, sku: str) -> QuantityRule:
    """The minimum and pack multiple of ``sku`` (in base units); raises UnknownProduct."""
    product = _require(session, sku)
    fractional = product.multiple != product.multiple.to_integral_value()
    return QuantityRule(product.min_qty, product.multiple, allow_fraction=fractional)


def pricing_of(session: Session, sku: str) -> ProductPricing | None:
    """Everything that prices ``sku`` for this account, as the server builds it.

    The currency is the account's (the product's when no account row is synced yet). None
    when the product is unknown or no currency is known at all.
    """
    product = product_by_sku(session, sku)
    if product is None:
        return None
    conn = session.connection()
    currency = account_currency(session) or product.currency
    if not currency:
        return None
    price = _data(conn, "SELECT data FROM prices WHERE sku = ?", product.sku)
    contract = _data(conn, "SELECT data FROM contracts WHERE sku = ?", product.sku)
    return pricing_from_rows(product, str(currency), price, contract)


def pricing_from_rows(
    product: ProductDetails,
    currency: str,
    price: dict[str, Any] | None,
    contract: dict[str, Any] | None,
) -> ProductPricing:
    """The domain's pricing input from a product and its synced price and contract rows."""
    # Built for every line of a 5,000-line import: plain loops, no sort of one tier.
    price_list = None
    if price is not None and price.get("tiers"):
        tiers = [PriceTier(Decimal(t["min_qty"] or 0), Decimal(t["price"])) for t in price["tiers"]]
        if len(tiers) > 1:
            tiers.sort(key=_tier_minimum)
        price_list = PriceListPrices(
            price_list_code=str(price.get("price_list") or ""),
            tiers=tuple(tiers),
            valid_from=_date(price.get("valid_from")),
            valid_to=_date(price.get("valid_to")),
        )
    contracts: tuple[ContractPrice, ...] = ()
    if contract:
        contracts = tuple(
            ContractPrice(
                contract_code=str(c["contract"]),
                unit_price=Decimal(c["price"]),
                valid_from=_date(c.get("valid_from")),
                valid_to=_date(c.get("valid_to")),
                min_qty=Decimal(c.get("min_qty") or 0),
            )
            for c in contract.get("prices", [])
        )
    return ProductPricing(
        sku=product.sku,
        currency=currency,
        list_price=product.list_price,
        price_list=price_list,
        contracts=contracts,
    )


def _tier_minimum(tier: PriceTier) -> Decimal:
    return tier.min_qty


def account_currency(session: Session) -> str | None:
    value = (
        session.connection()
        .exec_driver_sql(
            "SELECT currency FROM accounts WHERE currency IS NOT NULL ORDER BY number LIMIT 1"
        )
        .scalar()
    )
    return None if value is None else str(value)


def _require(session: Session, sku: str) -> ProductDetails:
    product = product_by_sku(session, sku)
    if product is None:
        raise UnknownProduct(f"no product {sku!r} in the catalog")
    return product


def _hits(conn: Connection, sql: str, params: tuple[object, ...]) -> list[ProductHit]:
    # The DB-API cursor of the same transaction: a search runs up to four of these, and
    # SQLAlchemy's result set-up cost more than the indexed queries themselves.
    cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    try:
        return [ProductHit(*row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _details(conn: Connection, row: tuple[Any, ...]) -> ProductDetails:
    units = tuple(
        UnitInfo(str(code), int(factor), gtin)
        for code, factor, gtin in conn.exec_driver_sql(
            "SELECT code, factor, gtin FROM product_units WHERE sku = ? ORDER BY factor, code",
            (row[0],),
        )
    )
    return details_from_row(row, units)


def details_from_row(row: tuple[Any, ...] | Any, units: tuple[UnitInfo, ...]) -> ProductDetails:
    """A product row (the columns of `_DETAILS`, in order) as plain data."""
    return ProductDetails(
        sku=row[0],
        name=row[1],
        description=row[2],
        category=row[3],
        brand=row[4],
        base_unit=row[5],
        min_qty=Decimal(row[6] or 1),
        multiple=Decimal(row[7] or 1),
        list_price=None if row[8] is None else Decimal(row[8]),
        currency=row[9],
        status=row[10],
        replacement_sku=row[11],
        units=units,
    )


def _data(conn: Connection, sql: str, key: str) -> dict[str, Any] | None:
    text = conn.exec_driver_sql(sql, (key,)).scalar()
    if text is None:
        return None
    data = orjson.loads(text)
    return data if isinstance(data, dict) else None


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None

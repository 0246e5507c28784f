"""``Catalog`` over the local replica, in one read transaction, loading SKUs in bulk.

``with open_catalog(replica) as catalog: ...``. A 5,000-line file costs a query per 800 of
its SKUs instead of ten per line, run on a helper thread while the products of the batch
before are built; rows are turned into the same ``ProductDetails``/``ProductPricing`` that
``app.store.catalog`` builds (a test holds the two to agreement).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.domain.gtin import normalize_gtin
from app.domain.pricing import ProductPricing
from app.quickorder.catalog import StockLevel
from app.quickorder.lines import Suggestion
from app.quickorder.similar import edit_distance, one_edit_variants
from app.store import catalog as store_catalog
from app.store.catalog import GtinMatch, ProductDetails, UnitInfo
from app.store.replica import Replica

_CHUNK = 900
_DETAILS = (
    "p.sku, p.name, p.description, p.category, p.brand, p.base_unit, p.min_qty, p.multiple, "
    "p.list_price, p.currency, p.status, p.replacement_sku"
)
_UNITS = (
    "(SELECT json_group_array(json_array(u.code, u.factor, u.gtin)) FROM product_units u "
    "WHERE u.sku = p.sku)"
)
_PRODUCTS = (
    f"SELECT json_group_array(json_array({_DETAILS}, json(pr.data), json(co.data), "
    f"json(st.data), {_UNITS})) FROM products p "
    "LEFT JOIN prices pr ON pr.sku = p.sku LEFT JOIN contracts co ON co.sku = p.sku "
    "LEFT JOIN stock st ON st.sku = p.sku WHERE p.sku IN (SELECT value FROM json_each(?))"
)
_BATCH = 800  # SKUs per query when a prefetch is spread over a helper thread


@contextmanager
def open_catalog(replica: Replica) -> Iterator[ReplicaCatalog]:
    """A catalog reading one consistent snapshot of the replica (a read transaction)."""
    with replica.reading() as session:
        yield ReplicaCatalog(session)


class ReplicaCatalog:
    """The replica as a ``Catalog``; use on the thread that opened it, while it is open."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._conn: Connection = session.connection()
        # The DB-API connection of the same transaction: bulk reads return plain tuples
        # without SQLAlchemy's per-row overhead (a third of a 5,000-line check).
        self._raw: Any = self._conn.connection.driver_connection
        self._products: dict[str, ProductDetails | None] = {}
        self._pricing: dict[str, ProductPricing | None] = {}
        self._stock: dict[str, StockLevel | None] = {}
        self._currency: str | None = None
        self._currency_read = False

    # -- bulk ---------------------------------------------------------------------------
    def prefetch(self, skus: Collection[str]) -> None:
        wanted = {sku.strip().casefold() for sku in skus if sku and sku.strip()}
        wanted.difference_update(self._products)
        if not wanted:
            return
        keys = list(wanted)
        if len(keys) <= _BATCH:
            self._add_products(orjson.loads(self._query_products(keys)))
        else:
            self._prefetch_behind([keys[i : i + _BATCH] for i in range(0, len(keys), _BATCH)])
        for key in keys:
            self._products.setdefault(key, None)

    def _prefetch_behind(self, batches: list[list[str]]) -> None:
        """Each batch is looked up on a helper thread while this one builds the products of
        the batch before. SQLite runs without the GIL, so most of the lookups cost nothing.

        The helper borrows this catalog's connection (the same read transaction); this
        thread does no database work until the helper is done.
        """
        self._account_currency()  # read now: building products then needs no query
        with ThreadPoolExecutor(1, thread_name_prefix="catalog-prefetch") as helper:
            answer = helper.submit(self._query_products, batches[0])
            for following in [*batches[1:], None]:
                text = answer.result()
                if following is not None:
                    answer = helper.submit(self._query_products, following)
                self._add_products(orjson.loads(text))

    def _query_products(self, keys: list[str]) -> str:
        """Products with their units, prices, contracts and stock (their data parsed by
        SQLite) as one JSON array, an array per product; each side table has at most one
        row per SKU. One answer rather than a row per product: on the helper thread, every
        row would wait for the GIL."""
        return str(self._fetch(_PRODUCTS, (orjson.dumps(keys).decode(),))[0][0])

    def _add_products(self, rows: list[list[Any]]) -> None:
        account_currency = self._account_currency()
        for row in rows:
            sku = row[0]
            product = _details(row, _unit_infos(row[15]))
            self._products[sku.casefold()] = product
            currency = account_currency or product.currency
            self._pricing[sku] = (
                _pricing(product, str(currency), _dict(row[12]), _dict(row[13]))
                if currency
                else None
            )
            self._stock[sku] = _stock_level(_dict(row[14]))

    def _load_side_data(self, skus: Sequence[str]) -> None:
        if not skus:
            return
        marks = ", ".join("?" * len(skus))
        prices = dict(self._fetch(f"SELECT sku, data FROM prices WHERE sku IN ({marks})", skus))
        contracts = dict(
            self._fetch(f"SELECT sku, data FROM contracts WHERE sku IN ({marks})", skus)
        )
        stock = dict(self._fetch(f"SELECT sku, data FROM stock WHERE sku IN ({marks})", skus))
        for sku in skus:
            product = self._products[sku.casefold()]
            assert product is not None
            self._pricing[sku] = self._build_pricing(product, prices.get(sku), contracts.get(sku))
            self._stock[sku] = _stock_level(_json(stock.get(sku)))

    def _fetch(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        cursor = self._raw.execute(sql, tuple(params))
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[str, str]]:
        return [(str(key), str(data)) for key, data in self._fetch(sql, params)]

    # -- lookups ------------------------------------------------------------------------
    def product(self, sku: str) -> ProductDetails | None:
        key = sku.strip().casefold()
        if not key:
            return None
        if key not in self._products:
            self.prefetch([key])
        return self._products[key]

    def product_by_gtin(self, gtin: str) -> GtinMatch | None:
        rows = self._fetch(
            "SELECT u.sku, u.code, u.factor FROM product_units u JOIN products p ON p.sku = u.sku "
            "WHERE u.gtin = ? ORDER BY p.status = 'active' DESC, p.sku LIMIT 1",
            (normalize_gtin(gtin),),
        )
        if not rows:
            return None
        row = rows[0]
        product = self.product(str(row[0]))
        if product is None:
            return None
        return GtinMatch(product, str(row[1]), int(row[2]))

    def pricing(self, sku: str) -> ProductPricing | None:
        if sku in self._pricing:  # a product's own SKU, as every checked line asks
            return self._pricing[sku]
        product = self.product(sku)
        if product is None:
            return None
        if product.sku not in self._pricing:
            self._load_side_data([product.sku])
        return self._pricing[product.sku]

    def stock(self, sku: str) -> StockLevel | None:
        if sku in self._stock:
            return self._stock[sku]
        product = self.product(sku)
        if product is None:
            return None
        if product.sku not in self._stock:
            self._load_side_data([product.sku])
        return self._stock[product.sku]

    def sku_for_part_number(self, part_number: str) -> str | None:
        rows = self._fetch(
            "SELECT sku FROM part_numbers WHERE part_number = ?", (part_number.strip(),)
        )
        return None if not rows or rows[0][0] is None else str(rows[0][0])

    def sku_with_zeros(self, digits: str) -> str | None:
        text = digits.strip()
        if not text.isdigit() or len(text) > 20:
            return None
        candidates = tuple("0" * zeros + text for zeros in range(1, 9))
        rows = self._fetch(
            f"SELECT sku FROM products WHERE sku IN ({', '.join('?' * len(candidates))})",
            candidates,
        )
        return str(rows[0][0]) if len(rows) == 1 else None

    def known_skus(self, texts: Sequence[str]) -> set[str]:
        self.prefetch(texts)
        return {
            text.strip().casefold()
            for text in texts
            if self._products.get(text.strip().casefold()) is not None
        }

    def similar(self, text: str, *, limit: int = 3) -> list[Suggestion]:
        word = text.strip()
        if not word or len(word) > 60:
            return []
        names: dict[str, str] = {}
        variants = one_edit_variants(word)
        for start in range(0, len(variants), _CHUNK):
            chunk = tuple(variants[start : start + _CHUNK])
            names.update(
                self._rows(
                    f"SELECT sku, name FROM products WHERE sku IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        # Neighbours in SKU order catch a wrong last character or a missing suffix.
        for sql in (
            "SELECT sku, name FROM products WHERE sku >= ? ORDER BY sku LIMIT 6",
            "SELECT sku, name FROM products WHERE sku < ? ORDER BY sku DESC LIMIT 6",
        ):
            names.update(self._rows(sql, (word,)))
        key = word.casefold()
        close_enough = max(2, len(word) // 4)
        distances = {sku: edit_distance(key, sku.casefold(), limit=close_enough) for sku in names}
        ranked = sorted((distances[sku], sku) for sku in names if distances[sku] <= close_enough)
        out = [Suggestion(sku, names[sku]) for _distance, sku in ranked[:limit]]
        if len(out) < limit:  # words of the name: "hex bolt m8" typed in the SKU column
            seen = {s.sku for s in out}
            for hit in store_catalog.search_products(self._session, word, limit=limit):
                if hit.sku not in seen and len(out) < limit:
                    out.append(Suggestion(hit.sku, hit.name))
        return out

    # -- building domain objects ------------------------------------------------------------
    def _build_pricing(
        self, product: ProductDetails, price: str | None, contract: str | None
    ) -> ProductPricing | None:
        currency = self._account_currency() or product.currency
        if not currency:
            return None
        return _pricing(product, str(currency), _json(price), _json(contract))

    def _account_currency(self) -> str | None:
        if not self._currency_read:
            self._currency = store_catalog.account_currency(self._session)
            self._currency_read = True
        return self._currency


_details = store_catalog.details_from_row


def _unit_infos(listed: list[list[Any]]) -> tuple[UnitInfo, ...]:
    """The units of one product from ``_UNITS``, ordered by factor and code."""
    units = [UnitInfo(str(code), int(factor), gtin) for code, factor, gtin in listed]
    if len(units) > 1:
        units.sort(key=_unit_order)
    return tuple(units)


def _unit_order(unit: UnitInfo) -> tuple[int, str]:
    return unit.factor, unit.code  # as ORDER BY factor, code: the code compared as bytes


_pricing = store_catalog.pricing_from_rows


def _stock_level(data: dict[str, Any] | None) -> StockLevel | None:
    if data is None:
        return None
    available = Decimal(0)
    oldest: datetime | None = None
    for warehouse in data.get("warehouses") or []:
        if not isinstance(warehouse, dict):
            continue
        try:
            available += Decimal(str(warehouse.get("available") or 0))
        except ArithmeticError:
            continue
        as_of = warehouse.get("as_of")
        if isinstance(as_of, str) and as_of:
            when = datetime.fromisoformat(as_of)
            oldest = when if oldest is None or when < oldest else oldest
    return StockLevel(available, oldest)


def _json(text: str | None) -> dict[str, Any] | None:
    return None if text is None else _dict(orjson.loads(text))


def _dict(data: object) -> dict[str, Any] | None:
    return data if isinstance(data, dict) else None

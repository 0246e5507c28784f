"""Where each synced entity lives and which typed columns are projected from its ``data``.

A projection checks the shape it relies on and raises ``MalformedRow`` otherwise, so a row
the client cannot read aborts the whole page (and its cursor) instead of being half-stored.
Entities this version does not know go to ``other_rows`` untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

import orjson

from app.domain.gtin import InvalidGtin, normalize_gtin

Data = dict[str, Any]
UnitRow = tuple[str, int, str | None]  # code, factor, GTIN-14


class MalformedRow(ValueError):
    """A live row whose ``data`` lacks a field the replica needs; the page is not applied."""

    def __init__(self, entity: str, key: str, reason: str) -> None:
        super().__init__(f"{entity} {key!r}: {reason}")
        self.entity = entity
        self.key = key


def canonical(data: Data) -> bytes:
    """The canonical JSON of ``data`` (sorted keys), as stored and digested."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def digest_of(text: bytes) -> str:
    return sha256(text).hexdigest()


@dataclass(frozen=True, slots=True)
class EntityTable:
    """``entity`` rows live in ``table`` keyed by ``key_column``; ``columns`` are projected."""

    entity: str
    table: str
    key_column: str
    columns: tuple[str, ...]
    project: Callable[[str, Data], tuple[object, ...]]
    local_copy: bool = False  # carts and orders may be ahead of the server (column ``local``)


class _Reader:
    """Typed field access that reports the entity and key of a bad row."""

    def __init__(self, entity: str, key: str, data: Data) -> None:
        self.entity, self.key, self.data = entity, key, data

    def fail(self, reason: str) -> MalformedRow:
        return MalformedRow(self.entity, self.key, reason)

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{name!r} must be a non-empty string, not {value!r}")
        return value

    def opt_text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return value
        raise self.fail(f"{name!r} must be a string, not {value!r}")

    def opt_decimal(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            raise self.fail(f"{name!r} must be a decimal string, not {value!r}")
        return value

    def flag(self, name: str) -> int:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(f"{name!r} must be a boolean, not {value!r}")
        return int(value)

    def objects(self, name: str) -> list[Data]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{name!r} must be a list of objects")
        for item in value:
            if not isinstance(item, dict):
                raise self.fail(f"{name!r} must be a list of objects")
        return value


def product_units(key: str, data: Data) -> list[UnitRow]:
    """The units of a product row: code (upper-case), factor, GTIN-14 or None if invalid."""
    raw_units = data.get("units")
    if raw_units is None:
        return []
    if not isinstance(raw_units, list):
        raise MalformedRow("product", key, "'units' must be a list of objects")
    units: dict[str, UnitRow] = {}
    for raw in raw_units:  # the bulk path: plain checks, no helper calls
        if not isinstance(raw, dict):
            raise MalformedRow("product", key, "'units' must be a list of objects")
        code, factor, gtin = raw.get("code"), raw.get("factor"), raw.get("gtin")
        if not isinstance(code, str) or not (code := code.strip().upper()):
            raise MalformedRow("product", key, f"unit code must be a non-empty string: {raw}")
        if type(factor) is not int or factor < 1:
            raise MalformedRow("product", key, f"unit {code} factor must be an integer >= 1")
        if gtin is not None and not isinstance(gtin, str):
            raise MalformedRow("product", key, f"unit {code} gtin must be a string: {gtin!r}")
        units[code] = (code, factor, gtin14(gtin))
    return list(units.values())


def gtin14(code: str | None) -> str | None:
    """``normalize_gtin(code)``, or None for an invalid code, fast for the bulk path.

    A bad barcode from the ERP must not stop the sync (the raw text stays in ``data``).
    Valid codes are confirmed with the domain's check; a test holds the two to agreement.
    """
    if not code:
        return None
    text = code.strip()
    if len(text) not in _GTIN_LENGTHS or not (text.isascii() and text.isdigit()):
        return None
    padded = text.zfill(14)
    digits = padded.encode()
    # GS1 mod 10 over the 13-digit body of the GTIN-14: weight 3 on even indexes.
    total = 3 * sum(digits[0:13:2]) + sum(digits[1:13:2]) - 48 * 27
    if (10 - total % 10) % 10 != digits[13] - 48:
        return None
    return padded


_GTIN_LENGTHS = frozenset({8, 12, 13, 14})


def slow_gtin14(code: str | None) -> str | None:
    """The reference for ``gtin14``: the domain's ``normalize_gtin``."""
    if not code:
        return None
    try:
        return normalize_gtin(code)
    except InvalidGtin:
        return None


def barcode_terms(units: list[UnitRow]) -> str:
    """GTINs as searchable words, as printed: GTIN-14 without padding (EAN-13, UPC-A…)."""
    terms: list[str] = []
    for _code, _factor, gtin in units:
        if gtin is None:
            continue
        if gtin.startswith("000000"):
            short = gtin[6:]
        elif gtin.startswith("00"):
            short = gtin[2:]
        else:
            short = gtin[1:] if gtin.startswith("0") else gtin
        if short not in terms:
            terms.append(short)
    return " ".join(terms)


def _product(key: str, data: Data) -> tuple[object, ...]:
    return project_product(key, data)[0]


def project_product(key: str, data: Data) -> tuple[tuple[object, ...], list[UnitRow]]:
    """The product's projection and its units, computed once (the bulk path: ~5 µs/row)."""
    get = data.get
    name, base = get("name"), get("base_unit")
    texts = (get("description"), get("category"), get("brand"), get("currency"),
             get("status"), get("replacement_sku"))  # fmt: skip
    decimals = (get("min_qty"), get("multiple"), get("list_price"))
    if type(name) is not str or not name.strip():
        raise MalformedRow("product", key, f"'name' must be a non-empty string, not {name!r}")
    if type(base) is not str or not (base := base.strip().upper()):
        raise MalformedRow("product", key, f"'base_unit' must be a unit code, not {base!r}")
    if {type(value) for value in texts} - _STR_OR_NONE or not all(
        value is None or (type(value) is str and _DECIMAL.fullmatch(value)) for value in decimals
    ):
        read = _Reader("product", key, data)  # slow path: say which field is wrong
        for field in ("description", "category", "brand", "currency", "status"):
            read.opt_text(field)
        for field in ("replacement_sku", "min_qty", "multiple", "list_price"):
            read.opt_decimal(field) if field != "replacement_sku" else read.opt_text(field)
    units = product_units(key, data)
    description, category, brand, currency, status, replacement = texts
    return (
        name, description, category, brand, base, *decimals, currency, status or "active",
        replacement, barcode_terms(units),
    ), units  # fmt: skip


_STR_OR_NONE = frozenset({str, type(None)})
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _needs(entity: str, *lists: str) -> Callable[[str, Data], tuple[object, ...]]:
    def project(key: str, data: Data) -> tuple[object, ...]:
        read = _Reader(entity, key, data)
        for name in lists:
            read.objects(name)
        return ()

    return project


def _stock(key: str, data: Data) -> tuple[object, ...]:
    """``in_stock``: some warehouse has a positive quantity available (the catalog filter)."""
    warehouses = _Reader("stock", key, data).objects("warehouses")
    return (int(any(_positive(w.get("available")) for w in warehouses)),)


def _positive(value: object) -> bool:
    if isinstance(value, int | float):
        return value > 0
    return isinstance(value, str) and _DECIMAL.fullmatch(value) is not None and float(value) > 0


def _account(key: str, data: Data) -> tuple[object, ...]:
    read = _Reader("account", key, data)
    return (read.opt_text("name"), read.opt_text("currency"))


def _ship_to(key: str, data: Data) -> tuple[object, ...]:
    read = _Reader("ship_to", key, data)
    return (read.opt_text("name"), read.flag("is_default"))


def _user(key: str, data: Data) -> tuple[object, ...]:
    read = _Reader("user", key, data)
    return (read.opt_text("email"), read.opt_text("name"))


def _cart(key: str, data: Data) -> tuple[object, ...]:
    read = _Reader("cart", key, data)
    read.objects("lines")
    return (
        read.opt_text("name") or "",
        read.opt_text("status") or "open",
        read.opt_text("updated_at"),
    )


def _order(key: str, data: Data) -> tuple[object, ...]:
    read = _Reader("order", key, data)
    read.objects("lines")
    return (
        read.opt_text("client_order_id") or key,
        read.opt_text("number"),
        read.opt_text("status") or "unknown",
        read.opt_text("created_at"),
        read.opt_text("po_number"),
    )


PRODUCT_COLUMNS = (
    "name", "description", "category", "brand", "base_unit", "min_qty", "multiple",
    "list_price", "currency", "status", "replacement_sku", "barcodes",
)  # fmt: skip

TABLES: dict[str, EntityTable] = {
    t.entity: t
    for t in (
        EntityTable("product", "products", "sku", PRODUCT_COLUMNS, _product),
        EntityTable("stock", "stock", "sku", ("in_stock",), _stock),
        EntityTable("price", "prices", "sku", (), _needs("price", "tiers")),
        EntityTable("contract", "contracts", "sku", (), _needs("contract", "prices")),
        EntityTable("account", "accounts", "number", ("name", "currency"), _account),
        EntityTable("ship_to", "ship_tos", "code", ("name", "is_default"), _ship_to),
        EntityTable("user", "users", "id", ("email", "name"), _user),
        EntityTable("cart", "carts", "cart_id", ("name", "status", "updated_at"), _cart, True),
        EntityTable(
            "order", "orders", "key",
            ("client_order_id", "number", "status", "created_at", "po_number"), _order, True,
        ),
    )
}  # fmt: skip

OTHER = EntityTable("*", "other_rows", "key", (), lambda key, data: ())
"""Unknown entities: keyed by (entity, key) in ``other_rows``."""


def table_for(entity: str) -> EntityTable:
    return TABLES.get(entity, OTHER)


def all_tables() -> list[EntityTable]:
    return [*TABLES.values(), OTHER]

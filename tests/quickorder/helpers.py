"""A small, realistic replica for the quick-order tests, built with the store test helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.domain.gtin import make_gtin
from app.store.replica import Replica
from tests.store.helpers import account, ean13, page, price, product, row, stock

TODAY = date(2026, 11, 24)

BOLT_EAN = ean13(1)
BOLT_BOX_GTIN = make_gtin("1" + BOLT_EAN[:-1])  # GTIN-14 of the box of 100
NUT_EAN = ean13(2)
GLOVE_CASE_GTIN = make_gtin("2" + ean13(7)[:-1])
UPC_A = make_gtin("03600029145")  # a 12-digit UPC-A on the washer
UPC_E = "04252614"  # UPC-E of 042100005264 (on the tape)


def _units(*units: tuple[str, int, str | None]) -> list[dict[str, Any]]:
    return [{"code": code, "factor": factor, "gtin": gtin} for code, factor, gtin in units]


PRODUCTS: list[dict[str, Any]] = [
    product("FAS-0001", name="Hex bolt M8x40", list_price="0.5000",
            units=_units(("EA", 1, BOLT_EAN), ("BX", 100, BOLT_BOX_GTIN))),
    product("FAS-0002", name="Hex nut M8", list_price="0.2000", min_qty="12", multiple="12",
            units=_units(("EA", 1, NUT_EAN), ("BX", 12, None))),
    product("FAS-0013", name="Washer M8", list_price="0.0500",
            units=_units(("EA", 1, UPC_A))),
    product("FAS-0014", name="Washer M10", list_price="0.0600"),
    product("TOOL-100", name="Cordless drill 12V", list_price="89.0000", status="discontinued",
            replacement_sku="TOOL-200"),
    product("TOOL-200", name="Cordless drill 18V", list_price="129.0000"),
    product("001234", name="Cable tie 200mm", list_price="0.1000"),
    product("4711", name="Cleaning cloth", list_price="1.2000"),
    product("GLV-L", name="Work gloves L", base_unit="PR", list_price="3.0000",
            units=_units(("PR", 1, ean13(7)), ("CS", 12, GLOVE_CASE_GTIN))),
    product("CBL-5", name="Cable 5x1.5 mm²", base_unit="M", list_price="2.0000",
            min_qty="0.5", multiple="0.5", units=_units(("M", 1, None))),
    product("TAPE-1", name="Duct tape", list_price="4.0000",
            units=_units(("EA", 1, "042100005264"))),
    product("NOPRICE-1", name="Sample kit", list_price=None, currency=None),
]  # fmt: skip


BOLT_TIERS = [("0", "0.4500"), ("1000", "0.4000")]


def build_replica(data_dir: Path, *, account_data: dict[str, Any] | None = None) -> Replica:
    """Open a replica in ``data_dir`` holding PRODUCTS, their prices, stock and an account."""
    replica = Replica.open(data_dir)
    replica.apply_page(
        page(
            "catalog:1",
            [row("product", p["sku"], i, p) for i, p in enumerate(PRODUCTS, start=1)],
            start=0,
            reset=True,
        )
    )
    replica.apply_page(
        page(
            "prices:1",
            [
                row("price", "FAS-0001", 1, price("FAS-0001", BOLT_TIERS)),
                row("price", "FAS-0002", 2, price("FAS-0002", [("0", "0.1800")])),
            ],
            start=0,
            reset=True,
        )
    )  # fmt: skip
    replica.apply_page(
        page(
            "contracts:3",
            [row("contract", "TOOL-200", 1, {"sku": "TOOL-200", "prices": [
                {"contract": "C-12", "price": "99.0000", "min_qty": "0",
                 "valid_from": None, "valid_to": "2026-12-31"}]})],
            start=0,
            reset=True,
        )
    )  # fmt: skip
    replica.apply_page(
        page(
            "stock:1",
            [
                row("stock", "FAS-0001", 1, stock("FAS-0001", "5000")),
                row("stock", "FAS-0002", 2, stock("FAS-0002", "24")),
            ],
            start=0,
            reset=True,
        )
    )
    replica.apply_page(
        page(
            "account:3", [row("account", "A-1", 1, {**account(), **(account_data or {})})], start=0
        )
    )
    return replica

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.gtin import InvalidGtin, make_gtin
from app.domain.pricing import PriceSource, resolve_price
from app.store.catalog import UnknownProduct
from app.store.entities import gtin14, slow_gtin14
from app.store.replica import Replica
from tests.store.helpers import account, ean13, page, price, product, row


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with Replica.open(tmp_path) as opened:
        yield opened


CASE_GTIN = make_gtin("1400638133393")  # GTIN-14 of a case (indicator 1)
UPC = make_gtin("03600029145")  # UPC-A, 12 digits
EAN8 = make_gtin("9638507")  # GTIN-8


@pytest.fixture
def catalog(replica: Replica) -> Replica:
    rows = [
        row("product", "FAS-0012", 1, product("FAS-0012", name="Wood screw 4x40")),
        row("product", "FAS-00123", 2, product("FAS-00123", name="Wood screw 4x45")),
        row("product", "FAS-0013", 3, product(
            "FAS-0013", name="Hex bolt M8", brand="Würth", category="Bolts",
            units=[{"code": "EA", "factor": 1, "gtin": ean13(7)},
                   {"code": "cs", "factor": 50, "gtin": CASE_GTIN}],
        )),
        row("product", "TOOL-1", 4, product(
            "TOOL-1", name="Screwdriver fas-0012 compatible", category="Tools",
            units=[{"code": "EA", "factor": 1, "gtin": UPC}, {"code": "PK", "factor": 2,
                    "gtin": EAN8}],
        )),
        row("product", "ODD-1", 5, product(
            "ODD-1", name="Bad barcode", units=[{"code": "EA", "factor": 1, "gtin": "123"}],
        )),
    ]  # fmt: skip
    replica.apply_page(page("catalog:1", rows, start=0, reset=True))
    return replica


def skus(replica: Replica, query: str, **kwargs: object) -> list[str]:
    return [hit.sku for hit in replica.search_products(query, **kwargs)]  # type: ignore[arg-type]


def test_exact_sku_comes_first_then_prefixes_then_words(catalog: Replica) -> None:
    found = skus(catalog, "fas-0012")
    assert found[0] == "FAS-0012"
    assert found[1] == "FAS-00123"  # SKU prefix, despite the tokenizer splitting "FAS-0012"
    assert "TOOL-1" in found  # the words "fas" and "0012" in its name


def test_word_prefixes_diacritics_and_category(catalog: Replica) -> None:
    assert skus(catalog, "wood scr") == ["FAS-0012", "FAS-00123"]
    assert skus(catalog, "wurth") == ["FAS-0013"]
    assert skus(catalog, "screw", category="Tools") == ["TOOL-1"]
    assert skus(catalog, "zzz") == []
    assert len(skus(catalog, "", category="Fasteners")) == 3
    assert len(skus(catalog, "fas", limit=2)) == 2


def test_a_full_barcode_finds_its_product_first(catalog: Replica) -> None:
    assert skus(catalog, ean13(7))[0] == "FAS-0013"
    assert skus(catalog, UPC)[0] == "TOOL-1"
    assert skus(catalog, UPC[:6]) == ["TOOL-1"]  # barcode prefix through the index


@pytest.mark.parametrize(
    ("code", "sku", "unit"),
    [
        (ean13(7), "FAS-0013", "EA"),
        ("0" + ean13(7), "FAS-0013", "EA"),
        (CASE_GTIN, "FAS-0013", "CS"),
        (UPC, "TOOL-1", "EA"),
        ("0" + UPC, "TOOL-1", "EA"),
        ("00" + UPC, "TOOL-1", "EA"),
        (EAN8, "TOOL-1", "PK"),
        (f" {EAN8} ", "TOOL-1", "PK"),
    ],
)
def test_gtin_lookup_in_every_length(catalog: Replica, code: str, sku: str, unit: str) -> None:
    match = catalog.product_by_gtin(code)
    assert match is not None
    assert (match.product.sku, match.unit) == (sku, unit)


def test_gtin_lookup_misses_and_refusals(catalog: Replica) -> None:
    assert catalog.product_by_gtin(ean13(8)) is None
    with pytest.raises(InvalidGtin):
        catalog.product_by_gtin("4006381333932")  # wrong check digit
    # An invalid barcode from the ERP is kept in data but not indexed; the sync goes on.
    odd = catalog.product_by_sku("odd-1")
    assert odd is not None and odd.units[0].gtin is None


def test_product_by_sku_is_case_insensitive_and_plain(catalog: Replica) -> None:
    details = catalog.product_by_sku(" fas-0013 ")
    assert details is not None
    assert details.sku == "FAS-0013"
    assert details.list_price == Decimal("0.5000")
    assert [(u.code, u.factor) for u in details.units] == [("EA", 1), ("CS", 50)]
    assert catalog.product_by_sku("nope") is None
    assert catalog.product_count() == 5


def test_units_and_quantity_rule(catalog: Replica) -> None:
    units = catalog.units_of("fas-0013")
    assert units.base == "EA" and units.factor("cs") == 50
    catalog.apply_page(
        page("catalog:1", [row("product", "HALF", 6, product(
            "HALF", base_unit="kg", min_qty="2", multiple="0.5"))], start=5)
    )  # fmt: skip
    rule = catalog.rule_of("HALF")
    assert rule.allows(Decimal("2.5")) and not rule.allows(Decimal("1.5"))
    with pytest.raises(UnknownProduct):
        catalog.units_of("nope")


def test_pricing_uses_price_list_contracts_and_the_account_currency(catalog: Replica) -> None:
    assert catalog.pricing_of("FAS-0012") is not None  # list price only, product currency
    catalog.apply_page(
        page("prices:1", [row("price", "FAS-0012", 1, price(
            "FAS-0012", [("100", "0.4000"), ("0", "0.4500")]))], start=0, reset=True)
    )  # fmt: skip
    contract = {"sku": "FAS-0012", "prices": [
        {"contract": "C-1", "price": "0.3000", "min_qty": "500", "valid_from": None,
         "valid_to": "2026-12-31"}]}  # fmt: skip
    catalog.apply_page(page("contracts:3", [row("contract", "FAS-0012", 1, contract)], start=0))
    catalog.apply_page(page("account:3", [row("account", "A-1", 1, account())], start=0))
    pricing = catalog.pricing_of("fas-0012")
    assert pricing is not None and pricing.currency == "EUR"
    on = date(2026, 11, 23)
    tier = resolve_price(pricing=pricing, quantity_base=Decimal(150), on=on)
    assert tier.unit_price.amount == Decimal("0.4000")
    assert tier.explanation.source is PriceSource.TIER
    best = resolve_price(pricing=pricing, quantity_base=Decimal(600), on=on)
    assert best.explanation.source is PriceSource.CONTRACT
    late = resolve_price(pricing=pricing, quantity_base=Decimal(600), on=date(2027, 1, 1))
    assert late.explanation.source is PriceSource.TIER
    assert catalog.pricing_of("nope") is None


gtin_like = st.one_of(
    st.text(alphabet="0123456789", min_size=6, max_size=15),
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n).map(make_gtin)
    ),
    st.text(max_size=16),
)


@given(gtin_like)
def test_the_fast_gtin_check_agrees_with_the_domain(code: str) -> None:
    assert gtin14(code) == slow_gtin14(code)

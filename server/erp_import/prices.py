"""Prices file: either price-list tiers or account contract prices, told apart by the header.

Tiers are keyed by (price list, SKU, min qty) and contract prices by (account, contract,
SKU, min qty); a row upserts its key, keys not in the file are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import Account
from server.catalog.models import Product
from server.changes import service as changelog
from server.erp_import.bulk import insert_rows, select_in, table_of, update_rows
from server.erp_import.cells import RowCells
from server.erp_import.columns import SKU, Column, Layout, match_header, normalise
from server.erp_import.rows import Tally, data_rows, drop_duplicates, header, refuse
from server.erp_import.tables import Table
from server.pricing.models import ContractPrice, PriceList, PriceListItem

PRICE = Column("price", ("unit price", "net price"), required=True)
TIERS = Layout(
    "price-list file",
    (
        Column("price_list", ("pricelist", "price list code", "list"), required=True),
        SKU,
        Column("min_qty", ("from qty", "break qty", "quantity", "qty")),
        PRICE,
    ),
)
CONTRACTS = Layout(
    "contract-price file",
    (
        Column("account", ("account number", "customer", "customer number"), required=True),
        Column("contract", ("contract code", "contract number", "agreement"), required=True),
        SKU,
        PRICE,
        Column("min_qty", ("from qty", "break qty", "quantity", "qty")),
        Column("valid_from", ("from", "start", "start date")),
        Column("valid_to", ("to", "until", "end", "end date")),
    ),
)


@dataclass(frozen=True, slots=True)
class PriceRow:
    row: int
    owner: str  # price-list code or account number
    contract: str  # "" for tiers
    sku: str
    min_qty: Decimal
    fields: dict[str, object]  # price and, for contracts, the validity columns the file has


@dataclass(frozen=True, slots=True)
class Target:
    """Where one kind of price row goes and how its change is logged."""

    layout: Layout
    owner_column: str
    read_owners: Callable[[Session, set[str]], dict[str, int]]
    model: type[PriceListItem] | type[ContractPrice]
    owner_key: str  # price_list_id | account_id
    bucket: Callable[[int], str]
    entity: str
    default_min_qty: Decimal
    contract_key: str | None  # the column holding the contract code, if the table has one
    insert_defaults: dict[str, object]


def _price_lists(session: Session, codes: set[str]) -> dict[str, int]:
    return dict(select_in(session, select(PriceList.code, PriceList.id), PriceList.code, codes))


def _accounts(session: Session, numbers: set[str]) -> dict[str, int]:
    return dict(select_in(session, select(Account.number, Account.id), Account.number, numbers))


TIER_TARGET = Target(
    layout=TIERS,
    owner_column="price_list",
    read_owners=_price_lists,
    model=PriceListItem,
    owner_key="price_list_id",
    bucket=changelog.prices_bucket,
    entity="price",
    default_min_qty=Decimal(1),
    contract_key=None,
    insert_defaults={},
)
CONTRACT_TARGET = Target(
    layout=CONTRACTS,
    owner_column="account",
    read_owners=_accounts,
    model=ContractPrice,
    owner_key="account_id",
    bucket=changelog.contracts_bucket,
    entity="contract",
    default_min_qty=Decimal(0),
    contract_key="contract_code",
    insert_defaults={"valid_from": None, "valid_to": None},
)


def import_prices(session: Session, table: Table, tally: Tally) -> None:
    target = _choose(table, tally)
    if target is None:
        return
    match = header(table, target.layout, tally)
    if match is None:
        return
    parsed = (_read(cells, target, tally) for cells in data_rows(table, match, tally))
    records = drop_duplicates(
        [r for r in parsed if r is not None],
        key=_key_of,
        row=lambda r: r.row,
        column="sku",
        describe=_describe,
        tally=tally,
    )
    owners = target.read_owners(session, {r.owner for r in records})
    products = dict(
        select_in(session, select(Product.sku, Product.id), Product.sku, {r.sku for r in records})
    )
    prices = table_of(target.model)
    owner_column = prices.c[target.owner_key]
    existing: dict[Hashable, dict[str, object]] = {}
    for row in select_in(session, select(prices), owner_column, set(owners.values())):
        values = row._asdict()
        contract = values[target.contract_key] if target.contract_key else ""
        key = (values[target.owner_key], contract, values["product_id"], values["min_qty"])
        existing[key] = values

    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    changed: dict[int, list[changelog.RowChange]] = {}
    for record in records:
        owner_id, product_id = owners.get(record.owner), products.get(record.sku)
        if owner_id is None:
            refuse(
                tally,
                record.row,
                target.owner_column,
                record.owner,
                f"unknown {target.owner_column.replace('_', ' ')} {record.owner!r}",
            )
        if product_id is None:
            refuse(tally, record.row, "sku", record.sku, f"unknown SKU {record.sku!r}")
        if owner_id is None or product_id is None:
            continue
        old = existing.get((owner_id, record.contract, product_id, record.min_qty))
        if old is None:
            new = {
                **target.insert_defaults,
                **record.fields,
                target.owner_key: owner_id,
                "product_id": product_id,
                "min_qty": record.min_qty,
            }
            if target.contract_key:
                new[target.contract_key] = record.contract
            inserts.append(new)
        elif any(old[k] != v for k, v in record.fields.items()):
            updates.append({"id": old["id"], **record.fields})
        else:
            tally.unchanged += 1
            continue
        changed.setdefault(owner_id, []).append(changelog.RowChange(target.entity, record.sku))
    tally.created += len(inserts)
    tally.updated += len(updates)
    insert_rows(session, prices, inserts)
    update_rows(session, prices, updates)
    for owner_id, changes in changed.items():
        changelog.record_changes(session, target.bucket(owner_id), changes)


def _choose(table: Table, tally: Tally) -> Target | None:
    """Tiers when the header has a price-list column, contracts when it has account+contract."""
    tiers = match_header(TIERS, table.headers, table.header_row).has("price_list")
    contract = match_header(CONTRACTS, table.headers, table.header_row)
    contracts = contract.has("account") and contract.has("contract")
    if tiers != contracts:
        return TIER_TARGET if tiers else CONTRACT_TARGET
    found = ", ".join(h for h in table.headers if normalise(h)) or "nothing"
    message = (
        "a prices file needs either a price_list column (price-list tiers) or account and "
        "contract columns (contract prices), not both"
        if tiers
        else "a prices file needs either a price_list column (price-list tiers) or account "
        f"and contract columns (contract prices); found: {found}"
    )
    refuse(tally, table.header_row, None, None, message)
    return None


def _read(cells: RowCells, target: Target, tally: Tally) -> PriceRow | None:
    owner = cells.text(target.owner_column, max_length=32, required=True)
    contract = cells.text("contract", max_length=32, required=True) if cells.has("contract") else ""
    sku = cells.text("sku", max_length=64, required=True)
    min_qty = cells.number("min_qty", default=target.default_min_qty)
    fields: dict[str, object] = {"price": cells.required_decimal("price")}
    start, end = cells.date("valid_from"), cells.date("valid_to")
    if cells.has("valid_from"):
        fields["valid_from"] = start
    if cells.has("valid_to"):
        fields["valid_to"] = end
    if start is not None and end is not None and end < start:
        cells.fail("valid_to", f"valid_to {end} is before valid_from {start}")
    if not cells.ok:
        tally.errors.extend(cells.errors)
        return None
    return PriceRow(cells.row, owner, contract, sku, min_qty, fields)


def _key_of(record: PriceRow) -> Hashable:
    return (record.owner, record.contract, record.sku, record.min_qty)


def _describe(record: PriceRow) -> str:
    contract = f" contract {record.contract}" if record.contract else ""
    return f"{record.owner}{contract} {record.sku} from {record.min_qty.normalize():f}"

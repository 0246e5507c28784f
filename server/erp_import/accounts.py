"""Accounts file: buyer accounts by number, with parent, terms, credit and what they buy from.

A change of an account's assortment or price list is logged as an account change only: the
sync layer derives the scope change from the account row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import Account
from server.catalog.models import Assortment
from server.changes import service as changelog
from server.db import utcnow
from server.erp_import.bulk import insert_returning_ids, table_of, update_rows
from server.erp_import.cells import RowCells
from server.erp_import.columns import Column, Layout
from server.erp_import.rows import Tally, data_rows, drop_duplicates, header, refuse
from server.erp_import.tables import Table
from server.pricing.models import PriceList

LAYOUT = Layout(
    "accounts file",
    (
        Column(
            "number",
            (
                "account",
                "account number",
                "account no",
                "customer",
                "customer number",
                "customer no",
            ),
            required=True,
        ),
        Column("name", ("account name", "customer name", "company"), required=True),
        Column("parent", ("parent account", "parent number", "head office")),
        Column("currency", ("cur",)),
        Column("payment_terms", ("terms",)),
        Column("credit_limit", ("credit",)),
        Column("open_balance", ("balance", "open items")),
        Column("on_hold", ("hold", "blocked", "credit hold")),
        Column("assortment", ("assortment code",)),
        Column("price_list", ("pricelist", "price list code")),
        Column("price_tolerance_pct", ("price tolerance", "tolerance", "tolerance pct")),
    ),
)
_HUNDRED = Decimal(100)
_READERS: dict[str, Callable[[RowCells], object]] = {
    "name": lambda c: c.text("name", max_length=200, required=True),
    "currency": lambda c: c.currency("currency"),
    "payment_terms": lambda c: c.text("payment_terms", max_length=64) or "Net 30",
    "credit_limit": lambda c: c.number("credit_limit", default=Decimal(0)),
    "open_balance": lambda c: c.number("open_balance", default=Decimal(0), signed=True),
    "on_hold": lambda c: c.flag("on_hold"),
    "price_tolerance_pct": lambda c: c.number("price_tolerance_pct", default=Decimal(0)),
}
DEFAULTS: dict[str, object] = {
    "currency": "EUR",
    "payment_terms": "Net 30",
    "credit_limit": Decimal(0),
    "open_balance": Decimal(0),
    "on_hold": False,
    "price_tolerance_pct": Decimal(0),
    "parent_id": None,
    "assortment_id": None,
    "price_list_id": None,
}
# File column holding a code -> the account column holding the id it stands for.
_REFERENCES = {"assortment": "assortment_id", "price_list": "price_list_id"}


@dataclass(slots=True)
class AccountRow:
    row: int
    number: str
    fields: dict[str, object]  # the account columns the file has, references resolved later
    parent: str | None  # parent account number
    codes: dict[str, str]  # "assortment"/"price_list" -> code ("" for none), if in the file


@dataclass(frozen=True, slots=True)
class Directory:
    """Accounts by number (id, parent number, stored values) and the codes rows may name."""

    ids: dict[str, int]
    parents: dict[str, str | None]
    values: dict[str, dict[str, object]]
    codes: dict[str, dict[str, int]]  # "assortment"/"price_list" -> code -> id


def import_accounts(session: Session, table: Table, tally: Tally) -> None:
    match = header(table, LAYOUT, tally)
    if match is None:
        return
    parsed = (_read(cells, tally) for cells in data_rows(table, match, tally))
    records = drop_duplicates(
        [r for r in parsed if r is not None],
        key=lambda r: r.number,
        row=lambda r: r.row,
        column="number",
        describe=lambda r: r.number,
        tally=tally,
    )
    directory = _load(session)
    valid = {r.number: r for r in records if _codes_ok(r, directory, tally)}
    has_parent = match.has("parent")
    while has_parent:  # refusing one row can orphan (or close a loop through) another
        refused = [r for r in valid.values() if not _parent_ok(r, valid, directory, tally)]
        for record in refused:
            del valid[record.number]
        if not refused:
            break
    _write(session, list(valid.values()), directory, has_parent=has_parent, tally=tally)


def _read(cells: RowCells, tally: Tally) -> AccountRow | None:
    number = cells.text("number", max_length=32, required=True)
    fields = {name: read(cells) for name, read in _READERS.items() if cells.has(name)}
    tolerance = fields.get("price_tolerance_pct")
    if isinstance(tolerance, Decimal) and tolerance > _HUNDRED:
        cells.fail("price_tolerance_pct", f"{cells.raw('price_tolerance_pct')!r} is over 100")
    parent = cells.text("parent", max_length=32) or None
    codes = {
        column: cells.text(column, max_length=32) for column in _REFERENCES if cells.has(column)
    }
    if not cells.ok:
        tally.errors.extend(cells.errors)
        return None
    return AccountRow(cells.row, number, fields, parent, codes)


def _load(session: Session) -> Directory:
    accounts = table_of(Account)
    rows = [row._asdict() for row in session.execute(select(accounts))]
    numbers = {row["id"]: row["number"] for row in rows}
    return Directory(
        ids={row["number"]: row["id"] for row in rows},
        parents={row["number"]: numbers.get(row["parent_id"]) for row in rows},
        values={row["number"]: row for row in rows},
        codes={
            "assortment": {
                c: i for c, i in session.execute(select(Assortment.code, Assortment.id))
            },
            "price_list": {c: i for c, i in session.execute(select(PriceList.code, PriceList.id))},
        },
    )


def _codes_ok(record: AccountRow, directory: Directory, tally: Tally) -> bool:
    ok = True
    for column, code in record.codes.items():
        known = directory.codes[column]
        if code and code not in known:
            names = ", ".join(sorted(known)) or "none"
            refuse(
                tally,
                record.row,
                column,
                code,
                f"unknown {column.replace('_', ' ')} {code!r} (known: {names})",
            )
            ok = False
        else:
            record.fields[_REFERENCES[column]] = known[code] if code else None
    return ok


def _parent_ok(
    record: AccountRow, valid: dict[str, AccountRow], directory: Directory, tally: Tally
) -> bool:
    parent = record.parent
    if parent is None:
        return True
    if parent == record.number:
        refuse(tally, record.row, "parent", parent, "an account cannot be its own parent")
        return False
    if parent not in valid and parent not in directory.ids:
        refuse(
            tally,
            record.row,
            "parent",
            parent,
            f"parent account {parent!r} is neither in the database nor imported",
        )
        return False
    chain, seen = [record.number], {record.number}
    current: str | None = parent
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = valid[current].parent if current in valid else directory.parents.get(current)
    if current == record.number:
        refuse(
            tally,
            record.row,
            "parent",
            parent,
            "the parent chain loops: " + " -> ".join([*chain, current]),
        )
        return False
    return True


def _write(
    session: Session,
    valid: list[AccountRow],
    directory: Directory,
    *,
    has_parent: bool,
    tally: Tally,
) -> None:
    accounts = table_of(Account)
    now = utcnow()
    creates = [r for r in valid if r.number not in directory.ids]
    # A new account whose parent is also new gets its parent once both exist.
    ids = dict(directory.ids)
    ids |= insert_returning_ids(
        session,
        accounts,
        [
            {
                **DEFAULTS,
                **r.fields,
                "number": r.number,
                "created_at": now,
                "parent_id": ids.get(r.parent) if r.parent else None,
            }
            for r in creates
        ],
        "number",
    )
    late_parents = [
        {"id": ids[r.number], "parent_id": ids[r.parent]}
        for r in creates
        if r.parent and r.parent not in directory.ids
    ]
    updates: list[dict[str, object]] = []
    changed = [ids[r.number] for r in creates]
    for record in valid:
        old = directory.values.get(record.number)
        if old is None:
            continue
        new = dict(record.fields)
        if has_parent:
            new["parent_id"] = ids[record.parent] if record.parent else None
        if any(old[k] != v for k, v in new.items()):
            updates.append({"id": old["id"], **new})
            changed.append(ids[record.number])
        else:
            tally.unchanged += 1
    tally.created += len(creates)
    tally.updated += len(updates)
    update_rows(session, accounts, updates)
    update_rows(session, accounts, late_parents)
    numbers = {account_id: number for number, account_id in ids.items()}
    for account_id in changed:
        changelog.record_changes(
            session,
            changelog.account_bucket(account_id),
            [changelog.RowChange("account", numbers[account_id])],
        )

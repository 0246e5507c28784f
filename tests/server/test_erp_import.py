"""ERP file import: real CSV/XLSX files into a migrated SQLite database, change log included."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, insert, select

from app.domain.gtin import normalize_gtin
from server.accounts.models import Account
from server.catalog.models import Assortment, AssortmentProduct, Product, ProductUnit
from server.changes import service as changelog
from server.changes.models import BucketCounter, Change
from server.db import make_engine
from server.erp_import import ImportFileError, ImportKind, ImportReport, RowError, import_file
from server.erp_import.numbers import DecimalMark, parse_decimal, sniff_decimal_mark
from server.erp_import.tables import float_text
from server.migrate import upgrade
from server.pricing.models import ContractPrice, PriceList, PriceListItem
from server.stock.models import Stock, Warehouse

EAN_A = "4006381333931"  # valid EAN-13
EAN_B = "96385074"  # valid GTIN-8
UPC_C = "036000291452"  # valid UPC-A
# The server stores every GTIN as GTIN-14, whatever spelling the file used.
g14 = normalize_gtin


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated database: warehouses MAIN/EAST, assortments STD(1)/PRO(2), price list PL1,
    account C100, products A-1 (in STD and PRO, base GTIN EAN_A) and B-2 (in STD only)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Warehouse),
            [{"id": 1, "code": "MAIN", "name": "Main"}, {"id": 2, "code": "EAST", "name": "East"}],
        )
        conn.execute(
            insert(Assortment),
            [{"id": 1, "code": "STD", "name": "Standard"}, {"id": 2, "code": "PRO", "name": "Pro"}],
        )
        conn.execute(insert(PriceList), [{"id": 1, "code": "PL1", "name": "List 1"}])
        conn.execute(
            insert(Account),
            [{"id": 1, "number": "C100", "name": "Acme", "assortment_id": 1, "price_list_id": 1}],
        )
        conn.execute(
            insert(Product),
            [
                {"id": 1, "sku": "A-1", "name": "Widget", "list_price": Decimal("9.5")},
                {"id": 2, "sku": "B-2", "name": "Gadget", "list_price": None},
            ],
        )
        conn.execute(
            insert(ProductUnit),
            [
                {"product_id": 1, "code": "EA", "factor": 1, "gtin": g14(EAN_A)},
                {"product_id": 2, "code": "EA", "factor": 1, "gtin": None},
            ],
        )
        conn.execute(
            insert(AssortmentProduct),
            [
                {"assortment_id": 1, "product_id": 1},
                {"assortment_id": 2, "product_id": 1},
                {"assortment_id": 1, "product_id": 2},
            ],
        )
    yield engine
    engine.dispose()


# --- helpers -------------------------------------------------------------------------------


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import may touch (the change log included)."""
    models = (
        Product, ProductUnit, AssortmentProduct, Stock, PriceListItem, ContractPrice,
        Account, Change, BucketCounter,
    )  # fmt: skip
    with engine.connect() as conn:
        return {
            m.__tablename__: sorted(tuple(r) for r in conn.execute(select(m.__table__)))
            for m in models
        }


def changes(engine: Engine) -> set[tuple[str, str, str, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Change.bucket, Change.entity, Change.key, Change.deleted))
        return {(b, e, k, d) for b, e, k, d in rows}


def product(engine: Engine, sku: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(Product.__table__).where(Product.sku == sku)).one()
        units = conn.execute(
            select(ProductUnit.code, ProductUnit.factor, ProductUnit.gtin).where(
                ProductUnit.product_id == row.id
            )
        )
        held = conn.execute(
            select(Assortment.code)
            .join(AssortmentProduct, AssortmentProduct.assortment_id == Assortment.id)
            .where(AssortmentProduct.product_id == row.id)
        )
        return {**row._asdict(), "units": set(units), "assortments": {c for (c,) in held}}


def where(report: ImportReport) -> list[tuple[int, str | None]]:
    return [(e.row, e.column) for e in report.errors]


# --- products ------------------------------------------------------------------------------


def test_products_are_created_updated_and_a_reimport_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "products.csv",
        [
            ["SKU", "Name", "List Price", "Min Qty", "Multiple", "GTIN", "Units"],
            ["A-1", "Widget XL", "9.50", "1", "1", EAN_A, f"BX:10:{UPC_C}"],
            ["C-3", "Sprocket", "0.1234", "12", "6", EAN_B, "CS:48"],
        ],
    )
    report = import_file(engine, ImportKind.PRODUCTS, path)
    assert (report.created, report.updated, report.unchanged, report.errors) == (1, 1, 0, [])
    assert report.rows_read == 2

    a1, c3 = product(engine, "A-1"), product(engine, "C-3")
    assert a1["name"] == "Widget XL"
    assert a1["units"] == {("EA", 1, g14(EAN_A)), ("BX", 10, g14(UPC_C))}
    assert (c3["list_price"], c3["min_qty"], c3["multiple"]) == (
        Decimal("0.1234"),
        Decimal(12),
        Decimal(6),
    )
    assert (c3["base_unit"], c3["currency"], c3["status"]) == ("EA", "EUR", "active")
    assert c3["units"] == {("EA", 1, g14(EAN_B)), ("CS", 48, None)}
    # A-1 is in both assortments; C-3 in none, so nobody needs to hear about it yet.
    assert changes(engine) == {
        ("catalog:1", "product", "A-1", False),
        ("catalog:2", "product", "A-1", False),
    }

    before = snapshot(engine)
    again = import_file(engine, ImportKind.PRODUCTS, path)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert snapshot(engine) == before


def test_bad_rows_are_reported_by_row_and_column_and_good_rows_still_apply(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "products.csv",
        [
            ["sku", "name", "list_price", "gtin", "replacement_sku", "status", "Colour"],
            ["D-4", "Good one", "1.50", "", "A-1", "discontinued", "red"],  # row 2
            [],  # row 3: blank, skipped
            ["E-5", "Bad price", "abc", "", "", "", ""],  # row 4
            ["F-6", "Bad GTIN", "1", "4006381333932", "", "", ""],  # row 5
            ["G-7", "First", "1", "", "", "", ""],  # row 6
            ["G-7", "Second", "1", "", "", "", ""],  # row 7
            ["H-8", "", "-2", "", "", "sold out", ""],  # row 8: three problems
            ["I-9", "Steals a GTIN", "1", EAN_A, "", "", ""],  # row 9
            ["J-10", "Replaced by new", "1", "", "D-4", "", ""],  # row 10
            ["K-11", "Replaced by nothing", "1", "", "NOPE", "", ""],  # row 11
        ],
    )
    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert where(report) == [
        (4, "list_price"),
        (5, "gtin"),
        (6, "sku"),
        (7, "sku"),
        (8, "name"),
        (8, "list_price"),
        (8, "status"),
        (9, "gtin"),
        (11, "replacement_sku"),
    ]
    assert report.errors[0] == RowError(4, "list_price", "abc", "'abc' is not a number")
    assert "check digit" in report.errors[1].message
    assert "also in row 7" in report.errors[2].message
    assert "A-1" in report.errors[-2].message
    assert report.ignored_columns == ["Colour"]
    assert (report.rows_read, report.created, report.updated) == (9, 2, 0)
    assert product(engine, "D-4")["status"] == "discontinued"
    assert product(engine, "J-10")["replacement_sku"] == "D-4"
    with engine.connect() as conn:
        skus = set(conn.scalars(select(Product.sku)))
    assert skus == {"A-1", "B-2", "D-4", "J-10"}
    assert "row 4, column list_price: 'abc' is not a number" in report.summary().splitlines()


def test_a_missing_required_column_refuses_the_whole_file(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["", ""], ["Item No.", "Price"], ["Z-1", "3"]])
    before = snapshot(engine)

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (2, None)  # the first non-blank row is the header
    assert "name" in error.message and "product name" in error.message
    assert report.rows_read == 0
    assert snapshot(engine) == before


def test_dry_run_counts_like_a_real_run_but_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["sku", "name", "assortments"],
            ["A-1", "Widget", "PRO"],
            ["N-1", "New", "STD"],
            ["B-2", "Gadget", "STD"],
        ],
    )
    before = snapshot(engine)

    dry = import_file(engine, ImportKind.PRODUCTS, path, dry_run=True)

    assert snapshot(engine) == before
    assert dry.dry_run and "dry run" in dry.summary()
    real = import_file(engine, ImportKind.PRODUCTS, path)
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    assert (real.created, real.updated, real.unchanged) == (1, 1, 1)


def test_windows_1252_csv_with_semicolons_and_decimal_commas(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["Article No", "Name", "List Price", "Min Qty", "Multiple"],
            ["K-1", "Größe Münze", "1.234,50", "2,5", "1"],
            ["K-2", "Zähler", "7,00", "1.000", "5"],
            ["K-3", "Malformed", "1", "1", "1.5"],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    report = import_file(engine, ImportKind.PRODUCTS, path)

    # This file writes decimal commas, so "1.5" is malformed and "1.000" is a thousand.
    assert where(report) == [(4, "multiple")]
    assert "comma" in report.errors[0].message
    k1, k2 = product(engine, "K-1"), product(engine, "K-2")
    assert k1["name"] == "Größe Münze"
    assert (k1["list_price"], k1["min_qty"]) == (Decimal("1234.50"), Decimal("2.5"))
    assert k2["name"] == "Zähler"
    assert (k2["list_price"], k2["min_qty"]) == (Decimal("7.00"), Decimal(1000))


def test_utf8_bom_and_a_comma_csv_refuses_decimal_commas(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b'\xef\xbb\xbfsku,name,list_price\nL-1,Caf\xc3\xa9,"1,5"\nL-2,Tea,2.25\n')

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert where(report) == [(2, "list_price")]
    assert product(engine, "L-2")["list_price"] == Decimal("2.25")


def test_xlsx_keeps_sku_digits_and_reads_numbers_exactly(engine: Engine, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "p.xlsx",
        [
            ["SKU", "Name", "List Price", "GTIN", "Status"],
            ["00012345", "Text SKU", 19.99, "", None],
            [12345, "Number SKU", 0.1 + 0.2, 5901234123457, "Active"],
            [None, None, None, None, None],
            [777, "Bad GTIN", 3, 4006381333932, None],
        ],
    )

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert where(report) == [(5, "gtin")]
    assert report.errors[0].value == "4006381333932"
    assert report.created == 2
    assert product(engine, "00012345")["list_price"] == Decimal("19.99")
    number_sku = product(engine, "12345")  # not "12345.0"
    assert number_sku["list_price"] == Decimal("0.3")  # not 0.30000000000000004
    assert number_sku["status"] == "active"
    assert number_sku["units"] == {("EA", 1, g14("5901234123457"))}


def test_xlsx_numbers_become_the_text_a_user_sees() -> None:
    assert float_text(12345.0) == "12345"
    assert float_text(0.1 + 0.2) == "0.3"
    assert float_text(19.99) == "19.99"
    assert float_text(1e-05) == "0.00001"


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("1.234.567,8", DecimalMark.COMMA, Decimal("1234567.8")),
        ("1.500", DecimalMark.COMMA, Decimal(1500)),  # this file writes 1,5 for one and a half
        ("1.5", DecimalMark.COMMA, None),
        ("1.500", DecimalMark.POINT, Decimal("1.5")),
        ("1,5", DecimalMark.POINT, None),
        ("12,5", DecimalMark.EITHER, Decimal("12.5")),
        ("1,500", DecimalMark.EITHER, None),  # a thousand or one and a half? refused
        ("1 234.5", DecimalMark.POINT, Decimal("1234.5")),
        ("1_000", DecimalMark.POINT, None),
        ("NaN", DecimalMark.POINT, None),
        ("-0.25", DecimalMark.POINT, Decimal("-0.25")),
    ],
)
def test_numbers_are_read_with_the_files_decimal_mark(
    text: str, mark: DecimalMark, value: Decimal | None
) -> None:
    assert parse_decimal(text, mark) == value


def test_a_semicolon_csv_without_decimal_commas_reads_points_as_decimals() -> None:
    text = "sku;name;price\nA;Thing;1.500\n"
    assert sniff_decimal_mark(text, ";") is DecimalMark.POINT
    assert sniff_decimal_mark(text + 'B;"Other";2,25\n', ";") is DecimalMark.COMMA
    assert sniff_decimal_mark("a,b\n1,5\n", ",") is DecimalMark.POINT


def test_unit_lists_and_ragged_csv_rows_are_checked(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "sku,name,units\n"
        "U-1,Good,BX:10|CS:100:" + EAN_B + "\n"
        "U-2,Twice,BX:10;BX:12\n"
        "U-3,Base,EA:6\n"
        "U-4,Bad factor,BX:ten\n"
        "U-5,Shifted,BX:10,extra\n"
    )

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert where(report) == [(3, "units"), (4, "units"), (5, "units"), (6, None)]
    assert "delimiter" in report.errors[-1].message
    assert product(engine, "U-1")["units"] == {
        ("EA", 1, None),
        ("BX", 10, None),
        ("CS", 100, g14(EAN_B)),
    }


def test_a_gtin_can_move_between_products_in_one_file(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["sku", "name", "gtin"], ["A-1", "Widget", ""], ["B-2", "Gadget", EAN_A]],
    )

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert report.errors == [] and report.updated == 2
    assert product(engine, "B-2")["units"] == {("EA", 1, g14(EAN_A))}
    assert product(engine, "A-1")["units"] == {("EA", 1, None)}


def test_assortment_changes_send_tombstones_and_additions(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["sku", "name", "list_price", "assortments"],
            ["A-1", "Widget", "9.5", "PRO"],  # leaves STD
            ["B-2", "Gadget", "", "STD|PRO"],  # joins PRO
            ["M-1", "Mystery", "", "STD; NOPE"],
        ],
    )

    report = import_file(engine, ImportKind.PRODUCTS, path)

    assert where(report) == [(4, "assortments")]
    assert "'NOPE'" in report.errors[0].message
    assert product(engine, "A-1")["assortments"] == {"PRO"}
    assert product(engine, "B-2")["assortments"] == {"STD", "PRO"}
    assert changes(engine) == {
        ("catalog:1", "product", "A-1", True),
        ("stock:1", "stock", "A-1", True),
        ("catalog:2", "product", "B-2", False),
        ("stock:2", "stock", "B-2", False),
    }


def test_a_failure_mid_import_leaves_nothing_behind(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["sku", "name", "assortments"], ["A-1", "Renamed", "STD"], ["N-2", "New", "PRO"]],
    )
    before = snapshot(engine)
    real = changelog.record_changes
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls > 2:  # after some change rows are already written
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(changelog, "record_changes", failing)

    with pytest.raises(RuntimeError, match="disk full"):
        import_file(engine, ImportKind.PRODUCTS, path)

    assert calls > 2
    assert snapshot(engine) == before


def test_unreadable_files_raise_a_friendly_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="cannot open"):
        import_file(engine, ImportKind.PRODUCTS, tmp_path / "missing.csv")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match="xlsx"):
        import_file(engine, ImportKind.PRODUCTS, broken)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    assert where(import_file(engine, ImportKind.PRODUCTS, empty)) == [(1, None)]


# --- prices --------------------------------------------------------------------------------


def test_price_list_tiers_log_to_the_price_list_bucket(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "tiers.csv",
        [
            ["Price List", "Item", "From Qty", "Price"],
            ["PL1", "A-1", "", "8.00"],
            ["PL1", "A-1", "10", "7.5"],
            ["PL9", "A-1", "1", "1"],
            ["PL1", "ZZZ", "1", "-1"],
        ],
    )

    report = import_file(engine, ImportKind.PRICES, path)

    assert where(report) == [(4, "price_list"), (5, "price")]
    assert report.created == 2
    assert changes(engine) == {("prices:1", "price", "A-1", False)}
    with engine.connect() as conn:
        tiers = {
            (q, p) for q, p in conn.execute(select(PriceListItem.min_qty, PriceListItem.price))
        }
    assert tiers == {(Decimal(1), Decimal(8)), (Decimal(10), Decimal("7.5"))}
    assert import_file(engine, ImportKind.PRICES, path).unchanged == 2


def test_contract_prices_log_to_the_account_contracts_bucket(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "contracts.xlsx",
        [
            ["Account", "Contract", "SKU", "Price", "Valid From", "Valid To"],
            ["C100", "K-2025", "B-2", 4.2, dt.date(2025, 1, 1), "2025-12-31"],
            ["C100", "K-2025", "A-1", 5, "2025-06-01", "2025-01-01"],
            ["C999", "K-2025", "A-1", 5, None, None],
        ],
    )

    report = import_file(engine, ImportKind.PRICES, path)

    assert where(report) == [(3, "valid_to"), (4, "account")]
    assert changes(engine) == {("contracts:1", "contract", "B-2", False)}
    with engine.connect() as conn:
        row = conn.execute(select(ContractPrice.__table__)).one()
    assert (row.contract_code, row.price, row.min_qty) == ("K-2025", Decimal("4.2"), Decimal(0))
    assert (row.valid_from, row.valid_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_a_prices_file_must_say_which_kind_it_is(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["sku", "price"], ["A-1", "1"]])
    report = import_file(engine, ImportKind.PRICES, path)
    assert where(report) == [(1, None)] and "price_list" in report.errors[0].message


# --- stock ---------------------------------------------------------------------------------


def test_stock_logs_to_the_stock_bucket_of_every_assortment_holding_the_product(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "stock.csv",
        [
            ["sku", "warehouse", "available", "next_receipt_date", "next_receipt_qty"],
            ["A-1", "MAIN", "12", "2025-03-01", "100"],
            ["A-1", "EAST", "0", "", ""],
            ["B-2", "MAIN", "-3", "", ""],
            ["B-2", "NORTH", "3", "", ""],
            ["X-0", "MAIN", "3", "someday", ""],
        ],
    )
    start = dt.datetime.now(dt.UTC)

    report = import_file(engine, ImportKind.STOCK, path)

    assert where(report) == [(4, "available"), (5, "warehouse"), (6, "next_receipt_date")]
    assert report.created == 2
    assert changes(engine) == {
        ("stock:1", "stock", "A-1", False),
        ("stock:2", "stock", "A-1", False),
    }
    with engine.connect() as conn:
        rows = {r.warehouse_id: r for r in conn.execute(select(Stock.__table__))}
    assert rows[1].available == Decimal(12) and rows[1].next_receipt_date == dt.date(2025, 3, 1)
    assert rows[1].lead_time_days == 3
    assert rows[1].as_of >= start

    before = snapshot(engine)
    again = import_file(engine, ImportKind.STOCK, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshot(engine) == before


# --- accounts ------------------------------------------------------------------------------


def test_accounts_are_upserted_with_parents_and_log_account_changes(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "accounts.csv",
        [
            ["Customer No", "Name", "Parent", "On Hold", "Credit Limit", "Assortment"],
            ["C100", "Acme", "", "yes", "5000", "STD"],
            ["C200", "Acme Branch", "C300", "no", "", "PRO"],
            ["C300", "Acme Region", "C100", "0", "", ""],
            ["C400", "Loop A", "C500", "", "", ""],
            ["C500", "Loop B", "C400", "", "", ""],
            ["C600", "Bad", "", "maybe", "", "GOLD"],
        ],
    )

    report = import_file(engine, ImportKind.ACCOUNTS, path)

    assert where(report) == [(5, "parent"), (6, "parent"), (7, "on_hold")]
    assert "loops" in report.errors[0].message
    assert (report.created, report.updated) == (2, 1)
    with engine.connect() as conn:
        accounts = {r.number: r for r in conn.execute(select(Account.__table__))}
    assert accounts["C100"].on_hold and accounts["C100"].credit_limit == Decimal(5000)
    assert accounts["C200"].parent_id == accounts["C300"].id
    assert accounts["C300"].parent_id == accounts["C100"].id
    assert accounts["C200"].assortment_id == 2 and accounts["C200"].price_list_id is None
    assert {(b, k) for b, _, k, _ in changes(engine)} == {
        (f"account:{accounts[n].id}", n) for n in ("C100", "C200", "C300")
    }
    assert import_file(engine, ImportKind.ACCOUNTS, path).unchanged == 3


def test_the_report_is_json_ready(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["sku", "warehouse", "qty"], ["A-1", "MAIN", "x"]])
    data = import_file(engine, ImportKind.STOCK, path).to_dict()
    assert data["kind"] == "stock" and data["rows_read"] == 1
    assert data["errors"] == [
        {"row": 2, "column": "available", "value": "x", "message": "'x' is not a number"}
    ]

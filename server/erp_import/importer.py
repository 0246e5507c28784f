"""Running one import: open the file, pick the kind's importer, one transaction around it all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server.erp_import.accounts import import_accounts
from server.erp_import.prices import import_prices
from server.erp_import.products import import_products
from server.erp_import.report import ImportKind, ImportReport, RowError
from server.erp_import.rows import Tally
from server.erp_import.stock import import_stock
from server.erp_import.tables import Table, open_table

Importer = Callable[[Session, Table, Tally], None]
IMPORTERS: dict[ImportKind, Importer] = {
    ImportKind.PRODUCTS: import_products,
    ImportKind.PRICES: import_prices,
    ImportKind.STOCK: import_stock,
    ImportKind.ACCOUNTS: import_accounts,
}


def import_file(
    engine: Engine, kind: ImportKind, path: Path, *, dry_run: bool = False
) -> ImportReport:
    """Validate every row of `path`, upsert the good ones and log each change for sync.

    All writes and their change-log entries commit together or not at all; with `dry_run`
    the same work is done and then rolled back, so the counts are exactly what a real run
    would give. Bad rows are skipped and listed in the report. A file that cannot be read
    at all raises ImportFileError.
    """
    kind, path = ImportKind(kind), Path(path)  # the CLI may hand in plain strings
    tally = Tally()
    with open_table(path) as table, Session(engine) as session:
        if table is None:
            tally.errors.append(RowError(1, None, None, "the file is empty"))
        else:
            transaction = session.begin()
            try:
                IMPORTERS[kind](session, table, tally)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    return ImportReport(
        kind=kind,
        file=str(path),
        rows_read=tally.rows_read,
        created=tally.created,
        updated=tally.updated,
        unchanged=tally.unchanged,
        errors=sorted(tally.errors, key=lambda e: e.row),
        dry_run=dry_run,
        ignored_columns=tally.ignored_columns,
    )

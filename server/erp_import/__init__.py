"""ERP file import: products, prices, stock and accounts from CSV or XLSX, logged for sync.

``import_file(engine, ImportKind.PRODUCTS, path, dry_run=True)`` returns an ImportReport;
a file that cannot be read at all raises ImportFileError.
"""

from __future__ import annotations

from server.erp_import.importer import import_file
from server.erp_import.report import ImportKind, ImportReport, RowError
from server.erp_import.tables import ImportFileError

__all__ = ["ImportFileError", "ImportKind", "ImportReport", "RowError", "import_file"]

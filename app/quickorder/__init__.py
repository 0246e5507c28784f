"""Quick order: pasted lists, the buyer's spreadsheets and barcode scans turned into checked,
priced order lines, with a reason for every line that cannot be ordered as entered.

Parsing and validation live here with no Qt and no network; the catalog is read through the
narrow ``Catalog`` protocol (``app.quickorder.catalog``). Use cases are in
``app.services.quickorder``.
"""

"""Keeping the products' full-text index (``products_fts``) in step with ``products``.

The index uses external content, so removing a row's terms needs the text it was indexed
with: call ``unindex`` *before* a product row changes or goes, ``index`` *after* it is
written. Every writer of ``products`` lives in ``apply.py`` and does exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

FTS_COLUMNS = "sku, name, description, brand, category, barcodes"
_CHUNK = 900


def unindex(conn: Connection, where: str, params: tuple[object, ...] = ()) -> None:
    """Remove the terms of the products matching ``where`` (they are about to change)."""
    conn.exec_driver_sql(
        f"INSERT INTO products_fts (products_fts, rowid, {FTS_COLUMNS}) "
        f"SELECT 'delete', id, {FTS_COLUMNS} FROM products WHERE {where}",
        params,
    )


def index(conn: Connection, where: str, params: tuple[object, ...] = ()) -> None:
    """Add the terms of the products matching ``where`` (just written)."""
    conn.exec_driver_sql(
        f"INSERT INTO products_fts (rowid, {FTS_COLUMNS}) "
        f"SELECT id, {FTS_COLUMNS} FROM products WHERE {where}",
        params,
    )


def unindex_skus(conn: Connection, skus: Sequence[str]) -> None:
    for chunk in _chunks(skus):
        unindex(conn, f"sku IN ({', '.join('?' * len(chunk))})", tuple(chunk))


def index_skus(conn: Connection, skus: Sequence[str]) -> None:
    for chunk in _chunks(skus):
        index(conn, f"sku IN ({', '.join('?' * len(chunk))})", tuple(chunk))


def rebuild(conn: Connection) -> None:
    """Rebuild the whole index from ``products`` (repair, or after a migration)."""
    conn.exec_driver_sql("INSERT INTO products_fts (products_fts) VALUES ('rebuild')")


def check(conn: Connection) -> None:
    """Raise (sqlite3 "database disk image is malformed") if the index disagrees with
    ``products``."""
    conn.exec_driver_sql(
        "INSERT INTO products_fts (products_fts, rank) VALUES ('integrity-check', 1)"
    )


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]

"""Checking the replica against the server: bucket checkpoints and damaged rows."""

from __future__ import annotations

import orjson
from sqlalchemy import Connection

from app.store.apply import read_state
from app.store.checksum import fold, row_hash
from app.store.entities import (
    OTHER,
    MalformedRow,
    UnitRow,
    all_tables,
    digest_of,
    project_product,
)
from app.store.pages import Checkpoint


def checkpoint_of(conn: Connection, bucket: str) -> Checkpoint:
    """Live-row count and checksum of ``bucket`` as stored, at its current cursor."""
    hashes: list[int] = []
    # The DB-API cursor of the same transaction: a bucket holds up to 100,000s of rows.
    raw = conn.connection.driver_connection
    for table in all_tables():
        if table is OTHER:
            sql = "SELECT entity, key, position FROM other_rows WHERE bucket = ?"
        else:
            sql = f"SELECT '{table.entity}', {table.key_column}, position FROM {table.table} "
            sql += "WHERE bucket = ?"
        cursor = raw.execute(sql, (bucket,))  # type: ignore[union-attr]
        try:
            hashes += [row_hash(entity, key, position) for entity, key, position in cursor]
        finally:
            cursor.close()
    return Checkpoint(
        position=read_state(conn, bucket).cursor, count=len(hashes), checksum=fold(hashes)
    )


def corrupted_keys(conn: Connection, bucket: str) -> list[tuple[str, str]]:
    """(entity, key) of rows of ``bucket`` whose stored data no longer matches its digest, or
    whose typed columns (product units included) disagree with the data they came from.

    Reads and re-projects every row (2-3 s per 100,000 products here): run it when a
    checkpoint disagrees or on an explicit verify, not after every pull.
    """
    bad: list[tuple[str, str]] = []
    units = _stored_units(conn, bucket)
    for table in all_tables():
        local = ", local" if table.local_copy else ", NULL"
        columns = "".join(f", {c}" for c in table.columns)
        entity_column = "entity" if table is OTHER else f"'{table.entity}'"
        rows = conn.exec_driver_sql(
            f"SELECT {entity_column}, {table.key_column}, data, digest{local}{columns} "
            f"FROM {table.table} WHERE bucket = ?",
            (bucket,),
        ).all()
        for entity, key, text, digest, local_text, *stored in rows:
            try:
                # ``data`` is stored canonical, so its own hash must be the digest.
                if digest_of(text.encode()) != digest:
                    raise ValueError("digest")
                shown = orjson.loads(local_text or text)
                if entity == "product":
                    projection, product_units = project_product(key, shown)
                    if sorted(product_units) != sorted(units.get(key, [])):
                        raise ValueError("units")
                else:
                    projection = table.project(key, shown)
                if projection != tuple(stored):
                    raise ValueError("projection")
            except (orjson.JSONDecodeError, MalformedRow, ValueError, TypeError, AttributeError):
                bad.append((entity, key))
    return bad


def _stored_units(conn: Connection, bucket: str) -> dict[str, list[UnitRow]]:
    units: dict[str, list[UnitRow]] = {}
    for sku, code, factor, gtin in conn.exec_driver_sql(
        "SELECT u.sku, u.code, u.factor, u.gtin FROM product_units u "
        "JOIN products p ON p.sku = u.sku WHERE p.bucket = ?",
        (bucket,),
    ).all():
        units.setdefault(sku, []).append((code, factor, gtin))
    return units

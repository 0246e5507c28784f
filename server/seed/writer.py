"""Bulk inserts with ids assigned by the seed, as fast as each database allows.

PostgreSQL gets COPY; SQLite gets one executemany per slice with the columns' own bind
processing (what Core would do, without its per-row overhead); anything else gets Core
`insert()`. Everything runs on the session's connection, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from server.db import Base

Row = dict[str, Any]
_SLICE = 5000


class BulkWriter:
    """Writes rows (dicts keyed by column name, all with the same keys) into tables."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect
        self.counts: dict[str, int] = {}
        self._tables: dict[str, Table] = {}

    def write(self, model: type[Base], rows: Sequence[Row]) -> None:
        table = cast(Table, model.__table__)
        self._tables[table.name] = table
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        if not rows:
            return
        if self._dialect.name == "postgresql":
            self._copy(table, rows)
        elif self._dialect.name == "sqlite":
            self._executemany(table, rows)
        else:
            for start in range(0, len(rows), _SLICE):
                self._session.execute(insert(table), list(rows[start : start + _SLICE]))

    def _copy(self, table: Table, rows: Sequence[Row]) -> None:
        names = list(rows[0])
        driver = self._session.connection().connection.driver_connection
        if driver is None:  # pragma: no cover - a live session always has one
            raise RuntimeError("no database connection to COPY into")
        columns = ", ".join(f'"{name}"' for name in names)
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[name] for name in names])

    def _executemany(self, table: Table, rows: Sequence[Row]) -> None:
        names = list(rows[0])
        processed: list[tuple[int, Callable[[Any], Any]]] = []
        for index, name in enumerate(names):
            column_type = table.columns[name].type.dialect_impl(self._dialect)
            processor = column_type.bind_processor(self._dialect)
            if processor is not None:
                processed.append((index, processor))
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
        values = itemgetter(*names)
        connection = self._session.connection()
        for start in range(0, len(rows), _SLICE):
            params: list[tuple[Any, ...]] = []
            for row in rows[start : start + _SLICE]:
                row_values = list(values(row)) if len(names) > 1 else [values(row)]
                for index, process in processed:
                    row_values[index] = process(row_values[index])
                params.append(tuple(row_values))
            connection.exec_driver_sql(sql, params)

    def reset_sequences(self) -> None:
        """On PostgreSQL, move each serial id sequence past the ids written explicitly."""
        if self._dialect.name != "postgresql":
            return
        for table in self._tables.values():
            id_column = table.columns.get("id")
            if id_column is None or not id_column.primary_key:
                continue
            self._session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:name, 'id'), max(id)) "
                    f'FROM "{table.name}"'
                ),
                {"name": table.name},
            )

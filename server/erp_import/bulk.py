"""Set-at-a-time database work for imports: look rows up by key in chunks, write in batches."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, Table, bindparam, delete, insert, update
from sqlalchemy.orm import QueryableAttribute, Session

from server.db import Base

CHUNK = 500
T = TypeVar("T")
Ts = TypeVarTuple("Ts")


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table


def select_in(
    session: Session,
    stmt: Select[*Ts],
    column: ColumnElement[Any] | QueryableAttribute[Any],
    keys: Collection[str] | Collection[int],
) -> Iterator[Row[*Ts]]:
    """The rows of `stmt` whose `column` is one of `keys`, fetched a chunk of keys at a time."""
    # Sorted keys walk the index in order: several times faster than a set's random order.
    for chunk in chunked(sorted(keys), 1000):
        yield from session.execute(stmt.where(column.in_(chunk)))


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for chunk in chunked(rows, 5000):
        session.execute(insert(table), list(chunk))


def insert_returning_ids(
    session: Session, table: Table, rows: list[dict[str, Any]], key: str
) -> dict[Any, int]:
    """Insert `rows`; returns their new ids by the value of their natural `key` column."""
    ids: dict[Any, int] = {}
    stmt = insert(table).returning(table.c[key], table.c.id)
    for chunk in chunked(rows, 5000):
        for natural, new_id in session.execute(stmt, list(chunk)):
            ids[natural] = new_id
    return ids


def update_rows(
    session: Session, table: Table, rows: list[dict[str, Any]], *, keys: Sequence[str] = ("id",)
) -> None:
    """UPDATE by primary key; each row holds its key columns and the same set of columns to set."""
    if not rows:
        return
    where = [table.c[k] == bindparam(f"key_{k}") for k in keys]
    stmt = update(table).where(*where)
    params = [
        {**{c: v for c, v in row.items() if c not in keys}, **{f"key_{k}": row[k] for k in keys}}
        for row in rows
    ]
    for chunk in chunked(params, 5000):
        session.execute(stmt, list(chunk))


def delete_in(session: Session, table: Table, column: str, keys: Sequence[object]) -> None:
    for chunk in chunked(keys):
        session.execute(delete(table).where(table.c[column].in_(chunk)))

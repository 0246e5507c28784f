"""One bucket of a pull answer, as the replica applies it (docs/sync-protocol.md, "Pull").

``BucketPage.from_json(answer["buckets"][i])`` checks the shape and raises ``MalformedPage``
(a ValueError) naming the bad field; row ``data`` is kept exactly as received (decimals stay
strings) because the replica stores and digests it verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class MalformedPage(ValueError):
    """The server sent a page this client cannot read; nothing of it was applied."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The server's live-row count and checksum of a bucket at ``position``."""

    position: int
    count: int
    checksum: str

    @classmethod
    def from_json(cls, d: object) -> Checkpoint:
        obj = _object(d, "checkpoint")
        return cls(
            position=_int(obj, "position", "checkpoint"),
            count=_int(obj, "count", "checkpoint"),
            checksum=_str(obj, "checksum", "checkpoint"),
        )


@dataclass(frozen=True, slots=True)
class PageRow:
    """One row change; ``data`` is None exactly when ``deleted`` (a tombstone)."""

    entity: str
    key: str
    position: int
    deleted: bool
    data: dict[str, Any] | None

    @classmethod
    def from_json(cls, d: object) -> PageRow:
        # The bulk path (hundreds of thousands of rows): plain checks, then the slow path
        # only to say what is wrong.
        if type(d) is dict:
            entity, key, position = d.get("entity"), d.get("key"), d.get("position")
            deleted, data = d.get("deleted", False), d.get("data")
            if (
                type(entity) is str and entity
                and type(key) is str and key
                and type(position) is int and position >= 0
                and type(deleted) is bool
                and (deleted or type(data) is dict)
            ):  # fmt: skip
                return cls(entity, key, position, deleted, None if deleted else data)
        return cls._checked(d)

    @classmethod
    def _checked(cls, d: object) -> PageRow:
        obj = _object(d, "row")
        deleted = obj.get("deleted", False)
        if not isinstance(deleted, bool):
            raise MalformedPage(f"row field 'deleted' must be a boolean, not {deleted!r}")
        data = obj.get("data")
        what = f"row {obj.get('entity')!r} {obj.get('key')!r}"
        if deleted:
            data = None
        elif not isinstance(data, dict):
            raise MalformedPage(f"{what}: 'data' must be an object for a live row")
        return cls(
            entity=_str(obj, "entity", what),
            key=_str(obj, "key", what),
            position=_int(obj, "position", what),
            deleted=deleted,
            data=data,
        )


@dataclass(frozen=True, slots=True)
class BucketPage:
    """Rows of one bucket from ``from_position`` (exclusive) to ``to_position`` (inclusive).

    ``reset`` with ``from_position == 0`` starts a re-download of the bucket; ``complete``
    says the bucket is caught up to ``to_position`` and usually carries a ``checkpoint``.
    """

    bucket: str
    reset: bool
    from_position: int
    to_position: int
    complete: bool
    rows: list[PageRow]
    checkpoint: Checkpoint | None

    @classmethod
    def from_json(cls, d: object) -> BucketPage:
        """Build a page from one element of the pull answer's ``buckets`` list."""
        obj = _object(d, "bucket page")
        bucket = _str(obj, "bucket", "bucket page")
        what = f"bucket {bucket!r}"
        rows_raw = obj.get("rows", [])
        if not isinstance(rows_raw, list):
            raise MalformedPage(f"{what}: 'rows' must be a list")
        start, end = _int(obj, "from", what), _int(obj, "to", what)
        if end < start:
            raise MalformedPage(f"{what}: 'to' {end} is before 'from' {start}")
        raw_checkpoint = obj.get("checkpoint")
        return cls(
            bucket=bucket,
            reset=_bool(obj, "reset", what),
            from_position=start,
            to_position=end,
            complete=_bool(obj, "complete", what),
            rows=[PageRow.from_json(row) for row in rows_raw],
            checkpoint=None if raw_checkpoint is None else Checkpoint.from_json(raw_checkpoint),
        )


def _object(d: object, what: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise MalformedPage(f"{what} must be a JSON object, not {type(d).__name__}")
    return d


def _str(obj: dict[str, Any], name: str, what: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value:
        raise MalformedPage(f"{what}: {name!r} must be a non-empty string, not {value!r}")
    return value


def _int(obj: dict[str, Any], name: str, what: str) -> int:
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedPage(f"{what}: {name!r} must be a non-negative integer, not {value!r}")
    return value


def _bool(obj: dict[str, Any], name: str, what: str) -> bool:
    value = obj.get(name, False)
    if not isinstance(value, bool):
        raise MalformedPage(f"{what}: {name!r} must be a boolean, not {value!r}")
    return value

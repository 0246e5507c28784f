from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, inspect

from app.store import carts
from app.store.migrations import MIGRATIONS, Migration, MigrationError, ReplicaTooNew, sql_step
from app.store.outbox import OutboxState, enqueue
from app.store.replica import Replica
from app.store.schema import Base

_NEXT = MIGRATIONS[-1].version + 1  # the version a test's extra step takes


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    with Replica.open(tmp_path) as opened:
        yield opened


def test_enqueue_is_part_of_the_callers_transaction(replica: Replica) -> None:
    with pytest.raises(RuntimeError), replica.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO carts (cart_id, name, status) VALUES ('c1', 'x', 'open')"
        )
        enqueue(session, "cart.create", {"cart_id": "c1", "name": "x"})
        raise RuntimeError("the local change failed after the enqueue")
    assert replica.outbox.entries() == []
    assert carts.carts(replica) == []


def test_a_cart_change_and_its_mutation_roll_back_together(
    replica: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    cart_id = carts.create_cart(replica, "Site A")

    def explode(session: object, name: str, args: dict[str, object]) -> None:
        enqueue(session, name, args)  # type: ignore[arg-type]
        raise OSError("disk full")

    monkeypatch.setattr(carts, "enqueue", explode)
    with pytest.raises(OSError):
        carts.add_to_cart(replica, cart_id, "FAS-1", Decimal(3), "EA")
    assert carts.cart_lines(replica, cart_id) == []
    assert [e.name for e in replica.outbox.entries()] == ["cart.create"]


def test_seq_increases_across_reopen_and_device_id_is_stable(tmp_path: Path) -> None:
    with Replica.open(tmp_path) as first:
        device = first.device_id
        carts.create_cart(first, "one")
        carts.create_cart(first, "two")
    with Replica.open(tmp_path) as again:
        assert again.device_id == device
        carts.create_cart(again, "three")
        assert [e.seq for e in again.outbox.entries()] == [1, 2, 3]
        assert len({e.id for e in again.outbox.entries()}) == 3
    assert Replica.open(tmp_path / "other").device_id != device


def test_results_history_and_retry(replica: Replica) -> None:
    a = carts.create_cart(replica, "A")
    carts.create_cart(replica, "B")
    first, second = replica.outbox.pending()
    assert first.to_wire()["args"] == {"cart_id": a, "name": "A"}
    replica.outbox.mark_sending([first.id, second.id])
    replica.outbox.mark_failed([second.id], "timeout")
    assert [(e.state, e.attempts) for e in replica.outbox.pending()] == [
        (OutboxState.SENDING, 1), (OutboxState.PENDING, 1),
    ]  # fmt: skip
    updated = replica.outbox.mark_results(
        [
            {"id": first.id, "status": "applied", "code": "ok", "result": {}, "replayed": False},
            {"id": second.id, "status": "rejected", "code": "invalid", "message": "bad name"},
            {"id": "someone-else", "status": "applied"},
        ]
    )
    assert [e.state for e in updated] == [OutboxState.APPLIED, OutboxState.REJECTED]
    assert replica.outbox.pending() == []
    counts = replica.outbox.counts()
    assert counts["applied"] == 1 and counts["rejected"] == 1 and counts["pending"] == 0
    rejected = replica.outbox.entries([OutboxState.REJECTED])[0]
    assert rejected.last_error == "bad name" and rejected.result is not None

    again = replica.outbox.retry(second.id)
    assert again.id != second.id and again.seq == 3 and again.args == second.args
    assert replica.outbox.entries([OutboxState.REJECTED])[0].result["retried_as"] == again.id  # type: ignore[index]
    with pytest.raises(ValueError):
        replica.outbox.retry(first.id)
    with pytest.raises(ValueError):
        replica.outbox.mark_results([{"id": first.id, "status": "maybe"}])


def _add_weight(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE products ADD COLUMN weight TEXT")
    conn.exec_driver_sql("UPDATE products SET weight = json_extract(data, '$.weight')")


def test_an_upgrade_keeps_the_outbox_and_the_device_id(tmp_path: Path) -> None:
    with Replica.open(tmp_path) as v1:
        carts.create_cart(v1, "unsent")
        device = v1.device_id
    v2 = [*MIGRATIONS, Migration(_NEXT, "product weight", _add_weight)]
    with Replica.open(tmp_path, migrations=v2) as upgraded:
        assert [e.name for e in upgraded.outbox.pending()] == ["cart.create"]
        assert upgraded.device_id == device
        assert [c.name for c in carts.carts(upgraded)] == ["unsent"]
    with sqlite3.connect(tmp_path / "replica.sqlite3") as raw:
        assert [r[0] for r in raw.execute("SELECT version FROM schema_version")] == list(
            range(1, _NEXT + 1)
        )
        assert "weight" in [r[1] for r in raw.execute("PRAGMA table_info(products)")]


@pytest.mark.parametrize(
    "bad",
    [
        sql_step(_NEXT, "drops the outbox", "DROP TABLE outbox"),
        sql_step(_NEXT, "empties the outbox", "DELETE FROM outbox"),
        sql_step(_NEXT, "loses the device id", "DELETE FROM meta"),
        sql_step(_NEXT, "fails", "CREATE TABLE extra (x)", "SELECT * FROM missing_table"),
    ],
)
def test_a_step_that_breaks_a_rule_changes_nothing(tmp_path: Path, bad: Migration) -> None:
    with Replica.open(tmp_path) as v1:
        carts.create_cart(v1, "unsent")
    with pytest.raises(MigrationError):
        Replica.open(tmp_path, migrations=[*MIGRATIONS, bad])
    with Replica.open(tmp_path) as still_v1:
        assert len(still_v1.outbox.pending()) == 1
    with sqlite3.connect(tmp_path / "replica.sqlite3") as raw:
        assert raw.execute("SELECT MAX(version) FROM schema_version").fetchone() == (_NEXT - 1,)
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "extra" not in tables


def test_a_newer_replica_is_not_touched(tmp_path: Path) -> None:
    Replica.open(tmp_path, migrations=[*MIGRATIONS, sql_step(_NEXT, "x", "SELECT 1")]).close()
    with pytest.raises(ReplicaTooNew):
        Replica.open(tmp_path)


def test_the_models_match_the_migrated_schema(replica: Replica) -> None:
    engine = create_engine(f"sqlite:///{replica.path}")
    try:
        inspector = inspect(engine)
        for table in Base.metadata.sorted_tables:
            stored = {c["name"]: c for c in inspector.get_columns(table.name)}
            assert set(stored) == set(table.columns.keys()), table.name
            for column in table.columns:
                assert stored[column.name]["nullable"] == (
                    column.nullable and not column.primary_key
                ), (table.name, column.name)
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            assert {i.name for i in table.indexes} <= indexes, table.name
    finally:
        engine.dispose()

"""The database layer on both backends: UTC round trips, raw SQL, append-only audit, savepoints."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from galerie.audit import AuditContext, AuditRecord, record_audit
from galerie.db import Database, RawSQL
from galerie.db.engine import PG_POOL_SIZE
from galerie.kernel import FixedClock
from tests.conftest import migrated_database


async def test_timestamps_come_back_as_aware_utc(db: Database, clock: FixedClock) -> None:
    async with db.transaction() as session:
        record = record_audit(session, context=AuditContext(), action="test.ping", now=clock.now())
        await session.flush()
        record_id = record.id
    async with db.reading() as session:
        session.expunge_all()
        loaded = await session.get(AuditRecord, record_id, populate_existing=True)
        assert loaded is not None
        assert loaded.occurred_at == datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
        assert loaded.occurred_at.tzinfo is not None


async def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with db.transaction() as session:
            record_audit(
                session,
                context=AuditContext(),
                action="x",
                now=datetime(2026, 1, 1),  # noqa: DTZ001
            )
            await session.flush()


async def test_raw_sql_shares_the_transaction(db: Database, clock: FixedClock) -> None:
    async with db.transaction() as session:
        record_audit(session, context=AuditContext(), action="raw.check", now=clock.now())
        await session.flush()
        raw = await RawSQL.of(session)
        rows = await raw.fetch("SELECT action FROM audit_records WHERE action = $1", "raw.check")
        assert [tuple(r) for r in rows] == [("raw.check",)]
        changed = await raw.execute(
            "UPDATE outbox_events SET attempts = attempts + 1 WHERE id = $1", -1
        )
        assert changed == 0


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
async def test_raw_sql_first_in_a_transaction_is_rolled_back_with_it(
    backend_name: str, database_urls: dict[str, str], clock: FixedClock
) -> None:
    """On a Database of its own (not a test savepoint): a raw write that is the first
    statement of a transaction is part of it (PostgreSQL's driver adapter begins lazily)."""
    if backend_name not in database_urls:
        pytest.skip("no PostgreSQL server")
    db = Database.from_url(database_urls[backend_name])
    marker = f"raw-first-{backend_name}"
    try:
        with pytest.raises(RuntimeError, match="boom"):
            async with db.transaction() as session:
                raw = await RawSQL.of(session)
                await raw.execute(
                    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at,"
                    " attempts) VALUES ($1, '{}', $2, $2, 0)",
                    marker,
                    clock.now() if backend_name == "postgresql" else "2026-11-11 12:00:00",
                )
                raise RuntimeError("boom")
        async with db.reading() as session:
            count = await session.scalar(
                text("SELECT COUNT(*) FROM outbox_events WHERE event_name = :name"),
                {"name": marker},
            )
        assert count == 0
    finally:
        async with db.transaction() as session:
            await session.execute(
                text("DELETE FROM outbox_events WHERE event_name = :name"), {"name": marker}
            )
        await db.dispose()


async def test_audit_log_refuses_update_and_delete(db: Database, clock: FixedClock) -> None:
    async with db.transaction() as session:
        record_audit(session, context=AuditContext(), action="append.only", now=clock.now())
    for statement in (
        "UPDATE audit_records SET reason = 'rewritten' WHERE action = 'append.only'",
        "DELETE FROM audit_records WHERE action = 'append.only'",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.transaction() as session:
                await session.execute(text(statement))
    async with db.reading() as session:
        count = await session.scalar(
            select(func.count()).where(
                AuditRecord.action == "append.only", AuditRecord.reason.is_(None)
            )
        )
        assert count == 1


async def test_a_failed_transaction_leaves_nothing(db: Database, clock: FixedClock) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            record_audit(session, context=AuditContext(), action="half.written", now=clock.now())
            await session.flush()
            raise RuntimeError("boom")
    async with db.reading() as session:
        count = await session.scalar(
            select(func.count()).where(AuditRecord.action == "half.written")
        )
        assert count == 0


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
async def test_hot_reads_see_committed_rows_and_write_nothing(
    backend_name: str, database_urls: dict[str, str], clock: FixedClock
) -> None:
    """Hot reads run outside any session: on a Database of its own (not a test savepoint)."""
    if backend_name not in database_urls:
        pytest.skip("no PostgreSQL server")
    db = Database.from_url(database_urls[backend_name])
    marker = f"hot-read-{backend_name}"
    try:
        async with db.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at,"
                    " attempts) VALUES (:name, '{}', :now, :now, 0)"
                ),
                {"name": marker, "now": clock.now()},
            )
        async with db.hot_reads() as raw:
            rows = await raw.fetch(
                "SELECT event_name FROM outbox_events WHERE event_name = $1", marker
            )
            assert [tuple(r) for r in rows] == [(marker,)]
            assert await raw.fetchrow("SELECT 1 WHERE 1 = $1", 2) is None
            if backend_name == "sqlite":
                with pytest.raises(RuntimeError, match="read-only"):
                    await raw.execute("DELETE FROM outbox_events WHERE event_name = $1", marker)
                with pytest.raises(sqlite3.OperationalError, match="readonly"):
                    await raw.fetch("DELETE FROM outbox_events WHERE event_name = $1", marker)
    finally:
        async with db.transaction() as session:
            await session.execute(
                text("DELETE FROM outbox_events WHERE event_name = :name"), {"name": marker}
            )
        await db.dispose()


async def test_a_sqlite_connection_left_in_a_transaction_is_rolled_back_when_returned(
    tmp_path: Path,
) -> None:
    """The writer's pool resets a returned connection only when a transaction is open on it
    (engine._reset_if_open); one is, here: it comes back rolled back."""
    db = Database.from_url(await migrated_database("sqlite", tmp_path, "reset"))
    engine = db.engine
    assert engine is not None
    try:
        async with engine.connect() as connection:
            driver: Any = (await connection.get_raw_connection()).driver_connection
            driver._conn.execute("BEGIN IMMEDIATE")
            driver._conn.execute("DELETE FROM outbox_events")
            assert driver._conn.in_transaction
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert not driver._conn.in_transaction
    finally:
        await db.dispose()


async def test_postgresql_keeps_the_connections_a_burst_opened(
    database_urls: dict[str, str],
) -> None:
    """A burst of more requests than the pool holds opens PG_POOL_SIZE connections and keeps
    them all (no overflow closed at check-in, to be opened again by the next burst)."""
    if "postgresql" not in database_urls:
        pytest.skip("no PostgreSQL server")
    db = Database.from_url(database_urls["postgresql"])
    engine = db.engine
    assert engine is not None
    held, full = asyncio.Event(), asyncio.Event()
    inside: list[int] = []

    async def one() -> None:
        async with db.hot_reads() as raw:
            await raw.fetch("SELECT 1")
            inside.append(1)
            if len(inside) == PG_POOL_SIZE:  # the others wait for a connection
                full.set()
            await held.wait()

    try:
        tasks = [asyncio.create_task(one()) for _ in range(PG_POOL_SIZE + 5)]
        await asyncio.wait_for(full.wait(), timeout=30)
        held.set()
        await asyncio.gather(*tasks)
        pool: Any = engine.sync_engine.pool
        assert len(inside) == PG_POOL_SIZE + 5
        assert (pool.checkedout(), pool.checkedin()) == (0, PG_POOL_SIZE)
    finally:
        await db.dispose()

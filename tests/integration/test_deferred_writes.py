"""RawSQL.defer: writes nobody waits for travel with the next statement (PostgreSQL) or
run at once (SQLite), and are part of the transaction either way: committed with it, rolled
back with it, and an error in one fails the transaction."""

from __future__ import annotations

import pytest

from galerie.db import Database, RawSQL
from galerie.kernel import FixedClock
from tests.integration.raw_writes import COUNT, count_events

INSERT = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) "
    "VALUES ($1, '{}', $2, $2, $3)"
)


async def test_deferred_writes_are_committed_with_the_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    async with any_db.raw_transaction() as raw:
        at = raw.at(clock.now())
        await raw.defer(INSERT, "deferred-a", at, 1)
        await raw.defer(INSERT, "deferred-a", at, 2)
        # A statement of its own WITH carries them too; its parameters follow theirs.
        row = await raw.fetchrow("WITH x AS (SELECT CAST($1 AS INTEGER) AS n) SELECT n FROM x", 7)
        assert row is not None
        assert row[0] == 7
        await raw.defer(INSERT, "deferred-a", at, 4)
    assert await count_events(any_db, "deferred-a") == (3, 7)


async def test_deferred_writes_roll_back_with_the_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with any_db.raw_transaction() as raw:
            await raw.defer(INSERT, "deferred-b", raw.at(clock.now()), 1)
            await raw.fetch("SELECT 1")
            await raw.defer(INSERT, "deferred-b", raw.at(clock.now()), 1)
            raise RuntimeError("boom")
    assert await count_events(any_db, "deferred-b") == (0, 0)


async def test_a_failing_deferred_write_fails_its_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    with pytest.raises(Exception, match=r"(?i)not.null|null value"):
        async with any_db.raw_transaction() as raw:
            await raw.execute(INSERT, "deferred-c", raw.at(clock.now()), 1)
            await raw.defer(INSERT, "deferred-c", raw.at(clock.now()), None)
    assert await count_events(any_db, "deferred-c") == (0, 0)


async def test_a_session_raw_sql_never_defers(db: Database, clock: FixedClock) -> None:
    """RawSQL.of(session) has no owner to flush it: its defer runs at once."""
    async with db.transaction() as session:
        raw = await RawSQL.of(session)
        await raw.defer(INSERT, "deferred-d", raw.at(clock.now()), 5)
        row = await raw.fetchrow(COUNT, "deferred-d")
        assert row is not None
        assert tuple(row) == (1, 5)

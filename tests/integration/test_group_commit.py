"""Group commit of raw transactions on SQLite (galerie.db.group_commit): transactions that
queue for the writer share one COMMIT; each one's block is its own (a failing block rolls
back alone); a failed COMMIT fails every member and leaves nothing; cancellations never
leave a group open. COMMITs are counted by SQLite's own statement trace on the writer."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from galerie.db import Database, RawSQL
from galerie.kernel import FixedClock
from tests.conftest import migrated_database
from tests.integration.raw_writes import count_events

INSERT = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) "
    "VALUES ($1, '{}', $2, $2, 1)"
)
# A row whose foreign key points nowhere: refused at COMMIT once checks are deferred.
ORPHAN = (
    "INSERT INTO outbox_deliveries (event_id, handler, delivered_at) VALUES (999999999, 'x', $1)"
)
WAIT = 10  # seconds before a hang fails the test


async def _within(*tasks: asyncio.Future[None]) -> list[BaseException | None]:
    """The tasks' results (or exceptions), failing the test if one has not ended in WAIT
    seconds (not cancelled: a member waits for its group's COMMIT even then)."""
    _done, pending = await asyncio.wait(tasks, timeout=WAIT)
    assert not pending, "a transaction still waits: its group was never committed"
    return [t.exception() or t.result() for t in tasks]


@pytest.fixture
async def sqlite_db(db: Database, tmp_path: Path) -> AsyncIterator[Database]:
    if db.dialect != "sqlite":
        pytest.skip("group commit is SQLite's; PostgreSQL commits its own way")
    own = Database.from_url(await migrated_database("sqlite", tmp_path, "group-commit"))
    try:
        yield own
    finally:
        await own.dispose()


async def _commits_traced(db: Database) -> list[str]:
    """The COMMITs SQLite runs on the writer connection from now on."""
    seen: list[str] = []
    async with db.raw_transaction() as raw:  # SQLite's writer: one connection, pooled
        sqlite: sqlite3.Connection = raw._driver
    sqlite.set_trace_callback(lambda sql: seen.append(sql) if sql.startswith("COMMIT") else None)
    return seen


async def _insert(raw: RawSQL, name: str, clock: FixedClock) -> None:
    await raw.execute(INSERT, name, raw.at(clock.now()))


async def test_transactions_queued_behind_a_writer_share_one_commit(
    sqlite_db: Database, clock: FixedClock
) -> None:
    commits = await _commits_traced(sqlite_db)
    holding = asyncio.Event()
    go = asyncio.Event()

    async def first() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-a", clock)
            holding.set()
            await go.wait()  # the others queue for the writer meanwhile

    async def queued() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-a", clock)

    head = asyncio.create_task(first())
    await holding.wait()
    rest = [asyncio.create_task(queued()) for _ in range(10)]
    await asyncio.sleep(0.05)
    go.set()
    assert await _within(head, *rest) == [None] * 11
    assert len(commits) == 1
    assert await count_events(sqlite_db, "group-a") == (11, 11)


async def test_a_failing_block_rolls_back_alone(sqlite_db: Database, clock: FixedClock) -> None:
    async def one(n: int) -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-b", clock)
            if n % 5 == 0:
                raise RuntimeError(f"refused {n}")

    results = await _within(*(asyncio.ensure_future(one(n)) for n in range(50)))
    refused = [r for r in results if isinstance(r, RuntimeError)]
    assert len(refused) == 10
    assert all(r is None for r in results if not isinstance(r, RuntimeError))
    assert await count_events(sqlite_db, "group-b") == (40, 40)


async def test_a_failed_commit_fails_every_member_and_leaves_nothing(
    sqlite_db: Database, clock: FixedClock
) -> None:
    holding, go = asyncio.Event(), asyncio.Event()

    async def poisoner() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await raw.execute("PRAGMA defer_foreign_keys = ON")
            await raw.execute(ORPHAN, raw.at(clock.now()))  # fails only at COMMIT
            await _insert(raw, "group-c", clock)
            holding.set()
            await go.wait()

    async def member(refuse: bool) -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-c", clock)
            if refuse:  # answered only after the group's COMMIT, with its error
                raise RuntimeError("refused")

    head = asyncio.create_task(poisoner())
    await holding.wait()
    rest = [asyncio.create_task(member(n == 2)) for n in range(5)]
    await asyncio.sleep(0.05)
    go.set()
    results = await _within(head, *rest)
    assert all(isinstance(r, sqlite3.IntegrityError) for r in results), results
    assert await count_events(sqlite_db, "group-c") == (0, 0)
    async with sqlite_db.raw_transaction() as raw:  # the writer still works
        await _insert(raw, "group-c", clock)
    assert await count_events(sqlite_db, "group-c") == (1, 1)


async def test_a_group_handed_to_a_cancelled_transaction_is_still_committed(
    sqlite_db: Database, clock: FixedClock
) -> None:
    """The transaction the group is handed to is cancelled before its turn (at the very end
    of the head's block): the closer the head queued commits the group; nothing hangs."""
    go = asyncio.Event()
    doomed: list[asyncio.Task[None]] = []

    async def first() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-d", clock)
            await go.wait()
            doomed[0].cancel()  # still queued when the head hands the group over

    async def queued() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-d-never", clock)

    head = asyncio.create_task(first())
    await asyncio.sleep(0.05)
    doomed.append(asyncio.create_task(queued()))
    await asyncio.sleep(0.05)
    go.set()
    assert await _within(head) == [None]
    with pytest.raises(asyncio.CancelledError):
        await doomed[0]
    assert await count_events(sqlite_db, "group-d") == (1, 1)
    assert await count_events(sqlite_db, "group-d-never") == (0, 0)


async def test_another_process_writes_between_groups(
    sqlite_db: Database, clock: FixedClock
) -> None:
    """A second writer (as `galerie worker` is, on its own connection) gets the write lock
    between groups while raw transactions keep forming them, and they all still commit."""
    path = sqlite_db.engine.url.database if sqlite_db.engine else None
    assert path is not None

    at = clock.now().replace(tzinfo=None).isoformat(sep=" ")

    def other_writer() -> int:
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            for _ in range(10):
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(INSERT.replace("$", "?"), ("group-e-other", at))
                connection.execute("COMMIT")
        finally:
            connection.close()
        return 10

    async def one() -> None:
        async with sqlite_db.raw_transaction() as raw:
            await _insert(raw, "group-e", clock)

    other = asyncio.ensure_future(asyncio.to_thread(other_writer))
    members = [asyncio.ensure_future(one()) for _ in range(200)]
    assert await _within(*members) == [None] * 200
    done, _pending = await asyncio.wait([other], timeout=WAIT)
    assert other in done
    assert other.result() == 10
    assert await count_events(sqlite_db, "group-e") == (200, 200)
    assert await count_events(sqlite_db, "group-e-other") == (10, 10)

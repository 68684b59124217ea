"""The Database: engines, sessions and the one place transactions begin and commit.

SQLite (ADR 0002): WAL, foreign keys, a busy timeout and `synchronous=FULL`; writes go
through a dedicated one-connection pool that opens `BEGIN IMMEDIATE`, so writers queue in
the pool (without spinning on the lock) and never fail half-way on a lock upgrade; raw
transactions queued for the writer share one COMMIT (galerie.db.group_commit); reads use
a separate pool with plain deferred transactions and run beside the writer thanks to WAL.
PostgreSQL: one asyncpg pool for both.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

from galerie.db.group_commit import GroupCommitWriter
from galerie.db.raw import NeedsTransaction, RawSQL

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
)

# PostgreSQL connections per process, opened as needed and then kept. Not 10 plus an
# overflow of 20: SQLAlchemy closes an overflow connection when it is checked in, so under a
# burst of more than 10 requests each checkout above 10 opened a connection of its own (the
# checkout benchmark spent about 400 us of CPU per request on it, 64 connections in flight).
PG_POOL_SIZE = 30

AfterCommit = Callable[[], Awaitable[None] | None]


def _sqlite_engine(url: str, *, write: bool) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=1 if write else 8,
        max_overflow=0 if write else 8,
        pool_timeout=60,
        connect_args={"timeout": 10},
        pool_reset_on_return=None,  # _reset_if_open below
    )
    begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    @event.listens_for(engine.sync_engine.pool, "reset")
    def _reset_if_open(dbapi_connection: Any, _record: Any, state: Any) -> None:
        # A connection back in the pool is rolled back only when a transaction is open on
        # it: SQLAlchemy's own reset sends ROLLBACK through aiosqlite's thread every time,
        # also after a raw transaction (ADR 0013) has committed.
        if state.asyncio_safe and dbapi_connection.driver_connection._conn.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def create_engines(url: str) -> tuple[AsyncEngine, AsyncEngine]:
    """Return (reader, writer) engines for `url`; the same engine twice on PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url, write=False), _sqlite_engine(url, write=True)
    engine = create_async_engine(url, pool_size=PG_POOL_SIZE, max_overflow=0, pool_pre_ping=False)
    return engine, engine


@asynccontextmanager
async def _pooled_driver(engine: AsyncEngine) -> AsyncIterator[Any]:
    """The driver connection of a connection checked out of `engine`'s pool, for the raw
    paths (ADR 0013): straight from the pool, without SQLAlchemy's Connection around it,
    whose set-up and events cost more than a hot path's statements (124 against 43 us
    of CPU per checkout on SQLite, 54 against 23 on PostgreSQL, on the development
    machine). The pool's own reset on return still runs."""
    fairy = await greenlet_spawn(engine.sync_engine.pool.connect)
    try:
        yield fairy.driver_connection
    finally:
        await greenlet_spawn(fairy.close)


async def _begin_immediate(driver: Any) -> None:
    """BEGIN IMMEDIATE on aiosqlite's sqlite3 connection `driver._conn`, on the event loop;
    a lock held by another process is waited for in aiosqlite's thread."""
    sqlite: sqlite3.Connection = driver._conn
    try:
        sqlite.execute("PRAGMA busy_timeout=0")
        try:
            sqlite.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # another process writes: wait off the loop
            sqlite.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await driver.execute("BEGIN IMMEDIATE")
    finally:
        sqlite.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


async def _commit_off_the_loop(driver: Any) -> None:
    """COMMIT in aiosqlite's thread. A cancelled caller (a client gone) still waits for
    it to end, so the connection goes back to the pool neither mid-COMMIT nor rolled back
    after its COMMIT."""
    commit = asyncio.ensure_future(driver.commit())
    try:
        await asyncio.shield(commit)
    except asyncio.CancelledError:
        await asyncio.wait([commit])
        raise


class Database:
    """Sessions for use cases. A use case opens exactly one `transaction()`; queries use
    `reading()`. Callbacks registered with `after_commit` run once a write has committed
    (the in-process outbox dispatcher uses it)."""

    def __init__(
        self,
        reader: async_sessionmaker[AsyncSession],
        writer: async_sessionmaker[AsyncSession],
        dialect: str,
        engines: tuple[AsyncEngine, ...] = (),
    ) -> None:
        self._reader = reader
        self._writer = writer
        self.dialect = dialect
        self._engines = engines
        self._after_commit: list[AfterCommit] = []
        self._sqlite_file: str | None = None
        self._sqlite_reader: sqlite3.Connection | None = None
        self._sqlite_writer: tuple[asyncio.AbstractEventLoop, GroupCommitWriter] | None = None

    @classmethod
    def from_url(cls, url: str) -> Database:
        reader, writer = create_engines(url)
        engines = (reader,) if reader is writer else (reader, writer)
        db = cls(
            async_sessionmaker(reader, expire_on_commit=False),
            async_sessionmaker(writer, expire_on_commit=False),
            reader.dialect.name,
            engines,
        )
        database = make_url(url).database
        if db.dialect == "sqlite" and database and database != ":memory:":
            db._sqlite_file = database
        return db

    @classmethod
    def bound_to(cls, connection: AsyncConnection) -> Database:
        """A Database whose transactions are savepoints inside `connection`'s transaction:
        each test runs in one outer transaction that is rolled back at its end."""
        maker = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        return cls(maker, maker, connection.dialect.name)

    @property
    def engine(self) -> AsyncEngine | None:
        return self._engines[-1] if self._engines else None

    def after_commit(self, callback: AfterCommit) -> None:
        self._after_commit.append(callback)

    async def _committed(self) -> None:
        for callback in self._after_commit:
            result = callback()
            if result is not None:
                await result

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: committed if the block ends normally, rolled back if not."""
        async with self._writer() as session, session.begin():
            yield session
        await self._committed()

    @asynccontextmanager
    async def raw_transaction(self, *, last_writes: bool = False) -> AsyncIterator[RawSQL]:
        """One write transaction on the driver connection, for hot paths (ARCHITECTURE.md):
        committed if the block ends normally (its `defer`red writes flushed first), rolled
        back if not; `after_commit` callbacks run as for `transaction()`. No ORM session:
        the block speaks RawSQL only.

        PostgreSQL: a pooled asyncpg connection in an asyncpg transaction. SQLite: the one
        writer connection, used synchronously on the event loop (ADR 0013): each statement
        is a few microseconds of CPU against one hop to aiosqlite's thread. The block runs
        in a SAVEPOINT of a transaction that the raw transactions queued for the writer
        share, and their COMMIT (its fsync) is one, in aiosqlite's thread, so the loop
        serves other requests meanwhile (group commit: galerie.db.group_commit). BEGIN
        waits in aiosqlite's thread when another process writes. A Database bound to a
        test's connection runs the block in a savepoint of it.

        `last_writes`: on PostgreSQL the block's `RawSQL.at_commit` writes travel in ONE
        message with COMMIT (ADR 0012's addendum: the hot clearing row is locked for the
        COMMIT alone); the transaction is then opened and ended with plain BEGIN, COMMIT
        and ROLLBACK statements. In a test's savepoint they are sent last, each alone; on
        SQLite at once."""
        if not self._engines:
            async with self.transaction() as session:
                raw = (await RawSQL.of(session)).deferring()
                if last_writes:
                    raw.holding_last_writes()
                yield raw
                await raw.flush()
                await raw.send_last_writes()
            return
        if self.dialect == "sqlite":
            async with self._group_writer().transaction() as sqlite:
                yield RawSQL(sqlite, "sqlite", blocking=True)
            await self._committed()
            return
        async with _pooled_driver(self._engines[-1]) as driver:
            if self.dialect == "postgresql" and last_writes:
                async with _pg_committing_last(driver) as raw:
                    yield raw
            elif self.dialect == "postgresql":
                async with driver.transaction():
                    raw = RawSQL(driver, "postgresql", deferring=True)
                    yield raw
                    await raw.flush()
        await self._committed()

    @asynccontextmanager
    async def single_statement(self) -> AsyncIterator[RawSQL]:
        """A write done as ONE statement, on PostgreSQL (ADR 0015): the block's reads run at
        once, each in its own snapshot; its writes are all `defer`red and sent at its end
        as one statement, atomic without BEGIN or COMMIT, so locks it takes (a hot SKU's
        row) are held for that statement alone, not across round trips. What needs a
        transaction raises NeedsTransaction, as does a refusal by the statement itself (a
        guard of `galerie_ensure`, a unique key or another constraint, a deadlock): nothing
        was written and the caller does the work again in a transaction. SQLite raises
        NeedsTransaction at once: its writes are in process and grouped anyway. A Database
        bound to a test's connection runs the block in a savepoint of it."""
        if self.dialect != "postgresql":
            raise NeedsTransaction("single statements are PostgreSQL's")
        try:
            if not self._engines:
                async with self.transaction() as session:
                    connection = await session.connection()
                    raw = await connection.get_raw_connection()
                    single = RawSQL(raw.driver_connection, "postgresql", single_statement=True)
                    yield single
                    await single.flush()
                return
            async with _pooled_driver(self._engines[-1]) as driver:
                single = RawSQL(driver, "postgresql", single_statement=True)
                yield single
                await single.flush()
        except Exception as error:
            if _refused(error):
                raise NeedsTransaction(str(error)) from error
            raise
        await self._committed()

    def _group_writer(self) -> GroupCommitWriter:
        """SQLite's raw writer (group commit), one per event loop."""
        loop = asyncio.get_running_loop()
        if self._sqlite_writer is None or self._sqlite_writer[0] is not loop:
            self._sqlite_writer = (loop, GroupCommitWriter(self._open_writer, _commit_off_the_loop))
        return self._sqlite_writer[1]

    async def _open_writer(self, release: AsyncExitStack) -> Any:
        driver = await release.enter_async_context(_pooled_driver(self._engines[-1]))
        await _begin_immediate(driver)
        return driver

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session, session.begin():
            yield session

    @asynccontextmanager
    async def hot_reads(self) -> AsyncIterator[RawSQL]:
        """Reads on a hot path (ARCHITECTURE.md), one round trip per statement, no BEGIN:
        each statement sees its own committed snapshot, so use it only where that suffices.

        SQLite: a read-only sqlite3 connection used synchronously on the event loop. A WAL
        read never waits for a lock and takes tens of microseconds, less than one hop to
        aiosqlite's thread. PostgreSQL: a pooled asyncpg connection. A Database bound to a
        test's connection reads through that connection, to see the test's own rows."""
        if self._sqlite_file is not None:
            yield RawSQL(self._sqlite_connection(), "sqlite", blocking=True, writable=False)
        elif self._engines and self.dialect == "postgresql":
            async with _pooled_driver(self._engines[0]) as driver:
                yield RawSQL(driver, "postgresql")
        else:
            async with self.reading() as session:
                yield await RawSQL.of(session)

    def _sqlite_connection(self) -> sqlite3.Connection:
        if self._sqlite_reader is None:
            uri = f"file:{self._sqlite_file}?mode=ro"
            reader = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            reader.execute("PRAGMA busy_timeout=1000")
            self._sqlite_reader = reader
        return self._sqlite_reader

    async def dispose(self) -> None:
        if self._sqlite_reader is not None:
            self._sqlite_reader.close()
            self._sqlite_reader = None
        for engine in self._engines:
            await engine.dispose()


REFUSALS = ("GL001", "23", "40")  # galerie_ensure; integrity; serialization and deadlock


def _refused(error: Exception) -> bool:
    """Whether a single statement's `error` is a refusal (nothing written, try a transaction)."""
    state = getattr(error, "sqlstate", None)
    return isinstance(state, str) and any(state.startswith(code) for code in REFUSALS)


@asynccontextmanager
async def _pg_committing_last(driver: Any) -> AsyncIterator[RawSQL]:
    """A raw transaction on an asyncpg connection whose COMMIT carries its `at_commit`
    writes: BEGIN; the block; its deferred writes flushed; then the `at_commit` writes and
    COMMIT as one simple query. Any failure (the block's, the flush's, the last
    message's) rolls back."""
    await driver.execute("BEGIN")
    try:
        raw = RawSQL(driver, "postgresql", deferring=True).holding_last_writes()
        yield raw
        await raw.flush()
        await driver.execute(raw.commit_sql())
    except BaseException:
        if not driver.is_closed() and driver.is_in_transaction():
            await driver.execute("ROLLBACK")
        raise

"""Hand-written SQL on the driver connection, for hot paths (ARCHITECTURE.md).

Statements are written once with PostgreSQL's `$1, $2` placeholders; on SQLite they become
`?1, ?2`, which sqlite3 understands natively. Each call is one prepared round trip on the
connection of the caller's current transaction, so hot paths and ORM code share it.

Writes whose outcome nobody waits for (history rows, events, movements, lines, a stored
response) may be `defer`red: in a transaction of `Database.raw_transaction` on PostgreSQL
they travel with the next statement, as data-modifying CTEs of it (`WITH _d1 AS (INSERT
...) <statement>`), or with `flush` before COMMIT. A round trip on a local socket costs
more CPU than most statements (ADR 0013), so a place-order transaction sends five fewer.

A `single_statement` RawSQL (`Database.single_statement`, PostgreSQL) has no transaction at
all: its reads run at once, each in its own snapshot, and every write is deferred into ONE
last statement, which is atomic on its own and needs neither BEGIN nor COMMIT (ADR 0015).
What would need a transaction around several statements (a lock, a write whose outcome
is read, a statement after the last) raises NeedsTransaction instead: the caller then
does the work again in a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession


class NeedsTransaction(Exception):
    """The work cannot be done as one statement (see the module): do it in a transaction."""


Check = Callable[[list[Sequence[Any]]], Awaitable[None]]
Then = Callable[[Sequence[Any] | None], Awaitable[None]]
_encode_json = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode
_PLACEHOLDER = re.compile(r"\$(\d+)")


@lru_cache(maxsize=512)
def shifted(sql: str, offset: int) -> str:
    """`sql` with its placeholders renumbered from $offset+1 (to follow another's)."""
    if not offset:
        return sql
    return _PLACEHOLDER.sub(lambda m: f"${int(m.group(1)) + offset}", sql)


def _with_deferred(
    deferred: Sequence[tuple[str, tuple[Any, ...]]], sql: str, args: tuple[Any, ...]
) -> tuple[str, tuple[Any, ...]]:
    """One statement: the deferred writes as CTEs of `sql` (which may have its own WITH)."""
    shape = tuple((write, len(values)) for write, values in deferred)
    merged = [value for _, values in deferred for value in values]
    return _deferred_sql(shape, sql), (*merged, *args)


def _ctes(prefix: str, shape: tuple[tuple[str, int], ...]) -> tuple[list[str], int]:
    """Each (sql, number of arguments) of `shape` as the CTE `<prefix>N`, its placeholders
    numbered on from the one before; and how many placeholders they take."""
    ctes: list[str] = []
    offset = 0
    for number, (sql, count) in enumerate(shape, 1):
        ctes.append(f"{prefix}{number} AS ({shifted(sql, offset)})")
        offset += count
    return ctes, offset


@lru_cache(maxsize=256)
def _deferred_sql(shape: tuple[tuple[str, int], ...], sql: str) -> str:
    """The statement of `_with_deferred`: each write ((sql, number of arguments)) as a CTE
    `_dN`, then `sql`, the placeholders numbered on from the first write's."""
    ctes, offset = _ctes("_d", shape)
    main = shifted(sql, offset)
    if main[:5].upper() == "WITH ":
        return "WITH " + ", ".join(ctes) + ", " + main[5:]
    return "WITH " + ", ".join(ctes) + " " + main


@lru_cache(maxsize=256)
def _led(leads: tuple[tuple[str, int], ...], sql: str) -> str:
    """One statement: each lead ((sql, number of arguments)) as a CTE `_leadN`, and `sql`
    (a read) whose rows come back each after the leads' one value apiece and a marker that
    is NULL on the one row standing for an empty result (so the leads' values come back
    whatever `sql` finds). `sql` keeps its own WITH, inside its subquery; the placeholders
    number on from the first lead's to `sql`'s."""
    ctes, offset = _ctes("_lead", leads)
    values = [f"(SELECT * FROM _lead{n})" for n in range(1, len(leads) + 1)]  # noqa: S608 - ours
    main = f"SELECT true AS _here, _q.* FROM ({shifted(sql, offset)}) _q"  # noqa: S608 - ours
    head = f"WITH {', '.join(ctes)} SELECT {', '.join(values)}, _m.* "
    return f"{head}FROM (SELECT 1) _one LEFT JOIN LATERAL ({main}) _m ON true"


@lru_cache(maxsize=64)  # a request writes one `now` many times
def _sqlite_text(moment: datetime) -> str:
    """SQLAlchemy's text form of a timestamp on SQLite, in UTC."""
    utc = moment.astimezone(UTC)
    return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@lru_cache(maxsize=512)
def _to_sqlite(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


def json_of(stored: Any) -> Any:
    """A JSON column's value read back, on either driver (asyncpg decodes it; sqlite3
    returns text)."""
    return _decode_json(stored) if isinstance(stored, str | bytes) else stored


@lru_cache(maxsize=256)
def values_sql(rows: int, width: int) -> str:
    """The VALUES list of a multi-row INSERT: `rows` tuples of `width` placeholders each,
    numbered on ($1 .. $width), ($width+1 ..) and so on."""
    return ", ".join(
        "(" + ", ".join(f"${r * width + c}" for c in range(1, width + 1)) + ")" for r in range(rows)
    )


class RawSQL:
    """`driver` is an asyncpg connection, an aiosqlite connection, or (for `hot_reads` and
    `raw_transaction` on SQLite) a plain sqlite3 connection used synchronously
    (`blocking=True`)."""

    def __init__(
        self,
        driver: Any,
        dialect: str,
        *,
        blocking: bool = False,
        writable: bool = True,
        deferring: bool = False,
        single_statement: bool = False,
    ) -> None:
        self._driver = driver
        self.dialect = dialect
        self._blocking = blocking
        self._writable = writable
        self._deferred: list[tuple[str, tuple[Any, ...]]] | None = (
            [] if (deferring or single_statement) and dialect == "postgresql" else None
        )
        self.single_statement = single_statement and dialect == "postgresql"
        self._sending = False  # the single statement is being sent (or has been)
        self._last: tuple[str, tuple[Any, ...], Check] | None = None
        self._leads: list[tuple[str, tuple[Any, ...], Then]] = []
        self._at_commit: list[str] | None = None

    def need_transaction(self, why: str) -> None:
        """Raise NeedsTransaction (`why`) when this RawSQL is a single statement's."""
        if self.single_statement:
            raise NeedsTransaction(why)

    def deferring(self) -> RawSQL:
        """This RawSQL, now holding `defer`red writes (PostgreSQL) until its next statement
        or `flush`: only for an owner that flushes before COMMIT (raw_transaction)."""
        if self.dialect == "postgresql" and self._deferred is None:
            self._deferred = []
        return self

    @classmethod
    async def of(cls, session: AsyncSession) -> RawSQL:
        """The driver connection of the session's transaction. On PostgreSQL, SQLAlchemy's
        asyncpg adapter opens the transaction lazily, at its own first statement: a block
        speaking only RawSQL would otherwise run in autocommit, each statement committed on
        its own. So the adapter's transaction is started here when it has not been yet
        (`_start_transaction`, private to SQLAlchemy 2.0's adapter: the race tests fail
        loudly if it ever changes)."""
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        if connection.dialect.name == "postgresql" and not driver.is_in_transaction():
            adapter: Any = raw.dbapi_connection
            await adapter._start_transaction()
        return cls(driver, connection.dialect.name)

    @classmethod
    async def over(cls, on: AsyncSession | RawSQL) -> RawSQL:
        """`on` itself, or the RawSQL of the session's connection (the same transaction)."""
        return on if isinstance(on, RawSQL) else await cls.of(on)

    def json(self, value: Any) -> str:
        """A JSON column's value as both drivers take it (text; SQLAlchemy's asyncpg codec
        encodes a str)."""
        return _encode_json(value).decode()

    def json_of(self, stored: Any) -> Any:
        """A JSON column's value read back (asyncpg decodes it; sqlite3 returns text)."""
        return json_of(stored)

    def at(self, moment: datetime) -> Any:
        """A timestamp as each driver takes it (SQLite: SQLAlchemy's text form, in UTC)."""
        if self.dialect == "sqlite":
            return _sqlite_text(moment)
        return moment.astimezone(UTC)

    def datetime_of(self, stored: Any) -> datetime:
        """A timestamp read back, aware UTC on both databases."""
        if isinstance(stored, datetime):
            return stored.astimezone(UTC)
        return datetime.fromisoformat(str(stored)).replace(tzinfo=UTC)

    async def defer(self, sql: str, *args: Any) -> None:
        """A write whose outcome (row count, RETURNING) nobody needs: see the module. Only
        for rows nothing later in the transaction reads or changes (a statement does not
        see its own CTEs' rows); an error it raises surfaces at the statement it travels
        with. Without a deferring owner it runs at once."""
        if not self._writable:
            raise RuntimeError("hot reads are read-only")
        if self._sending:
            raise RuntimeError("nothing may follow the single statement: it is committed")
        if self._deferred is None:
            await self.execute(sql, *args)
        else:
            self._deferred.append((sql, args))

    @property
    def defers_last(self) -> bool:
        """Whether `defer_last` may be used (a deferring owner: raw_transaction on
        PostgreSQL)."""
        return self._deferred is not None

    async def defer_last(self, sql: str, *args: Any, check: Check) -> None:
        """The transaction's last statement, one whose rows matter: sent by `flush` just
        before COMMIT, carrying every deferred write as its CTEs; `check` then gets its
        rows and may raise (the transaction rolls back) or run more statements. A stock
        reservation goes last so that its row locks are held for one round trip (COMMIT)
        rather than for every statement after it. Only with `defers_last`; one per
        transaction."""
        if not self.defers_last:
            raise RuntimeError("defer_last needs a deferring owner (raw_transaction)")
        if self._last is not None:
            raise RuntimeError("one last statement per transaction")
        self._last = (sql, args, check)

    async def lead(
        self, sql: str, *args: Any, then: Then, outside_transaction: bool = False
    ) -> None:
        """A write whose RETURNING row (one value, or none) the transaction needs before it
        goes on, e.g. an idempotency claim. With a deferring owner on PostgreSQL it travels
        with the next read (`fetch`, `fetchrow`) as its CTE and `then` gets its row before
        that read's rows are returned; before any other statement, or elsewhere, it runs
        alone first. `then` may raise: the read then raises it. Several leads pending go
        with the same read, their `then`s called in turn. The read it travels with does
        not see the lead's row (one statement, one snapshot). `outside_transaction`: what
        the lead does needs no transaction (it takes sequence values, or reads), so a
        single statement's RawSQL sends it with its next read too."""
        if not outside_transaction:
            self.need_transaction("a lead write")
        self._leads.append((sql, args, then))
        if self._deferred is None:
            await self.settle_lead()

    async def settle_lead(self) -> None:
        """Run the pending leads now, each alone (one round trip each)."""
        while self._leads:
            sql, args, then = self._leads.pop(0)
            await then(await self.fetchrow(sql, *args))

    async def _fetch_led(self, sql: str, args: tuple[Any, ...]) -> list[Sequence[Any]]:
        leads, self._leads = self._leads, []
        shape = tuple((lead, len(lead_args)) for lead, lead_args, _ in leads)
        lead_args = tuple(value for _, values, _ in leads for value in values)
        merged, merged_args = self._merged(_led(shape, sql), (*lead_args, *args))
        rows = await self._driver.fetch(merged, *merged_args)
        for number, (_, _, then) in enumerate(leads):
            value = rows[0][number]
            await then(None if value is None else (value,))
        marker = len(leads)
        return [] if rows[0][marker] is None else [tuple(row)[marker + 1 :] for row in rows]

    def holding_last_writes(self) -> RawSQL:
        """This RawSQL, now keeping `at_commit` writes for its owner to send with COMMIT
        (`Database.raw_transaction(last_writes=True)` on PostgreSQL)."""
        if self.dialect == "postgresql" and self._at_commit is None:
            self._at_commit = []
        return self

    async def at_commit(self, sql: str, *numbers: int) -> None:
        """A write sent in the same message as COMMIT, for a row every transaction of a
        hot path updates (provider clearing's balance, ADR 0012): its lock is then held
        for the COMMIT alone, not across a round trip to the client and back. That message
        is a simple query, so the arguments are inlined: integers only. Without an owner
        keeping such writes (SQLite, in process) it runs at once."""
        if any(type(n) is not int for n in numbers):
            raise TypeError("at_commit takes integers only (they are inlined)")
        self.need_transaction("a write sent with COMMIT")
        if self._at_commit is None:
            await self.execute(sql, *numbers)
            return
        self._at_commit.append(_PLACEHOLDER.sub(lambda m: str(numbers[int(m.group(1)) - 1]), sql))

    async def send_last_writes(self) -> None:
        """The `at_commit` writes now, each alone (an owner that does not send COMMIT
        itself: a test's savepoint)."""
        for sql in self._at_commit or ():
            await self.execute(sql)
        self._at_commit = [] if self._at_commit is not None else None

    def commit_sql(self) -> str:
        """COMMIT, after the `at_commit` writes (one simple query)."""
        return "; ".join([*(self._at_commit or ()), "COMMIT"])

    async def flush(self) -> None:
        """Send the last statement (see `defer_last`) and the deferred writes now; for a
        single statement's RawSQL, that statement (its `check` may then send nothing)."""
        if self.single_statement:
            await self._send_single()
            return
        await self.settle_lead()
        if self._last is not None:
            sql, args, check = self._last
            self._last = None
            await check(await self.fetch(sql, *args))
        if self._deferred:
            await self.execute("SELECT 1")

    async def _send_single(self) -> None:
        self._sending = True
        if self._last is not None:
            sql, args, check = self._last
            self._last = None
            sql, args = self._merged(sql, args)
            rows = list(await self._driver.fetch(sql, *args))
            self._sent()
            await check(rows)
        elif self._deferred:
            sql, args = self._merged("SELECT 1", ())
            await self._driver.execute(sql, *args)
        self._sent()

    def _sent(self) -> None:
        """After the single statement, nothing more may be sent: it is committed."""
        self._driver = _Sent()

    def _merged(self, sql: str, args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        deferred = self._deferred
        if not deferred or (self.single_statement and not self._sending):
            return sql, args
        self._deferred = []
        return _with_deferred(deferred, sql, args)

    async def fetch(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        if self.dialect == "postgresql":
            if self._leads:
                return await self._fetch_led(sql, args)
            sql, args = self._merged(sql, args)
            return list(await self._driver.fetch(sql, *args))
        if self._blocking:
            return list(self._driver.execute(_to_sqlite(sql), args).fetchall())
        return list(await self._driver.execute_fetchall(_to_sqlite(sql), args))

    async def fetchrow(self, sql: str, *args: Any) -> Sequence[Any] | None:
        if self.dialect == "postgresql" and not self._leads:
            sql, args = self._merged(sql, args)
            row: Sequence[Any] | None = await self._driver.fetchrow(sql, *args)
            return row
        rows = await self.fetch(sql, *args)
        return next(iter(rows), None)

    async def execute(self, sql: str, *args: Any) -> int:
        """Run a statement and return the number of rows it changed."""
        if not self._writable:
            raise RuntimeError("hot reads are read-only")
        self.need_transaction("a write whose row count is read")
        await self.settle_lead()
        if self._blocking:
            cursor = self._driver.execute(_to_sqlite(sql), args)
            rowcount: int = cursor.rowcount
            return rowcount
        if self.dialect == "postgresql":
            sql, args = self._merged(sql, args)
            status: str = await self._driver.execute(sql, *args)
            tail = status.rsplit(" ", 1)[-1]
            return int(tail) if tail.isdigit() else 0
        async with self._driver.execute(_to_sqlite(sql), args) as cursor:
            count: int = cursor.rowcount
            return count


class _Sent:
    """The driver of a single statement's RawSQL once that statement is sent."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("nothing may follow the single statement: it is committed")

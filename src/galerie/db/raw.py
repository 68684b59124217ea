"""Hand-written SQL on the driver connection, for hot paths (ARCHITECTURE.md).

Statements are written once with PostgreSQL's `$1, $2` placeholders; on SQLite they become
`?1, ?2`, which sqlite3 understands natively. Each call is one prepared round trip on the
connection of the caller's current transaction, so hot paths and ORM code share it.

Writes whose outcome nobody waits for (history rows, events, movements, lines, a stored
response) may be `defer`red: in a transaction of `Database.raw_transaction` on PostgreSQL
they travel with the next statement, as data-modifying CTEs of it (`WITH _d1 AS (INSERT
...) <statement>`), or with `flush` before COMMIT. A round trip on a local socket costs
more CPU than most statements (ADR 0013), so a place-order transaction sends five fewer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

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
    ctes: list[str] = []
    merged: list[Any] = []
    for number, (write, values) in enumerate(deferred, 1):
        ctes.append(f"_d{number} AS ({shifted(write, len(merged))})")
        merged += values
    main = shifted(sql, len(merged))
    merged += args
    head = main[:5].upper()
    if head == "WITH ":
        return "WITH " + ", ".join(ctes) + ", " + main[5:], tuple(merged)
    return "WITH " + ", ".join(ctes) + " " + main, tuple(merged)


@lru_cache(maxsize=256)
def _led(lead: str, lead_args: int, sql: str) -> str:
    """One statement: the `lead` write as the CTE `_lead`, and `sql` (a read) whose rows come
    back each after two columns: the lead's one value and a marker that is NULL on the one
    row standing for an empty result (so the lead's value comes back whatever `sql` finds).
    `sql` keeps its own WITH, inside its subquery; its placeholders follow the lead's."""
    main = f"SELECT true AS _here, _q.* FROM ({shifted(sql, lead_args)}) _q"  # noqa: S608 - ours
    head = f"WITH _lead AS ({lead}) SELECT (SELECT * FROM _lead), _m.* "  # noqa: S608 - ours
    return f"{head}FROM (SELECT 1) _one LEFT JOIN LATERAL ({main}) _m ON true"


@lru_cache(maxsize=512)
def _to_sqlite(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


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
    ) -> None:
        self._driver = driver
        self.dialect = dialect
        self._blocking = blocking
        self._writable = writable
        self._deferred: list[tuple[str, tuple[Any, ...]]] | None = (
            [] if deferring and dialect == "postgresql" else None
        )
        self._last: tuple[str, tuple[Any, ...], Check] | None = None
        self._lead: tuple[str, tuple[Any, ...], Then] | None = None
        self._at_commit: list[str] | None = None

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
        return _decode_json(stored) if isinstance(stored, str | bytes) else stored

    def at(self, moment: datetime) -> Any:
        """A timestamp as each driver takes it (SQLite: SQLAlchemy's text form, in UTC)."""
        utc = moment.astimezone(UTC)
        if self.dialect == "sqlite":
            return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        return utc

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

    async def lead(self, sql: str, *args: Any, then: Then) -> None:
        """A write whose RETURNING row (one value, or none) the transaction needs before it
        goes on, e.g. an idempotency claim. With a deferring owner on PostgreSQL it travels
        with the next read (`fetch`, `fetchrow`) as its CTE and `then` gets its row before
        that read's rows are returned; before any other statement, or elsewhere, it runs
        alone first. `then` may raise: the read then raises it. One at a time. The read it
        travels with does not see the lead's row (one statement, one snapshot)."""
        if self._lead is not None:
            raise RuntimeError("one lead at a time")
        self._lead = (sql, args, then)
        if self._deferred is None:
            await self.settle_lead()

    async def settle_lead(self) -> None:
        """Run a pending `lead` now, alone (one round trip)."""
        lead, self._lead = self._lead, None
        if lead is not None:
            sql, args, then = lead
            await then(await self.fetchrow(sql, *args))

    async def _fetch_led(self, sql: str, args: tuple[Any, ...]) -> list[Sequence[Any]]:
        assert self._lead is not None
        lead, lead_args, then = self._lead
        self._lead = None
        merged, merged_args = self._merged(_led(lead, len(lead_args), sql), (*lead_args, *args))
        rows = await self._driver.fetch(merged, *merged_args)
        value = rows[0][0]
        await then(None if value is None else (value,))
        return [] if rows[0][1] is None else [tuple(row)[2:] for row in rows]

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
        """Send the last statement (see `defer_last`) and the deferred writes now."""
        await self.settle_lead()
        if self._last is not None:
            sql, args, check = self._last
            self._last = None
            await check(await self.fetch(sql, *args))
        if self._deferred:
            await self.execute("SELECT 1")

    def _merged(self, sql: str, args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        deferred = self._deferred
        if not deferred:
            return sql, args
        self._deferred = []
        return _with_deferred(deferred, sql, args)

    async def fetch(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        if self.dialect == "postgresql":
            if self._lead is not None:
                return await self._fetch_led(sql, args)
            sql, args = self._merged(sql, args)
            return list(await self._driver.fetch(sql, *args))
        if self._blocking:
            return list(self._driver.execute(_to_sqlite(sql), args).fetchall())
        return list(await self._driver.execute_fetchall(_to_sqlite(sql), args))

    async def fetchrow(self, sql: str, *args: Any) -> Sequence[Any] | None:
        if self.dialect == "postgresql" and self._lead is None:
            sql, args = self._merged(sql, args)
            row: Sequence[Any] | None = await self._driver.fetchrow(sql, *args)
            return row
        rows = await self.fetch(sql, *args)
        return next(iter(rows), None)

    async def execute(self, sql: str, *args: Any) -> int:
        """Run a statement and return the number of rows it changed."""
        if not self._writable:
            raise RuntimeError("hot reads are read-only")
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

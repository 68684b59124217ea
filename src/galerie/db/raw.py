"""Hand-written SQL on the driver connection, for hot paths (ARCHITECTURE.md).

Statements are written once with PostgreSQL's `$1, $2` placeholders; on SQLite they become
`?1, ?2`, which sqlite3 understands natively. Each call is one prepared round trip on the
connection of the caller's current transaction, so hot paths and ORM code share it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

_PLACEHOLDER = re.compile(r"\$(\d+)")


@lru_cache(maxsize=512)
def _to_sqlite(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


async def _begin_asyncpg(adapter: Any) -> None:
    """SQLAlchemy's asyncpg adapter sends BEGIN lazily, before the first statement that
    SQLAlchemy itself runs; a statement sent straight to the driver before that would run in
    autocommit mode, outside the caller's transaction (a write would survive its rollback).
    Open the transaction now; nothing happens when it is open already."""
    if not adapter._started:
        await adapter._start_transaction()


class RawSQL:
    """`driver` is an asyncpg connection, an aiosqlite connection, or (for `hot_reads` on
    SQLite) a plain sqlite3 connection used synchronously (`blocking=True`)."""

    def __init__(self, driver: Any, dialect: str, *, blocking: bool = False) -> None:
        self._driver = driver
        self.dialect = dialect
        self._blocking = blocking

    @classmethod
    async def of(cls, session: AsyncSession) -> RawSQL:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        if connection.dialect.name == "postgresql":
            await _begin_asyncpg(raw.dbapi_connection)
        return cls(raw.driver_connection, connection.dialect.name)

    async def fetch(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        if self.dialect == "postgresql":
            return list(await self._driver.fetch(sql, *args))
        if self._blocking:
            return list(self._driver.execute(_to_sqlite(sql), args).fetchall())
        return list(await self._driver.execute_fetchall(_to_sqlite(sql), args))

    async def fetchrow(self, sql: str, *args: Any) -> Sequence[Any] | None:
        if self.dialect == "postgresql":
            row: Sequence[Any] | None = await self._driver.fetchrow(sql, *args)
            return row
        rows = await self.fetch(sql, *args)
        return next(iter(rows), None)

    async def execute(self, sql: str, *args: Any) -> int:
        """Run a statement and return the number of rows it changed."""
        if self._blocking:
            raise RuntimeError("hot reads are read-only")
        if self.dialect == "postgresql":
            status: str = await self._driver.execute(sql, *args)
            tail = status.rsplit(" ", 1)[-1]
            return int(tail) if tail.isdigit() else 0
        async with self._driver.execute(_to_sqlite(sql), args) as cursor:
            count: int = cursor.rowcount
            return count

"""Counting the SQL statements a request issues, on the test's own database connection.

SQLite: the driver's trace callback sees every statement (ORM and raw alike). PostgreSQL:
asyncpg's query logger sees the raw statements (`RawSQL`) and SQLAlchemy's
`before_cursor_execute` event the ORM's (SQLAlchemy runs those as prepared statements,
which the query logger does not see), so nothing is counted twice. Transaction control
(BEGIN, SAVEPOINT, RELEASE, ROLLBACK, COMMIT) is not a query and is left out, nor is
asyncpg's own introspection of a type the connection meets for the first time (int8[] in
asyncpg 0.31: three statements once per connection, which made a budget depend on the
tests run before it on that connection)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event

from galerie.db import Database

CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")
INTROSPECTION = ("WITH RECURSIVE typeinfo_tree(", "SELECT current_setting('jit')",
                 "SELECT set_config('jit'")  # fmt: skip


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def add(self, sql: str) -> None:
        text = " ".join(sql.split())
        if not text.upper().startswith(CONTROL) and not text.startswith(INTROSPECTION):
            self.seen.append(text)

    @property
    def count(self) -> int:
        return len(self.seen)


@asynccontextmanager
async def counting_statements(db: Database) -> AsyncIterator[Statements]:
    statements = Statements()
    async with db.reading() as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    sync_engine = connection.sync_engine

    def on_orm(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.add(sql)

    def on_raw(record: Any) -> None:
        statements.add(record.query)

    if db.dialect == "sqlite":
        await driver.set_trace_callback(statements.add)
    else:
        driver.add_query_logger(on_raw)
        event.listen(sync_engine, "before_cursor_execute", on_orm)
    try:
        yield statements
        await asyncio.sleep(0)  # asyncpg calls its loggers soon, not at once
    finally:
        if db.dialect == "sqlite":
            await driver.set_trace_callback(None)
        else:
            driver.remove_query_logger(on_raw)
            event.remove(sync_engine, "before_cursor_execute", on_orm)

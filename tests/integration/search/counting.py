"""Counting the statements a piece of code sends to the database, at the driver: search
reads go through RawSQL on the driver connection, below SQLAlchemy's events. Transaction
control (BEGIN, SAVEPOINT, RELEASE, ROLLBACK, COMMIT) is not counted, nor are the
statements SQLite's FTS5 runs inside one of ours (its trace shows them as "-- ...")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from galerie.db import Database

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@asynccontextmanager
async def counted_statements(db: Database) -> AsyncIterator[list[str]]:
    """Yields the list the statements run on `db`'s (test-bound) connection are added to."""
    seen: list[str] = []

    def note(sql: str) -> None:
        statement = sql.lstrip()
        if not statement.upper().startswith(_CONTROL) and not statement.startswith("--"):
            seen.append(sql)

    async with db.reading() as session:
        raw = await (await session.connection()).get_raw_connection()
        driver: Any = raw.driver_connection
    if db.dialect == "sqlite":
        await driver.set_trace_callback(note)
        try:
            yield seen
        finally:
            await driver.set_trace_callback(None)
    else:

        def log(record: Any) -> None:
            note(record.query)

        driver.add_query_logger(log)
        try:
            yield seen
        finally:
            driver.remove_query_logger(log)

"""Shared by the tests of raw transactions' write mechanisms (deferred writes, writes sent
with COMMIT): the outbox rows they count. Their `any_db` fixture is in conftest.py."""

from __future__ import annotations

from galerie.db import Database

COUNT = "SELECT COUNT(*), COALESCE(SUM(attempts), 0) FROM outbox_events WHERE event_name = $1"


async def count_events(db: Database, name: str) -> tuple[int, int]:
    """How many outbox rows are named `name`, and their attempts summed."""
    async with db.raw_transaction() as raw:
        row = await raw.fetchrow(COUNT, name)
    assert row is not None
    return int(row[0]), int(row[1])

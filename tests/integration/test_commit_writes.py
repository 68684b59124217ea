"""RawSQL.at_commit in `raw_transaction(last_writes=True)`: on PostgreSQL the write travels
in the message that carries COMMIT (so a hot row is locked for the COMMIT alone); elsewhere
it is deferred. Either way it is part of the transaction: committed with it, rolled back with
it, and its error fails it, leaving the connection usable."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.raw_writes import count_events

INSERT = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) "
    "VALUES ($1, '{}', $2, $2, 1) RETURNING id"
)
ADD = "UPDATE outbox_events SET attempts = attempts + $1 WHERE id = $2"


async def _insert(raw: object, name: str, clock: FixedClock) -> int:
    from galerie.db import RawSQL

    assert isinstance(raw, RawSQL)
    row = await raw.fetchrow(INSERT, name, raw.at(clock.now()))
    assert row is not None
    return int(row[0])


async def test_last_writes_are_committed_with_the_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    async with any_db.raw_transaction(last_writes=True) as raw:
        first = await _insert(raw, "last-a", clock)
        await raw.at_commit(ADD, 5, first)
        await raw.at_commit(ADD, 10, first)
        await _insert(raw, "last-a", clock)
    assert await count_events(any_db, "last-a") == (2, 17)


async def test_last_writes_roll_back_with_the_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with any_db.raw_transaction(last_writes=True) as raw:
            await raw.at_commit(ADD, 5, await _insert(raw, "last-b", clock))
            raise RuntimeError("boom")
    assert await count_events(any_db, "last-b") == (0, 0)


async def test_a_failing_last_write_fails_its_transaction(
    any_db: Database, clock: FixedClock
) -> None:
    with pytest.raises(Exception, match=r"(?i)not.null|null value"):
        async with any_db.raw_transaction(last_writes=True) as raw:
            row = await _insert(raw, "last-c", clock)
            await raw.at_commit("UPDATE outbox_events SET payload = NULL WHERE id = $1", row)
    assert await count_events(any_db, "last-c") == (0, 0)
    async with any_db.raw_transaction(last_writes=True) as raw:  # the connection still works
        await raw.at_commit(ADD, 1, await _insert(raw, "last-c", clock))
    assert await count_events(any_db, "last-c") == (1, 2)


async def test_last_writes_take_integers_only(any_db: Database, clock: FixedClock) -> None:
    with pytest.raises(TypeError, match="integers only"):
        async with any_db.raw_transaction(last_writes=True) as raw:
            await raw.at_commit(ADD, "5; DROP TABLE outbox_events", 1)  # type: ignore[arg-type]
    assert await count_events(any_db, "last-d") == (0, 0)

"""Database.single_statement (ADR 0015), on the test's savepoint and on a pool of its own:
its reads run at once, its writes all go in ONE statement at the end, which commits whole
or, refused (galerie_ensure, a unique key), leaves nothing and raises NeedsTransaction; what
would need a transaction is refused before anything is sent; nothing may follow the
statement; SQLite has no single statements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest

from galerie.db import Database, NeedsTransaction, RawSQL
from galerie.kernel import FixedClock
from tests.integration.raw_writes import count_events

EVENT = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) "
    "VALUES ($1, '{}', $2, $2, 0)"
)
ENSURE = "SELECT galerie_ensure($1::boolean, 'refused here')"
pytestmark = pytest.mark.usefixtures("clock")


def _postgres_only(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("single statements are PostgreSQL's")


async def _nothing(rows: list[Sequence[Any]]) -> None:
    assert [tuple(r) for r in rows] == [(True,)]


async def test_the_writes_go_as_one_statement_at_the_end(
    any_db: Database, clock: FixedClock
) -> None:
    _postgres_only(any_db)
    async with any_db.single_statement() as raw:
        at = raw.at(clock.now())
        for name in ("single-a", "single-b"):
            await raw.defer(EVENT, name, at)
        # a read sent now does not carry the writes: they are not there yet
        rows = await raw.fetch("SELECT count(*) FROM outbox_events WHERE event_name LIKE $1",
                               "single-%")  # fmt: skip
        assert rows[0][0] == 0
        await raw.defer_last(ENSURE, True, check=_nothing)
    assert await count_events(any_db, "single-a") == (1, 0)
    assert await count_events(any_db, "single-b") == (1, 0)


async def test_a_refused_statement_writes_nothing(any_db: Database, clock: FixedClock) -> None:
    _postgres_only(any_db)
    with pytest.raises(NeedsTransaction, match="refused here"):
        async with any_db.single_statement() as raw:
            await raw.defer(EVENT, "single-refused", raw.at(clock.now()))
            await raw.defer_last(ENSURE, False, check=_nothing)
    assert await count_events(any_db, "single-refused") == (0, 0)


async def test_a_unique_key_met_refuses_the_statement(any_db: Database, clock: FixedClock) -> None:
    _postgres_only(any_db)
    key = (
        "INSERT INTO idempotency_keys (scope, key, fingerprint, state, attempt, locked_until, "
        "created_at, expires_at) VALUES ('single', 'k', 'f', 'done', 1, $1, $1, $1)"
    )
    async with any_db.single_statement() as raw:
        await raw.defer(key, raw.at(clock.now()))
    with pytest.raises(NeedsTransaction):
        async with any_db.single_statement() as raw:
            await raw.defer(EVENT, "single-after-key", raw.at(clock.now()))
            await raw.defer(key, raw.at(clock.now()))
    assert await count_events(any_db, "single-after-key") == (0, 0)


async def test_what_needs_a_transaction_is_refused_before_anything_is_sent(
    any_db: Database, clock: FixedClock
) -> None:
    _postgres_only(any_db)

    async def then(row: Sequence[Any] | None) -> None:
        raise AssertionError("never called")

    async def execute(raw: RawSQL) -> None:
        await raw.execute(EVENT, "single-x", raw.at(clock.now()))

    async def lead(raw: RawSQL) -> None:
        await raw.lead(EVENT + " RETURNING id", "single-x", raw.at(clock.now()), then=then)

    async def at_commit(raw: RawSQL) -> None:
        await raw.at_commit("UPDATE stock_levels SET reserved = $1", 0)

    attempts: dict[str, Callable[[RawSQL], Awaitable[None]]] = {
        "execute": execute, "lead": lead, "at_commit": at_commit,
    }  # fmt: skip
    for name, attempt in attempts.items():
        with pytest.raises(NeedsTransaction):
            async with any_db.single_statement() as raw:
                await raw.defer(EVENT, "single-x", raw.at(clock.now()))
                await attempt(raw)
        assert await count_events(any_db, "single-x") == (0, 0), name


async def test_nothing_may_follow_the_statement(any_db: Database, clock: FixedClock) -> None:
    _postgres_only(any_db)

    async def more(rows: list[Sequence[Any]]) -> None:
        await raw.fetch("SELECT 1")

    with pytest.raises(RuntimeError, match="nothing may follow"):
        async with any_db.single_statement() as raw:
            await raw.defer_last(ENSURE, True, check=more)
    with pytest.raises(RuntimeError, match="nothing may follow"):
        await raw.defer(EVENT, "single-late", raw.at(clock.now()))
    assert await count_events(any_db, "single-late") == (0, 0)


async def test_sqlite_has_no_single_statements(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite's refusal")
    with pytest.raises(NeedsTransaction):
        async with db.single_statement():
            raise AssertionError("the block never runs")

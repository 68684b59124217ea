"""RawSQL.lead: a write whose RETURNING row the transaction needs (an idempotency claim)
travels with the next read on PostgreSQL (one round trip) or runs at once; either way its
`then` sees its row before the read's rows are returned, the read's rows are exactly what
the read alone returns (none included), and a `then` that raises fails the read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from galerie.db import Database
from galerie.db.raw import Then
from galerie.kernel import FixedClock
from tests.web.statement_counter import counting_statements

CLAIM = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) "
    "VALUES ($1, '{}', $2, $2, 0) RETURNING id"
)
READ = (
    "WITH e AS (SELECT id, event_name FROM outbox_events WHERE event_name LIKE $1) "
    "SELECT event_name, id FROM e ORDER BY event_name DESC"
)


def _recorder() -> tuple[list[Sequence[Any] | None], Then]:
    """A `then` that keeps every row it is given, and the list it keeps them in."""
    seen: list[Sequence[Any] | None] = []

    async def then(row: Sequence[Any] | None) -> None:
        seen.append(row)

    return seen, then


async def test_the_lead_travels_with_the_next_read_and_its_rows_are_the_reads_own(
    db: Database, clock: FixedClock
) -> None:
    seen, then = _recorder()

    async with counting_statements(db) as statements, db.raw_transaction() as raw:
        at = raw.at(clock.now())
        await raw.execute(CLAIM.removesuffix(" RETURNING id"), "led-b", at)
        await raw.lead(CLAIM, "led-a", at, then=then)
        rows = await raw.fetch(READ, "led-%")
    assert len(seen) == 1
    assert seen[0] is not None
    claimed = seen[0][0]
    # PostgreSQL: the read does not see the row its lead wrote (one statement, one
    # snapshot); SQLite ran the lead first. The next read sees it on both.
    names = [next(iter(r)) for r in rows]
    assert names == (["led-b"] if db.dialect == "postgresql" else ["led-b", "led-a"])
    async with db.raw_transaction() as raw:
        again = await raw.fetch(READ, "led-%")
    assert [tuple(r) for r in again][1] == ("led-a", claimed)
    expected = 2 if db.dialect == "postgresql" else 3
    assert statements.count == expected, statements.seen


async def test_a_read_that_finds_nothing_still_brings_the_leads_row(
    db: Database, clock: FixedClock
) -> None:
    seen, then = _recorder()

    async with db.raw_transaction() as raw:
        await raw.lead(CLAIM, "led-c", raw.at(clock.now()), then=then)
        assert await raw.fetch(READ, "nothing-%") == []
        assert await raw.fetchrow(READ, "nothing-%") is None
    assert len(seen) == 1
    assert seen[0] is not None


async def test_a_lead_before_a_write_runs_alone_first_and_one_that_inserts_nothing_says_so(
    db: Database, clock: FixedClock
) -> None:
    seen, then = _recorder()

    async with db.raw_transaction() as raw:
        at = raw.at(clock.now())
        await raw.lead(CLAIM.replace("VALUES", "SELECT") .replace("($1, '{}', $2, $2, 0)",
                       "$1, '{}', $2, $2, 0 WHERE 1 = 0"), "led-d", at, then=then)  # fmt: skip
        changed = await raw.execute(CLAIM.removesuffix(" RETURNING id"), "led-e", at)
        assert seen == [None]
        assert changed == 1


class Refused(Exception):
    pass


async def test_a_then_that_raises_fails_the_read_and_the_transaction(
    db: Database, clock: FixedClock
) -> None:
    async def then(_: Sequence[Any] | None) -> None:
        raise Refused

    with pytest.raises(Refused):
        async with db.raw_transaction() as raw:
            await raw.lead(CLAIM, "led-f", raw.at(clock.now()), then=then)
            await raw.fetch(READ, "led-%")
    async with db.raw_transaction() as raw:
        assert await raw.fetch(READ, "led-f") == []

"""Real races on a database of their own (committed data, separate connections, released
together), on SQLite and PostgreSQL:
- 50 payouts of 100 from a seller payable holding 1,000: exactly 10 post, 40 are refused
  with balance_would_go_negative, the payable ends at 0, the cache equals the journal;
- 50 postings of one business key: one entry, every caller gets its id;
- 50 reversals of one entry under different keys: one posts, 49 are refused;
- 50 callers asking for one account get the same one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import (
    Account,
    AccountKind,
    AlreadyReversed,
    BalanceWouldGoNegative,
    Line,
    PostedEntry,
    account_for,
    check_balances,
    credit,
    debit,
    post_entry,
    reverse_entry,
)
from tests.integration.ledger.factories import balances, journal_size, make_chart

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
CALLERS = 50
# SQLite: one writer connection per Database, so many Databases make many connections.
# PostgreSQL: each Database pools up to 30 connections; two stay well under the server's cap.
DATABASES = {"sqlite": 10, "postgresql": 2}


@pytest.fixture
async def pools(fresh_url: str) -> AsyncIterator[list[Database]]:
    setup = Database.from_url(fresh_url)
    callers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield [setup, *callers]
    for db in (setup, *callers):
        await db.dispose()


async def _post(db: Database, key: str, lines: list[Line]) -> PostedEntry:
    async with db.transaction() as session:
        return await post_entry(session, key=key, lines=lines, memo="payout", now=NOW)


async def test_50_payouts_never_overdraw_a_payable(pools: list[Database]) -> None:
    setup, *callers = pools
    chart = await make_chart(setup, NOW)
    cny = Money(1_000, "CNY")
    await _post(setup, "fund", [debit(chart.clearing.id, cny), credit(chart.payable.id, cny)])
    hundred = Money(100, "CNY")
    payout = [debit(chart.payable.id, hundred), credit(chart.in_transit.id, hundred)]
    outcomes = await asyncio.gather(
        *(_post(callers[n % len(callers)], f"payout:{n}", payout) for n in range(CALLERS)),
        return_exceptions=True,
    )
    posted = [o for o in outcomes if isinstance(o, PostedEntry)]
    refused = [o for o in outcomes if isinstance(o, BalanceWouldGoNegative)]
    assert (len(posted), len(refused)) == (10, CALLERS - 10), [
        o for o in outcomes if not isinstance(o, PostedEntry | BalanceWouldGoNegative)
    ][:3]
    assert {e.code for e in refused} == {"balance_would_go_negative"}
    assert await balances(setup, chart.payable, chart.in_transit) == [0, 1_000]
    assert await journal_size(setup) == (11, 22)
    assert (await check_balances(setup)).ok


async def test_50_postings_of_one_key_post_once(pools: list[Database]) -> None:
    setup, *callers = pools
    chart = await make_chart(setup, NOW)
    cny = Money(1_234, "CNY")
    capture = [debit(chart.clearing.id, cny), credit(chart.escrow.id, cny)]
    outcomes = await asyncio.gather(
        *(_post(callers[n % len(callers)], "capture:once", capture) for n in range(CALLERS)),
        return_exceptions=True,
    )
    entries = [o for o in outcomes if isinstance(o, PostedEntry)]
    assert len(entries) == CALLERS, [o for o in outcomes if not isinstance(o, PostedEntry)][:3]
    assert len({e.id for e in entries}) == 1
    assert sum(not e.replayed for e in entries) == 1
    assert await journal_size(setup) == (1, 2)
    assert await balances(setup, chart.clearing, chart.escrow) == [1_234, 1_234]
    assert (await check_balances(setup)).ok


async def test_50_duplicates_of_a_payout_that_empties_the_payable_replay(
    pools: list[Database],
) -> None:
    """The duplicates that waited on the first one's row locks find the payable empty: they
    still answer with the first one's entry, not with a refusal."""
    setup, *callers = pools
    chart = await make_chart(setup, NOW)
    cny = Money(300, "CNY")
    await _post(setup, "fund", [debit(chart.clearing.id, cny), credit(chart.payable.id, cny)])
    payout = [debit(chart.payable.id, cny), credit(chart.in_transit.id, cny)]
    outcomes = await asyncio.gather(
        *(_post(callers[n % len(callers)], "payout:all", payout) for n in range(CALLERS)),
        return_exceptions=True,
    )
    entries = [o for o in outcomes if isinstance(o, PostedEntry)]
    assert len(entries) == CALLERS, [o for o in outcomes if not isinstance(o, PostedEntry)][:3]
    assert len({e.id for e in entries}) == 1
    assert await journal_size(setup) == (2, 4)
    assert await balances(setup, chart.payable, chart.in_transit) == [0, 300]


async def test_50_reversals_of_one_entry_post_one(pools: list[Database]) -> None:
    setup, *callers = pools
    chart = await make_chart(setup, NOW)
    cny = Money(800, "CNY")
    entry = await _post(
        setup, "fund", [debit(chart.clearing.id, cny), credit(chart.escrow.id, cny)]
    )

    async def undo(db: Database, n: int) -> PostedEntry:
        async with db.transaction() as session:
            return await reverse_entry(
                session, entry_id=entry.id, key=f"undo:{n}", memo="voided", now=NOW
            )

    outcomes = await asyncio.gather(
        *(undo(callers[n % len(callers)], n) for n in range(CALLERS)), return_exceptions=True
    )
    posted = [o for o in outcomes if isinstance(o, PostedEntry)]
    refused = [o for o in outcomes if isinstance(o, AlreadyReversed)]
    assert (len(posted), len(refused)) == (1, CALLERS - 1), [
        o for o in outcomes if not isinstance(o, PostedEntry | AlreadyReversed)
    ][:3]
    assert await journal_size(setup) == (2, 4)
    assert await balances(setup, chart.clearing, chart.escrow) == [0, 0]
    assert (await check_balances(setup)).ok


async def test_50_callers_get_one_account(pools: list[Database]) -> None:
    _, *callers = pools

    async def ask(db: Database) -> Account:
        async with db.transaction() as session:
            return await account_for(
                session, kind=AccountKind.SELLER_PAYABLE, currency="EUR", owner_id=42, now=NOW
            )

    found = await asyncio.gather(*(ask(callers[n % len(callers)]) for n in range(CALLERS)))
    assert len({account.id for account in found}) == 1

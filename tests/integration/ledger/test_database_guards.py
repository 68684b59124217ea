"""The database itself refuses an unbalanced journal entry, lines added to a posted entry,
lines without an entry, and any UPDATE or DELETE of journal rows: raw SQL, both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.ledger import AccountKind, account_for, find_account
from tests.integration.ledger.factories import Chart, balances, journal_size, make_chart

LINE = (
    "INSERT INTO journal_lines (entry_id, account_id, currency, amount_minor) "
    "VALUES (:entry, :account, 'CNY', :amount)"
)
ENTRY = (
    "INSERT INTO journal_entries (id, key, memo, fingerprint, reversal_of, occurred_at) "
    "VALUES (:entry, :key, 'raw', 'x', NULL, :at)"
)


async def _raw_entry(
    db: Database, clock: FixedClock, entry: int, lines: list[tuple[int, int]]
) -> None:
    async with db.transaction() as session:
        for account, amount in lines:
            await session.execute(
                text(LINE), {"entry": entry, "account": account, "amount": amount}
            )
        await session.execute(
            text(ENTRY), {"entry": entry, "key": f"raw:{entry}", "at": clock.now()}
        )


def _two(chart: Chart, debit: int, credit: int) -> list[tuple[int, int]]:
    return [(chart.clearing.id, debit), (chart.commission.id, -credit)]


async def test_a_balanced_raw_entry_is_accepted(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    await _raw_entry(db, clock, 500, _two(chart, 100, 100))
    assert await journal_size(db) == (1, 2)


@pytest.mark.parametrize(
    "lines",
    [
        lambda c: _two(c, 100, 90),
        lambda c: [(c.clearing.id, 100)],
        lambda c: [],
        lambda c: [*_two(c, 100, 100), (c.escrow.id, 1)],
    ],
    ids=["unbalanced", "one-line", "no-lines", "one-extra-cent"],
)
async def test_an_unbalanced_raw_entry_is_refused(
    db: Database, clock: FixedClock, lines: object
) -> None:
    chart = await make_chart(db, clock.now())
    with pytest.raises(DBAPIError, match="does not balance"):
        await _raw_entry(db, clock, 501, lines(chart))  # type: ignore[operator]
    assert await journal_size(db) == (0, 0)


async def test_a_posted_entry_takes_no_more_lines(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    await _raw_entry(db, clock, 502, _two(chart, 100, 100))
    with pytest.raises(DBAPIError, match="takes no more lines"):
        async with db.transaction() as session:
            for account, amount in _two(chart, 7, 7):
                await session.execute(
                    text(LINE), {"entry": 502, "account": account, "amount": amount}
                )
    assert await journal_size(db) == (1, 2)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE journal_lines SET amount_minor = amount_minor * 2",
        "UPDATE journal_lines SET account_id = account_id",
        "DELETE FROM journal_lines",
        "UPDATE journal_entries SET memo = 'rewritten'",
        "DELETE FROM journal_entries",
    ],
)
async def test_journal_rows_are_never_updated_or_deleted(
    db: Database, clock: FixedClock, statement: str
) -> None:
    chart = await make_chart(db, clock.now())
    await _raw_entry(db, clock, 503, _two(chart, 250, 250))
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(text(statement))
    async with db.reading() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT e.memo, l.account_id, l.amount_minor FROM journal_lines l "
                    "JOIN journal_entries e ON e.id = l.entry_id ORDER BY l.id"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("raw", chart.clearing.id, 250),
        ("raw", chart.commission.id, -250),
    ]


async def test_a_non_negative_account_is_refused_below_zero_by_its_check(
    db: Database, clock: FixedClock
) -> None:
    chart = await make_chart(db, clock.now())
    with pytest.raises(DBAPIError, match="not_negative"):
        async with db.transaction() as session:
            await session.execute(
                text("UPDATE ledger_accounts SET balance_minor = 1 WHERE id = :id"),
                {"id": chart.escrow.id},  # escrow is credit-normal: +1 means -1 held
            )
    assert await balances(db, chart.escrow) == [0]


async def test_lines_without_their_entry_fail_at_commit(
    backend: str, databases: dict[str, Database], clock: FixedClock
) -> None:
    """A real commit (not a test savepoint): the deferred foreign key refuses orphan lines,
    so the transaction, which also made their accounts, leaves nothing behind."""
    if backend not in databases:
        pytest.skip("no PostgreSQL server")
    db = databases[backend]
    before = await journal_size(db)
    with pytest.raises(DBAPIError, match=r"(?i)foreign key"):
        async with db.transaction() as session:
            accounts = [
                await account_for(
                    session,
                    kind=AccountKind.ESCROW,
                    currency="CNY",
                    owner_id=order,
                    now=clock.now(),
                )
                for order in (990_001, 990_002)
            ]
            for account, amount in zip(accounts, (100, -100), strict=True):
                await session.execute(
                    text(LINE), {"entry": 990_001, "account": account.id, "amount": amount}
                )
    assert await journal_size(db) == before
    async with db.reading() as session:
        assert (
            await find_account(session, kind=AccountKind.ESCROW, currency="CNY", owner_id=990_001)
            is None
        )

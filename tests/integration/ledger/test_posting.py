"""post_entry, reverse_entry and account_for on both databases: balances move exactly, a
replay posts nothing, every refusal leaves the journal and the balances as they were."""

from __future__ import annotations

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock, Money, ValidationFailed
from galerie.ledger import (
    AccountKind,
    AccountNotFound,
    AlreadyReversed,
    BadAccount,
    BalanceWouldGoNegative,
    EntryKeyReused,
    EntryUnbalanced,
    Line,
    account_for,
    credit,
    debit,
    find_entry,
    post_entry,
    reverse_entry,
)
from tests.integration.ledger.factories import Chart, balances, journal_size, make_chart


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def _capture(db: Database, chart: Chart, clock: FixedClock, key: str = "capture:1") -> int:
    async with db.transaction() as session:
        entry = await post_entry(
            session,
            key=key,
            lines=[debit(chart.clearing.id, cny(10_000)), credit(chart.escrow.id, cny(10_000))],
            memo="payment captured",
            now=clock.now(),
        )
    return entry.id


async def test_a_balanced_entry_moves_each_balance(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    entry_id = await _capture(db, chart, clock)
    async with db.transaction() as session:
        release = await post_entry(
            session,
            key="release:1",
            lines=[
                debit(chart.escrow.id, cny(10_000)),
                credit(chart.payable.id, cny(9_400)),
                credit(chart.commission.id, cny(600)),
            ],
            memo="escrow released",
            now=clock.now(),
        )
    assert (release.id, release.replayed) == (entry_id + 1, False)
    assert await balances(db, chart.clearing, chart.escrow, chart.payable, chart.commission) == [
        10_000, 0, 9_400, 600,
    ]  # fmt: skip
    assert await journal_size(db) == (2, 5)


@pytest.mark.parametrize(
    "lines",
    [
        [(1, 100), (2, -90)],  # off by 10
        [(1, 100)],  # one line
        [(1, 100), (2, -100), (3, 0)],  # a zero line
    ],
    ids=["off-by-ten", "one-line", "zero-line"],
)
async def test_an_unpostable_entry_is_refused_and_nothing_changes(
    db: Database, clock: FixedClock, lines: list[tuple[int, int]]
) -> None:
    chart = await make_chart(db, clock.now())
    ids = [chart.clearing.id, chart.escrow.id, chart.commission.id]
    async with db.transaction() as session:
        with pytest.raises(EntryUnbalanced) as refused:
            await post_entry(
                session,
                key="bad:1",
                lines=[Line(ids[i - 1], cny(m)) for i, m in lines],
                memo="broken",
                now=clock.now(),
            )
    assert refused.value.code == "entry_unbalanced"
    assert await journal_size(db) == (0, 0)
    assert await balances(db, chart.clearing, chart.escrow, chart.commission) == [0, 0, 0]


async def test_a_replay_by_key_posts_nothing(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    first = await _capture(db, chart, clock)
    async with db.transaction() as session:
        again = await post_entry(
            session,
            key="capture:1",
            lines=[credit(chart.escrow.id, cny(10_000)), debit(chart.clearing.id, cny(10_000))],
            memo="payment captured",
            now=clock.now(),
        )
    assert (again.id, again.replayed, again.memo) == (first, True, "payment captured")
    assert sorted((line.account_id, line.amount.minor) for line in again.lines) == sorted(
        [(chart.clearing.id, 10_000), (chart.escrow.id, -10_000)]
    )
    assert again.occurred_at == clock.now()
    async with db.reading() as session:
        found = await find_entry(session, key="capture:1")
        assert await find_entry(session, key="capture:2") is None
    assert found is not None
    assert (found.id, found.lines, found.replayed) == (first, again.lines, False)
    assert await journal_size(db) == (1, 2)
    assert await balances(db, chart.clearing, chart.escrow) == [10_000, 10_000]


@pytest.mark.parametrize("change", ["amount", "memo", "account"])
async def test_another_body_under_a_used_key_is_refused(
    db: Database, clock: FixedClock, change: str
) -> None:
    chart = await make_chart(db, clock.now())
    await _capture(db, chart, clock)
    amount = 9_999 if change == "amount" else 10_000
    target = chart.commission.id if change == "account" else chart.escrow.id
    memo = "something else" if change == "memo" else "payment captured"
    async with db.transaction() as session:
        with pytest.raises(EntryKeyReused) as refused:
            await post_entry(
                session,
                key="capture:1",
                lines=[debit(chart.clearing.id, cny(amount)), credit(target, cny(amount))],
                memo=memo,
                now=clock.now(),
            )
    assert refused.value.code == "entry_key_reused"
    assert await journal_size(db) == (1, 2)
    assert await balances(db, chart.clearing, chart.escrow, chart.commission) == [10_000, 10_000, 0]


async def test_a_non_negative_account_is_never_taken_below_zero(
    db: Database, clock: FixedClock
) -> None:
    chart = await make_chart(db, clock.now())
    await _capture(db, chart, clock)
    async with db.transaction() as session:
        with pytest.raises(BalanceWouldGoNegative) as refused:
            await post_entry(
                session,
                key="release:too-much",
                lines=[debit(chart.escrow.id, cny(10_001)), credit(chart.payable.id, cny(10_001))],
                memo="escrow released",
                now=clock.now(),
            )
        # the caller's transaction carries on: the refused entry left nothing in it
        assert refused.value.code == "balance_would_go_negative"
        assert refused.value.details["account_id"] == chart.escrow.id
        await post_entry(
            session,
            key="release:exact",
            lines=[debit(chart.escrow.id, cny(10_000)), credit(chart.payable.id, cny(10_000))],
            memo="escrow released",
            now=clock.now(),
        )
    assert await journal_size(db) == (2, 4)
    assert await balances(db, chart.escrow, chart.payable) == [0, 10_000]


async def test_a_line_in_another_currency_or_on_no_account_is_refused(
    db: Database, clock: FixedClock
) -> None:
    chart = await make_chart(db, clock.now())
    usd = Money(100, "USD")
    async with db.transaction() as session:
        with pytest.raises(BadAccount):
            await post_entry(
                session, key="fx:1", memo="wrong currency", now=clock.now(),
                lines=[debit(chart.clearing.id, usd), credit(chart.commission.id, usd)],
            )  # fmt: skip
        with pytest.raises(AccountNotFound):
            await post_entry(
                session, key="ghost:1", memo="no account", now=clock.now(),
                lines=[debit(chart.clearing.id, cny(5)), credit(chart.in_transit.id + 999, cny(5))],
            )  # fmt: skip
        with pytest.raises(ValidationFailed) as bad_key:
            await post_entry(
                session, key="has space", memo="m", now=clock.now(),
                lines=[debit(chart.clearing.id, cny(5)), credit(chart.commission.id, cny(5))],
            )  # fmt: skip
    assert bad_key.value.code == "bad_entry_key"
    assert await journal_size(db) == (0, 0)
    assert await balances(db, chart.clearing, chart.commission) == [0, 0]


async def test_a_reversal_undoes_an_entry_once(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    captured = await _capture(db, chart, clock)
    async with db.transaction() as session:
        reversal = await reverse_entry(
            session, entry_id=captured, key="capture:1:reversed", memo="voided", now=clock.now()
        )
        replay = await reverse_entry(
            session, entry_id=captured, key="capture:1:reversed", memo="voided", now=clock.now()
        )
        with pytest.raises(AlreadyReversed):
            await reverse_entry(
                session, entry_id=captured, key="capture:1:again", memo="voided", now=clock.now()
            )
    assert (reversal.reversal_of, reversal.replayed) == (captured, False)
    assert (replay.id, replay.replayed) == (reversal.id, True)
    assert {(line.account_id, line.amount.minor) for line in reversal.lines} == {
        (chart.clearing.id, -10_000),
        (chart.escrow.id, 10_000),
    }
    assert await balances(db, chart.clearing, chart.escrow) == [0, 0]
    assert await journal_size(db) == (2, 4)


async def test_a_reversal_that_would_overdraw_is_refused(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    await _capture(db, chart, clock)
    async with db.transaction() as session:
        release = await post_entry(
            session, key="release:1", memo="released", now=clock.now(),
            lines=[debit(chart.escrow.id, cny(10_000)), credit(chart.payable.id, cny(10_000))],
        )  # fmt: skip
        await post_entry(
            session, key="payout:1", memo="paid out", now=clock.now(),
            lines=[debit(chart.payable.id, cny(4_000)), credit(chart.in_transit.id, cny(4_000))],
        )  # fmt: skip
    async with db.transaction() as session:
        with pytest.raises(BalanceWouldGoNegative) as refused:
            await reverse_entry(
                session, entry_id=release.id, key="release:1:rev", memo="undo", now=clock.now()
            )
    assert refused.value.details["account_id"] == chart.payable.id
    assert await balances(db, chart.escrow, chart.payable, chart.in_transit) == [0, 6_000, 4_000]
    assert await journal_size(db) == (3, 6)


async def test_account_for_finds_the_one_account(db: Database, clock: FixedClock) -> None:
    now = clock.now()
    async with db.transaction() as session:
        first = await account_for(
            session, kind=AccountKind.ESCROW, currency="CNY", owner_id=7, now=now
        )
        again = await account_for(
            session, kind=AccountKind.ESCROW, currency="CNY", owner_id=7, now=now
        )
        other = await account_for(
            session, kind=AccountKind.ESCROW, currency="EUR", owner_id=7, now=now
        )
        platform = await account_for(
            session, kind=AccountKind.COMMISSION_REVENUE, currency="CNY", now=now
        )
        with pytest.raises(BadAccount):
            await account_for(session, kind=AccountKind.ESCROW, currency="CNY", now=now)
        with pytest.raises(BadAccount):
            await account_for(
                session, kind=AccountKind.REFUNDS, currency="CNY", owner_id=3, now=now
            )
    assert first == again
    assert other.id != first.id
    assert (first.owner_id, first.may_go_negative, first.normal_sign) == (7, False, -1)
    assert (platform.owner_id, platform.may_go_negative, platform.balance) == (
        None, True, Money(0, "CNY"),
    )  # fmt: skip

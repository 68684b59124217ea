"""check_balances reports a cached balance that differs from its journal, and the currency it
unbalances; rebuild_balances puts the journal's figure back; a clean ledger reports nothing."""

from __future__ import annotations

from sqlalchemy import text

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import (
    AccountKind,
    Discrepancy,
    check_balances,
    credit,
    debit,
    post_entry,
    rebuild_balances,
)
from tests.integration.ledger.factories import balances, make_chart


async def test_a_drifted_balance_is_reported_and_rebuilt(db: Database, clock: FixedClock) -> None:
    chart = await make_chart(db, clock.now())
    async with db.transaction() as session:
        await post_entry(
            session, key="capture:9", memo="captured", now=clock.now(),
            lines=[debit(chart.clearing.id, Money(700, "CNY")),
                   credit(chart.escrow.id, Money(700, "CNY"))],
        )  # fmt: skip
    clean = await check_balances(db)
    assert clean.ok
    assert clean.discrepancies == ()
    assert clean.accounts >= 5

    async with db.transaction() as session:  # a bug or a hand edit: the cache drifts
        await session.execute(
            text("UPDATE ledger_accounts SET balance_minor = -650 WHERE id = :id"),
            {"id": chart.escrow.id},
        )
    drifted = await check_balances(db)
    expected = Discrepancy(
        account_id=chart.escrow.id, kind=AccountKind.ESCROW, owner_id=1, currency="CNY",
        cached_minor=-650, journal_minor=-700,
    )  # fmt: skip
    assert drifted.discrepancies == (expected,)
    assert drifted.unbalanced_currencies == {"CNY": 50}
    assert drifted.unbalanced_entries == ()
    assert not drifted.ok

    assert (await rebuild_balances(db)).discrepancies == (expected,)
    assert (await check_balances(db)).ok
    assert await balances(db, chart.clearing, chart.escrow) == [700, 700]

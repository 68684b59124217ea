"""Balance deltas (ADR 0017): a hot account's balance changes by a delta row; every read of
a balance adds the deltas not folded yet, reconciliation counts them, and the fold moves
only committed ones into the balance. An account that may not go negative takes none."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, literal, select

from galerie.db import Database, RawSQL
from galerie.kernel import Money
from galerie.ledger import (
    AccountKind,
    check_balances,
    credit,
    debit,
    fold_balance_deltas,
    natural_balance_column,
    post_entry,
    rebuild_balances,
)
from galerie.ledger.deltas import DELTA_SQL
from galerie.ledger.models import LedgerAccount, LedgerBalanceDelta
from tests.integration.ledger.factories import Chart, balances, make_chart

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _delta(db: Database, account_id: int, change: int) -> None:
    async with db.transaction() as session:
        await (await RawSQL.of(session)).execute(DELTA_SQL, change, account_id)


async def _columns(db: Database, chart: Chart) -> tuple[int, int, int]:
    """(clearing's balance_minor, escrow's balance_minor, delta rows)."""
    async with db.reading() as session:
        rows = await session.execute(select(LedgerAccount.id, LedgerAccount.balance_minor))
        column: dict[int, int] = {int(i): int(b) for i, b in rows}
        deltas = await session.scalar(select(func.count()).select_from(LedgerBalanceDelta))
    return column[chart.clearing.id], column[chart.escrow.id], int(deltas or 0)


async def _captured(db: Database) -> Chart:
    chart = await make_chart(db, NOW)
    async with db.transaction() as session:
        await post_entry(
            session, key="capture:1", memo="captured", now=NOW,
            lines=[debit(chart.clearing.id, Money(700, "CNY")),
                   credit(chart.escrow.id, Money(700, "CNY"))],
        )  # fmt: skip
    return chart


async def test_reads_and_checks_count_the_deltas_the_fold_moves(db: Database) -> None:
    chart = await _captured(db)
    await _delta(db, chart.clearing.id, 250)
    await _delta(db, chart.escrow.id, 250)  # escrow may not go negative: no delta
    assert await _columns(db, chart) == (700, -700, 1)
    assert await balances(db, chart.clearing, chart.escrow) == [950, 700]
    async with db.reading() as session:
        held = await session.scalar(
            select(
                natural_balance_column(AccountKind.PROVIDER_CLEARING, literal(0), literal("CNY"))
            )
        )
    assert held == 950
    found = await check_balances(db)  # 250 with no journal line: a discrepancy
    assert [(d.account_id, d.cached_minor, d.journal_minor) for d in found.discrepancies] == [
        (chart.clearing.id, 950, 700)
    ]
    assert found.unbalanced_currencies == {"CNY": 250}
    await rebuild_balances(db)  # the column takes what the deltas do not explain
    assert await _columns(db, chart) == (450, -700, 1)
    assert (await check_balances(db)).ok
    assert await fold_balance_deltas(db) == 1
    assert await _columns(db, chart) == (700, -700, 0)
    assert await balances(db, chart.clearing, chart.escrow) == [700, 700]
    assert (await check_balances(db)).ok
    assert await fold_balance_deltas(db) == 0


@pytest.fixture
async def two(fresh_url: str) -> AsyncIterator[tuple[Database, Database]]:
    first, second = Database.from_url(fresh_url), Database.from_url(fresh_url)
    yield first, second
    await first.dispose()
    await second.dispose()


@pytest.mark.parametrize("fresh_url", ["postgresql"], indirect=True)
async def test_deltas_do_not_wait_on_each_other_and_the_fold_takes_committed_ones(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    chart = await _captured(first)
    async with second.transaction() as held:  # a capture still in flight
        await (await RawSQL.of(held)).execute(DELTA_SQL, 100, chart.clearing.id)
        async with first.transaction() as session:  # refused if it had to wait
            raw = await RawSQL.of(session)
            await raw.execute("SET LOCAL lock_timeout = '2s'")
            await raw.execute(DELTA_SQL, 50, chart.clearing.id)
        assert await fold_balance_deltas(first) == 1  # the committed one only
        assert await _columns(first, chart) == (750, -700, 0)  # the other one unseen yet
    assert await balances(first, chart.clearing) == [850]
    assert await fold_balance_deltas(first) == 1
    assert await _columns(first, chart) == (850, -700, 0)

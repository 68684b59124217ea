"""100 concurrent payout requests for one shop (separate connections, released together,
committed data) on SQLite and PostgreSQL: a payable holding ten of them pays exactly ten,
the 90 others are refused with payout_exceeds_balance and leave nothing behind; the bank
saw ten payouts; the cached balances equal the journal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.settlement import PayoutExceedsBalance, PayoutView, request_payout, shop_balance
from tests.concurrency import together
from tests.integration.orders.factories import make_market
from tests.integration.payments.support import make_provider
from tests.integration.settlement.support import fund, ledger, payouts, sandbox_payouts

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
CALLERS = 100
# SQLite: one writer connection per Database; PostgreSQL: one pool of up to 30 connections
# (the server is shared with other test runs: stay well under its cap).
DATABASES = {"sqlite": 10, "postgresql": 1}


@pytest.fixture
async def pools(fresh_url: str) -> AsyncIterator[list[Database]]:
    setup = Database.from_url(fresh_url)
    callers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield [setup, *callers]
    for db in (setup, *callers):
        await db.dispose()


async def test_100_concurrent_payouts_never_overdraw(pools: list[Database], tmp_path: Path) -> None:
    setup, *callers = pools
    market = await make_market(setup, NOW, tmp_path, shops=1)
    shop = market.shops[0].shop_id
    await fund(setup, shop, 100_000, NOW, "test:fund")
    provider = make_provider(setup, FixedClock(NOW))
    calls: list[Callable[[], Awaitable[PayoutView]]] = [
        partial(
            request_payout,
            callers[n % len(callers)],
            provider,
            shop_id=shop,
            amount=Money(10_000, "CNY"),
            now=NOW,
            token=f"t{n}",
        )
        for n in range(CALLERS)
    ]
    outcomes = await together(calls)
    paid = [o for o in outcomes if isinstance(o, PayoutView)]
    refused = [o for o in outcomes if isinstance(o, PayoutExceedsBalance)]
    assert (len(paid), len(refused)) == (10, 90), [
        o for o in outcomes if not isinstance(o, PayoutView | PayoutExceedsBalance)
    ][:3]
    assert {p.status.value for p in paid} == {"sent"}
    assert await payouts(setup) == [(shop, 10_000, "sent")] * 10
    assert await sandbox_payouts(setup) == 10
    assert await ledger(setup) == {
        ("provider_clearing", 0): 100_000,
        ("payouts_in_transit", 0): -100_000,
    }
    balance = await shop_balance(setup, shop_id=shop, currency="CNY")
    assert (balance.available, balance.in_transit) == (Money(0, "CNY"), Money(100_000, "CNY"))

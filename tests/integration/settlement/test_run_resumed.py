"""A payout run killed before it finished (found by the crash loop, issue 6): the timer
runs only the current period's key, so a run killed as its period ended stayed `running`
for ever, its count and total never recorded. The next pass of the timer finishes it
under its own key, paying each shop once, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import PaymentProvider
from galerie.payments.sandbox import SandboxProvider
from galerie.settlement import payout_runs, run_payouts
from galerie.workers.timers import payout_run_key, settlement_timers
from tests.integration.orders.factories import Market
from tests.integration.payments.support import make_provider
from tests.integration.settlement.support import fund, ledger, payouts, sandbox_payouts


class Killed(BaseException):
    """The process dies (SIGKILL): nothing after this point runs, nothing catches it."""


class DiesAtFirstPayout:
    """The sandbox, in a process killed as it sends its first payout."""

    def __init__(self, provider: SandboxProvider) -> None:
        self.provider, self.name = provider, provider.name

    async def payout(self, *, destination: str, amount: Money, idempotency_key: str) -> Any:
        raise Killed


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def test_a_run_killed_as_its_period_ended_is_finished_by_the_next_pass(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a, b = (s.shop_id for s in market.shops[:2])
    await fund(db, a, 50_000, clock.now(), "test:fund:a")
    await fund(db, b, 20_000, clock.now(), "test:fund:b")
    provider = make_provider(db, clock)
    key = payout_run_key(clock.now(), 1, "CNY")
    dying = cast(PaymentProvider, DiesAtFirstPayout(provider))
    with pytest.raises(Killed):
        await run_payouts(db, dying, key=key, minimum=cny(10_000), now=clock.now())
    (killed,) = await payout_runs(db)
    assert (killed.key, killed.status, killed.payouts) == (key, "running", 0)
    assert await payouts(db) == [(a, 50_000, "requested"), (b, 20_000, "requested")]

    clock.advance(timedelta(days=1))  # the next period: the timer's key is another
    timers = settlement_timers(provider, minimum=cny(10_000), every_days=1)
    assert await timers["payout_run"](db, now=clock.now()) == 0  # nothing left to pay
    latest, resumed = await payout_runs(db)
    assert (resumed.key, resumed.status, resumed.payouts, resumed.total) == (
        key, "completed", 2, cny(70_000),
    )  # fmt: skip
    assert (latest.status, latest.payouts) == ("completed", 0)
    assert await payouts(db) == [(a, 50_000, "sent"), (b, 20_000, "sent")]
    assert await sandbox_payouts(db) == 2
    assert await ledger(db) == {
        ("provider_clearing", 0): 70_000,
        ("payouts_in_transit", 0): -70_000,
    }
    assert await timers["payout_run"](db, now=clock.now()) == 0  # and nothing twice
    assert await sandbox_payouts(db) == 2

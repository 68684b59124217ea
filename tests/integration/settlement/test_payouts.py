"""Payouts on SQLite and PostgreSQL: a seller's request within the balance is reserved in
the ledger, sent to the sandbox (the fake bank) and confirmed once by its payout.paid
event; above the balance it is refused and changes nothing; a token pays once; a run pays
every shop holding the minimum, once per key; a refused payout gives the money back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import PaymentProvider, ProviderEvent
from galerie.payments.sandbox import SandboxProvider
from galerie.payments.sandbox.models import SandboxWebhookEvent
from galerie.payments.sandbox.rules import parse_event
from galerie.settlement import (
    BadPayoutAmount,
    PayoutExceedsBalance,
    PayoutStatus,
    apply_payout_event,
    confirm_payout,
    request_payout,
    run_payouts,
    send_requested_payouts,
    shop_balance,
)
from galerie.workers.timers import payout_run_key, settlement_timers
from tests.integration.orders.factories import Market
from tests.integration.payments.support import make_provider
from tests.integration.settlement.support import fund, ledger, payouts, sandbox_payouts


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def _payout_events(db: Database) -> list[ProviderEvent]:
    async with db.reading() as session:
        bodies = await session.scalars(
            select(SandboxWebhookEvent.payload)
            .where(SandboxWebhookEvent.event_type == "payout.paid")
            .order_by(SandboxWebhookEvent.id)
        )
        return [parse_event(body.encode()) for body in bodies]


async def test_a_requested_payout_is_sent_and_confirmed_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    provider = make_provider(db, clock)
    made = await request_payout(
        db, provider, shop_id=shop, amount=cny(20_000), now=clock.now(), token="t1",
        requested_by=market.owner_user_id,
    )  # fmt: skip
    assert (made.status, made.amount, made.key) == (
        PayoutStatus.SENT, cny(20_000), f"payout:request:{shop}:t1",
    )  # fmt: skip
    assert made.provider_payout_id is not None
    balance = await shop_balance(db, shop_id=shop, currency="CNY")
    assert (balance.available, balance.in_transit, balance.in_escrow) == (
        cny(30_000), cny(20_000), cny(0),
    )  # fmt: skip
    assert await ledger(db) == {
        ("provider_clearing", 0): 50_000,
        ("seller_payable", shop): -30_000,
        ("payouts_in_transit", 0): -20_000,
    }
    [event] = await _payout_events(db)
    assert (event.object_id, event.amount) == (made.provider_payout_id, cny(20_000))
    clock.advance(timedelta(minutes=1))
    assert await apply_payout_event(db, event=event, now=clock.now()) == "paid"
    assert await apply_payout_event(db, event=event, now=clock.now()) == "duplicate"
    assert await payouts(db) == [(shop, 20_000, "paid")]
    assert await ledger(db) == {("provider_clearing", 0): 30_000, ("seller_payable", shop): -30_000}
    balance = await shop_balance(db, shop_id=shop, currency="CNY")
    assert (balance.available, balance.in_transit) == (cny(30_000), cny(0))
    again = await request_payout(
        db, provider, shop_id=shop, amount=cny(20_000), now=clock.now(), token="t1"
    )
    assert (again.id, again.status) == (made.id, PayoutStatus.PAID)  # the same token pays once
    assert await sandbox_payouts(db) == 1


async def test_a_confirmation_of_a_wrong_amount_or_unknown_payout_changes_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    made = await request_payout(
        db, make_provider(db, clock), shop_id=shop, amount=cny(20_000), now=clock.now()
    )
    assert made.provider_payout_id is not None
    before = await ledger(db)
    assert await confirm_payout(
        db, provider_payout_id=made.provider_payout_id, amount=cny(19_999), now=clock.now()
    ) == "amount_mismatch"  # fmt: skip
    assert await confirm_payout(
        db, provider_payout_id="sbpo_unknown", amount=cny(20_000), now=clock.now()
    ) == "unknown"  # fmt: skip
    assert await ledger(db) == before
    assert await payouts(db) == [(shop, 20_000, "sent")]


@pytest.mark.parametrize("minor", [50_001, 10**12])
async def test_a_payout_above_the_balance_is_refused_and_changes_nothing(
    db: Database, market: Market, clock: FixedClock, minor: int
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    before = await ledger(db)
    with pytest.raises(PayoutExceedsBalance) as refused:
        await request_payout(
            db, make_provider(db, clock), shop_id=shop, amount=cny(minor), now=clock.now()
        )
    assert refused.value.code == "payout_exceeds_balance"
    assert await ledger(db) == before
    assert (await payouts(db), await sandbox_payouts(db)) == ([], 0)


@pytest.mark.parametrize("minor", [0, -100])
async def test_a_payout_of_nothing_is_refused(
    db: Database, market: Market, clock: FixedClock, minor: int
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    with pytest.raises(BadPayoutAmount):
        await request_payout(
            db, make_provider(db, clock), shop_id=shop, amount=cny(minor), now=clock.now()
        )
    assert await payouts(db) == []


async def test_a_shop_without_money_cannot_be_paid(
    db: Database, market: Market, clock: FixedClock
) -> None:
    with pytest.raises(PayoutExceedsBalance):
        await request_payout(
            db, make_provider(db, clock), shop_id=market.shops[1].shop_id, amount=cny(1),
            now=clock.now(),
        )  # fmt: skip
    assert await payouts(db) == []


async def test_a_run_pays_every_shop_holding_the_minimum_once_per_key(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a, b, c = (s.shop_id for s in market.shops)
    for shop, minor in ((a, 50_000), (b, 9_999), (c, 10_000)):
        await fund(db, shop, minor, clock.now(), f"test:fund:{shop}")
    provider = make_provider(db, clock)
    minimum = cny(10_000)
    done = await run_payouts(db, provider, key="2026-11-11", minimum=minimum, now=clock.now())
    assert (done.payouts, done.total, done.replayed) == (2, cny(60_000), False)
    assert await payouts(db) == [(a, 50_000, "sent"), (c, 10_000, "sent")]
    await fund(db, a, 30_000, clock.now(), "test:fund:more")
    again = await run_payouts(db, provider, key="2026-11-11", minimum=minimum, now=clock.now())
    assert (again.run_id, again.payouts, again.total, again.replayed) == (
        done.run_id, 2, cny(60_000), True,
    )  # fmt: skip
    assert await sandbox_payouts(db) == 2
    following = await run_payouts(db, provider, key="2026-11-12", minimum=minimum, now=clock.now())
    assert (following.payouts, following.total) == (1, cny(30_000))
    assert await payouts(db) == [(a, 50_000, "sent"), (c, 10_000, "sent"), (a, 30_000, "sent")]
    assert await ledger(db) == {
        ("provider_clearing", 0): 99_999,
        ("seller_payable", b): -9_999,
        ("payouts_in_transit", 0): -90_000,
    }


async def test_a_payout_the_provider_refuses_gives_the_money_back(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    provider = make_provider(db, clock)
    # The run's key already used at the bank for another amount: the provider refuses it.
    await provider.payout(
        destination="6222020200112233", amount=cny(1), idempotency_key=f"payout:run:K:{shop}"
    )
    done = await run_payouts(db, provider, key="K", minimum=cny(10_000), now=clock.now())
    assert (done.payouts, done.total) == (1, cny(50_000))
    assert await payouts(db) == [(shop, 50_000, "failed")]
    assert await ledger(db) == {("provider_clearing", 0): 50_000, ("seller_payable", shop): -50_000}
    balance = await shop_balance(db, shop_id=shop, currency="CNY")
    assert (balance.available, balance.in_transit) == (cny(50_000), cny(0))


async def test_the_timers_pay_once_per_period_and_charge_the_fee_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 3_050_000, clock.now(), "test:fund")
    timers = settlement_timers(make_provider(db, clock), minimum=cny(10_000), every_days=7)
    assert set(timers) == {"annual_fees", "payout_run"}
    # The fee first (30,000.00 of the 30,500.00), then the rest paid out.
    assert await timers["annual_fees"](db, now=clock.now()) == 3  # the market's 3 shops
    assert await timers["payout_run"](db, now=clock.now()) == 1
    assert await timers["annual_fees"](db, now=clock.now()) == 0
    assert await timers["payout_run"](db, now=clock.now()) == 0
    assert await payouts(db) == [(shop, 50_000, "sent")]
    clock.advance(timedelta(days=7))
    await fund(db, shop, 20_000, clock.now(), "test:fund:2")
    assert await timers["payout_run"](db, now=clock.now()) == 1
    assert [p[1] for p in await payouts(db)] == [50_000, 20_000]
    assert settlement_timers(None, minimum=cny(1), every_days=1).keys() == {"annual_fees"}


def test_a_run_key_names_the_first_day_of_its_period() -> None:
    at = datetime(2026, 11, 11, 23, 0, tzinfo=UTC)
    assert payout_run_key(at, 1, "CNY") == "CNY:2026-11-11"
    # Weekly periods counted from day 1 of the proleptic calendar begin on Sundays.
    week = [payout_run_key(at + timedelta(days=n), 7, "CNY") for n in range(8)]
    assert week == ["CNY:2026-11-08"] * 4 + ["CNY:2026-11-15"] * 4


class BankDown:
    """The sandbox behind a network that drops the first `drops` payout calls (the bank
    unreachable: no answer at all, so nothing is known to have happened)."""

    def __init__(self, provider: SandboxProvider, drops: int) -> None:
        self.provider, self.drops = provider, drops
        self.name = provider.name

    async def payout(self, *, destination: str, amount: Money, idempotency_key: str) -> Any:
        if self.drops > 0:
            self.drops -= 1
            raise ConnectionError("the bank did not answer")
        return await self.provider.payout(
            destination=destination, amount=amount, idempotency_key=idempotency_key
        )


async def test_a_payout_the_bank_did_not_answer_is_sent_again_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    await fund(db, shop, 50_000, clock.now(), "test:fund")
    bank = BankDown(make_provider(db, clock), drops=1)
    provider = cast(PaymentProvider, bank)
    done = await run_payouts(db, provider, key="K", minimum=cny(10_000), now=clock.now())
    assert done.payouts == 1
    assert await payouts(db) == [(shop, 50_000, "requested")]  # reserved, not sent
    assert await ledger(db) == {
        ("provider_clearing", 0): 50_000,
        ("payouts_in_transit", 0): -50_000,
    }
    assert await send_requested_payouts(db, provider, now=clock.now()) == 1
    assert await send_requested_payouts(db, provider, now=clock.now()) == 0
    assert await payouts(db) == [(shop, 50_000, "sent")]
    assert await sandbox_payouts(db) == 1

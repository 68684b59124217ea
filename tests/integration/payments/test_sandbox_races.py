"""Real races on a database of their own (committed data, separate connections), on SQLite
and PostgreSQL: 50 concurrent refunds never refund more than was captured; 50 concurrent
calls with one idempotency key make one refund or one payout; concurrent webhook senders
never send one event twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import ProviderPayout, ProviderRefund, RefundExceedsCaptured
from galerie.payments.sandbox import EVENT_ID_HEADER, SandboxWebhookSender
from galerie.payments.sandbox.models import SandboxPayout, SandboxRefund, SandboxWebhookEvent
from galerie.webhooks import RecordedPost, RecordingTransport
from tests.concurrency import together
from tests.integration.payments.support import SECRET, make_provider, paid_payment, payment_row

T = TypeVar("T")
CALLS = 50
# SQLite: one writer connection per Database, so several make several contending writers.
DATABASES = {"sqlite": 8, "postgresql": 1}


class SlowRecorder(RecordingTransport):
    """Records posts and yields to the other senders while "on the network"."""

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        await asyncio.sleep(0.001)
        self.posts.append(RecordedPost(url, dict(headers), body))
        return 200


@pytest.fixture
async def arena(fresh_url: str) -> AsyncIterator[tuple[Database, list[Database]]]:
    setup = Database.from_url(fresh_url)
    pools = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield setup, pools
    for database in (setup, *pools):
        await database.dispose()


async def count(db: Database, model: type[object]) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_fifty_concurrent_refunds_never_exceed_the_captured_amount(
    arena: tuple[Database, list[Database]], clock: FixedClock
) -> None:
    setup, pools = arena
    pid = (
        await paid_payment(make_provider(setup, clock), setup, clock, minor=10_000)
    ).provider_payment_id
    providers = [make_provider(pool, clock) for pool in pools]

    def refund(n: int) -> Callable[[], Awaitable[ProviderRefund]]:
        provider = providers[n % len(providers)]
        return lambda: provider.refund(
            provider_payment_id=pid, amount=Money(300, "CNY"), idempotency_key=f"refund-{n}"
        )

    outcomes = await together([refund(n) for n in range(CALLS)])
    done = [o for o in outcomes if isinstance(o, ProviderRefund)]
    refused = [o for o in outcomes if isinstance(o, RefundExceedsCaptured)]
    others = [o for o in outcomes if not isinstance(o, ProviderRefund | RefundExceedsCaptured)]
    assert (len(done), len(refused), others[:3]) == (33, 17, [])
    assert (await payment_row(setup, pid)).refunded_minor == 9_900
    async with setup.reading() as session:
        total = await session.scalar(select(func.sum(SandboxRefund.amount_minor)))
        events = await session.scalar(
            select(func.count()).where(SandboxWebhookEvent.event_type == "refund.succeeded")
        )
    assert (total, events) == (9_900, 33)


async def test_fifty_concurrent_refunds_of_uneven_amounts_stay_within_the_payment(
    arena: tuple[Database, list[Database]], clock: FixedClock
) -> None:
    setup, pools = arena
    pid = (
        await paid_payment(make_provider(setup, clock), setup, clock, minor=5_000)
    ).provider_payment_id
    providers = [make_provider(pool, clock) for pool in pools]

    def refund(n: int) -> Callable[[], Awaitable[ProviderRefund]]:
        provider = providers[n % len(providers)]
        return lambda: provider.refund(
            provider_payment_id=pid, amount=Money(37 * (n + 1), "CNY"), idempotency_key=f"r{n}"
        )

    outcomes = await together([refund(n) for n in range(CALLS)])
    done = [o for o in outcomes if isinstance(o, ProviderRefund)]
    assert all(isinstance(o, ProviderRefund | RefundExceedsCaptured) for o in outcomes)
    accepted = sum(o.amount.minor for o in done)
    assert 0 < accepted <= 5_000
    assert 5_000 - accepted < 37 * CALLS  # refused only when the next one would not fit
    assert (await payment_row(setup, pid)).refunded_minor == accepted
    async with setup.reading() as session:
        assert await session.scalar(select(func.sum(SandboxRefund.amount_minor))) == accepted


async def test_fifty_concurrent_refunds_with_one_key_refund_once(
    arena: tuple[Database, list[Database]], clock: FixedClock
) -> None:
    setup, pools = arena
    pid = (
        await paid_payment(make_provider(setup, clock), setup, clock, minor=1_000)
    ).provider_payment_id
    providers = [make_provider(pool, clock) for pool in pools]

    def refund(n: int) -> Callable[[], Awaitable[ProviderRefund]]:
        provider = providers[n % len(providers)]
        return lambda: provider.refund(
            provider_payment_id=pid, amount=Money(400, "CNY"), idempotency_key="the-one"
        )

    outcomes = await together([refund(n) for n in range(CALLS)])
    assert all(isinstance(o, ProviderRefund) for o in outcomes), outcomes[:3]
    refunds = [o for o in outcomes if isinstance(o, ProviderRefund)]
    assert len({o.refund_id for o in refunds}) == 1
    assert sorted(o.replayed for o in refunds) == [False] + [True] * (CALLS - 1)
    assert (await payment_row(setup, pid)).refunded_minor == 400
    assert await count(setup, SandboxRefund) == 1


async def test_fifty_concurrent_payouts_with_one_key_pay_once(
    arena: tuple[Database, list[Database]], clock: FixedClock
) -> None:
    setup, pools = arena
    providers = [make_provider(pool, clock) for pool in pools]

    def payout(n: int) -> Callable[[], Awaitable[ProviderPayout]]:
        provider = providers[n % len(providers)]
        return lambda: provider.payout(
            destination="shop-9", amount=Money(2_500, "CNY"), idempotency_key="run-1-shop-9"
        )

    outcomes = await together([payout(n) for n in range(CALLS)])
    assert all(isinstance(o, ProviderPayout) for o in outcomes), outcomes[:3]
    payouts = [o for o in outcomes if isinstance(o, ProviderPayout)]
    assert len({o.payout_id for o in payouts}) == 1
    assert sorted(o.replayed for o in payouts) == [False] + [True] * (CALLS - 1)
    assert (await count(setup, SandboxPayout), await count(setup, SandboxWebhookEvent)) == (1, 1)


async def test_concurrent_senders_never_send_an_event_twice(
    arena: tuple[Database, list[Database]], clock: FixedClock
) -> None:
    setup, pools = arena
    provider = make_provider(setup, clock)
    for n in range(30):
        await provider.payout(
            destination=f"shop-{n}", amount=Money(100 + n, "CNY"), idempotency_key=f"p{n}"
        )
    transport = SlowRecorder()
    senders = [
        SandboxWebhookSender(pools[n % len(pools)], transport, clock, secret=SECRET, batch_size=4)
        for n in range(4)
    ]

    async def drain(sender: SandboxWebhookSender) -> None:
        while await sender.send_due():
            pass

    await asyncio.gather(*(drain(sender) for sender in senders))
    sent = [post.headers[EVENT_ID_HEADER] for post in transport.posts]
    assert len(sent) == 30
    assert len(set(sent)) == 30
    async with setup.reading() as session:
        rows = (
            await session.execute(select(SandboxWebhookEvent.status, SandboxWebhookEvent.attempts))
        ).all()
    assert sorted(tuple(row) for row in rows) == [("delivered", 1)] * 30

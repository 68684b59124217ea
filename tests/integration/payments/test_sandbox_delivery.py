"""The sandbox's webhooks reach a receiver (our side, verifying each request with the
provider's `verify_webhook`) through the real httpx transport over httpx's MockTransport:
signed, at least once, retried with backoff, given up after the last attempt; with chaos
they arrive duplicated and out of order, and a receiver that dedupes on the event id ends
in the same state as with an orderly delivery. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from galerie.config import SandboxChaos
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import ProviderEventType
from galerie.payments.sandbox import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    SIGNATURE_HEADER,
    SandboxProvider,
    SandboxWebhookSender,
    parse_event,
)
from galerie.payments.sandbox.models import SandboxWebhookEvent
from galerie.webhooks import RecordingTransport
from galerie.workers.timers import run_sandbox_webhooks_until, send_sandbox_webhooks
from tests.integration.payments.support import (
    HOOK_URL,
    SECRET,
    Receiver,
    fold,
    make_provider,
    paid_payment,
    queued,
)


def sender(
    db: Database, clock: FixedClock, receiver: Receiver, chaos: SandboxChaos | None = None
) -> SandboxWebhookSender:
    return SandboxWebhookSender(db, receiver.transport(), clock, secret=SECRET, chaos=chaos)


async def movements(provider: SandboxProvider, db: Database, clock: FixedClock, n: int) -> None:
    """n paid payments, each refunded in part, and one payout: 2n + 1 events."""
    for i in range(n):
        paid = await paid_payment(provider, db, clock, minor=1_000 + i, ref=f"pg-{i}")
        await provider.refund(
            provider_payment_id=paid.provider_payment_id, amount=Money(100 + i, "CNY"),
            idempotency_key=f"refund-{i}",
        )  # fmt: skip
    await provider.payout(destination="shop-1", amount=Money(777, "CNY"), idempotency_key="po")


async def drain(clock: FixedClock, webhooks: SandboxWebhookSender, minutes: int = 30) -> None:
    """Run the timer's passes over `minutes` of test time, a second at a time."""
    for _ in range(minutes * 60):
        await send_sandbox_webhooks(webhooks)
        clock.advance(timedelta(seconds=1))


async def test_webhooks_are_signed_and_delivered_once_in_order(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    receiver = Receiver(provider, clock)
    await movements(provider, db, clock, 3)
    assert await send_sandbox_webhooks(sender(db, clock, receiver)) == 7
    assert receiver.rejected == []
    assert [e.type for e in receiver.received] == [
        ProviderEventType.PAYMENT_SUCCEEDED, ProviderEventType.REFUND_SUCCEEDED,
    ] * 3 + [ProviderEventType.PAYOUT_PAID]  # fmt: skip
    assert [e.amount.minor for e in receiver.received] == [1000, 100, 1001, 101, 1002, 102, 777]
    assert receiver.urls == [HOOK_URL] * 7
    assert receiver.received[1].payment_id == receiver.received[0].object_id
    assert [status for _, status in await queued(db)] == ["delivered"] * 7
    assert await send_sandbox_webhooks(sender(db, clock, receiver)) == 0  # nothing sent twice


async def test_a_receiver_with_another_secret_refuses_everything(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    await paid_payment(provider, db, clock)
    receiver = Receiver(provider, clock)
    forged = SandboxWebhookSender(db, receiver.transport(), clock, secret="not-the-secret")
    assert await send_sandbox_webhooks(forged) == 1
    assert (receiver.rejected, receiver.received) == (["bad_signature"], [])
    assert await queued(db) == [("payment.succeeded", "pending")]  # retried later


async def test_failures_are_retried_with_backoff_then_given_up(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    await paid_payment(provider, db, clock)
    transport = RecordingTransport(answer=lambda _post: 503)
    webhooks = SandboxWebhookSender(db, transport, clock, secret=SECRET)
    for attempt, delay in enumerate(RETRY_SCHEDULE, start=1):
        assert await webhooks.send_due() == 1
        assert len(transport.posts) == attempt
        clock.advance(delay - timedelta(seconds=1))
        assert await webhooks.send_due() == 0  # not before its time
        clock.advance(timedelta(seconds=1))
    assert await webhooks.send_due() == 1
    assert len(transport.posts) == MAX_ATTEMPTS
    assert await queued(db) == [("payment.succeeded", "failed")]
    clock.advance(timedelta(days=1))
    assert await webhooks.send_due() == 0
    bodies = {post.body for post in transport.posts}
    assert len(bodies) == 1  # every attempt sends the same bytes, freshly signed
    assert len({post.headers[SIGNATURE_HEADER] for post in transport.posts}) == MAX_ATTEMPTS


async def test_a_network_error_is_retried_and_then_delivered(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    await paid_payment(provider, db, clock)
    receiver = Receiver(provider, clock, statuses=[500])
    webhooks = sender(db, clock, receiver)
    await send_sandbox_webhooks(webhooks)
    assert receiver.received == []
    clock.advance(RETRY_SCHEDULE[0])
    await send_sandbox_webhooks(webhooks)
    assert [e.type for e in receiver.received] == [ProviderEventType.PAYMENT_SUCCEEDED]
    assert await queued(db) == [("payment.succeeded", "delivered")]


async def test_with_duplicates_every_event_arrives_twice(db: Database, clock: FixedClock) -> None:
    provider = make_provider(db, clock)
    await movements(provider, db, clock, 4)
    receiver = Receiver(provider, clock)
    await drain(clock, sender(db, clock, receiver, SandboxChaos(duplicate=1.0, seed=1)), minutes=2)
    ids = receiver.ids()
    assert len(ids) == 18
    assert len(set(ids)) == 9
    assert all(ids.count(event_id) == 2 for event_id in ids)
    assert receiver.rejected == []
    assert [status for _, status in await queued(db)] == ["delivered"] * 9


async def test_chaos_reorders_and_duplicates_but_the_end_state_is_the_same(
    db: Database, clock: FixedClock
) -> None:
    provider = make_provider(db, clock)
    await movements(provider, db, clock, 10)
    chaotic = Receiver(provider, clock)
    chaos = SandboxChaos(duplicate=0.5, reorder=0.5, max_delay_seconds=60, seed=20261130)
    await drain(clock, sender(db, clock, chaotic, chaos), minutes=3)
    async with db.reading() as session:
        rows = (
            await session.execute(
                select(SandboxWebhookEvent.event_id, SandboxWebhookEvent.payload).order_by(
                    SandboxWebhookEvent.id
                )
            )
        ).all()
    created = [event_id for event_id, _ in rows]
    arrived = list(dict.fromkeys(chaotic.ids()))  # first arrivals, in order
    assert len(created) == 21
    assert sorted(arrived) == sorted(created)  # every event arrived
    assert arrived != created  # out of order
    assert len(chaotic.ids()) > len(created)  # some arrived twice, none more
    assert max(chaotic.ids().count(event_id) for event_id in created) == 2
    assert chaotic.rejected == []
    # a receiver that dedupes on the event id ends where the orderly sequence leads
    orderly = [parse_event(payload.encode()) for _, payload in rows]
    assert chaotic.state() == fold(orderly)
    assert [status for _, status in await queued(db)] == ["delivered"] * 21


async def test_the_timer_delivers_until_stopped(db: Database, clock: FixedClock) -> None:
    provider = make_provider(db, clock)
    await paid_payment(provider, db, clock)
    receiver = Receiver(provider, clock)
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_sandbox_webhooks_until(stop, sender(db, clock, receiver), tick=timedelta(seconds=0.01))
    )
    for _ in range(200):
        if receiver.received:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert [e.type for e in receiver.received] == [ProviderEventType.PAYMENT_SUCCEEDED]

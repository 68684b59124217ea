"""Payments to be paid by webhook, made by Galerie's own services from the benchmark process
(on a database seeded by benchmarks/checkout_seed.py): each is a one-line order placed by
the seeded shopper (`galerie.checkout.place_checkout`, buy now), its payment started with the
sandbox provider built as the app builds it (`galerie.payments.payment_provider_for`) and
paid on the sandbox's hosted page (`complete_session`, the "pay" button), which queues the
`payment.succeeded` webhook.

The benchmark is the sender of those webhooks: their queue rows are leased to it (a far
`claimed_until`, as a sender's claim does), so the server's own in-process sandbox sender
leaves them alone. `signed_webhooks` reads the queued events of the payments still pending
and signs each exactly as `SandboxWebhookSender.deliver` does, with a fresh timestamp;
`counts` reads what the webhooks did, for the benchmark to check."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from benchmarks.checkout_seed import CheckoutSeed
from benchmarks.harness import BenchmarkError

LEASE = timedelta(days=365)  # the benchmark's claim on the webhooks it sends itself
SEED_TASKS = 8  # concurrent place-and-pay sequences while seeding


@dataclass(frozen=True, slots=True)
class SignedWebhook:
    """One webhook as the sandbox's sender would POST it."""

    event_id: str
    headers: dict[str, str]
    body: bytes


class PaymentSeeder:
    """Places and pays orders through Galerie's services, `count` at a time, each with its
    own SKU (cycling over the seeded products) and its own idempotency key."""

    def __init__(self, url: str, seed: CheckoutSeed, env: Mapping[str, str]) -> None:
        from galerie.config import load_settings

        self.url, self.seed = url, seed
        self.settings = load_settings({**env, "GALERIE_DATABASE_URL": url})
        self.made = 0

    @property
    def secret(self) -> str:
        return self.settings.sandbox_webhook_secret

    def add(self, count: int) -> None:
        asyncio.run(self.pay(count))

    async def pay(self, count: int) -> None:
        """Place and pay `count` more orders (their webhooks queued, leased to us)."""
        from galerie.db import Database
        from galerie.kernel import SystemClock
        from galerie.payments import payment_provider_for

        db = Database.from_url(self.url)
        clock = SystemClock()
        provider = payment_provider_for(self.settings, db, clock)
        if provider is None:
            raise BenchmarkError("the sandbox is not the configured payment provider")
        first, self.made = self.made, self.made + count
        try:
            queue = iter(range(first, first + count))
            await asyncio.gather(
                *(self._work(db, provider, clock, queue) for _ in range(SEED_TASKS))
            )
            await _lease_queued(db, clock.now())
        finally:
            await db.dispose()

    async def _work(self, db: Any, provider: Any, clock: Any, queue: Any) -> None:
        for number in queue:
            await self._one(db, provider, clock, number)

    async def _one(self, db: Any, provider: Any, clock: Any, number: int) -> None:
        from galerie.checkout import place_checkout
        from galerie.payments import start_payment
        from galerie.payments.sandbox import HostedAction, complete_session

        sku = 1 + number % self.seed.skus
        body = json.dumps({"address_id": self.seed.address_id, "lines": [{"sku_id": sku}]})
        stored = await place_checkout(
            db, buyer_id=self.seed.user_id, address_id=self.seed.address_id, methods=None,
            idempotency_key=f"bench-pay-{number}", raw_body=body.encode(), now=clock.now(),
            pay_within=self.settings.pay_within, currency="CNY", items=[(sku, 1)],
        )  # fmt: skip
        if stored.status != 201:
            raise BenchmarkError(f"placing seed order {number}: {stored.status} {stored.body}")
        group = int(stored.body["payment_group_id"])
        back = f"{self.settings.base_url}/account/orders/groups/{group}"
        started = await start_payment(
            db, provider, buyer_id=self.seed.user_id, payment_group_id=group,
            return_url=f"{back}?payment=returned", cancel_url=f"{back}?payment=cancelled",
            now=clock.now(),
        )  # fmt: skip
        token = started.hosted_url.rsplit("/", 1)[1]
        await complete_session(db, session_token=token, action=HostedAction.PAY, now=clock.now())


async def _lease_queued(db: Any, now: datetime) -> None:
    from sqlalchemy import update

    from galerie.payments.sandbox.models import SandboxWebhookEvent as Event

    async with db.transaction() as session:
        await session.execute(
            update(Event)
            .where(Event.status == "pending")
            .values(claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )


async def _pending_events(url: str) -> list[tuple[str, str]]:
    """(event id, payload) of the queued `payment.succeeded` webhook of every payment still
    pending, in payment id order."""
    from sqlalchemy import select

    from galerie.db import Database
    from galerie.payments.models import Payment
    from galerie.payments.sandbox.models import SandboxWebhookEvent as Event

    db = Database.from_url(url)
    try:
        async with db.reading() as session:
            pending = (
                await session.execute(
                    select(Payment.provider_payment_id)
                    .where(Payment.status == "pending")
                    .order_by(Payment.id)
                )
            ).scalars()
            events = await session.execute(
                select(Event.event_id, Event.payload).where(Event.event_type == "payment.succeeded")
            )
            by_payment = {json.loads(payload)["data"]["id"]: (e, payload) for e, payload in events}
    finally:
        await db.dispose()
    return [by_payment[p] for p in pending if p in by_payment]


def signed_webhooks(url: str, secret: str) -> list[SignedWebhook]:
    """The webhook of every payment still pending, signed now, as the sandbox sends it."""
    return asyncio.run(pending_webhooks(url, secret))


async def pending_webhooks(url: str, secret: str) -> list[SignedWebhook]:
    from galerie.payments.sandbox.signing import delivery_headers

    events = await _pending_events(url)
    timestamp = int(time.time())
    out = []
    for event_id, payload in events:
        body = payload.encode("utf-8")
        headers = delivery_headers(secret=secret, body=body, event_id=event_id, timestamp=timestamp)
        out.append(SignedWebhook(event_id, headers, body))
    return out


async def read_counts(
    url: str, *, ledger: bool = False, only: tuple[str, ...] = ()
) -> dict[str, int]:
    """See `counts`."""
    from sqlalchemy import text

    from galerie.db import Database
    from galerie.ledger import check_balances

    queries = {
        "payments": "SELECT COUNT(*) FROM payments",
        "pending": "SELECT COUNT(*) FROM payments WHERE status = 'pending'",
        "succeeded": "SELECT COUNT(*) FROM payments WHERE status = 'succeeded'",
        "groups_paid": "SELECT COUNT(*) FROM payments p JOIN payment_groups g "
        "ON g.id = p.payment_group_id WHERE g.status = 'paid'",
        "captures": "SELECT COUNT(*) FROM journal_entries e JOIN payments p "
        "ON e.key = 'capture:' || CAST(p.id AS TEXT)",
        "events_succeeded": "SELECT COUNT(*) FROM payment_provider_events "
        "WHERE outcome = 'succeeded'",
        "events": "SELECT COUNT(*) FROM payment_provider_events",
        "outbox_pending": "SELECT COUNT(*) FROM outbox_events WHERE dispatched_at IS NULL",
    }
    db = Database.from_url(url)
    try:
        async with db.reading() as session:
            counts = {
                k: int(await session.scalar(text(q)) or 0)
                for k, q in queries.items()
                if not only or k in only
            }
        if ledger:
            check = await check_balances(db)
            counts["ledger_problems"] = (
                len(check.discrepancies)
                + len(check.unbalanced_entries)
                + sum(1 for total in check.unbalanced_currencies.values() if total)
            )
    finally:
        await db.dispose()
    return counts


async def _analyze(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


def analyze(url: str) -> None:
    """Refresh the planner's statistics of every table (what autovacuum does in a steady
    state): tables that grew from empty within the last minute otherwise keep the plans of
    empty tables, such as sequential scans in the checks of each journal line."""
    asyncio.run(_analyze(url))


def counts(url: str, *, ledger: bool = False, only: tuple[str, ...] = ()) -> dict[str, int]:
    """Payments, pending, succeeded, groups paid, capture entries, provider events (and
    those applied as `succeeded`), outbox events not dispatched yet, and ledger problems
    (check_balances, with `ledger`); `only` these when given."""
    return asyncio.run(read_counts(url, ledger=ledger, only=only))

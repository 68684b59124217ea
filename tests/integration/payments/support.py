"""What the sandbox provider's tests share: a provider on the test's database, a checkout
session paid through the hosted page's use case, row reads, and a webhook receiver."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import Clock, FixedClock, Money
from galerie.payments import (
    CheckoutSession,
    ProviderEvent,
    ProviderEventType,
    WebhookRejected,
    apply_provider_event,
)
from galerie.payments.sandbox import HostedAction, SandboxProvider, complete_session
from galerie.payments.sandbox.models import SandboxPayment, SandboxWebhookEvent
from galerie.settlement import apply_payout_event
from galerie.webhooks import HttpxTransport

SECRET = "sandbox-test-secret-0123456789abcdef"
HOOK_URL = "https://market.example/webhooks/payments/sandbox"


def make_provider(db: Database, clock: Clock) -> SandboxProvider:
    return SandboxProvider(
        db, clock, webhook_secret=SECRET, page_base_url="http://127.0.0.1:8000/",
        webhook_url=HOOK_URL,
    )  # fmt: skip


def token_of(checkout: CheckoutSession) -> str:
    return checkout.url.rsplit("/", 1)[1]


async def paid_payment(
    provider: SandboxProvider,
    db: Database,
    clock: FixedClock,
    minor: int = 10_000,
    ref: str = "pg-1",
) -> CheckoutSession:
    checkout = await provider.create_checkout_session(
        reference=ref, amount=Money(minor, "CNY"), return_url="/account/orders/groups/1",
        cancel_url="/checkout",
    )  # fmt: skip
    await complete_session(
        db, session_token=token_of(checkout), action=HostedAction.PAY, now=clock.now()
    )
    return checkout


async def payment_row(db: Database, provider_payment_id: str) -> SandboxPayment:
    async with db.reading() as session:
        row = await session.scalar(
            select(SandboxPayment).where(SandboxPayment.provider_payment_id == provider_payment_id)
        )
    assert row is not None
    return row


async def queued(db: Database) -> list[tuple[str, str]]:
    """(event type, status) of every queued webhook, oldest first."""
    async with db.reading() as session:
        rows = await session.execute(
            select(SandboxWebhookEvent.event_type, SandboxWebhookEvent.status).order_by(
                SandboxWebhookEvent.id
            )
        )
    return [(event_type, status) for event_type, status in rows]


@dataclass
class Receiver:
    """Our side of the webhooks, as the payments domain will be: every request is verified
    with the provider's `verify_webhook` at the receiver's clock; `statuses` scripts the
    answers (then 200). `applied` is the state events lead to, deduplicated by event id."""

    provider: SandboxProvider
    clock: Clock
    statuses: list[int] = field(default_factory=list)
    received: list[ProviderEvent] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        try:
            event = self.provider.verify_webhook(
                request.content, request.headers, now=self.clock.now()
            )
        except WebhookRejected as refused:
            self.rejected.append(refused.code)
            return httpx.Response(400)
        status = self.statuses.pop(0) if self.statuses else 200
        if 200 <= status < 300:
            self.received.append(event)
        return httpx.Response(status)

    def transport(self) -> HttpxTransport:
        return HttpxTransport(httpx.AsyncClient(transport=httpx.MockTransport(self.handle)))

    def state(self) -> dict[str, object]:
        return fold(self.received)

    def ids(self) -> list[str]:
        return [event.event_id for event in self.received]


def fold(events: list[ProviderEvent]) -> dict[str, object]:
    """What applying each event once (deduplicated by event id) leaves: each payment's
    outcome, the refunded total per payment, the payouts."""
    outcomes: dict[str, str] = {}
    refunded: dict[str, int] = {}
    payouts: dict[str, int] = {}
    seen: set[str] = set()
    for event in events:
        if event.event_id in seen:
            continue
        seen.add(event.event_id)
        if event.type in {ProviderEventType.PAYMENT_SUCCEEDED, ProviderEventType.PAYMENT_FAILED}:
            outcomes[event.object_id] = event.type.value
        elif event.type is ProviderEventType.REFUND_SUCCEEDED:
            assert event.payment_id is not None
            refunded[event.payment_id] = refunded.get(event.payment_id, 0) + event.amount.minor
        else:
            payouts[event.object_id] = event.amount.minor
    return {"outcomes": outcomes, "refunded": refunded, "payouts": payouts}


@dataclass
class Endpoint:
    """Our webhook endpoint as the web layer runs it, without HTTP (the sandbox sender's
    transport): verify, then apply (payout events settle payouts, the others are the
    payments domain's); the answers and the bodies received, in order."""

    db: Database
    provider: SandboxProvider
    clock: FixedClock
    outcomes: list[str] = field(default_factory=list)
    bodies: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        self.bodies.append((dict(headers), body))
        try:
            event = self.provider.verify_webhook(body, headers, now=self.clock.now())
        except WebhookRejected:
            return 400
        self.outcomes.append(await self.apply(event))
        return 200

    async def apply(self, event: ProviderEvent) -> str:
        payout = await apply_payout_event(self.db, event=event, now=self.clock.now())
        if payout is not None:
            return payout
        return await apply_provider_event(
            self.db, provider="sandbox", event=event, now=self.clock.now()
        )

    async def aclose(self) -> None:
        return None

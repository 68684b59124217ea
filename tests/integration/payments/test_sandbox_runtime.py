"""The sandbox as the composition root assembles it from settings: the provider and the
webhook timer share the installation's secret, so what the timer sends the provider
verifies; with GALERIE_PAYMENT_PROVIDER=none there is neither."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from galerie.config import SandboxChaos, Settings
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import ProviderEventType
from galerie.payments.sandbox import HostedAction, SandboxProvider, complete_session
from galerie.workers.runtime import (
    make_payment_provider,
    make_sandbox_sender,
    running_sandbox_webhooks,
)
from tests.integration.payments.support import Receiver, token_of


async def test_the_timer_delivers_what_the_provider_verifies(
    db: Database, clock: FixedClock, settings: Settings
) -> None:
    provider = make_payment_provider(settings, db, clock)
    assert isinstance(provider, SandboxProvider)
    assert provider.webhook_url == settings.base_url + "/webhooks/payments/sandbox"
    checkout = await provider.create_checkout_session(
        reference="pg-1", amount=Money(990, "CNY"), return_url="/r", cancel_url="/c"
    )
    assert checkout.url.startswith(settings.base_url + "/sandbox/pay/sbcs_")
    await complete_session(
        db, session_token=token_of(checkout), action=HostedAction.PAY, now=clock.now()
    )
    receiver = Receiver(provider, clock)
    sender = make_sandbox_sender(settings, db, clock, receiver.transport())
    assert sender is not None
    assert sender.chaos is None
    async with running_sandbox_webhooks(sender):
        for _ in range(300):
            if receiver.received:
                break
            await asyncio.sleep(0.01)
    assert receiver.rejected == []
    assert [(e.type, e.object_id, e.amount) for e in receiver.received] == [
        (ProviderEventType.PAYMENT_SUCCEEDED, checkout.provider_payment_id, Money(990, "CNY"))
    ]


def test_chaos_comes_from_the_settings(db: Database, clock: FixedClock, settings: Settings) -> None:
    chaos = SandboxChaos(duplicate=0.1, seed=3)
    sender = make_sandbox_sender(replace(settings, sandbox_chaos=chaos), db, clock)
    assert sender is not None
    assert sender.chaos == chaos


async def test_without_the_sandbox_there_is_no_provider_and_no_timer(
    db: Database, clock: FixedClock, settings: Settings
) -> None:
    none = replace(settings, payment_provider="none")
    assert make_payment_provider(none, db, clock) is None
    assert make_sandbox_sender(none, db, clock) is None
    async with running_sandbox_webhooks(None):
        pass

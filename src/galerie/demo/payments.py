"""The demo's money, moved the way a real shopper's is: no development hook.

`pay_demo_group` pays a demo checkout through the sandbox provider: a checkout session on
its hosted page (`start_payment`), the shopper's "Pay" (`complete_session`), then the
provider's signed `payment.succeeded` webhook delivered by its own sender to our webhook's
use case (`verify_webhook`, then `apply_provider_event`), in-process: the group is paid and
the capture journalled into escrow per shop order (`capture:<payment>`).

`release_demo_order` releases a received order's escrow to its shop's payable minus the
category commissions at the moment of receipt, as the outbox handler does later (the
handler then finds it released and posts nothing).

Still to come here, from the settlement and deposits work of issue 6: a payout run over
the sellers' payables, and the shops' deposits paid through the provider; `galerie
reconcile` on a fresh demo must keep reporting 0 discrepancies."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.payments import WebhookRejected, apply_provider_event, release_escrow, start_payment
from galerie.payments.sandbox import (
    HostedAction,
    SandboxProvider,
    SandboxWebhookSender,
    complete_session,
)
from galerie.workers.timers import send_sandbox_webhooks

DEMO_BASE_URL: Final = "http://127.0.0.1:8000"
DEMO_HOOK_URL: Final = DEMO_BASE_URL + "/webhooks/payments/sandbox"


@dataclass
class _InProcessEndpoint:
    """Our webhook endpoint as the web layer runs it (verify, then apply), without HTTP:
    the sandbox sender's transport."""

    db: Database
    provider: SandboxProvider
    clock: FixedClock
    outcomes: list[str] = field(default_factory=list)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        try:
            event = self.provider.verify_webhook(body, headers, now=self.clock.now())
        except WebhookRejected:
            return 400
        outcome = await apply_provider_event(
            self.db, provider=self.provider.name, event=event, now=self.clock.now()
        )
        self.outcomes.append(outcome)
        return 200

    async def aclose(self) -> None:
        return None


async def pay_demo_group(db: Database, *, buyer_id: int, group_id: int, paid_at: datetime) -> None:
    """Pay the group's amount due through the sandbox at `paid_at` (see the module)."""
    clock = FixedClock(paid_at)
    secret = secrets.token_hex(16)  # signs and verifies in-process only: it never leaves
    provider = SandboxProvider(
        db, clock, webhook_secret=secret, page_base_url=DEMO_BASE_URL,
        webhook_url=DEMO_HOOK_URL,
    )  # fmt: skip
    back = f"{DEMO_BASE_URL}/account/orders/groups/{group_id}"
    started = await start_payment(
        db, provider, buyer_id=buyer_id, payment_group_id=group_id,
        return_url=f"{back}?payment=returned", cancel_url=f"{back}?payment=cancelled",
        now=paid_at,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=paid_at)
    endpoint = _InProcessEndpoint(db, provider, clock)
    sender = SandboxWebhookSender(db, endpoint, clock, secret=secret)
    await send_sandbox_webhooks(sender)
    if endpoint.outcomes != ["succeeded"]:
        raise RuntimeError(f"demo payment of group {group_id}: {endpoint.outcomes}")


async def release_demo_order(db: Database, *, order_id: int, at: datetime) -> None:
    """Release the completed order's escrow at `at` (once: `release:<order>`)."""
    async with db.transaction() as session:
        await release_escrow(session, order_id=order_id, now=at)

"""The demo's money, moved the way a real shopper's is: no development hook.

`pay_demo_group` pays a demo checkout through the sandbox provider: a checkout session on
its hosted page (`start_payment`), the shopper's "Pay" (`complete_session`), then the
provider's signed `payment.succeeded` webhook delivered by its own sender to our webhook's
use case (`verify_webhook`, then `apply_provider_event`), in-process: the group is paid and
the capture journalled into escrow per shop order (`capture:<payment>`).

`release_demo_order` releases a received order's escrow to its shop's payable minus the
category commissions at the moment of receipt, as the outbox handler does later (the
handler then finds it released and posts nothing).

`run_demo_payouts` runs one payout run over the sellers' payables through the same sandbox
(its `payout.paid` webhooks applied in-process as the web endpoint applies them), so the
demo shows payouts made and in transit; `galerie reconcile` on a fresh demo reports 0
discrepancies (a test runs it)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Principal
from galerie.kernel import FixedClock, Money
from galerie.payments import (
    WebhookRejected,
    apply_provider_event,
    release_escrow,
    start_deposit_payment,
    start_payment,
)
from galerie.payments.sandbox import (
    HostedAction,
    SandboxProvider,
    SandboxWebhookSender,
    complete_session,
)
from galerie.settlement import apply_payout_event, run_payouts
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
        payout = await apply_payout_event(self.db, event=event, now=self.clock.now())
        if payout is not None:
            self.outcomes.append(payout)
            return 200
        outcome = await apply_provider_event(
            self.db, provider=self.provider.name, event=event, now=self.clock.now()
        )
        self.outcomes.append(outcome)
        return 200

    async def aclose(self) -> None:
        return None


def _sandbox(db: Database, at: datetime) -> tuple[SandboxProvider, FixedClock, str]:
    clock = FixedClock(at)
    secret = secrets.token_hex(16)  # signs and verifies in-process only: it never leaves
    provider = SandboxProvider(
        db, clock, webhook_secret=secret, page_base_url=DEMO_BASE_URL,
        webhook_url=DEMO_HOOK_URL,
    )  # fmt: skip
    return provider, clock, secret


async def pay_demo_group(db: Database, *, buyer_id: int, group_id: int, paid_at: datetime) -> None:
    """Pay the group's amount due through the sandbox at `paid_at` (see the module)."""
    provider, clock, secret = _sandbox(db, paid_at)
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


async def pay_demo_deposit(
    db: Database, *, owner: Principal, shop_id: int, audit: AuditContext, paid_at: datetime
) -> None:
    """The owner pays the shop's deposit on the sandbox's hosted page at `paid_at`; the
    signed webhook credits deposits held (the `deposit:` branch), in-process."""
    provider, clock, secret = _sandbox(db, paid_at)
    back = f"{DEMO_BASE_URL}/seller/shops/{shop_id}/deposit"
    started = await start_deposit_payment(
        db, provider, actor=owner, shop_id=shop_id, return_url=f"{back}?payment=returned",
        cancel_url=f"{back}?payment=cancelled", now=paid_at, audit=audit,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=paid_at)
    endpoint = _InProcessEndpoint(db, provider, clock)
    await send_sandbox_webhooks(SandboxWebhookSender(db, endpoint, clock, secret=secret))
    if endpoint.outcomes != ["deposit_paid"]:
        raise RuntimeError(f"demo deposit of shop {shop_id}: {endpoint.outcomes}")


async def release_demo_order(db: Database, *, order_id: int, at: datetime) -> None:
    """Release the completed order's escrow at `at` (once: `release:<order>`)."""
    async with db.transaction() as session:
        await release_escrow(session, order_id=order_id, now=at)


DEMO_PAYOUT_MINIMUM: Final = Money(10_000, "CNY")  # 100.00


async def run_demo_payouts(db: Database, *, at: datetime) -> int:
    """One payout run at `at` over every shop holding DEMO_PAYOUT_MINIMUM, paid by the
    sandbox (its `payout.paid` webhooks applied in-process); how many payouts it made."""
    provider, clock, secret = _sandbox(db, at)
    done = await run_payouts(
        db, provider, key=f"CNY:demo:{at.date().isoformat()}", minimum=DEMO_PAYOUT_MINIMUM,
        now=at,
    )  # fmt: skip
    endpoint = _InProcessEndpoint(db, provider, clock)
    await send_sandbox_webhooks(SandboxWebhookSender(db, endpoint, clock, secret=secret))
    if any(outcome != "paid" for outcome in endpoint.outcomes):
        raise RuntimeError(f"demo payout run: {endpoint.outcomes}")
    return done.payouts

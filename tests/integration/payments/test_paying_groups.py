"""Paying a payment group through the sandbox provider, on SQLite and PostgreSQL: the
hosted page, then the signed webhook applied by the payments domain. A paid group's orders
are paid; a duplicated or reordered event changes nothing; a forged one is refused before
anything is read; a wrong amount is flagged and pays nothing; money for a closed group is
owed back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.orders import PaymentGroupNotFound, close_unpaid_groups, place_order
from galerie.orders.models import Order, PaymentGroup
from galerie.payments import (
    GroupNotPayable,
    ProviderEvent,
    ProviderEventType,
    WebhookRejected,
    apply_provider_event,
    start_payment,
)
from galerie.payments.models import Payment
from galerie.payments.sandbox import (
    HostedAction,
    SandboxWebhookSender,
    complete_session,
)
from galerie.workers.timers import send_sandbox_webhooks
from tests.integration.ledger.factories import cached_balances
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.integration.payments.support import SECRET, Endpoint, make_provider

BACK = "http://127.0.0.1:8000/account/orders/groups/1"


async def _group(db: Database, market: Market, clock: FixedClock) -> int:
    now, skus = clock.now(), []
    for shop in market.shops[:2]:
        sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
        await stock(db, now, shop, sku, 5)
        skus.append(sku)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=[(s, 1) for s in skus],
            shipping=ship(*(s.shop_id for s in market.shops[:2])), address=ADDRESS, now=now,
        )  # fmt: skip
    return group.id


async def _statuses(db: Database, group_id: int) -> tuple[str, list[str], list[str]]:
    async with db.reading() as session:
        group = await session.scalar(select(PaymentGroup.status).where(PaymentGroup.id == group_id))
        orders = await session.scalars(
            select(Order.status).where(Order.payment_group_id == group_id).order_by(Order.id)
        )
        payments = await session.scalars(
            select(Payment.status).where(Payment.payment_group_id == group_id).order_by(Payment.id)
        )
        return str(group), list(orders), list(payments)


async def _ledger(db: Database) -> dict[tuple[str, int], int]:
    """(account kind, owner) -> signed cached balance (debit positive), non-zero ones; and
    the journal agrees with the cached balances."""
    return await cached_balances(db)


async def _order_totals(db: Database, group_id: int) -> dict[int, int]:
    async with db.reading() as session:
        rows = await session.execute(
            select(Order.id, Order.total_minor).where(Order.payment_group_id == group_id)
        )
        return {int(order_id): int(total) for order_id, total in rows.all()}


async def _pay(db: Database, market: Market, clock: FixedClock, group_id: int) -> Endpoint:
    provider = make_provider(db, clock)
    started = await start_payment(
        db, provider, buyer_id=market.buyer_id, payment_group_id=group_id,
        return_url=BACK, cancel_url=BACK, now=clock.now(),
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=clock.now())
    return Endpoint(db, provider, clock)


async def _deliver(db: Database, clock: FixedClock, endpoint: Endpoint) -> int:
    sender = SandboxWebhookSender(db, endpoint, clock, secret=SECRET)
    return await send_sandbox_webhooks(sender)


async def test_a_paid_session_pays_the_group_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    assert await _statuses(db, group_id) == (
        "awaiting_payment",
        ["awaiting_payment"] * 2,
        ["pending"],
    )
    assert await _ledger(db) == {}
    assert await _deliver(db, clock, endpoint) == 1
    assert endpoint.outcomes == ["succeeded"]
    assert await _statuses(db, group_id) == ("paid", ["paid", "paid"], ["succeeded"])
    totals = await _order_totals(db, group_id)
    journal = {("provider_clearing", 0): sum(totals.values())}
    journal |= {("escrow", order_id): -total for order_id, total in totals.items()}
    assert await _ledger(db) == journal  # captured into escrow, per shop order
    headers, body = endpoint.bodies[0]
    event = endpoint.provider.verify_webhook(body, headers, now=clock.now())
    again = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert again == "duplicate"
    assert await _statuses(db, group_id) == ("paid", ["paid", "paid"], ["succeeded"])
    assert await _ledger(db) == journal  # nothing posted twice
    with pytest.raises(GroupNotPayable):
        await start_payment(
            db, endpoint.provider, buyer_id=market.buyer_id, payment_group_id=group_id,
            return_url=BACK, cancel_url=BACK, now=clock.now(),
        )  # fmt: skip


async def test_a_second_click_reuses_the_open_session_and_others_cannot_pay(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    provider = make_provider(db, clock)
    args: dict[str, Any] = {
        "payment_group_id": group_id,
        "return_url": BACK,
        "cancel_url": BACK,
        "now": clock.now(),
    }
    first = await start_payment(db, provider, buyer_id=market.buyer_id, **args)
    second = await start_payment(db, provider, buyer_id=market.buyer_id, **args)
    assert (second.hosted_url, second.payment_id, second.reused) == (
        first.hosted_url,
        first.payment_id,
        True,
    )
    with pytest.raises(PaymentGroupNotFound):
        await start_payment(db, provider, buyer_id=market.other_buyer_id, **args)
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Payment)) == 1


@dataclass
class Capture:
    """A receiver that keeps the signed requests and answers 503 (nothing applied)."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        self.requests.append((dict(headers), body))
        return 503

    async def aclose(self) -> None:
        return None


async def test_a_forged_or_stale_webhook_changes_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    capture = Capture()
    await send_sandbox_webhooks(SandboxWebhookSender(db, capture, clock, secret=SECRET))
    headers, body = capture.requests[0]
    tampered = body.replace(b'"succeeded"', b'"failed"')
    assert tampered != body
    for raw, at in ((tampered, clock.now()), (body, clock.now() + timedelta(seconds=301))):
        with pytest.raises(WebhookRejected):
            endpoint.provider.verify_webhook(raw, headers, now=at)
    forger = make_provider(db, clock)
    forger_headers = {**headers, "Sandbox-Signature": headers["Sandbox-Signature"][:-4] + "0000"}
    with pytest.raises(WebhookRejected):
        forger.verify_webhook(body, forger_headers, now=clock.now())
    assert await _statuses(db, group_id) == (
        "awaiting_payment",
        ["awaiting_payment"] * 2,
        ["pending"],
    )
    event = endpoint.provider.verify_webhook(body, headers, now=clock.now())
    assert (
        await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
        == "succeeded"
    )
    assert (await _statuses(db, group_id))[0] == "paid"


async def test_a_wrong_amount_is_flagged_and_pays_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    provider = make_provider(db, clock)
    started = await start_payment(
        db, provider, buyer_id=market.buyer_id, payment_group_id=group_id,
        return_url=BACK, cancel_url=BACK, now=clock.now(),
    )  # fmt: skip
    async with db.reading() as session:
        payment = (await session.scalars(select(Payment))).one()
    event = ProviderEvent(
        "evt-short", ProviderEventType.PAYMENT_SUCCEEDED, clock.now(),
        payment.provider_payment_id, Money(payment.amount_minor - 1, "CNY"),
    )  # fmt: skip
    outcome = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert (outcome, started.reused) == ("amount_mismatch", False)
    assert await _statuses(db, group_id) == (
        "awaiting_payment",
        ["awaiting_payment"] * 2,
        ["amount_mismatch"],
    )
    right = replace(event, event_id="evt-late", amount=Money(payment.amount_minor, "CNY"))
    assert (
        await apply_provider_event(db, provider="sandbox", event=right, now=clock.now())
        == "ignored"
    )
    assert (await _statuses(db, group_id))[0] == "awaiting_payment"


async def test_a_failure_arriving_after_the_success_changes_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    await _deliver(db, clock, endpoint)
    async with db.reading() as session:
        payment = (await session.scalars(select(Payment))).one()
    late = ProviderEvent(
        "evt-failed-late", ProviderEventType.PAYMENT_FAILED, clock.now(),
        payment.provider_payment_id, Money(payment.amount_minor, "CNY"),
    )  # fmt: skip
    assert (
        await apply_provider_event(db, provider="sandbox", event=late, now=clock.now()) == "ignored"
    )
    assert await _statuses(db, group_id) == ("paid", ["paid", "paid"], ["succeeded"])


async def test_money_for_a_group_closed_meanwhile_is_owed_back(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id = await _group(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    clock.advance(timedelta(hours=1))
    assert await close_unpaid_groups(db, now=clock.now()) == 1
    await _deliver(db, clock, endpoint)
    assert endpoint.outcomes == ["refund_due"]
    assert await _statuses(db, group_id) == ("closed", ["closed", "closed"], ["refund_due"])
    paid = sum((await _order_totals(db, group_id)).values())
    assert await _ledger(db) == {("provider_clearing", 0): paid, ("refunds", 0): -paid}

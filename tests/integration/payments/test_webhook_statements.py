"""A group's `payment.succeeded` webhook costs a fixed number of statements whatever the
number of shops and lines, beside inventory's one conditional UPDATE per SKU (the reserved
units committed) (galerie.payments.capture, ADR 0013)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import check_balances
from galerie.orders import place_order
from galerie.orders.models import Order, PaymentGroup
from galerie.payments import ProviderEvent, ProviderEventType, apply_provider_event, start_payment
from galerie.payments.models import Payment
from galerie.payments.sandbox import HostedAction, complete_session
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.integration.payments.support import make_provider
from tests.web.statement_counter import counting_statements

BACK = "http://127.0.0.1:8000/account/orders/groups/1"
# PostgreSQL: ONE statement (the event, the payment, the group, its orders and lines, the
# escrow accounts, the clearing account's id, the entry id), then the flush before COMMIT
# (the journal header, the clearing balance, the movements, history, events, the event's
# outcome); the journal lines travel with the first stock UPDATE. SQLite runs each alone, in
# process: the event, the payment, the group, the orders, the lines, the clearing account,
# the escrow accounts, the entry id, the journal lines, the movements, the history, the
# events, the header, the clearing balance and the outcome.
FIXED = {"postgresql": 2, "sqlite": 15}


async def _paid_session(db: Database, market: Market, clock: FixedClock, shops: int,
                        per_shop: int) -> tuple[ProviderEvent, int]:  # fmt: skip
    """A group over `shops` shops, `per_shop` SKUs each, paid on the sandbox's page: the
    `payment.succeeded` event to apply, and the number of SKUs."""
    now, lines = clock.now(), []
    for shop in market.shops[:shops]:
        for _ in range(per_shop):
            sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
            await stock(db, now, shop, sku, 5)
            lines.append((sku, 2))
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=lines,
            shipping=ship(*(s.shop_id for s in market.shops[:shops])), address=ADDRESS, now=now,
        )  # fmt: skip
    provider = make_provider(db, clock)
    started = await start_payment(
        db, provider, buyer_id=market.buyer_id, payment_group_id=group.id,
        return_url=BACK, cancel_url=BACK, now=now,
    )  # fmt: skip
    token = started.hosted_url.rsplit("/", 1)[1]
    await complete_session(db, session_token=token, action=HostedAction.PAY, now=now)
    async with db.reading() as session:
        payment = await session.scalar(select(Payment).where(Payment.id == started.payment_id))
    assert payment is not None
    event = ProviderEvent(
        f"evt-{payment.id}", ProviderEventType.PAYMENT_SUCCEEDED, now,
        payment.provider_payment_id, Money(payment.amount_minor, payment.currency),
    )  # fmt: skip
    return event, len(lines)


def _without_trigger_traces(seen: list[str]) -> list[str]:
    """SQLite's trace callback reports a statement again for each row its triggers run on
    (the journal's insert triggers), its values inline: one statement is one run of the
    same text."""
    return [s for n, s in enumerate(seen) if n == 0 or seen[n - 1] != s]


@pytest.mark.parametrize(("shops", "per_shop"), [(1, 1), (3, 2)])
async def test_a_payment_webhook_costs_fixed_statements(
    db: Database, market: Market, clock: FixedClock, shops: int, per_shop: int
) -> None:
    first, _ = await _paid_session(db, market, clock, 1, 1)  # opens provider clearing
    assert await apply_provider_event(db, provider="sandbox", event=first, now=clock.now()) == (
        "succeeded"
    )
    event, skus = await _paid_session(db, market, clock, shops, per_shop)
    async with counting_statements(db) as statements:
        outcome = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert outcome == "succeeded"
    seen = statements.seen
    if db.dialect == "sqlite":
        seen = _without_trigger_traces(seen)
    updates = [s for s in seen if "UPDATE stock_levels SET" in s]
    others = [s for s in seen if s not in updates]
    assert len(updates) == skus, "\n".join(s[:120] for s in seen)
    assert len(others) == FIXED[db.dialect], "\n".join(o[:90] for o in others)
    async with db.reading() as session:
        statuses = set(await session.scalars(select(Order.status)))
        groups = set(await session.scalars(select(PaymentGroup.status)))
    assert (statuses, groups) == ({"paid"}, {"paid"})
    assert (await check_balances(db)).ok
    again = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert again == "duplicate"

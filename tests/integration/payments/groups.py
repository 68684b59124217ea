"""A payment group placed and paid on the sandbox's hosted page, with the `payment.succeeded`
event its webhook would carry: for the tests of the webhook's hot path (capture)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.orders import place_order
from galerie.payments import ProviderEvent, ProviderEventType, start_payment
from galerie.payments.models import Payment
from galerie.payments.sandbox import HostedAction, complete_session
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.integration.payments.support import make_provider

BACK = "http://127.0.0.1:8000/account/orders/groups/1"


@dataclass(frozen=True, slots=True)
class PaidGroup:
    group_id: int
    payment_id: int
    event: ProviderEvent  # payment.succeeded, for the payment's whole amount
    skus: int


async def paid_group(
    db: Database, market: Market, clock: FixedClock, *, shops: int = 1, per_shop: int = 1,
    now: datetime | None = None,
) -> PaidGroup:  # fmt: skip
    """A group over `shops` shops, `per_shop` SKUs each (2 units of each), paid on the
    sandbox's page (the payment still pending until its webhook is applied)."""
    now, lines = now or clock.now(), []
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
    return PaidGroup(group.id, payment.id, event, len(lines))
